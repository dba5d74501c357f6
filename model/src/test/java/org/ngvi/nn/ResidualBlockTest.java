package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.nn.arch.LayerJson.array;
import static org.ngvi.nn.arch.LayerJson.bn1d;
import static org.ngvi.nn.arch.LayerJson.bn2d;
import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.of;
import static org.ngvi.nn.arch.LayerJson.residual;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamSpec;

class ResidualBlockTest {
    /** conv → bn → relu → [identity block] → [projection block, stride 2] → flatten → linear, BatchNorm following the training flag. */
    private static NetworkSpec convNet() {
        ArrayNode layers = array(conv(2, 3, 3, 1, 1, true), bn2d(3), of("relu"),
                residual(array(conv(3, 3, 3, 1, 1, false), bn2d(3), of("relu"), conv(3, 3, 3, 1, 1, false), bn2d(3)), null),
                residual(array(conv(3, 4, 3, 2, 1, false), bn2d(4), of("relu"), conv(4, 4, 3, 1, 1, false), bn2d(4)),
                        array(conv(3, 4, 1, 2, 0, false), bn2d(4))),
                of("flatten"), linear(36, 3));
        return new NetworkSpec(new long[] {2, 5, 5}, layers, "cross_entropy");
    }

    private static NetworkSpec denseNet() {
        ArrayNode layers = array(linear(4, 5), of("tanh"),
                residual(array(linear(5, 3), bn1d(3), of("relu"), linear(3, 3), bn1d(3)), array(linear(5, 3), bn1d(3))),
                residual(array(linear(3, 3), of("relu"), linear(3, 3)), null), linear(3, 3));
        return new NetworkSpec(new long[] {4}, layers, "cross_entropy");
    }

