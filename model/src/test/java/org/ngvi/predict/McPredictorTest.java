package org.ngvi.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.optim.NoiseSource;
import org.ngvi.tensor.FlatTensor;

class McPredictorTest {
    private static final DataType DT = DataType.DOUBLE;

    /** Reproducible standard-normal noise from (seed, step, sample). */
    private static NoiseSource gaussian(long seed) {
        return (step, sample, eps) -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + step * 7919L + sample);
            INDArray f = eps.flat();
            for (long i = 0; i < f.length(); i++) {
                f.putScalar(i, r.nextGaussian());
            }
        };
    }

    private final Network net = Network.build(Mlp.spec(4, new int[] {6}, 3, "tanh"), DT);
    private final FlatTensor mu = net.initParams(11);
    private final INDArray x = Nd4j.rand(DT, 5, 4).subi(0.5).muli(4);

    private static INDArray softmax(INDArray z) {
        INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(z.subColumnVector(z.max(1)), true);
        return e.divColumnVector(e.sum(1));
    }

    @Test
    void meanOnlyIsSoftmaxOfForward() {
        INDArray expected = softmax(net.forward(mu, x, false).dup());
        INDArray out = Nd4j.create(DT, 5, 3);
        McPredictor.meanOnly(net, mu).predict(x, out);
        assertTrue(expected.equalsWithEps(out, 1e-14), expected + "\n" + out);
    }

    @Test
    void zeroStdGivesTheMeanPredictionForAnyK() {
        INDArray ref = Nd4j.create(DT, 5, 3);
        McPredictor.meanOnly(net, mu).predict(x, ref);
        FlatTensor zero = FlatTensor.zeros(net.layout(), DT);
        for (int k : new int[] {1, 3, 8}) {
            INDArray out = Nd4j.create(DT, 5, 3);
            new McPredictor(net, mu, zero, k, gaussian(1), 0).predict(x, out);
            assertTrue(ref.equalsWithEps(out, 1e-14), "K=" + k);
        }
    }

    @Test
    void positiveStdGivesADifferentProperDistributionAveragingTheSamples() {
        FlatTensor std = FlatTensor.zeros(net.layout(), DT);
        std.flat().assign(0.5);
        int k = 6;
        INDArray out = Nd4j.create(DT, 5, 3);
        INDArray meanEntropy = Nd4j.create(DT, 5);
        new McPredictor(net, mu, std, k, gaussian(2), 4).predict(x, out, meanEntropy);
        INDArray ref = Nd4j.create(DT, 5, 3);
        McPredictor.meanOnly(net, mu).predict(x, ref);
        assertTrue(out.minNumber().doubleValue() >= 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, out.getRow(i).sumNumber().doubleValue(), 1e-12);
        }
        assertTrue(out.sub(ref).amaxNumber().doubleValue() > 1e-3, "samples change the prediction");

        // explicit average over the same weight samples
        NoiseSource noise = gaussian(2);
        FlatTensor eps = FlatTensor.zeros(net.layout(), DT);
        INDArray avg = Nd4j.zeros(DT, 5, 3);
        INDArray avgH = Nd4j.zeros(DT, 5);
        for (int s = 0; s < k; s++) {
            noise.fill(4, s, eps);
            FlatTensor theta = FlatTensor.wrap(net.layout(), mu.flat().add(std.flat().mul(eps.flat())));
            INDArray p = softmax(net.forward(theta, x, false).dup());
            avg.addi(p.div(k));
            avgH.addi(p.mul(org.nd4j.linalg.ops.transforms.Transforms.log(p, true)).sum(1).neg().div(k));
        }
        assertTrue(avg.equalsWithEps(out, 1e-12));
        assertTrue(avgH.equalsWithEps(meanEntropy, 1e-12));
        // mutual information H[mean p] − mean H[p_k] ≥ 0
        INDArray hMean = out.mul(org.nd4j.linalg.ops.transforms.Transforms.log(out, true)).sum(1).neg();
        assertTrue(hMean.sub(meanEntropy).minNumber().doubleValue() >= -1e-12);
    }

    @Test
    void warmPredictionAllocatesNothing() {
        FlatTensor std = FlatTensor.zeros(net.layout(), DT);
        std.flat().assign(0.1);
        McPredictor p = new McPredictor(net, mu, std, 3, gaussian(3), 0);
        INDArray out = Nd4j.create(DT, 5, 3);
        INDArray h = Nd4j.create(DT, 5);
        p.predict(x, out, h);
        assertEquals(0, AllocationProbe.allocatedBytes(() -> p.predict(x, out, h)));
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new McPredictor(net, mu, null, 2, gaussian(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new McPredictor(net, mu, mu, -1, gaussian(1), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> McPredictor.meanOnly(net, mu).predict(x, Nd4j.create(DT, 5, 2)));
        assertTrue(e.getMessage().contains("[5, 3]"), e.getMessage());
    }
}
