/**
 * Distribution-shifted copies of prepared image data sets ({@code ngvi prepare transform}): every
 * image flipped and/or inverted, labels kept, written as a new prepared data set with its own
 * manifest. Used to build out-of-distribution test sets from data at hand (e.g. Fashion-MNIST test
 * images upside down and inverted) for {@code evaluate --ood}.
 */
package org.ngvi.spark.transform;
