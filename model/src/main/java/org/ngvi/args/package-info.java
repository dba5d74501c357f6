/**
 * Validated reads of the small JSON argument objects that configs pass to model code
 * ({@code model_args} of an architecture, {@code scheduler_args} of a learning-rate scheduler):
 * {@link org.ngvi.args.JsonArgs} reads typed values and rejects unknown fields, and every
 * problem is an {@link org.ngvi.args.ArgumentException} that names the field, so the Spark
 * config layer can report the full config key.
 */
package org.ngvi.args;
