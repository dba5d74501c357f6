package org.ngvi.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.fixtures.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ngvi.nn.ConvEngine;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * The conv2d curvature rule (and the conv/pool layers' backward passes) against brute force,
 * in float64: ĝ = (1/B) Σᵢ ∇ℓᵢ and ĥ = (1/B) Σᵢ (∇ℓᵢ)² from a loop over the examples (a batch of
 * one each, only here in the test), and ĝ against central finite differences of the mean loss.
 * Settings cover bias / no bias, stride, padding, non-square kernels, both losses and networks
 * with max, average and global average pools.
 */
class ConvBruteForceCurvatureTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static Stream<Arguments> settings() {
        List<Arguments> a = new ArrayList<>();
        a.add(Arguments.of("conv+bias k3 p1", "cross_entropy", new long[] {2, 5, 5},
                layers(conv(2, 3, 3, 3, 1, 1, 1, 1, true), type("relu"), type("flatten"), linear(75, 4)), 5));
        a.add(Arguments.of("conv no bias k3 p0", "cross_entropy", new long[] {2, 6, 6},
                layers(conv(2, 2, 3, 3, 1, 1, 0, 0, false), type("tanh"), type("flatten"), linear(32, 3)), 4));
        a.add(Arguments.of("conv k5 stride 2", "cross_entropy", new long[] {1, 9, 9},
                layers(conv(1, 2, 5, 5, 2, 2, 0, 0, true), type("relu"), type("flatten"), linear(18, 3)), 3));
        a.add(Arguments.of("conv non-square kernel, stride [2,1], padding [1,2]", "cross_entropy", new long[] {3, 7, 6},
                layers(conv(3, 4, 3, 2, 2, 1, 1, 2, true), type("tanh"), type("flatten"), linear(4 * 4 * 9, 3)), 4));
        a.add(Arguments.of("conv stride > kernel, bce", "bce_with_logits", new long[] {2, 7, 7},
                layers(conv(2, 3, 2, 2, 3, 3, 0, 0, true), type("tanh"), type("flatten"), linear(12, 1)), 6));
        a.add(Arguments.of("two convs + max pools (LeNet-like)", "cross_entropy", new long[] {1, 12, 12},
                layers(conv(1, 3, 3, 3, 1, 1, 1, 1, true), type("relu"), pool("maxpool2d", 2, 2),
                        conv(3, 4, 3, 3, 1, 1, 0, 0, true), type("relu"), pool("maxpool2d", 2, 2),
                        type("flatten"), linear(16, 8), type("relu"), linear(8, 3)), 4));
        a.add(Arguments.of("overlapping max pool + avg pool + global avg pool", "cross_entropy", new long[] {2, 9, 8},
                layers(conv(2, 3, 3, 2, 1, 1, 1, 0, true), type("tanh"), pool("maxpool2d", 3, 2),
                        conv(3, 4, 2, 2, 1, 1, 1, 1, false), type("tanh"), pool("avgpool2d", 2, 1),
                        type("global_avgpool2d"), linear(4, 3)), 5));
        a.add(Arguments.of("batch of one", "cross_entropy", new long[] {2, 5, 4},
                layers(conv(2, 2, 3, 2, 1, 2, 1, 1, true), type("relu"), type("flatten"), linear(2 * 5 * 3, 3)), 1));
        return a.stream();
    }

    /** Every setting with each convolution engine. */
    static Stream<Arguments> settingsAndEngines() {
        return settings().flatMap(a -> Stream.of(ConvEngine.values()).map(e -> {
            Object[] v = a.get();
            return Arguments.of(v[0], v[1], v[2], v[3], v[4], e);
        }));
    }

    @ParameterizedTest(name = "{0} / {1}, B={4}, {5}")
    @MethodSource("settingsAndEngines")
    void matchesPerExampleLoopAndFiniteDifferences(String name, String loss, long[] inputShape, ArrayNode layers, int batch,
                                                   ConvEngine engine) {
        String before = System.getProperty(ConvEngine.PROPERTY);
        System.setProperty(ConvEngine.PROPERTY, engine.name().toLowerCase(java.util.Locale.ROOT));
        try {
            check(name, loss, inputShape, layers, batch);
        } finally {
            if (before == null) {
                System.clearProperty(ConvEngine.PROPERTY);
            } else {
                System.setProperty(ConvEngine.PROPERTY, before);
            }
        }
    }

    private static void check(String name, String loss, long[] inputShape, ArrayNode layers, int batch) {
        DataType dt = DataType.DOUBLE;
        NetworkSpec spec = new NetworkSpec(inputShape, layers, loss);
        Network net = Network.build(spec, dt);
        Network single = Network.build(spec, dt);
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        FlatTensor theta = net.initParams(rng.nextLong());
        theta.flat().muli(2.0); // larger than the default init, so gradients are not tiny
        long[] xShape = new long[inputShape.length + 1];
        xShape[0] = batch;
        System.arraycopy(inputShape, 0, xShape, 1, inputShape.length);
        INDArray x = Nd4j.create(dt, xShape);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, rng.nextGaussian());
        }
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(net.numClasses());
        }

        FlatTensor grad = FlatTensor.zeros(net.layout(), dt);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dt);
        grad.flat().assign(Double.NaN);
        sq.flat().assign(Double.NaN);
        NetworkObjective objective = new NetworkObjective(net).setBatch(x, y);
        double loss0 = objective.evaluate(theta, grad, sq);

        FlatTensor gSum = FlatTensor.zeros(net.layout(), dt);
        FlatTensor sqSum = FlatTensor.zeros(net.layout(), dt);
        FlatTensor gi = FlatTensor.zeros(net.layout(), dt);
        double lossSum = 0;
        for (int i = 0; i < batch; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1)).dup();
            lossSum += single.lossAndGradient(theta, xi, new int[] {y[i]}, gi, null);
            gSum.flat().addi(gi.flat());
            sqSum.flat().addi(gi.flat().mul(gi.flat()));
        }
        assertClose(lossSum / batch, loss0, 1e-12, name + " loss");
        for (int p = 0; p < net.layout().size(); p++) {
            String pn = net.layout().spec(p).name();
            assertClose(gSum.view(p).div(batch), grad.view(p), 1e-10, name + " ĝ " + pn);
            assertClose(sqSum.view(p).div(batch), sq.view(p), 1e-10, name + " ĥ " + pn);
        }

        // ĝ against central differences of L (every parameter; the nets are tiny)
        FlatTensor q = theta.copy();
        FlatTensor scratchGrad = FlatTensor.zeros(net.layout(), dt);
        double eps = 1e-6;
        INDArray fd = Nd4j.create(dt, theta.flat().length());
        for (long i = 0; i < theta.flat().length(); i++) {
            double v = theta.flat().getDouble(i);
            q.flat().putScalar(i, v + eps);
            double up = net.lossAndGradient(q, x, y, scratchGrad, null);
            q.flat().putScalar(i, v - eps);
            double down = net.lossAndGradient(q, x, y, scratchGrad, null);
            q.flat().putScalar(i, v);
            fd.putScalar(i, (up - down) / (2 * eps));
        }
        assertClose(fd, grad.flat(), 1e-6, name + " ĝ vs finite differences");
    }

    /** The bias entry is the square of the per-example sum over positions, not the sum of squares. */
    @Test
    void biasCurvatureSquaresTheSumOverPositions() {
        // a 1×1 conv 1→1 on a 2×2 image, straight into a linear readout: Δ at the conv output is linear in W_lin
        ArrayNode layers = layers(conv(1, 1, 1, 1, 1, 1, 0, 0, true), type("flatten"), linear(4, 2));
        Network net = Network.build(new NetworkSpec(new long[] {1, 2, 2}, layers, "cross_entropy"), DataType.DOUBLE);
        FlatTensor theta = net.initParams(3);
        INDArray x = Nd4j.createFromArray(0.5, -1.0, 2.0, 0.25).reshape(1, 1, 2, 2);
        FlatTensor grad = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        FlatTensor sq = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        new NetworkObjective(net).setBatch(x, new int[] {1}).evaluate(theta, grad, sq);
        double g = grad.view("0.bias").getDouble(0); // B = 1: the example's gradient
        assertEquals(g * g, sq.view("0.bias").getDouble(0), 1e-15);
        // and it differs from the sum over positions of squared deltas (the reference's approximation)
        INDArray w = theta.view("2.weight");
        INDArray z = net.forward(theta, x, true).dup();
        double[] p = softmax(z.toDoubleVector());
        p[1] -= 1;
        double sumSquares = 0;
        for (int pos = 0; pos < 4; pos++) {
            double d = p[0] * w.getDouble(0, pos) + p[1] * w.getDouble(1, pos);
            sumSquares += d * d;
        }
        assertTrue(Math.abs(sumSquares - g * g) > 1e-3 * sumSquares, "the two definitions differ here");
    }

    private static double[] softmax(double[] z) {
        double m = Math.max(z[0], z[1]);
        double a = Math.exp(z[0] - m);
        double b = Math.exp(z[1] - m);
        return new double[] {a / (a + b), b / (a + b)};
    }

    private static ArrayNode layers(ObjectNode... ls) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode l : ls) {
            a.add(l);
        }
        return a;
    }

    private static ObjectNode conv(int in, int out, int kh, int kw, int sh, int sw, int ph, int pw, boolean bias) {
        ObjectNode n = F.objectNode().put("type", "conv2d").put("in_channels", in).put("out_channels", out);
        n.putArray("kernel").add(kh).add(kw);
        n.putArray("stride").add(sh).add(sw);
        n.putArray("padding").add(ph).add(pw);
        return n.put("bias", bias);
    }

    private static ObjectNode pool(String type, int k, int s) {
        ObjectNode n = F.objectNode().put("type", type);
        n.putArray("kernel").add(k).add(k);
        n.putArray("stride").add(s).add(s);
        return n;
    }

    private static ObjectNode linear(int in, int out) {
        return F.objectNode().put("type", "linear").put("in", in).put("out", out).put("bias", true);
    }

    private static ObjectNode type(String t) {
        return F.objectNode().put("type", t);
    }
}
