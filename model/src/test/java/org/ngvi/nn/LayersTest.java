package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.tensor.FlatTensor;

class LayersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void registryBuildsEveryDenseTypeAndRoundTripsJson() throws Exception {
        for (String s : List.of("{\"type\":\"linear\",\"in\":4,\"out\":3,\"bias\":false}", "{\"type\":\"relu\"}",
                "{\"type\":\"tanh\"}", "{\"type\":\"flatten\"}")) {
            Layer l = Layers.fromJson(json(s), "layers[0]");
            assertEquals(json(s), l.toJson());
            assertEquals(json(s).get("type").asText(), l.type());
        }
        Linear lin = (Linear) Layers.fromJson(json("{\"type\":\"linear\",\"in\":4,\"out\":3,\"bias\":true}"), "x");
        assertEquals(2, lin.paramSpecs().size());
        assertArrayEquals(new long[] {3, 4}, lin.paramSpecs().get(0).shape());
    }

    @Test
    void unknownTypeNamesTypeAndPlace() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"lstm\",\"hidden\":1}"), "layers[3]"));
        assertTrue(e.getMessage().contains("lstm") && e.getMessage().contains("layers[3]"), e.getMessage());
    }

    @Test
    void missingOrInvalidFieldsAreNamed() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"linear\",\"in\":4,\"bias\":true}"), "layers[0]"));
        assertTrue(missing.getMessage().contains("'out'") && missing.getMessage().contains("layers[0]"), missing.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"linear\",\"in\":-4,\"out\":2,\"bias\":true}"), "layers[1]"));
        assertTrue(negative.getMessage().contains("'in'"), negative.getMessage());
        IllegalArgumentException badBias = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"linear\",\"in\":4,\"out\":2,\"bias\":\"yes\"}"), "layers[2]"));
        assertTrue(badBias.getMessage().contains("'bias'"), badBias.getMessage());
        IllegalArgumentException noType = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"in\":4}"), "layers[5]"));
        assertTrue(noType.getMessage().contains("'type'") && noType.getMessage().contains("layers[5]"), noType.getMessage());
    }

    @Test
    void lossRegistry() {
        assertInstanceOf(SoftmaxCrossEntropy.class, Losses.byName("cross_entropy"));
        assertInstanceOf(SigmoidBinaryCrossEntropy.class, Losses.byName("bce_with_logits"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("mse"));
        assertTrue(e.getMessage().contains("mse"));
    }

    @Test
    void mlpSpecs() {
        NetworkSpec spec = Mlp.spec(784, new int[] {400, 400}, 10, "relu");
        Network net = Network.build(spec, DataType.FLOAT);
        assertEquals(List.of("linear", "relu", "linear", "relu", "linear"), net.layers().stream().map(Layer::type).toList());
        assertEquals(784L * 400 + 400 + 400L * 400 + 400 + 400L * 10 + 10, net.layout().totalSize());
        assertEquals(10, net.numClasses());
        assertEquals("cross_entropy", net.loss().name());
        Network bin = Network.build(Mlp.binarySpec(5, new int[] {7}, "tanh"), DataType.DOUBLE);
        assertEquals(2, bin.numClasses());
        assertEquals("bce_with_logits", bin.loss().name());
        assertEquals(List.of("linear", "tanh", "linear"), bin.layers().stream().map(Layer::type).toList());
        assertThrows(IllegalArgumentException.class, () -> Mlp.spec(4, new int[] {3}, 2, "sigmoid"));
        assertEquals(spec, NetworkSpec.fromJson(spec.toJson()));
    }

    @Test
    void linearInitIsUniformWithinPyTorchBound() {
        Network net = Network.build(Mlp.spec(100, new int[] {50}, 3, "relu"), DataType.DOUBLE);
        FlatTensor p = net.initParams(7);
        double bound0 = 1 / Math.sqrt(100);
        INDArray w0 = p.view("0.weight");
        assertTrue(w0.amaxNumber().doubleValue() <= bound0);
        assertTrue(w0.amaxNumber().doubleValue() > 0.95 * bound0, "spread over the whole interval");
        assertEquals(0.0, w0.meanNumber().doubleValue(), 0.05 * bound0);
        // variance of U(-a, a) is a²/3
        assertEquals(bound0 * bound0 / 3, w0.varNumber().doubleValue(), 0.1 * bound0 * bound0 / 3);
        assertTrue(p.view("2.bias").amaxNumber().doubleValue() <= 1 / Math.sqrt(50));
        assertTrue(p.view("0.bias").amaxNumber().doubleValue() > 0, "bias initialised too");
        assertEquals(p.flat(), net.initParams(7).flat(), "same seed, same parameters");
    }

    @Test
    void denseForwardBackwardMatchExplicitFormulas() {
        Network net = Network.build(Mlp.spec(3, new int[] {4}, 2, "tanh"), DataType.DOUBLE);
        FlatTensor p = net.initParams(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5);
        INDArray w0 = p.view("0.weight"), b0 = p.view("0.bias"), w2 = p.view("2.weight"), b2 = p.view("2.bias");
        INDArray h = org.nd4j.linalg.ops.transforms.Transforms.tanh(x.mmul(w0.transpose()).addRowVector(b0), true);
        INDArray z = h.mmul(w2.transpose()).addRowVector(b2);
        assertTrue(z.equalsWithEps(net.forward(p, x, false), 1e-12));
        // gradient of the mean loss by finite differences
        int[] y = {0, 1, 1, 0, 1};
        FlatTensor g = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        net.lossAndGradient(p, x, y, g, null);
        FlatTensor q = p.copy();
        for (long i = 0; i < p.flat().length(); i++) {
            double v = p.flat().getDouble(i), eps = 1e-6;
            q.flat().putScalar(i, v + eps);
            double up = net.lossAndGradient(q, x, y, FlatTensor.zeros(net.layout(), DataType.DOUBLE), null);
            q.flat().putScalar(i, v - eps);
            double down = net.lossAndGradient(q, x, y, FlatTensor.zeros(net.layout(), DataType.DOUBLE), null);
            q.flat().putScalar(i, v);
            assertEquals((up - down) / (2 * eps), g.flat().getDouble(i), 1e-8, "parameter " + i);
        }
    }

    @Test
    void flattenIsARowMajorReshape() {
        Flatten f = new Flatten();
        assertArrayEquals(new long[] {24}, f.outputShape(new long[] {2, 3, 4}));
        INDArray in = Nd4j.arange(48).castTo(DataType.FLOAT).reshape(2, 2, 3, 4);
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 24);
        f.forward(in, List.of(), out, null, true);
        assertEquals(in.reshape(2, 24), out);
        INDArray back = Nd4j.create(DataType.FLOAT, 2, 2, 3, 4);
        f.backward(in, out, out, List.of(), back, List.of(), null);
        assertEquals(in, back);
    }

    @Test
    void activationsOnNonContiguousInput() {
        INDArray base = Nd4j.rand(DataType.DOUBLE, 4, 6).subi(0.5);
        INDArray view = base.transpose(); // [6,4], 'f'-like strides
        INDArray out = Nd4j.create(DataType.DOUBLE, 6, 4);
        new Relu().forward(view, List.of(), out, null, false);
        assertEquals(org.nd4j.linalg.ops.transforms.Transforms.relu(view, true), out);
        new Tanh().forward(view, List.of(), out, null, false);
        assertTrue(org.nd4j.linalg.ops.transforms.Transforms.tanh(view, true).equalsWithEps(out, 1e-15));
    }

    @Test
    void crossEntropyIsStableAndMatchesDefinition() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {1000, 0, -1000}});
        INDArray d = Nd4j.create(DataType.DOUBLE, 2, 3);
        double l = ce.lossAndDelta(z, new int[] {0, 1}, d);
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        double l1 = 1000; // log-sum-exp ≈ 1000, minus z = 0
        assertEquals((l0 + l1) / 2, l, 1e-12);
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / s - 1, Math.exp(2) / s, Math.exp(3) / s}, d.getRow(0).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {1, -1, 0}, d.getRow(1).toDoubleVector(), 1e-15);
        INDArray p = Nd4j.create(DataType.DOUBLE, 2, 3);
        ce.probabilities(z, p);
        assertArrayEquals(new double[] {1, 0, 0}, p.getRow(1).toDoubleVector(), 1e-15);
        assertEquals(1.0, p.getRow(0).sumNumber().doubleValue(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ce.lossAndDelta(z, new int[] {0, 3}, d));
    }

    @Test
    void bceMatchesTheFixtureFormAndIsStable() {
        SigmoidBinaryCrossEntropy bce = new SigmoidBinaryCrossEntropy();
        double[] zs = {-800, -2, 0, 0.5, 800};
        int[] y = {1, 0, 1, 1, 0};
        INDArray z = Nd4j.createFromArray(zs).reshape(5, 1);
        INDArray d = Nd4j.create(DataType.DOUBLE, 5, 1);
        double l = bce.lossAndDelta(z, y, d);
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            double sig = 1 / (1 + Math.exp(-zs[i]));
            double li = Math.abs(zs[i]) > 100 ? (y[i] == 1 ? -zs[i] : zs[i]) : -(y[i] * Math.log(sig) + (1 - y[i]) * Math.log(1 - sig));
            expected += li / 5;
            assertEquals(sig - y[i], d.getDouble(i, 0), 1e-15);
        }
        assertEquals(expected, l, 1e-12);
        INDArray p = Nd4j.create(DataType.DOUBLE, 5, 2);
        bce.probabilities(z, p);
        assertEquals(1 / (1 + Math.exp(-0.5)), p.getDouble(3, 1), 1e-15);
        assertEquals(1 - 1 / (1 + Math.exp(-0.5)), p.getDouble(3, 0), 1e-15);
        assertEquals(1.0, p.getDouble(0, 0), 0);
        assertEquals(2, bce.numClasses(1));
        assertThrows(IllegalArgumentException.class, () -> bce.numClasses(2));
    }
}
