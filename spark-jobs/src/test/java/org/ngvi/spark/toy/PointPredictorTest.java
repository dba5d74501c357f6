package org.ngvi.spark.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.tensor.FlatTensor;

class PointPredictorTest {
    private final NetworkSpec spec = Mlp.binarySpec(2, new int[] {16}, "relu");
    private final double[] xs = {-3, -1, 0, 0.5, 2, 4, 7};
    private final double[] ys = {1, -2, 0, 3, -4, 1, 2};

    @Test
    void binaryEntropyInNats() {
        assertEquals(0, PointPredictor.entropy(0), 0);
        assertEquals(0, PointPredictor.entropy(1), 0);
        assertEquals(Math.log(2), PointPredictor.entropy(0.5), 1e-15);
        assertEquals(PointPredictor.entropy(0.2), PointPredictor.entropy(0.8), 1e-15);
    }

    @Test
    void batchingDoesNotChangeThePredictions() {
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor theta = net.initParams(4);
        double[] whole = new PointPredictor(Network.build(spec, DataType.DOUBLE), xs, ys, 100).probability(theta);
        double[] inThrees = new PointPredictor(Network.build(spec, DataType.DOUBLE), xs, ys, 3).probability(theta);
        assertArrayEquals(whole, inThrees, 1e-15);
    }

    @Test
    void sampledFieldsAreTheMembersOfThePredictiveEnsemble() {
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor mean = net.initParams(4);
        FlatTensor std = FlatTensor.zeros(mean.layout(), DataType.DOUBLE);
        std.flat().assign(0.3);
        GaussianPosterior q = new GaussianPosterior(spec, mean, std);
        PointPredictor pp = new PointPredictor(net, xs, ys, 4);
        int k = 6;
        PointPredictor.Predictive pred = pp.predictive(q, k, 11);
        double[][] members = pp.sampledProbabilities(q, k, 11);
        for (int i = 0; i < xs.length; i++) {
            double avg = 0;
            for (double[] m : members) {
                avg += m[i] / k;
            }
            assertEquals(avg, pred.probability()[i], 1e-12);
            assertEquals(PointPredictor.entropy(avg), pred.entropy()[i], 1e-12);
        }
        // and the members differ (the posterior is not a point)
        assertTrue(members[0][0] != members[1][0]);
    }
}
