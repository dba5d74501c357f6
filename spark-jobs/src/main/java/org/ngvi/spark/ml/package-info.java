/**
 * The spark.ml API of ngvi-spark: {@link org.ngvi.spark.ml.VognClassifier}, an {@code Estimator}
 * that trains VOGN (or Adam, or MC dropout) on a DataFrame of images with the parameter-averaging
 * trainer, and {@link org.ngvi.spark.ml.VognClassificationModel}, the {@code Model} whose
 * {@code transform} adds {@code prediction}, {@code probability}, {@code confidence},
 * {@code entropy} and {@code mutual_information}, and which saves as a training run folder. Both
 * reuse the job code: the config ({@code TrainConfig}, {@code --set} overrides), the trainer
 * ({@code TrainJob.run}), the checkpoint format and the scorer of {@code ngvi score}.
 */
package org.ngvi.spark.ml;
