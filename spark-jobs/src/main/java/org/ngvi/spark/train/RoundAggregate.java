package org.ngvi.spark.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code treeAggregate} accumulator of a round ({@code add} a task's result, {@code merge}
 * two partial aggregates), weighted by the examples each task saw:
 * <ul>
 * <li>{@code average} mode: every buffer as the example-weighted mean Σ nₚ xₚ / Σ nₚ, except the
 *     precision-weighted one (VOGN's mean μ), combined as natural parameters:
 *     μ = Σ nₚ Pₚ ∘ μₚ / Σ nₚ Pₚ with Pₚ = sₚ + λ̄ + δ the task's posterior precision;</li>
 * <li>{@code sync} mode: ĝ = Σ Bₚ ĝₚ / Σ Bₚ and ĥ = Σ Bₚ ĥₚ / Σ Bₚ, exactly the mean gradient and
 *     mean squared per-example gradient of the union batch;</li>
 * <li>both modes: the network buffers (BatchNorm running statistics, updated by each task's
 *     training forward passes) as the example-weighted mean Σ nₚ rₚ / Σ nₚ. In sync mode this is
 *     what the driver keeps, since it runs no forward pass of its own.</li>
 * </ul>
 */
public final class RoundAggregate implements Serializable {
    private final String precisionWeighted;
    private long examples;
    private long batchExamples;
    private double lossSum;
    private int tasks;
    private long step = -1;
    private double[] scalars;
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private double[] precisionSum;
    private double[] gradSum;
    private double[] curvSum;
    private double[] networkBufferSum;
    private long networkBufferExamples;
    private boolean doublePrecision;

    /** @param precisionWeighted name of the buffer averaged with precision weights, or {@code null} */
    public RoundAggregate(String precisionWeighted) {
        this.precisionWeighted = precisionWeighted;
    }

    public RoundAggregate add(TaskResult r) {
        if (r.networkBuffers() != null) {
            networkBufferSum = addScaled(networkBufferSum == null ? new double[r.networkBuffers().length()] : networkBufferSum,
                    r.networkBuffers(), r.examples());
            networkBufferExamples += r.examples();
        }
        examples += r.examples();
        lossSum += r.lossSum();
        tasks++;
        if (r.state() != null) {
            StateSnapshot s = r.state();
            checkSameStep(s.step(), s.scalars());
            double n = r.examples();
            for (Map.Entry<String, FlatValues> e : s.buffers().entrySet()) {
                FlatValues x = e.getValue();
                doublePrecision = x instanceof FlatValues.F64;
                double[] acc = sums.computeIfAbsent(e.getKey(), k -> new double[x.length()]);
                if (e.getKey().equals(precisionWeighted)) {
                    FlatValues p = r.precision();
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
        if (r.grad() != null) {
            double b = r.batchExamples();
            batchExamples += r.batchExamples();
            doublePrecision = r.grad() instanceof FlatValues.F64;
            gradSum = addScaled(gradSum == null ? new double[r.grad().length()] : gradSum, r.grad(), b);
            if (r.curv() != null) {
                curvSum = addScaled(curvSum == null ? new double[r.curv().length()] : curvSum, r.curv(), b);
            }
        }
        return this;
    }

    public RoundAggregate merge(RoundAggregate o) {
        examples += o.examples;
        batchExamples += o.batchExamples;
        lossSum += o.lossSum;
        tasks += o.tasks;
        doublePrecision |= o.doublePrecision;
        if (o.step >= 0) {
            checkSameStep(o.step, o.scalars);
        }
        for (Map.Entry<String, double[]> e : o.sums.entrySet()) {
            sums.merge(e.getKey(), e.getValue(), RoundAggregate::addInto);
        }
        precisionSum = o.precisionSum == null ? precisionSum : addInto(precisionSum, o.precisionSum);
        gradSum = o.gradSum == null ? gradSum : addInto(gradSum, o.gradSum);
        curvSum = o.curvSum == null ? curvSum : addInto(curvSum, o.curvSum);
        networkBufferSum = o.networkBufferSum == null ? networkBufferSum : addInto(networkBufferSum, o.networkBufferSum);
        networkBufferExamples += o.networkBufferExamples;
        return this;
    }

    private void checkSameStep(long s, double[] sc) {
        if (step < 0) {
            step = s;
            scalars = sc.clone();
        } else if (step != s) {
            throw new IllegalStateException("tasks of one round ended at different steps: " + step + " and " + s);
        }
    }

    private static double[] addScaled(double[] acc, FlatValues x, double a) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += a * x.get(i);
        }
        return acc;
    }

    private static double[] addInto(double[] acc, double[] x) {
        if (acc == null) {
            return x.clone();
        }
        for (int i = 0; i < x.length; i++) {
            acc[i] += x[i];
        }
        return acc;
    }

    public long examples() {
        return examples;
    }

    public int tasks() {
        return tasks;
    }

    /** Example-weighted mean training loss of the round. */
    public double meanLoss() {
        return lossSum / examples;
    }

    /** The averaged state ({@code average} mode). */
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
                double n = examples;
                for (int i = 0; i < acc.length; i++) {
                    avg[i] = acc[i] / n;
                }
            }
            out.put(e.getKey(), FlatValues.of(avg, doublePrecision ? org.nd4j.linalg.api.buffer.DataType.DOUBLE
                    : org.nd4j.linalg.api.buffer.DataType.FLOAT));
        }
        return new StateSnapshot(step, out, scalars);
    }

    /** Union-batch mean gradient ({@code sync} mode). */
    public double[] meanGradient() {
        return scale(gradSum, 1.0 / batchExamples);
    }

    /** Union-batch mean squared per-example gradient ({@code sync} mode), or {@code null}. */
    public double[] meanCurvature() {
        return curvSum == null ? null : scale(curvSum, 1.0 / batchExamples);
    }

    /**
     * Example-weighted mean of the tasks' network buffers, Σ nₚ rₚ / Σ nₚ, or {@code null} when
     * no task returned any (a network without BatchNorm).
     */
    public double[] meanNetworkBuffers() {
        return networkBufferSum == null ? null : scale(networkBufferSum, 1.0 / networkBufferExamples);
    }

    private static double[] scale(double[] x, double a) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * a;
        }
        return out;
    }
}
