package org.ngvi.spark.train;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SortedMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * What the trainer does with NaN and infinities, so that none ever reaches the posterior or a
 * checkpoint:
 * <ol>
 * <li><b>On the task</b> ({@link #screen}): a result whose loss, ĝ, ĥ, state tensors, precision
 *     weights or running statistics hold a non-finite value is replaced by a
 *     {@link TaskResult.NonFinite} naming the first such quantity, with no numbers.</li>
 * <li><b>On the driver</b> ({@link #afterRound}): the aggregate drops those partitions (every mean
 *     is over the others, {@link RoundAggregate}) and counts them; a round in which every partition
 *     was dropped leaves the state (and the running statistics) unchanged. A round with at least one
 *     dropped partition is <em>bad</em>; after {@code maxBadRounds} consecutive bad rounds the run
 *     stops with a {@link NonFiniteException} naming the round, the partitions and the quantities.
 *     A good round resets the count.</li>
 * <li><b>Before every checkpoint</b> ({@link #requireFinite}): every tensor, scalar and running
 *     statistic is checked; a non-finite value (which a driver update from finite inputs can still
 *     produce, e.g. an overflow with a huge learning rate) stops the run at once with a
 *     {@link NonFiniteException}, leaving the previous checkpoint as it is.</li>
 * </ol>
 *
 * @param maxBadRounds consecutive bad rounds tolerated before the run stops (config key {@code max_bad_rounds}, ≥ 1)
 */
public record NonFinitePolicy(int maxBadRounds) {
    public NonFinitePolicy {
        if (maxBadRounds < 1) {
            throw new IllegalArgumentException("max_bad_rounds must be >= 1, got " + maxBadRounds);
        }
    }

    /** The task's result, or a {@link TaskResult.NonFinite} naming the first non-finite quantity in it. */
    static TaskResult screen(TaskResult r) {
        String bad = firstNonFiniteQuantity(r);
        return bad == null ? r : new TaskResult.NonFinite(r.partition(), r.examples(), bad, r.taskNanos());
    }

    private static String firstNonFiniteQuantity(TaskResult r) {
        if (!Double.isFinite(r.lossSum())) {
            return "loss";
        }
        if (r instanceof TaskResult.Gradients g) {
            if (firstNonFinite(g.grad()) >= 0) {
                return "ĝ";
            }
            if (g.curv() != null && firstNonFinite(g.curv()) >= 0) {
                return "ĥ";
            }
        } else if (r instanceof TaskResult.LocalSteps l) {
            String t = firstNonFiniteTensor(l.state());
            if (t != null) {
                return "state tensor '" + t + "'";
            }
            if (l.precision() != null && firstNonFinite(l.precision()) >= 0) {
                return "precision";
            }
        }
        if (r.runningStats() != null && firstNonFinite(r.runningStats()) >= 0) {
            return "running statistics";
        }
        return null;
    }

    private static String firstNonFiniteTensor(StateSnapshot s) {
        for (Map.Entry<String, FlatValues> e : s.tensors().entrySet()) {
            if (firstNonFinite(e.getValue()) >= 0) {
                return e.getKey();
            }
        }
        for (Map.Entry<String, double[]> e : s.scalars().entrySet()) {
            for (double v : e.getValue()) {
                if (!Double.isFinite(v)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /**
     * The consecutive bad rounds after round {@code round} (0-based) given those before it.
     *
     * @throws NonFiniteException when this makes {@link #maxBadRounds()} in a row
     */
    int afterRound(long round, RoundAggregate agg, int badRoundsBefore) {
        SortedMap<Integer, String> dropped = agg.dropped();
        if (dropped.isEmpty()) {
            return 0;
        }
        int bad = badRoundsBefore + 1;
        if (bad >= maxBadRounds) {
            throw new NonFiniteException("round " + (round + 1) + ": non-finite values in partition"
                    + (dropped.size() == 1 ? " " : "s ") + describe(dropped) + "; " + bad + " consecutive round"
                    + (bad == 1 ? "" : "s") + " with dropped partitions reached max_bad_rounds = " + maxBadRounds
                    + " (lower the learning rate or raise max_bad_rounds); the last checkpoint holds only finite values");
        }
        return bad;
    }

    /** {@code "0 (loss), 1 (ĝ)"}. */
    static String describe(SortedMap<Integer, String> dropped) {
        StringBuilder b = new StringBuilder();
        dropped.forEach((p, q) -> b.append(b.length() == 0 ? "" : ", ").append(p).append(" (").append(q).append(')'));
        return b.toString();
    }

    /**
     * Throws a {@link NonFiniteException} naming round {@code round} (0-based) and the first
     * non-finite tensor, scalar or running statistic of {@code c}; returns {@code c} when all are finite.
     */
    static ModelCheckpoint requireFinite(long round, ModelCheckpoint c) {
        String bad = null;
        for (Map.Entry<String, FlatTensor> e : c.tensors().entrySet()) {
            long i = firstNonFinite(e.getValue());
            if (i >= 0) {
                bad = "tensor '" + e.getKey() + "' (element " + i + ")";
                break;
            }
        }
        for (Map.Entry<String, double[]> e : c.scalars().entrySet()) {
            for (int i = 0; bad == null && i < e.getValue().length; i++) {
                if (!Double.isFinite(e.getValue()[i])) {
                    bad = "scalar '" + e.getKey() + "' (element " + i + ")";
                }
            }
        }
        if (bad == null && c.runningStats() != null) {
            long i = firstNonFinite(c.runningStats());
            bad = i >= 0 ? "running statistics (element " + i + ")" : null;
        }
        if (bad != null) {
            throw new NonFiniteException("round " + (round + 1) + ": the driver's update produced a non-finite " + bad
                    + " from finite task results (an overflow: lower the learning rate); not checkpointed, "
                    + "the last checkpoint holds only finite values");
        }
        return c;
    }

    /** Index of the first NaN or infinity in {@code v}, or -1. */
    static int firstNonFinite(FlatValues v) {
        if (v instanceof FlatValues.F32 f) {
            float[] a = f.values();
            for (int i = 0; i < a.length; i++) {
                if (!Float.isFinite(a[i])) {
                    return i;
                }
            }
            return -1;
        }
        double[] a = ((FlatValues.F64) v).values();
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first NaN or infinity in {@code t}'s flat vector (read in place), or -1. */
    static long firstNonFinite(FlatTensor t) {
        INDArray flat = t.flat();
        int n = Math.toIntExact(flat.length());
        int base = Math.toIntExact(flat.offset());
        if (flat.dataType() == DataType.FLOAT && (n <= 1 || flat.elementWiseStride() == 1)) {
            FloatBuffer b = flat.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(b.get(base + i))) {
                    return i;
                }
            }
            return -1;
        }
        if (flat.dataType() == DataType.DOUBLE && (n <= 1 || flat.elementWiseStride() == 1)) {
            DoubleBuffer b = flat.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(b.get(base + i))) {
                    return i;
                }
            }
            return -1;
        }
        return firstNonFinite(FlatValues.of(t));
    }
}
