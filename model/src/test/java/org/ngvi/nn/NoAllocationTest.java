package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.nn.arch.LayerJson.array;
import static org.ngvi.nn.arch.LayerJson.bn1d;
import static org.ngvi.nn.arch.LayerJson.bn2d;
import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.flatten;
import static org.ngvi.nn.arch.LayerJson.globalAvgPool;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.maxpool;
import static org.ngvi.nn.arch.LayerJson.relu;
import static org.ngvi.nn.arch.LayerJson.residual;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
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

    static Stream<Arguments> dtypesAndEngines() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE).flatMap(d -> Stream.of(ConvEngine.values()).map(e -> Arguments.of(d, e)));
    }

    /** The same for a conv net with every spatial layer kind: conv, BatchNorm, ReLU, max pool, a residual block, global pool. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("dtypesAndEngines")
    void warmConvNetEvaluationAllocatesNothing(DataType dtype, ConvEngine engine) {
        String before = System.getProperty(ConvEngine.PROPERTY);
        System.setProperty(ConvEngine.PROPERTY, engine.name().toLowerCase(java.util.Locale.ROOT));
        try {
            NetworkSpec spec = new NetworkSpec(new long[] {2, 12, 12}, array(
                    conv(2, 4, 3, 1, 1, true), bn2d(4), relu(), maxpool(2, 2),
                    residual(array(conv(4, 6, 3, 2, 1, false), bn2d(6), relu(), conv(6, 6, 3, 1, 1, false), bn2d(6)),
                            array(conv(4, 6, 1, 2, 0, false), bn2d(6))),
                    globalAvgPool(), linear(6, 8), bn1d(8), relu(), flatten(), linear(8, 3)), "cross_entropy");
            Network net = Network.build(spec, dtype);
            FlatTensor theta = net.initParams(3);
            FlatTensor grad = FlatTensor.zeros(net.layout(), dtype);
            FlatTensor sq = FlatTensor.zeros(net.layout(), dtype);
            INDArray x = Nd4j.rand(dtype, 8, 2, 12, 12);
            int[] y = new int[8];
            for (int i = 0; i < y.length; i++) {
                y[i] = i % 3;
            }
            NetworkObjective objective = new NetworkObjective(net).setBatch(x, y);
            objective.evaluate(theta, grad, sq);
            net.forward(theta, x, false);
            assertEquals(0, AllocationProbe.allocatedBytes(() -> {
                for (int i = 0; i < 5; i++) {
                    objective.evaluate(theta, grad, sq);
                    objective.evaluate(theta, grad, null);
                    net.forward(theta, x, false);
                }
            }));
        } finally {
            if (before == null) {
                System.clearProperty(ConvEngine.PROPERTY);
            } else {
                System.setProperty(ConvEngine.PROPERTY, before);
            }
        }
    }
}
