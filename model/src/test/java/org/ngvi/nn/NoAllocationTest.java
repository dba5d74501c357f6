package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.tensor.FlatTensor;

/** Once warm (same batch size), a training evaluation with curvature allocates no ND4J array data. */
class NoAllocationTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void warmEvaluationAllocatesNothing(DataType dtype) {
        Network net = Network.build(Mlp.spec(64, new int[] {32, 16}, 5, "relu"), dtype);
        FlatTensor theta = net.initParams(1);
        FlatTensor grad = FlatTensor.zeros(net.layout(), dtype);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dtype);
        INDArray x = Nd4j.rand(dtype, 16, 64);
        int[] y = new int[16];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 5;
        }
        NetworkObjective objective = new NetworkObjective(net).setBatch(x, y);
        objective.evaluate(theta, grad, sq); // warm-up allocates the per-batch buffers
        assertTrue(AllocationProbe.allocatedBytes(() -> objective.evaluate(FlatTensor.zeros(net.layout(), dtype), grad, sq)) > 0,
                "the probe sees allocations");
        assertEquals(0, AllocationProbe.allocatedBytes(() -> {
            for (int i = 0; i < 20; i++) {
                objective.evaluate(theta, grad, sq);
                objective.evaluate(theta, grad, null);
                net.forward(theta, x, false);
            }
        }));

        Network bin = Network.build(Mlp.binarySpec(64, new int[] {8}, "tanh"), dtype);
        FlatTensor bt = bin.initParams(2);
        FlatTensor bg = FlatTensor.zeros(bin.layout(), dtype);
        FlatTensor bs = FlatTensor.zeros(bin.layout(), dtype);
        int[] by = new int[16];
        by[3] = 1;
        NetworkObjective bo = new NetworkObjective(bin).setBatch(x, by);
        bo.evaluate(bt, bg, bs);
        assertEquals(0, AllocationProbe.allocatedBytes(() -> bo.evaluate(bt, bg, bs)));
    }
}
