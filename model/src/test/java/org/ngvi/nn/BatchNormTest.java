package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.fixtures.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.tensor.FlatTensor;

/**
 * BatchNorm1d/2d: forward with batch and running statistics against the defining formulas,
 * PyTorch's running-statistics update, the {@code mode} field, backward (through the batch
 * statistics) against central finite differences, the network's buffers, and no allocation.
 */
class BatchNormTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static INDArray gaussian(SplittableRandom rng, double scale, double shift, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, shift + scale * rng.nextGaussian());
        }
        return a;
    }

    /** Input value (b, c, p) of a [B, C] or [B, C, H, W] array in row-major order. */
    private static double at(INDArray a, int b, int c, int p, int channels, int positions) {
        return a.getDouble(((long) b * channels + c) * positions + p);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainingForwardUsesBatchStatisticsAndUpdatesRunningStatisticsLikePyTorch(boolean spatial) {
        SplittableRandom rng = new SplittableRandom(spatial ? 3 : 4);
        int b = 5;
        int c = 3;
        long[] shape = spatial ? new long[] {b, c, 2, 3} : new long[] {b, c};
        int p = spatial ? 6 : 1;
        BatchNorm bn = new BatchNorm(spatial, c, 1e-3, 0.25, BatchNorm.Mode.FOLLOW_TRAINING_FLAG);
        INDArray x = gaussian(rng, 2.0, 1.5, shape);
        List<INDArray> params = List.of(gaussian(rng, 1, 0, c), gaussian(rng, 1, 0, c));
        INDArray rm = gaussian(rng, 1, 0, c);
        INDArray rv = gaussian(rng, 0.1, 1, c);
        INDArray rm0 = rm.dup();
        INDArray rv0 = rv.dup();
        INDArray y = Nd4j.create(DataType.DOUBLE, shape);
        Object scratch = bn.scratch(b, java.util.Arrays.copyOfRange(shape, 1, shape.length), DataType.DOUBLE);
        bn.forward(x, params, List.of(rm, rv), y, scratch, true);
        int n = b * p;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < p; j++) {
                    mean += at(x, i, ch, j, c, p);
                }
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < p; j++) {
                    var += Math.pow(at(x, i, ch, j, c, p) - mean, 2);
                }
            }
            var /= n;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < p; j++) {
                    double expected = params.get(0).getDouble(ch) * (at(x, i, ch, j, c, p) - mean) / Math.sqrt(var + 1e-3)
                            + params.get(1).getDouble(ch);
                    assertEquals(expected, at(y, i, ch, j, c, p), 1e-12, "y");
                }
            }
            assertEquals(0.75 * rm0.getDouble(ch) + 0.25 * mean, rm.getDouble(ch), 1e-14, "running_mean");
            assertEquals(0.75 * rv0.getDouble(ch) + 0.25 * var * n / (n - 1), rv.getDouble(ch), 1e-14, "running_var (unbiased)");
        }
        // an evaluation forward (training flag off) normalises with the running statistics and leaves them alone
        INDArray rm1 = rm.dup();
        INDArray rv1 = rv.dup();
        bn.forward(x, params, List.of(rm, rv), y, scratch, false);
        assertEquals(rm1, rm);
        assertEquals(rv1, rv);
        for (int ch = 0; ch < c; ch++) {
            double expected = params.get(0).getDouble(ch) * (at(x, 1, ch, 0, c, p) - rm.getDouble(ch))
                    / Math.sqrt(rv.getDouble(ch) + 1e-3) + params.get(1).getDouble(ch);
            assertEquals(expected, at(y, 1, ch, 0, c, p), 1e-12, "eval y");
        }
    }

    @Test
    void modeFieldFixesTheStatistics() {
        SplittableRandom rng = new SplittableRandom(8);
        INDArray x = gaussian(rng, 1, 2, 6, 4);
        List<INDArray> params = List.of(gaussian(rng, 1, 0, 4), gaussian(rng, 1, 0, 4));
        INDArray rm = gaussian(rng, 1, 0, 4);
        INDArray rv = gaussian(rng, 0.1, 1, 4);
        BatchNorm follow = new BatchNorm(false, 4, 1e-5, 0.1, null);
        BatchNorm train = new BatchNorm(false, 4, 1e-5, 0.1, BatchNorm.Mode.TRAIN);
        BatchNorm eval = new BatchNorm(false, 4, 1e-5, 0.1, BatchNorm.Mode.EVAL);
        INDArray withBatch = run(follow, x, params, rm.dup(), rv.dup(), true);
        INDArray withRunning = run(follow, x, params, rm.dup(), rv.dup(), false);
        assertFalse(withBatch.equalsWithEps(withRunning, 1e-3));
        // "train": batch statistics even with the training flag off, and then no update of the running statistics
        INDArray rmT = rm.dup();
        assertEquals(withBatch, run(train, x, params, rmT, rv.dup(), false));
        assertEquals(rm, rmT);
        // "eval": running statistics even in a training pass, and no update
        INDArray rmE = rm.dup();
        assertEquals(withRunning, run(eval, x, params, rmE, rv.dup(), true));
        assertEquals(rm, rmE);
        assertTrue(follow.usesBatchStatistics(true) && !follow.usesBatchStatistics(false));
        assertTrue(train.usesBatchStatistics(false) && !eval.usesBatchStatistics(true));
        // one value per channel: no batch statistics, as PyTorch
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(follow, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup(), params, rm.dup(), rv.dup(), true));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
    }

    private static INDArray run(BatchNorm bn, INDArray x, List<INDArray> params, INDArray rm, INDArray rv, boolean training) {
        INDArray y = Nd4j.create(DataType.DOUBLE, x.shape());
        bn.forward(x, params, List.of(rm, rv), y, bn.scratch(x.size(0), java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()),
                DataType.DOUBLE), training);
        return y;
    }

    /**
     * Layer backward against central differences of L = (1/B) Σᵢ Σ_j wᵢⱼ yᵢⱼ (so the per-example
     * deltas are Δ = w): ∂L/∂γ, ∂L/∂β and Δ_in = B ∂L/∂x, with batch statistics (the full
     * derivative through μ and σ²) and with running statistics.
     */
    @ParameterizedTest
    @EnumSource(value = BatchNorm.Mode.class, names = {"TRAIN", "EVAL"})
    void backwardMatchesFiniteDifferences(BatchNorm.Mode mode) {
        for (boolean spatial : new boolean[] {false, true}) {
            SplittableRandom rng = new SplittableRandom(spatial ? 11 : 12);
            int b = 4;
            int c = 3;
            long[] shape = spatial ? new long[] {b, c, 2, 2} : new long[] {b, c};
            BatchNorm bn = new BatchNorm(spatial, c, 1e-5, 0.1, mode);
            INDArray x = gaussian(rng, 1.5, 0.5, shape);
            INDArray w = gaussian(rng, 1, 0, shape);
            List<INDArray> params = List.of(gaussian(rng, 1, 0.5, c), gaussian(rng, 1, 0, c));
            List<INDArray> buffers = List.of(gaussian(rng, 1, 0, c), gaussian(rng, 0.2, 1.5, c));
            Object scratch = bn.scratch(b, java.util.Arrays.copyOfRange(shape, 1, shape.length), DataType.DOUBLE);
            INDArray y = Nd4j.create(DataType.DOUBLE, shape);
            bn.forward(x, params, buffers, y, scratch, false);
            INDArray gradIn = Nd4j.create(DataType.DOUBLE, shape);
            List<INDArray> grads = List.of(Nd4j.create(DataType.DOUBLE, c), Nd4j.create(DataType.DOUBLE, c));
            bn.backward(x, y, w, params, gradIn, grads, scratch);

            java.util.function.Supplier<Double> loss = () -> {
                INDArray out = Nd4j.create(DataType.DOUBLE, shape);
                bn.forward(x, params, buffers, out, bn.scratch(b, java.util.Arrays.copyOfRange(shape, 1, shape.length),
                        DataType.DOUBLE), false);
                return out.mul(w).sumNumber().doubleValue() / b;
            };
            String tag = mode + (spatial ? " 2d " : " 1d ");
            assertClose(numeric(x, loss).muli(b), gradIn, 1e-7, tag + "Δ_in = B ∂L/∂x");
            assertClose(numeric(params.get(0), loss), grads.get(0), 1e-7, tag + "∂L/∂γ");
            assertClose(numeric(params.get(1), loss), grads.get(1), 1e-7, tag + "∂L/∂β");
        }
    }

    /** Central differences of {@code f} with respect to every entry of {@code a} (perturbed in place and restored). */
    static INDArray numeric(INDArray a, java.util.function.Supplier<Double> f) {
        INDArray g = Nd4j.create(DataType.DOUBLE, a.shape());
        double h = 1e-5;
        for (long i = 0; i < a.length(); i++) {
            double v = a.getDouble(i);
            a.putScalar(i, v + h);
            double up = f.get();
            a.putScalar(i, v - h);
            double down = f.get();
            a.putScalar(i, v);
            g.putScalar(i, (up - down) / (2 * h));
        }
        return g;
    }

    static ObjectNode layer(String type, Object... kv) {
        ObjectNode n = F.objectNode().put("type", type);
        for (int i = 0; i < kv.length; i += 2) {
            n.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return n;
    }

    static NetworkSpec spec(long[] inputShape, ObjectNode... layers) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode l : layers) {
            a.add(l);
        }
        return new NetworkSpec(inputShape, a, "cross_entropy");
    }

    /** linear 4→3 · batchnorm1d(3) · tanh · linear 3→3. */
    static NetworkSpec denseBnSpec() {
        return spec(new long[] {4}, layer("linear", "in", 4, "out", 3, "bias", true), layer("batchnorm1d", "features", 3),
                layer("tanh"), layer("linear", "in", 3, "out", 3, "bias", true));
    }

    /** Network gradient (training mode: the backward runs through the batch statistics) against central differences of L. */
    @Test
    void networkGradientThroughBatchStatisticsMatchesFiniteDifferences() {
        Network net = Network.build(denseBnSpec(), DataType.DOUBLE);
        SplittableRandom rng = new SplittableRandom(21);
        FlatTensor theta = net.initParams(5);
        theta.view("1.weight").assign(gaussian(rng, 0.5, 1, 3));
        theta.view("1.bias").assign(gaussian(rng, 0.5, 0, 3));
        INDArray x = gaussian(rng, 1, 0, 6, 4);
        int[] y = {0, 2, 1, 1, 0, 2};
        FlatTensor grad = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        net.lossAndGradient(theta, x, y, grad, null);
        FlatTensor scratchGrad = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        for (int i = 0; i < net.layout().size(); i++) {
            String name = net.layout().spec(i).name();
            INDArray num = numeric(theta.view(i), () -> net.lossAndGradient(theta, x, y, scratchGrad, null));
            if (name.equals("0.bias")) {
                // a bias right before a training-mode BatchNorm is cancelled by the mean: its gradient is 0
                assertTrue(num.amaxNumber().doubleValue() < 1e-9 && grad.view(i).amaxNumber().doubleValue() < 1e-12,
                        "∂L/∂0.bias = 0: numeric " + num + ", analytic " + grad.view(i));
            } else {
                assertClose(num, grad.view(i), 1e-7, "∂L/∂" + name);
            }
        }
    }

    @Test
    void jsonRoundTripDefaultsAndClearErrors() throws Exception {
        Layer l = Layers.fromJson(JSON.readTree("{\"type\": \"batchnorm2d\", \"features\": 3}"), "layers[1]");
        BatchNorm bn = (BatchNorm) l;
        assertEquals(BatchNorm.DEFAULT_EPS, bn.eps());
        assertEquals(BatchNorm.DEFAULT_MOMENTUM, bn.momentum());
        assertEquals(BatchNorm.Mode.FOLLOW_TRAINING_FLAG, bn.mode());
        assertEquals(JSON.readTree("{\"type\": \"batchnorm2d\", \"features\": 3, \"eps\": 1e-5, \"momentum\": 0.1}"), l.toJson());
        JsonNode fixtureStyle = JSON.readTree("{\"type\": \"batchnorm1d\", \"features\": 5, \"eps\": 0.001, \"momentum\": 0.3, "
                + "\"mode\": \"eval\"}");
        assertEquals(fixtureStyle, Layers.fromJson(fixtureStyle, "x").toJson());
        assertEquals(List.of("weight", "bias"), l.paramSpecs().stream().map(s -> s.name()).toList());
        assertEquals(List.of("running_mean", "running_var"), l.runningStatSpecs().stream().map(s -> s.name()).toList());
        assertArrayEquals(new long[] {3, 4, 4}, l.outputShape(new long[] {3, 4, 4}));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> l.outputShape(new long[] {3}));
        assertTrue(shape.getMessage().contains("batchnorm2d(3)") && shape.getMessage().contains("[3, H, W]"), shape.getMessage());
        for (String[] bad : new String[][] {
                {"{\"type\": \"batchnorm1d\"}", "'features'"},
                {"{\"type\": \"batchnorm1d\", \"features\": 2, \"eps\": 0}", "'eps'"},
                {"{\"type\": \"batchnorm1d\", \"features\": 2, \"eps\": \"small\"}", "'eps'"},
                {"{\"type\": \"batchnorm2d\", \"features\": 2, \"momentum\": null}", "'momentum'"},
                {"{\"type\": \"batchnorm2d\", \"features\": 2, \"momentum\": 1.5}", "'momentum'"},
                {"{\"type\": \"batchnorm2d\", \"features\": 2, \"mode\": \"test\"}", "'mode'"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Layers.fromJson(JSON.readTree(bad[0]), "layers[7]"), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains("layers[7]"), e.getMessage());
        }
        // PyTorch's initialisation: γ = 1, β = 0
        Network net = Network.build(denseBnSpec(), DataType.FLOAT);
        FlatTensor t = net.initParams(3);
        assertEquals(3.0, t.view("1.weight").sumNumber().doubleValue());
        assertEquals(0.0, t.view("1.bias").amaxNumber().doubleValue());
    }

    @Test
    void networkOwnsInitialisedBuffersAndNamesTheNormalisationParameters() {
        Network net = Network.build(denseBnSpec(), DataType.DOUBLE);
        assertTrue(net.hasRunningStats());
        assertEquals(List.of("1.running_mean", "1.running_var"), net.runningStatsLayout().specs().stream().map(s -> s.name()).toList());
        assertEquals(0.0, net.runningStats().view("1.running_mean").amaxNumber().doubleValue());
        assertEquals(3.0, net.runningStats().view("1.running_var").sumNumber().doubleValue());
        assertEquals(Set.of("1.weight", "1.bias"), net.normalizationParamNames());

        // a training evaluation updates the running statistics in place; evaluation forwards read them
        FlatTensor theta = net.initParams(1);
        INDArray x = gaussian(new SplittableRandom(2), 1, 3, 8, 4);
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
        INDArray before = net.forward(theta, x, false).dup();
        new NetworkObjective(net).setBatch(x, y).evaluate(theta, FlatTensor.zeros(net.layout(), DataType.DOUBLE), null);
        assertTrue(net.runningStats().view("1.running_mean").amaxNumber().doubleValue() > 0, "running mean moved");
        FlatTensor snapshot = net.runningStats().copy();
        INDArray after = net.forward(theta, x, false).dup();
        assertFalse(before.equalsWithEps(after, 1e-6), "evaluation uses the running statistics");

        // replace, reset, initial values
        net.resetRunningStats();
        assertEquals(net.initialRunningStats().flat(), net.runningStats().flat());
        assertEquals(before, net.forward(theta, x, false));
        net.setRunningStats(snapshot);
        assertEquals(after, net.forward(theta, x, false));
        FlatTensor wrong = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.setRunningStats(wrong));
        assertTrue(e.getMessage().contains("running-statistics layout"), e.getMessage());

        // networks without BatchNorm have none
        Network mlp = Network.build(Mlp.spec(4, new int[] {3}, 2, "relu"), DataType.DOUBLE);
        assertFalse(mlp.hasRunningStats());
        assertNull(mlp.runningStats());
        assertNull(mlp.initialRunningStats());
        assertEquals(0, mlp.runningStatsLayout().size());
        assertTrue(mlp.normalizationParamNames().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void warmTrainingAndEvaluationWithBatchNormAllocateNothing(DataType dtype) {
        NetworkSpec conv = spec(new long[] {3, 4, 4}, layer("batchnorm2d", "features", 3), layer("relu"), layer("flatten"),
                layer("linear", "in", 48, "out", 10, "bias", true), layer("batchnorm1d", "features", 10), layer("relu"),
                layer("linear", "in", 10, "out", 5, "bias", true));
        Network net = Network.build(conv, dtype);
        FlatTensor theta = net.initParams(1);
        FlatTensor grad = FlatTensor.zeros(net.layout(), dtype);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dtype);
        INDArray x = Nd4j.rand(dtype, 16, 3, 4, 4);
        int[] y = new int[16];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 5;
        }
        NetworkObjective objective = new NetworkObjective(net).setBatch(x, y);
        objective.evaluate(theta, grad, sq);
        net.forward(theta, x, false);
        assertEquals(0, AllocationProbe.allocatedBytes(() -> {
            for (int i = 0; i < 10; i++) {
                objective.evaluate(theta, grad, sq);
                objective.evaluate(theta, grad, null);
                net.forward(theta, x, false);
            }
        }));
    }
}
