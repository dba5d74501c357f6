/**
 * The training configuration: a JSON file with the reference project's key names
 * ({@code optim_name}, {@code optim_args}, {@code curv_args}, {@code epochs}, {@code batch_size}, ...)
 * plus ngvi-spark's distributed keys ({@code local_steps}, {@code aggregation}), overridable with
 * dotted {@code --set key=value} pairs. Unknown keys and bad values are errors naming the key.
 */
package org.ngvi.spark.config;
