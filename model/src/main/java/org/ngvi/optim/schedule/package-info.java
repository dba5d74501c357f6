/**
 * Learning-rate schedules as pure functions of the optimizer step, with the reference's scheduler
 * names and semantics: the epoch schedulers of {@code torch.optim.lr_scheduler} in their closed
 * forms ({@link org.ngvi.optim.schedule.ExponentialLr}, {@link org.ngvi.optim.schedule.StepLr},
 * {@link org.ngvi.optim.schedule.MultiStepLr}, {@link org.ngvi.optim.schedule.CosineAnnealingLr}),
 * torchsso's iteration schedulers ({@link org.ngvi.optim.schedule.GradualWarmupLr}, {@link
 * org.ngvi.optim.schedule.PolynomialDecayLr}), and {@link org.ngvi.optim.schedule.LrSchedule},
 * which combines a warm-up rule, a main rule and torchsso's {@code MomentumCorrectionLR}.
 *
 * <p>A schedule is a value: the optimizers' params records hold one and ask it for α and β at the
 * state's step t, so a step computes the same rate on an executor, on the driver (sync mode) and
 * after a restart from a checkpoint, with no scheduler object to keep in step.
 */
package org.ngvi.optim.schedule;
