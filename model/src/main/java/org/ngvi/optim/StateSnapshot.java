package org.ngvi.optim;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ngvi.tensor.FlatValues;

/**
 * A plain-Java copy of an optimizer state for the wire (what Spark broadcasts to tasks and what
 * tasks send back): the step count, the state's named tensors ({@link OptimizerState#tensors()},
 * in the run's precision) and its named per-tensor scalars (VOGN's prior EMA λ̄), plus the
 * network's BatchNorm running statistics when it has any. A snapshot may hold only some of a
 * state's tensors (sync mode broadcasts just what weight sampling needs, {@link
 * Optimizer#samplingTensors()}). Made and read by {@link Optimizer#snapshot} and {@link
 * Optimizer#restore(StateSnapshot, OptimizerState, org.ngvi.tensor.ParamLayout,
 * org.nd4j.linalg.api.buffer.DataType)}.
 *
 * @param step         optimizer steps taken
 * @param tensors      flat tensors by name, each of the layout's total size
 * @param scalars      named per-parameter-tensor scalars (may be empty)
 * @param runningStats the network's running statistics ({@code Network#runningStatsLayout()}), or
 *                     {@code null} when it has none
 */
public record StateSnapshot(long step, Map<String, FlatValues> tensors, Map<String, double[]> scalars,
                            FlatValues runningStats) implements Serializable {
    public StateSnapshot {
        tensors = new LinkedHashMap<>(tensors);
        Map<String, double[]> sc = new LinkedHashMap<>();
        scalars.forEach((k, v) -> sc.put(k, v.clone()));
        scalars = sc;
    }

    /** A snapshot without running statistics. */
    public StateSnapshot(long step, Map<String, FlatValues> tensors, Map<String, double[]> scalars) {
        this(step, tensors, scalars, null);
    }

    /** This snapshot with the running statistics {@code stats} ({@code null}: none). */
    public StateSnapshot withRunningStats(FlatValues stats) {
        return new StateSnapshot(step, tensors, scalars, stats);
    }

    /** A copy of the named scalars. */
    @Override
    public Map<String, double[]> scalars() {
        Map<String, double[]> sc = new LinkedHashMap<>();
        scalars.forEach((k, v) -> sc.put(k, v.clone()));
        return sc;
    }

    /** Bytes of tensor and running-statistics payload (4 per float32 value, 8 per float64), for throughput reports. */
    public long payloadBytes() {
        long b = 0;
        for (FlatValues v : tensors.values()) {
            b += v.bytes();
        }
        return b + (runningStats == null ? 0 : runningStats.bytes());
    }
}
