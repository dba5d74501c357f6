package org.ngvi.spark.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain-Java copy of an optimizer state, what Spark broadcasts to tasks and what tasks send
 * back: the step count, named flat buffers (in the run's precision) and per-tensor scalars
 * (VOGN's prior EMA λ̄), plus the network's own buffers (BatchNorm running statistics) when it
 * has any. A snapshot may hold only some of a state's buffers (sync mode broadcasts just what
 * weight sampling needs).
 *
 * @param step           optimizer steps taken
 * @param buffers        flat buffers by name, each of the layout's total size
 * @param scalars        per-parameter-tensor scalars (may be empty)
 * @param networkBuffers the network's buffers ({@code Network#bufferLayout()}), or {@code null} when it has none
 */
public record StateSnapshot(long step, Map<String, FlatValues> buffers, double[] scalars, FlatValues networkBuffers)
        implements Serializable {
    public StateSnapshot {
        buffers = new LinkedHashMap<>(buffers);
        scalars = scalars.clone();
    }

    /** A snapshot without network buffers. */
    public StateSnapshot(long step, Map<String, FlatValues> buffers, double[] scalars) {
        this(step, buffers, scalars, null);
    }

    /** This snapshot with the network buffers {@code b} ({@code null}: none). */
    public StateSnapshot withNetworkBuffers(FlatValues b) {
        return new StateSnapshot(step, buffers, scalars, b);
    }

    @Override
    public double[] scalars() {
        return scalars.clone();
    }
}
