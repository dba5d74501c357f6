package org.ngvi.spark.train;

import java.io.Serializable;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.tensor.FlatValues;

/**
 * What one task returns for a round, one record per aggregation mode. Both carry the BatchNorm
 * running statistics the task's forward passes left (the driver averages them weighted by
 * {@link #examples()}).
 */
public sealed interface TaskResult extends Serializable permits TaskResult.LocalSteps, TaskResult.Gradients {
    /** The task's partition. */
    int partition();

    /** Examples it processed (over all its steps). */
    long examples();

    /** Σ over its steps of (mean mini-batch loss × batch size). */
    double lossSum();

    /** The task's running statistics after the round, or {@code null} when the network has none. */
    FlatValues runningStats();

    /** Nanoseconds the task spent from receiving its rows to building this result (its own compute). */
    long taskNanos();

    /** Bytes of tensor payload (4 per float32 value, 8 per float64) the result carries to the driver. */
    long payloadBytes();

    /**
     * {@code average} mode: the task's state after K local steps.
     *
     * @param state     its state after the steps
     * @param precision per-parameter precision weights of the precision-weighted tensor (VOGN's μ), or {@code null}
     */
    record LocalSteps(int partition, long examples, double lossSum, StateSnapshot state, FlatValues precision,
                      FlatValues runningStats, long taskNanos) implements TaskResult {
        @Override
        public long payloadBytes() {
            return state.payloadBytes() + bytes(precision) + bytes(runningStats);
        }
    }

    /**
     * {@code sync} mode: ĝ and ĥ of the task's share of the round's batch.
     *
     * @param examples examples in the batch grad and curv were computed on
     * @param grad     MC-averaged mean gradient
     * @param curv     MC-averaged mean squared per-example gradient (VOGN), or {@code null}
     */
    record Gradients(int partition, long examples, double lossSum, FlatValues grad, FlatValues curv,
                     FlatValues runningStats, long taskNanos) implements TaskResult {
        @Override
        public long payloadBytes() {
            return bytes(grad) + bytes(curv) + bytes(runningStats);
        }
    }

    private static long bytes(FlatValues v) {
        return v == null ? 0 : v.bytes();
    }
}
