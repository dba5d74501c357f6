package org.ngvi.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.metrics.EntropyDecomposition;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.tensor.FlatTensor;

/** MC dropout prediction: K stochastic passes at fixed weights, reproducible from the seed. */
class McDropoutPredictionTest {
    private static final DataType DT = DataType.DOUBLE;
    private final INDArray x = Nd4j.rand(DT, 6, 8).subi(0.5).muli(4);

    private static INDArray softmax(INDArray z) {
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(z.subColumnVector(z.max(1)), true);
        return e.divColumnVector(e.sum(1));
    }

    private static INDArray predict(McPredictor p, INDArray x, INDArray entropyOut) {
        INDArray out = Nd4j.create(DT, x.size(0), 4);
        p.predict(x, out, entropyOut);
        return out;
    }

    @Test
    void oneSampleAtZeroDropoutIsTheDeterministicForward() {
        Network net = Network.build(Mlp.spec(8, new int[] {16}, 4, "relu", 0.0), DT);
        FlatTensor w = net.initParams(3);
        INDArray expected = softmax(net.forward(w, x, false).dup());
        INDArray got = predict(McPredictor.mcDropout(net, w, 1, 9), x, null);
        assertTrue(expected.equalsWithEps(got, 1e-14), expected + "\n" + got);
        // K = 0 is the deterministic forward for any p
        Network withDropout = Network.build(Mlp.spec(8, new int[] {16}, 4, "relu", 0.5), DT);
        FlatTensor w2 = withDropout.initParams(3);
        INDArray det = softmax(withDropout.forward(w2, x, false).dup());
        assertTrue(det.equalsWithEps(predict(McPredictor.mcDropout(withDropout, w2, 0, 9), x, null), 1e-14));
    }

    @Test
    void samplesVaryAndTheirAverageIsReproducibleFromTheSeed() {
        Network net = Network.build(Mlp.spec(8, new int[] {32, 32}, 4, "relu", 0.5), DT);
        FlatTensor w = net.initParams(4);
        int k = 5;
        INDArray expectedEntropy = Nd4j.create(DT, 6);
        INDArray avg = predict(McPredictor.mcDropout(net, w, k, 21), x, expectedEntropy);

        // by hand: pass j reseeds at maskSeed(21, j) with eval-mode sampling
        INDArray manual = Nd4j.zeros(DT, 6, 4);
        INDArray[] passes = new INDArray[k];
        for (int j = 0; j < k; j++) {
            net.reseedNoise(McPredictor.maskSeed(21, j), true);
            passes[j] = softmax(net.forward(w, x, false).dup());
            manual.addi(passes[j].div(k));
        }
        assertTrue(manual.equalsWithEps(avg, 1e-13));
        assertFalse(passes[0].equalsWithEps(passes[1], 1e-6), "predictions vary across samples");
        // the mutual information is positive: the passes disagree
        double[] p = avg.reshape(24).toDoubleVector();
        double[] e = expectedEntropy.toDoubleVector();
        for (int i = 0; i < 6; i++) {
            double h = EntropyDecomposition.entropy(p, i * 4, 4);
            assertTrue(EntropyDecomposition.mutualInformation(h, e[i]) > 0, "row " + i);
        }

        Network fresh = Network.build(net.spec(), DT);
        assertEquals(avg, predict(McPredictor.mcDropout(fresh, w, k, 21), x, null), "same seed, same prediction");
        assertFalse(avg.equalsWithEps(predict(McPredictor.mcDropout(fresh, w, k, 22), x, null), 1e-6), "other seed");
        // a row's prediction does not depend on its batch
        INDArray tail = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
        INDArray part = Nd4j.create(DT, 3, 4);
        McPredictor.mcDropout(fresh, w, k, 21).predict(tail, part);
        for (int i = 0; i < 3; i++) {
            assertTrue(avg.getRow(i + 3).equalsWithEps(part.getRow(i), 1e-14), "row " + (i + 3));
        }
        // afterwards the network is back to deterministic eval passes
        INDArray once = fresh.forward(w, x, false).dup();
        assertEquals(once, fresh.forward(w, x, false).dup());
        assertTrue(softmax(once).equalsWithEps(predict(McPredictor.mcDropout(fresh, w, 0, 1), x, null), 1e-14));
    }

    @Test
    void warmMcDropoutPredictionAllocatesNothing() {
        Network net = Network.build(Mlp.spec(8, new int[] {16}, 4, "relu", 0.3), DataType.FLOAT);
        FlatTensor w = net.initParams(1);
        INDArray xf = x.castTo(DataType.FLOAT);
        McPredictor p = McPredictor.mcDropout(net, w, 4, 5);
        INDArray out = Nd4j.create(DataType.FLOAT, 6, 4);
        INDArray h = Nd4j.create(DataType.FLOAT, 6);
        p.predict(xf, out, h);
        assertEquals(0, AllocationProbe.allocatedBytes(() -> p.predict(xf, out, h)));
    }
}