    /**
     * Central finite differences of the mean loss (training mode: BatchNorm with batch
     * statistics, so the derivative runs through them) against the backward pass, for every
     * parameter, float64.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dense", "conv"})
    void gradientMatchesFiniteDifferences(String kind) {
        NetworkSpec spec = kind.equals("dense") ? denseNet() : convNet();
        DataType dt = DataType.DOUBLE;
        Network net = Network.build(spec, dt);
        SplittableRandom rng = new SplittableRandom(5);
        FlatTensor theta = net.initParams(3);
        DenseAccess t = DenseAccess.of(theta.flat());
        for (int i = 0; i < t.length(); i++) {
            t.set(i, t.get(i) * 1.5 + 0.1 * rng.nextGaussian());
        }
        int batch = 5;
        long[] shape = kind.equals("dense") ? new long[] {batch, 4} : new long[] {batch, 2, 5, 5};
        INDArray x = Nd4j.create(dt, shape);
        DenseAccess xa = DenseAccess.of(x);
        for (int i = 0; i < xa.length(); i++) {
            xa.set(i, rng.nextGaussian());
        }
        int[] y = {0, 2, 1, 1, 0};
        FlatTensor grad = FlatTensor.zeros(net.layout(), dt);
        FlatTensor scratchGrad = FlatTensor.zeros(net.layout(), dt);
        net.lossAndGradient(theta, x, y, grad, null);
        DenseAccess g = DenseAccess.of(grad.flat());
        double h = 1e-6;
        double maxErr = 0;
        double maxG = 0;
        for (int i = 0; i < t.length(); i++) {
            double v = t.get(i);
            t.set(i, v + h);
            double lp = net.lossAndGradient(theta, x, y, scratchGrad, null);
            t.set(i, v - h);
            double lm = net.lossAndGradient(theta, x, y, scratchGrad, null);
            t.set(i, v);
            double fd = (lp - lm) / (2 * h);
            maxErr = Math.max(maxErr, Math.abs(fd - g.get(i)));
            maxG = Math.max(maxG, Math.abs(g.get(i)));
        }
        assertTrue(maxG > 1e-3, "gradient not trivially zero");
        assertTrue(maxErr <= 1e-6 * Math.max(1, maxG), kind + ": max |finite difference − backward| = " + maxErr + " (max |g| " + maxG + ")");
    }

    @Test
    void parametersAndBuffersAreNamedPerSubLayer() {
        Network net = Network.build(convNet(), DataType.FLOAT);
        List<String> names = net.layout().specs().stream().map(ParamSpec::name).toList();
        assertTrue(names.containsAll(List.of("3.body.0.weight", "3.body.1.weight", "3.body.1.bias", "3.body.3.weight",
                "4.body.0.weight", "4.shortcut.0.weight", "4.shortcut.1.weight", "4.shortcut.1.bias", "6.weight")), names.toString());
        assertTrue(!names.contains("3.body.0.bias"), "conv without bias has no bias");
        List<String> buffers = net.runningStatsLayout().specs().stream().map(ParamSpec::name).toList();
        assertTrue(buffers.containsAll(List.of("1.running_mean", "3.body.1.running_mean", "3.body.4.running_var",
                "4.shortcut.1.running_var")), buffers.toString());
        assertTrue(net.normalizationParamNames().containsAll(List.of("3.body.1.weight", "4.shortcut.1.bias")));
        assertTrue(!net.normalizationParamNames().contains("4.shortcut.0.weight"));
        // buffers start at PyTorch's values: running mean 0, running variance 1
        assertEquals(1.0, net.runningStats().view("4.shortcut.1.running_var").getDouble(0), 0);
        assertEquals(0.0, net.runningStats().view("3.body.1.running_mean").getDouble(2), 0);
    }

    @Test
    void trainingForwardUpdatesTheSubLayersRunningStatistics() {
        Network net = Network.build(convNet(), DataType.DOUBLE);
        FlatTensor before = net.runningStats().copy();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2, 5, 5);
        net.forward(net.initParams(1), x, false);
        assertEquals(before.flat(), net.runningStats().flat(), "an evaluation forward leaves the running statistics alone");
        net.forward(net.initParams(1), x, true);
        assertNotEquals(before.view("4.shortcut.1.running_mean"), net.runningStats().view("4.shortcut.1.running_mean"));
        assertNotEquals(before.view("3.body.4.running_var"), net.runningStats().view("3.body.4.running_var"));
    }

    @Test
    void jsonRoundTripAndShapes() {
        ObjectNode json = residual(array(linear(5, 3), of("relu"), linear(3, 3)), array(linear(5, 3)));
        Layer l = Layers.fromJson(json, "test");
        assertEquals(json, l.toJson());
        assertArrayEquals(new long[] {3}, l.outputShape(new long[] {5}));
        ObjectNode identity = residual(array(linear(3, 3)), null);
        assertEquals(identity, Layers.fromJson(identity, "t").toJson());
        ObjectNode emptyShortcut = residual(array(linear(3, 3)), array());
        assertTrue(((ResidualBlock) Layers.fromJson(emptyShortcut, "t")).identityShortcut());
    }

    @Test
    void badBlocksAreClearErrors() {
        IllegalArgumentException noBody = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(of("residual"), "layers[3]"));
        assertTrue(noBody.getMessage().contains("layers[3]") && noBody.getMessage().contains("'body'"), noBody.getMessage());
        IllegalArgumentException badSub = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(residual(array(linear(3, 3), of("nope")), null), "layers[1]"));
        assertTrue(badSub.getMessage().contains("layers[1].body[1]") && badSub.getMessage().contains("nope"), badSub.getMessage());
        Layer mismatch = Layers.fromJson(residual(array(linear(5, 3)), null), "x");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> mismatch.outputShape(new long[] {5}));
        assertTrue(shape.getMessage().contains("[3]") && shape.getMessage().contains("[5]"), shape.getMessage());
    }

    /** Once warm, a training evaluation with curvature through residual blocks allocates no ND4J memory. */
    @Test
    void warmEvaluationAllocatesNothing() {
        for (NetworkSpec spec : List.of(convNet(), denseNet())) {
            Network net = Network.build(spec, DataType.FLOAT);
            FlatTensor theta = net.initParams(1);
            FlatTensor grad = FlatTensor.zeros(net.layout(), DataType.FLOAT);
            FlatTensor sq = FlatTensor.zeros(net.layout(), DataType.FLOAT);
            long[] in = net.inputShape();
            long[] shape = new long[in.length + 1];
            shape[0] = 6;
            System.arraycopy(in, 0, shape, 1, in.length);
            INDArray x = Nd4j.rand(DataType.FLOAT, shape);
            NetworkObjective o = new NetworkObjective(net).setBatch(x, new int[] {0, 1, 2, 0, 1, 2});
            o.evaluate(theta, grad, sq);
            assertEquals(0, AllocationProbe.allocatedBytes(() -> {
                for (int i = 0; i < 5; i++) {
                    o.evaluate(theta, grad, sq);
                    net.forward(theta, x, false);
                }
            }), spec.toString());
        }
    }
}
