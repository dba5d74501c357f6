package org.ngvi.curvature;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.fixtures.TensorAssert.assertClose;
import static org.ngvi.nn.arch.LayerJson.array;
import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.of;
import static org.ngvi.nn.arch.LayerJson.residual;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ngvi.nn.DenseAccess;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.nn.arch.LayerJson;
import org.ngvi.tensor.FlatTensor;

/**
 * The residual block's curvature rule against a brute-force loop over examples (one
 * forward/backward per example): ĝ = (1/B) Σᵢ ∇ℓᵢ and ĥ = (1/B) Σᵢ (∇ℓᵢ)² for every parameter of
 * networks with identity and projection (1×1 conv + BatchNorm) shortcuts, in float64. BatchNorm
 * uses running statistics here ({@code "mode": "eval"}, randomised), so examples do not interact
 * and ∇ℓᵢ is well defined; layers before a block get their deltas through both branches.
 */
class ResidualCurvatureTest {
    static Stream<Arguments> settings() {
        List<Arguments> a = new ArrayList<>();
        a.add(Arguments.of("dense identity block first", new long[] {5},
                array(residual(array(linear(5, 5, true), of("relu"), linear(5, 5, true)), null), linear(5, 3, true)), 6));
        a.add(Arguments.of("dense identity block after a layer", new long[] {4},
                array(linear(4, 5, true), of("tanh"),
                        residual(array(linear(5, 5, false), bn1d(5), of("relu"), linear(5, 5, true)), null), linear(5, 3, true)), 5));
        a.add(Arguments.of("dense projection shortcut", new long[] {4},
                array(linear(4, 6, true), residual(array(linear(6, 3, true), bn1d(3), of("relu"), linear(3, 3, true), bn1d(3)),
                        array(linear(6, 3, false), bn1d(3))), linear(3, 4, true)), 7));
        a.add(Arguments.of("conv identity block", new long[] {2, 5, 5},
                array(conv(2, 3, 3, 1, 1, true), of("relu"),
                        residual(array(conv(3, 3, 3, 1, 1, false), bn2d(3), of("relu"), conv(3, 3, 3, 1, 1, false), bn2d(3)), null),
                        of("flatten"), linear(75, 3, true)), 4));
        a.add(Arguments.of("conv 1x1-conv+bn shortcut with stride 2", new long[] {2, 5, 5},
                array(conv(2, 3, 3, 1, 1, true), bn2d(3), of("relu"),
                        residual(array(conv(3, 4, 3, 2, 1, false), bn2d(4), of("relu"), conv(4, 4, 3, 1, 1, false), bn2d(4)),
                                array(conv(3, 4, 1, 2, 0, false), bn2d(4))),
                        residual(array(conv(4, 4, 3, 1, 1, false), bn2d(4), of("relu"), conv(4, 4, 3, 1, 1, false), bn2d(4)), null),
                        of("flatten"), linear(36, 3, true)), 3));
        a.add(Arguments.of("conv block as the first layer, batch of one", new long[] {3, 4, 4},
                array(residual(array(conv(3, 3, 3, 1, 1, true), of("relu"), conv(3, 3, 3, 1, 1, true)), array(conv(3, 3, 1, 1, 0, true))),
                        of("flatten"), linear(48, 2, true)), 1));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}, B={3}")
    @MethodSource("settings")
    void matchesPerExampleLoop(String name, long[] inputShape, ArrayNode layers, int batch) {
        DataType dt = DataType.DOUBLE;
        NetworkSpec spec = new NetworkSpec(inputShape, layers, "cross_entropy");
        Network net = Network.build(spec, dt);
        Network single = Network.build(spec, dt);
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        FlatTensor theta = FlatTensor.zeros(net.layout(), dt);
        fill(theta.flat(), rng, 0.6, 0);
        if (net.hasRunningStats()) {
            FlatTensor buf = net.initialRunningStats();
            for (int i = 0; i < net.runningStatsLayout().size(); i++) {
                boolean var = net.runningStatsLayout().spec(i).name().endsWith("running_var");
                fill(buf.view(i), rng, var ? 0.3 : 0.5, var ? 1.0 : 0.0);
            }
            net.setRunningStats(buf);
            single.setRunningStats(buf);
        }
        long[] xShape = new long[inputShape.length + 1];
        xShape[0] = batch;
        System.arraycopy(inputShape, 0, xShape, 1, inputShape.length);
        INDArray x = Nd4j.create(dt, xShape);
        fill(x, rng, 1, 0);
        // labels: each example's least likely class, so no example's gradient is vanishingly small
        INDArray logits = net.forward(theta, x, true);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            for (int k = 1; k < net.numClasses(); k++) {
                if (logits.getDouble(i, k) < logits.getDouble(i, y[i])) {
                    y[i] = k;
                }
            }
        }

        FlatTensor grad = FlatTensor.zeros(net.layout(), dt);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dt);
        double loss = new NetworkObjective(net).setBatch(x, y).evaluate(theta, grad, sq);

        FlatTensor gSum = FlatTensor.zeros(net.layout(), dt);
        FlatTensor sqSum = FlatTensor.zeros(net.layout(), dt);
        FlatTensor gi = FlatTensor.zeros(net.layout(), dt);
        double lossSum = 0;
        for (int i = 0; i < batch; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1)).dup('c');
            lossSum += single.lossAndGradient(theta, xi, new int[] {y[i]}, gi, null);
            gSum.flat().addi(gi.flat());
            sqSum.flat().addi(gi.flat().mul(gi.flat()));
        }
        assertClose(lossSum / batch, loss, 1e-12, name + " loss");
        double maxSq = 0;
        for (int p = 0; p < net.layout().size(); p++) {
            String pn = net.layout().spec(p).name();
            assertClose(gSum.view(p).div(batch), grad.view(p), 1e-10, name + " ĝ " + pn);
            assertClose(sqSum.view(p).div(batch), sq.view(p), 1e-10, name + " ĥ " + pn);
            maxSq = Math.max(maxSq, sq.view(p).amaxNumber().doubleValue());
        }
        assertTrue(maxSq > 1e-6, "curvature is not trivially zero");
    }

    private static void fill(INDArray a, SplittableRandom rng, double scale, double offset) {
        DenseAccess d = DenseAccess.of(a);
        for (int i = 0; i < d.length(); i++) {
            d.set(i, offset == 0 ? scale * rng.nextGaussian() : offset + scale * rng.nextDouble());
        }
    }

    /** batchnorm1d with running statistics ({@code "mode": "eval"}), so examples do not interact. */
    static ObjectNode bn1d(int f) {
        return LayerJson.bn1d(f).put("mode", "eval");
    }

    /** batchnorm2d with running statistics ({@code "mode": "eval"}). */
    static ObjectNode bn2d(int f) {
        return LayerJson.bn2d(f).put("mode", "eval");
    }
}
