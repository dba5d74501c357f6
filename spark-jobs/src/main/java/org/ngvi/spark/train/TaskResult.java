package org.ngvi.spark.train;

import java.io.Serializable;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.tensor.FlatValues;

/**
 * What one task returns for a round, one record per aggregation mode, or {@link NonFinite} when
 * its numbers are unusable ({@link NonFinitePolicy}). The first two carry the BatchNorm running
 * statistics the task's forward passes left (the driver averages them weighted by
 * {@link #examples()}).
 */
public sealed interface TaskResult extends Serializable
        permits TaskResult.LocalSteps, TaskResult.Gradients, TaskResult.NonFinite {
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

    /**
     * The task's loss, ĝ, ĥ, state or running statistics held a NaN or an infinity: it reports
     * which, and no numbers (nothing non-finite goes on the wire); the aggregate drops the
     * partition's contribution and counts it.
     *
     * @param examples examples the task processed (not counted by the aggregate)
     * @param quantity what was non-finite, e.g. {@code "loss"}, {@code "ĝ"}, {@code "state tensor 'params'"}
     * @param taskNanos the task's own compute time
     */
    record NonFinite(int partition, long examples, String quantity, long taskNanos) implements TaskResult {
        @Override
        public double lossSum() {
            return 0;
        }

        @Override
        public long payloadBytes() {
            return 0;
        }

        @Override
        public FlatValues runningStats() {
            return null;
        }
    }
}
