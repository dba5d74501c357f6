package org.ngvi.spark.train;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * The accumulator of a round ({@code add} a task's result, {@code merge} two partial
 * aggregates), weighted by the examples each task saw, one subclass per aggregation mode:
 * <ul>
 * <li>{@link Averaging} ({@code average} mode): every state tensor as the example-weighted mean
 *     Σ nₚ xₚ / Σ nₚ, except the precision-weighted one (VOGN's mean μ), combined as natural
 *     parameters: μ = Σ nₚ Pₚ ∘ μₚ / Σ nₚ Pₚ with Pₚ = sₚ + λ̄ + δ the task's posterior precision;</li>
 * <li>{@link Sync} ({@code sync} mode): ĝ = Σ Bₚ ĝₚ / Σ Bₚ and ĥ = Σ Bₚ ĥₚ / Σ Bₚ, exactly the
 *     mean gradient and mean squared per-example gradient of the union batch;</li>
 * <li>both: the BatchNorm running statistics (updated by each task's training forward passes) as
 *     the example-weighted mean Σ nₚ rₚ / Σ nₚ. In sync mode this is what the driver keeps, since it
 *     runs no forward pass of its own.</li>
 * </ul>
 * A {@link TaskResult.NonFinite} result contributes nothing: its partition is counted in
 * {@link #dropped()} and every mean is over the partitions that did contribute.
 * Sums are kept in double. Floating-point addition is not associative, so the aggregate depends
 * on the order results are added and merged.
 */
public abstract sealed class RoundAggregate implements Serializable permits RoundAggregate.Averaging, RoundAggregate.Sync {
    private long examples;
    private double lossSum;
    private int tasks;
    private double[] runningStatsSum;
    private long runningStatsExamples;
    private final TreeMap<Integer, String> dropped = new TreeMap<>();

    /** An empty aggregate of the run's mode. */
    static RoundAggregate forMode(boolean sync, String precisionWeighted) {
        return sync ? new Sync() : new Averaging(precisionWeighted);
    }

    /** Adds one task's result (of this aggregate's mode). */
    public final RoundAggregate add(TaskResult r) {
        tasks++;
        if (r instanceof TaskResult.NonFinite bad) {
            dropped.put(bad.partition(), bad.quantity());
            return this;
        }
        if (r.runningStats() != null) {
            runningStatsSum = addScaled(runningStatsSum == null ? new double[r.runningStats().length()] : runningStatsSum,
                    r.runningStats(), r.examples());
            runningStatsExamples += r.examples();
        }
        examples += r.examples();
        lossSum += r.lossSum();
        addMode(r);
        return this;
    }

    /** Adds another partial aggregate of the same mode. */
    public final RoundAggregate merge(RoundAggregate o) {
        examples += o.examples;
        lossSum += o.lossSum;
        tasks += o.tasks;
        dropped.putAll(o.dropped);
        runningStatsSum = o.runningStatsSum == null ? runningStatsSum : addInto(runningStatsSum, o.runningStatsSum);
        runningStatsExamples += o.runningStatsExamples;
        mergeMode(o);
        return this;
    }

    abstract void addMode(TaskResult r);

    abstract void mergeMode(RoundAggregate o);

    public long examples() {
        return examples;
    }

    /** Tasks that reported, including dropped ones. */
    public int tasks() {
        return tasks;
    }

    /** Partitions whose results were non-finite and dropped, with what was non-finite in each, by partition. */
    public SortedMap<Integer, String> dropped() {
        return Collections.unmodifiableSortedMap(dropped);
    }

    /** Whether at least one partition contributed numbers (else the round leaves the state as it was). */
    public boolean anyContribution() {
        return tasks > dropped.size();
    }

    /** Example-weighted mean training loss of the round. */
    public double meanLoss() {
        return lossSum / examples;
    }

    /**
     * Example-weighted mean of the tasks' running statistics, Σ nₚ rₚ / Σ nₚ, or {@code null} when
     * no task returned any (a network without BatchNorm).
     */
    public double[] meanRunningStats() {
        return runningStatsSum == null ? null : scale(runningStatsSum, 1.0 / runningStatsExamples);
    }

    /** {@code average} mode: natural-parameter averaging of the tasks' states. */
    public static final class Averaging extends RoundAggregate {
        private final String precisionWeighted;
        private long step = -1;
        private Map<String, double[]> scalars;
        private final Map<String, double[]> sums = new LinkedHashMap<>();
        private double[] precisionSum;
        private boolean doublePrecision;

        /** @param precisionWeighted name of the tensor averaged with precision weights, or {@code null} */
        Averaging(String precisionWeighted) {
            this.precisionWeighted = precisionWeighted;
        }

        @Override
        void addMode(TaskResult r) {
            if (!(r instanceof TaskResult.LocalSteps t)) {
                throw new IllegalArgumentException("average mode got a " + r.getClass().getSimpleName() + " result");
            }
            StateSnapshot s = t.state();
            checkSameStep(s.step(), s.scalars());
            double n = t.examples();
            for (Map.Entry<String, FlatValues> e : s.tensors().entrySet()) {
                FlatValues x = e.getValue();
                doublePrecision = x instanceof FlatValues.F64;
                double[] acc = sums.computeIfAbsent(e.getKey(), k -> new double[x.length()]);
                if (e.getKey().equals(precisionWeighted)) {
                    FlatValues p = t.precision();
                    if (precisionSum == null) {
                        precisionSum = new double[x.length()];
                    }
                    for (int i = 0; i < acc.length; i++) {
                        double w = n * p.get(i);
                        acc[i] += w * x.get(i);
                        precisionSum[i] += w;
                    }
                } else {
                    addScaled(acc, x, n);
                }
            }
        }

        @Override
        void mergeMode(RoundAggregate other) {
            Averaging o = (Averaging) other;
            doublePrecision |= o.doublePrecision;
            if (o.step >= 0) {
                checkSameStep(o.step, o.scalars);
            }
            for (Map.Entry<String, double[]> e : o.sums.entrySet()) {
                sums.merge(e.getKey(), e.getValue(), RoundAggregate::addInto);
            }
            precisionSum = o.precisionSum == null ? precisionSum : addInto(precisionSum, o.precisionSum);
        }

        private void checkSameStep(long s, Map<String, double[]> sc) {
            if (step < 0) {
                step = s;
                scalars = sc;
            } else if (step != s) {
                throw new IllegalStateException("tasks of one round ended at different steps: " + step + " and " + s);
            }
        }

        /** The averaged state. */
        public StateSnapshot averagedState() {
            if (step < 0) {
                throw new IllegalStateException("no task returned a state this round");
            }
            Map<String, FlatValues> out = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : sums.entrySet()) {
                double[] acc = e.getValue();
                double[] avg = new double[acc.length];
                if (e.getKey().equals(precisionWeighted)) {
                    for (int i = 0; i < acc.length; i++) {
                        avg[i] = acc[i] / precisionSum[i];
                    }
                } else {
                    double n = examples();
                    for (int i = 0; i < acc.length; i++) {
                        avg[i] = acc[i] / n;
                    }
                }
                out.put(e.getKey(), FlatValues.of(avg, doublePrecision ? DataType.DOUBLE : DataType.FLOAT));
            }
            return new StateSnapshot(step, out, scalars);
        }
    }

    /** {@code sync} mode: the union batch's ĝ and ĥ. */
    public static final class Sync extends RoundAggregate {
        private double[] gradSum;
        private double[] curvSum;

        Sync() {
        }

        @Override
        void addMode(TaskResult r) {
            if (!(r instanceof TaskResult.Gradients g)) {
                throw new IllegalArgumentException("sync mode got a " + r.getClass().getSimpleName() + " result");
            }
            double b = g.examples();
            gradSum = addScaled(gradSum == null ? new double[g.grad().length()] : gradSum, g.grad(), b);
            if (g.curv() != null) {
                curvSum = addScaled(curvSum == null ? new double[g.curv().length()] : curvSum, g.curv(), b);
            }
        }

        @Override
        void mergeMode(RoundAggregate other) {
            Sync o = (Sync) other;
            gradSum = o.gradSum == null ? gradSum : addInto(gradSum, o.gradSum);
            curvSum = o.curvSum == null ? curvSum : addInto(curvSum, o.curvSum);
        }

        /** Union-batch mean gradient. */
        public double[] meanGradient() {
            return scale(gradSum, 1.0 / examples());
        }

        /** Union-batch mean squared per-example gradient, or {@code null} (first-order optimizers). */
        public double[] meanCurvature() {
            return curvSum == null ? null : scale(curvSum, 1.0 / examples());
        }

        /** {@link #meanGradient()} written into {@code out} (one pass, rounded to its precision, no allocation). */
        public void meanGradientInto(FlatTensor out) {
            scaleInto(gradSum, 1.0 / examples(), out);
        }

        /** {@link #meanCurvature()} written into {@code out}. */
        public void meanCurvatureInto(FlatTensor out) {
            if (curvSum == null) {
                throw new IllegalStateException("no task returned curvature this round");
            }
            scaleInto(curvSum, 1.0 / examples(), out);
        }
    }

    static double[] addScaled(double[] acc, FlatValues x, double a) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += a * x.get(i);
        }
        return acc;
    }

    static double[] addInto(double[] acc, double[] x) {
        if (acc == null) {
            return x.clone();
        }
        for (int i = 0; i < x.length; i++) {
            acc[i] += x[i];
        }
        return acc;
    }

    /** x · a into the flat vector of {@code out} (FLOAT: each value rounded once from double). */
    static void scaleInto(double[] x, double a, FlatTensor out) {
        org.nd4j.linalg.api.ndarray.INDArray flat = out.flat();
        if (flat.length() != x.length) {
            throw new IllegalArgumentException(x.length + " values for a tensor of " + flat.length());
        }
        int off = Math.toIntExact(flat.offset());
        if (flat.dataType() == DataType.DOUBLE) {
            java.nio.DoubleBuffer b = flat.data().asNioDouble();
            for (int i = 0; i < x.length; i++) {
                b.put(off + i, x[i] * a);
            }
        } else {
            java.nio.FloatBuffer b = flat.data().asNioFloat();
            for (int i = 0; i < x.length; i++) {
                b.put(off + i, (float) (x[i] * a));
            }
        }
    }

    static double[] scale(double[] x, double a) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * a;
        }
        return out;
    }
}
