package org.ngvi.spark.train;

import java.io.Serializable;

/**
 * What one task returns for a round. The network buffers (BatchNorm running statistics) the
 * task's forward passes left are returned in both modes; the driver averages them weighted by
 * {@code examples}.
 *
 * @param partition     the task's partition
 * @param examples      examples it processed (over all K local steps)
 * @param lossSum       Σ over its steps of (mean mini-batch loss × batch size)
 * @param state         its state after K local steps ({@code average} mode), else {@code null}
 * @param precision     per-parameter precision weights of its mean ({@code average} mode, VOGN), else {@code null}
 * @param grad          MC-averaged mean gradient of its batch ({@code sync} mode), else {@code null}
 * @param curv          MC-averaged mean squared per-example gradient ({@code sync} mode, VOGN), else {@code null}
 * @param batchExamples examples in the batch grad/curv were computed on ({@code sync} mode)
 * @param networkBuffers the task's network buffers after the round, or {@code null} when the network has none
 */
public record TaskResult(int partition, long examples, double lossSum, StateSnapshot state, FlatValues precision,
                         FlatValues grad, FlatValues curv, long batchExamples, FlatValues networkBuffers)
        implements Serializable {
    /** A result of a network without buffers. */
    public TaskResult(int partition, long examples, double lossSum, StateSnapshot state, FlatValues precision,
                      FlatValues grad, FlatValues curv, long batchExamples) {
        this(partition, examples, lossSum, state, precision, grad, curv, batchExamples, null);
    }
}
