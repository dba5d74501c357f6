/** The main job: Fashion-MNIST from the Debian package to a VOGN-versus-Adam comparison, end to end. */
package org.ngvi.spark.demo;
