package org.ngvi.curvature;

import static org.ngvi.fixtures.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * BackPACK-style check of every curvature rule against a brute-force loop over examples (a
 * batch of one each, only here in the test): ĝ = (1/B) Σᵢ ∇ℓᵢ and ĥ = (1/B) Σᵢ (∇ℓᵢ)², for
 * each dense layer type, with and without bias, both losses, on tiny random settings.
 */
class BruteForceCurvatureTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static Stream<Arguments> settings() {
        List<Arguments> a = new ArrayList<>();
        for (String loss : List.of("cross_entropy", "bce_with_logits")) {
            int k = loss.equals("cross_entropy") ? 4 : 1;
            a.add(Arguments.of("linear+bias", loss, new long[] {5}, layers(linear(5, k, true)), 7));
            a.add(Arguments.of("linear no bias", loss, new long[] {5}, layers(linear(5, k, false)), 3));
            a.add(Arguments.of("linear-relu-linear", loss, new long[] {6},
                    layers(linear(6, 8, true), type("relu"), linear(8, k, true)), 9));
            a.add(Arguments.of("linear-tanh-linear(no bias)", loss, new long[] {3},
                    layers(linear(3, 5, false), type("tanh"), linear(5, k, false)), 4));
            a.add(Arguments.of("flatten-linear-tanh-relu-linear", loss, new long[] {2, 3, 2},
                    layers(type("flatten"), linear(12, 6, true), type("tanh"), type("relu"), linear(6, k, true)), 5));
            a.add(Arguments.of("batch of one", loss, new long[] {4}, layers(linear(4, 3, true), type("relu"), linear(3, k, true)), 1));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} / {1}, B={4}")
    @MethodSource("settings")
    void matchesPerExampleLoop(String name, String loss, long[] inputShape, ArrayNode layers, int batch) {
        DataType dt = DataType.DOUBLE;
        NetworkSpec spec = new NetworkSpec(inputShape, layers, loss);
        Network net = Network.build(spec, dt);
        Network single = Network.build(spec, dt);
        SplittableRandom rng = new SplittableRandom(name.hashCode() * 31L + loss.hashCode());
        FlatTensor theta = net.initParams(rng.nextLong());
        // make the parameters larger than the default init so gradients are not tiny
        theta.flat().muli(2.0);
        long[] xShape = new long[inputShape.length + 1];
        xShape[0] = batch;
        System.arraycopy(inputShape, 0, xShape, 1, inputShape.length);
        INDArray x = Nd4j.create(dt, xShape);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, rng.nextGaussian());
        }
        int classes = net.numClasses();
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(classes);
        }

        FlatTensor grad = FlatTensor.zeros(net.layout(), dt);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dt);
        double loss0 = new NetworkObjective(net).setBatch(x, y).evaluate(theta, grad, sq);

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
    }

    private static ArrayNode layers(com.fasterxml.jackson.databind.node.ObjectNode... ls) {
        ArrayNode a = F.arrayNode();
        for (var l : ls) {
            a.add(l);
        }
        return a;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode linear(int in, int out, boolean bias) {
        return F.objectNode().put("type", "linear").put("in", in).put("out", out).put("bias", bias);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode type(String t) {
        return F.objectNode().put("type", t);
    }
}
