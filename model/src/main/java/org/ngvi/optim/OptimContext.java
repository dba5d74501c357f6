package org.ngvi.optim;

import java.util.Set;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * What a config factory of the {@link OptimizerRegistry} needs beyond the config's keys: facts of
 * the run that are known only once its data and network are.
 *
 * @param datasetSize         N, the number of training examples (VOGN's λ = τ/(N σ₀²))
 * @param normalizationParams the network's BatchNorm γ and β names, or {@code null} when no network is given
 * @param schedule            the learning-rate schedule, bound to the run's steps per epoch
 * @param validating          {@code true}: the config is only being checked (N and the network are
 *                            placeholders); factories read and check every key but may skip checks
 *                            that need the run
 */
public record OptimContext(long datasetSize, Set<String> normalizationParams, LrSchedule schedule, boolean validating) {
    public OptimContext {
        schedule = schedule == null ? LrSchedule.constant() : schedule;
        normalizationParams = normalizationParams == null ? null : Set.copyOf(normalizationParams);
    }

    /** A context for a run with {@code datasetSize} examples. */
    public static OptimContext of(long datasetSize, Set<String> normalizationParams, LrSchedule schedule) {
        return new OptimContext(datasetSize, normalizationParams, schedule, false);
    }

    /** A context to validate a config's keys before the run's data is opened. */
    public static OptimContext validation(LrSchedule schedule) {
        return new OptimContext(1, Set.of(), schedule, true);
    }
}
