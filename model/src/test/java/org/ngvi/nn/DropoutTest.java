package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.CurvatureRegistry;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.tensor.FlatTensor;

/** Inverted dropout: forward, backward, reproducible seeding, MC (eval-mode) sampling. */
class DropoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonRoundTripAndClearErrors() throws Exception {
        Layer l = Layers.fromJson(JSON.readTree("{\"type\":\"dropout\",\"p\":0.25}"), "layers[2]");
        assertEquals(JSON.readTree("{\"type\":\"dropout\",\"p\":0.25}"), l.toJson());
        assertEquals(0.25, ((Dropout) l).p());
        assertTrue(l.paramSpecs().isEmpty());
        assertNull(CurvatureRegistry.standard().ruleFor(l), "parameterless: no curvature rule needed");
        for (String bad : List.of("{\"type\":\"dropout\"}", "{\"type\":\"dropout\",\"p\":1}", "{\"type\":\"dropout\",\"p\":-0.1}",
                "{\"type\":\"dropout\",\"p\":\"half\"}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Layers.fromJson(JSON.readTree(bad), "layers[2]"));
            assertTrue(e.getMessage().contains("'p'") && e.getMessage().contains("layers[2]")
                    && e.getMessage().contains("[0, 1)"), e.getMessage());
        }
    }

    @Test
    void trainingDropsAFractionPAndScalesTheRestEvalIsIdentity() {
        Dropout d = new Dropout(0.3);
        int b = 200;
        int n = 500;
        INDArray x = Nd4j.rand(DataType.DOUBLE, b, n).addi(0.5); // all > 0, so a zero output means dropped
        INDArray y = Nd4j.create(DataType.DOUBLE, b, n);
        Object s = d.scratch(b, new long[] {n}, DataType.DOUBLE);
        d.reseed(s, 42, false);
        d.forward(x, List.of(), y, s, true);
        double[] xs = x.data().asDouble();
        double[] ys = y.data().asDouble();
        int dropped = 0;
        for (int i = 0; i < xs.length; i++) {
            if (ys[i] == 0) {
                dropped++;
            } else {
                assertEquals(xs[i] / 0.7, ys[i], 1e-12, "kept elements are scaled by 1/(1-p)");
            }
        }
        // Bernoulli(0.3) over 100,000 elements: sd of the fraction is 0.00145; 5 sd
        assertEquals(0.3, dropped / (double) xs.length, 0.0073);
        d.forward(x, List.of(), y, s, false);
        assertEquals(x, y, "eval mode is the identity");
        Dropout none = new Dropout(0);
        none.forward(x, List.of(), y, none.scratch(b, new long[] {n}, DataType.DOUBLE), true);
        assertEquals(x, y, "p = 0 is the identity in training too");
    }

