package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.tensor.FlatTensor;

/** Which predictive evaluate and score use for which run and options. */
class PredictiveTest {
    private static GaussianPosterior point(NetworkSpec spec) {
        return GaussianPosterior.pointEstimate(spec, Network.build(spec, DataType.FLOAT).initParams(1));
    }

    private static GaussianPosterior gaussian(NetworkSpec spec) {
        FlatTensor mean = Network.build(spec, DataType.FLOAT).initParams(1);
        FlatTensor std = FlatTensor.zeros(mean.layout(), DataType.FLOAT);
        std.flat().addi(0.01);
        return new GaussianPosterior(spec, mean, std);
    }

    private final NetworkSpec plain = Mlp.spec(6, new int[] {5}, 3, "relu");
    private final NetworkSpec dropout = Mlp.spec(6, new int[] {5}, 3, "relu", 0.5);

    @Test
    void defaultsFollowTheRun() {
        Predictive vogn = Predictive.choose(gaussian(plain), DataType.FLOAT, null, null, 10, 3);
        assertEquals(Predictive.Method.WEIGHT_SAMPLES, vogn.method());
        assertEquals(10, vogn.samples());
        assertEquals(3, vogn.seed());
        Predictive adam = Predictive.choose(point(plain), DataType.FLOAT, null, null, 10, 3);
        assertEquals(Predictive.Method.MEAN_WEIGHTS, adam.method());
        assertEquals(0, adam.samples());
        assertNull(adam.std());
        Predictive mcd = Predictive.choose(point(dropout), DataType.FLOAT, null, null, 10, 3);
        assertEquals(Predictive.Method.MC_DROPOUT, mcd.method());
        assertEquals(10, mcd.samples());
        assertEquals("mc_dropout", mcd.method().json());
        assertEquals(Predictive.Method.MEAN_WEIGHTS, Predictive.choose(point(dropout), DataType.FLOAT, 0, null, 10, 3).method(),
                "--mc 0: the deterministic network");
        assertEquals(4, Predictive.choose(point(dropout), DataType.FLOAT, null, 4, 10, 3).samples());
        assertEquals(0, Predictive.choose(gaussian(plain), DataType.FLOAT, 0, null, 10, 3).samples());
    }

    @Test
    void impossibleCombinationsNameTheOption() {
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> Predictive.choose(point(dropout), DataType.FLOAT, 3, 3, 10, 1));
        assertTrue(both.getMessage().contains("--mc") && both.getMessage().contains("--mc-dropout"), both.getMessage());
        IllegalArgumentException noDropout = assertThrows(IllegalArgumentException.class,
                () -> Predictive.choose(point(plain), DataType.FLOAT, null, 3, 10, 1));
        assertTrue(noDropout.getMessage().contains("--mc-dropout") && noDropout.getMessage().contains("dropout"),
                noDropout.getMessage());
        IllegalArgumentException gaussianRun = assertThrows(IllegalArgumentException.class,
                () -> Predictive.choose(gaussian(dropout), DataType.FLOAT, null, 3, 10, 1));
        assertTrue(gaussianRun.getMessage().contains("Gaussian"), gaussianRun.getMessage());
    }
}