    @Test
    void backwardMasksTheDeltasWithTheForwardMask() {
        Dropout d = new Dropout(0.5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 5).addi(0.1f);
        INDArray y = Nd4j.create(DataType.FLOAT, 8, 3, 5);
        INDArray gOut = Nd4j.rand(DataType.FLOAT, 8, 3, 5).subi(0.5f);
        INDArray gIn = Nd4j.create(DataType.FLOAT, 8, 3, 5);
        Object s = d.scratch(8, new long[] {3, 5}, DataType.FLOAT);
        d.reseed(s, 7, false);
        d.forward(x, List.of(), y, s, true);
        d.backward(x, y, gOut, List.of(), gIn, List.of(), s);
        float[] ys = y.data().asFloat();
        float[] go = gOut.data().asFloat();
        float[] gi = gIn.data().asFloat();
        for (int i = 0; i < ys.length; i++) {
            assertEquals(ys[i] == 0 ? 0f : go[i] * 2f, gi[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void gradientOfANetworkWithDropoutMatchesFiniteDifferencesUnderAFixedMask() {
        NetworkSpec spec = Mlp.spec(4, new int[] {6, 5}, 3, "tanh", 0.4);
        Network net = Network.build(spec, DataType.DOUBLE);
        assertEquals(List.of("linear", "tanh", "dropout", "linear", "tanh", "dropout", "linear"),
                net.layers().stream().map(Layer::type).toList());
        FlatTensor p = net.initParams(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 4).subi(0.5).muli(3);
        int[] labels = {0, 1, 2, 1, 0, 2, 2};
        FlatTensor g = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        net.reseedNoise(99, false);
        double loss = net.lossAndGradient(p, x, labels, g, null);
        net.reseedNoise(99, false);
        assertEquals(loss, net.lossAndGradient(p, x, labels, FlatTensor.zeros(net.layout(), DataType.DOUBLE), null), 0.0,
                "the same seed gives the same masks");
        FlatTensor q = p.copy();
        FlatTensor scratch = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        for (long i = 0; i < p.flat().length(); i++) {
            double v = p.flat().getDouble(i);
            double eps = 1e-6;
            q.flat().putScalar(i, v + eps);
            net.reseedNoise(99, false);
            double up = net.lossAndGradient(q, x, labels, scratch, null);
            q.flat().putScalar(i, v - eps);
            net.reseedNoise(99, false);
            double down = net.lossAndGradient(q, x, labels, scratch, null);
            q.flat().putScalar(i, v);
            assertEquals((up - down) / (2 * eps), g.flat().getDouble(i), 1e-7, "parameter " + i);
        }
        // with curvature: dropout needs no rule and the squared gradients are finite
        FlatTensor sq = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        net.reseedNoise(99, false);
        new NetworkObjective(net).setBatch(x, labels).evaluate(p, g, sq);
        assertTrue(sq.flat().minNumber().doubleValue() >= 0 && Double.isFinite(sq.flat().sumNumber().doubleValue()));
    }

    @Test
    void streamsAreReproducibleFromTheSeedAndContinueWithoutAReseed() {
        Network net = Network.build(Mlp.spec(10, new int[] {50}, 2, "relu", 0.5), DataType.DOUBLE);
        FlatTensor p = net.initParams(1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 10);
        net.reseedNoise(3, false);
        INDArray a = net.forward(p, x, true).dup();
        INDArray a2 = net.forward(p, x, true).dup();
        net.reseedNoise(3, false);
        assertEquals(a, net.forward(p, x, true).dup(), "same seed, same masks");
        assertEquals(a2, net.forward(p, x, true).dup(), "and the same continuation");
        assertFalse(a.equals(a2), "the stream continues between passes");
        net.reseedNoise(4, false);
        assertFalse(a.equals(net.forward(p, x, true).dup()), "another seed, other masks");
        INDArray eval = net.forward(p, x, false).dup();
        assertEquals(eval, net.forward(p, x, false).dup(), "eval passes are deterministic");
        // a new batch size restarts the streams at the last seed
        net.reseedNoise(3, false);
        net.forward(p, Nd4j.rand(DataType.DOUBLE, 2, 10), true);
        assertEquals(a, net.forward(p, x, true).dup());
    }

    @Test
    void aFixedMaskReplacesTheDrawnOneInTrainingUntilTheNextReseed() throws Exception {
        NetworkSpec spec = new NetworkSpec(new long[] {4},
                (com.fasterxml.jackson.databind.node.ArrayNode) JSON.readTree("[{\"type\":\"dropout\",\"p\":0.5}]"), "cross_entropy");
        Network net = Network.build(spec, DataType.DOUBLE);
        Network drawn = Network.build(spec, DataType.DOUBLE);
        FlatTensor p = net.initParams(0);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4).addi(0.5);
        boolean[] keep = {true, false, false, true, true, true, false, false, false, true, false, true};
        net.fixDropoutMask(0, keep);
        for (int pass = 0; pass < 2; pass++) {
            INDArray y = net.forward(p, x, true);
            for (int i = 0; i < keep.length; i++) {
                assertEquals(keep[i] ? 2 * x.getDouble(i / 4, i % 4) : 0.0, y.getDouble(i / 4, i % 4), 1e-15, "pass " + pass + " element " + i);
            }
        }
        assertEquals(x, net.forward(p, x, false).dup(), "eval passes stay the identity");
        net.reseedNoise(5, false);
        drawn.reseedNoise(5, false);
        assertEquals(drawn.forward(p, x, true).dup(), net.forward(p, x, true).dup(), "after a reseed the mask is drawn again");
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class, () -> net.fixDropoutMask(0, new boolean[6]));
        assertTrue(partial.getMessage().contains("not a whole batch"), partial.getMessage());
        IllegalArgumentException notDropout = assertThrows(IllegalArgumentException.class, () -> net.fixDropoutMask(1, keep));
        assertTrue(notDropout.getMessage().contains("not dropout"), notDropout.getMessage());
    }

    @Test
    void mcModeSharesOneMaskOverTheBatchAndKeepsBatchesIndependent() {
        Network net = Network.build(Mlp.spec(10, new int[] {40}, 3, "relu", 0.5), DataType.DOUBLE);
        FlatTensor p = net.initParams(2);
        INDArray row = Nd4j.rand(DataType.DOUBLE, 1, 10);
        INDArray same = Nd4j.concat(0, row, row, row);
        net.reseedNoise(11, true);
        INDArray y = net.forward(p, same, false).dup();
        assertEquals(y.getRow(0), y.getRow(1));
        assertEquals(y.getRow(0), y.getRow(2));
        net.reseedNoise(11, false);
        INDArray det = net.forward(p, row, false).dup();
        assertFalse(det.getRow(0).equals(y.getRow(0)), "the MC pass dropped units");
        // the same seed gives a row the same mask in a batch of another size and position
        INDArray other = Nd4j.concat(0, Nd4j.rand(DataType.DOUBLE, 4, 10), row);
        net.reseedNoise(11, true);
        INDArray z = net.forward(p, other, false).dup();
        assertTrue(y.getRow(0).equalsWithEps(z.getRow(4), 1e-14));
    }

    @Test
    void warmTrainingStepWithDropoutAllocatesNothing() {
        Network net = Network.build(Mlp.spec(64, new int[] {32}, 5, "relu", 0.5), DataType.FLOAT);
        FlatTensor theta = net.initParams(1);
        FlatTensor grad = FlatTensor.zeros(net.layout(), DataType.FLOAT);
        FlatTensor sq = FlatTensor.zeros(net.layout(), DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 64);
        int[] y = new int[16];
        NetworkObjective objective = new NetworkObjective(net).setBatch(x, y);
        objective.evaluate(theta, grad, sq);
        assertEquals(0, AllocationProbe.allocatedBytes(() -> {
            for (int i = 0; i < 10; i++) {
                net.reseedNoise(i, false);
                objective.evaluate(theta, grad, sq);
            }
        }));
    }
}
