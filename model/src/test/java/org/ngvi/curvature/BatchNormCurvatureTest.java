package org.ngvi.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ngvi.fixtures.TensorAssert.assertClose;
import static org.ngvi.nn.arch.LayerJson.array;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.of;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * {@link BatchNormCurvature} against a brute-force loop over examples (a batch of one each):
 * with running statistics ({@code mode} eval) examples do not interact and ĥ must be the exact
 * (1/B) Σᵢ (∇ℓᵢ)² of every parameter; with batch statistics ĥ of γ, β and of every later layer
 * must be that of a network whose statistics are frozen at the batch's (mean and biased variance),
 * the definition DESIGN.md and the fixture files use.
 */
class BatchNormCurvatureTest {
    private static ObjectNode bn(String type, int features, String mode) {
        ObjectNode n = of(type).put("features", features).put("eps", 1e-4);
        return mode == null ? n : n.put("mode", mode);
    }

    /** 1d: linear 4→5 · batchnorm1d(5) · relu · linear 5→3; 2d: batchnorm2d(2) on [2,3,3] · tanh · flatten · linear 18→4. */
    private static NetworkSpec spec(boolean spatial, String mode) {
        if (spatial) {
            return new NetworkSpec(new long[] {2, 3, 3},
                    array(bn("batchnorm2d", 2, mode), of("tanh"), of("flatten"), linear(18, 4)), "cross_entropy");
        }
        return new NetworkSpec(new long[] {4}, array(linear(4, 5), bn("batchnorm1d", 5, mode), of("relu"), linear(5, 3)),
                "cross_entropy");
    }

    private static INDArray gaussian(SplittableRandom rng, double scale, double shift, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, shift + scale * rng.nextGaussian());
        }
        return a;
    }

    private record Setting(Network net, FlatTensor theta, INDArray x, int[] y, int bnIndex) {
    }

    private static Setting setting(boolean spatial, String mode, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Network net = Network.build(spec(spatial, mode), DataType.DOUBLE);
        FlatTensor theta = net.initParams(rng.nextLong());
        theta.flat().muli(2.0);
        int bnIndex = spatial ? 0 : 1;
        theta.view(bnIndex + ".weight").assign(gaussian(rng, 0.5, 1, theta.view(bnIndex + ".weight").length()));
        theta.view(bnIndex + ".bias").assign(gaussian(rng, 0.5, 0, theta.view(bnIndex + ".bias").length()));
        int batch = spatial ? 5 : 7;
        INDArray x = spatial ? gaussian(rng, 1.5, 0.7, batch, 2, 3, 3) : gaussian(rng, 1, 0.3, batch, 4);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(net.numClasses());
        }
        return new Setting(net, theta, x, y, bnIndex);
    }

    /** Mean ĝ and ĥ of a batch-of-one loop on {@code single} (running statistics from its buffers). */
    private static FlatTensor[] bruteForce(Network single, FlatTensor theta, INDArray x, int[] y) {
        FlatTensor gSum = FlatTensor.zeros(single.layout(), DataType.DOUBLE);
        FlatTensor sqSum = FlatTensor.zeros(single.layout(), DataType.DOUBLE);
        FlatTensor gi = FlatTensor.zeros(single.layout(), DataType.DOUBLE);
        int b = y.length;
        for (int i = 0; i < b; i++) {
            INDArray xi = x.get(NDArrayIndex.interval(i, i + 1)).dup();
            single.lossAndGradient(theta, xi, new int[] {y[i]}, gi, null);
            gSum.flat().addi(gi.flat());
            sqSum.flat().addi(gi.flat().mul(gi.flat()));
        }
        gSum.flat().divi(b);
        sqSum.flat().divi(b);
        return new FlatTensor[] {gSum, sqSum};
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runningStatisticsGiveTheExactPerExampleCurvatureOfEveryParameter(boolean spatial) {
        Setting s = setting(spatial, "eval", spatial ? 31 : 32);
        SplittableRandom rng = new SplittableRandom(5);
        FlatTensor running = s.net().initialRunningStats();
        long c = running.view(0).length();
        running.view(0).assign(gaussian(rng, 0.5, 0.2, c));
        running.view(1).assign(gaussian(rng, 0.3, 1.2, c));
        s.net().setRunningStats(running);
        FlatTensor grad = FlatTensor.zeros(s.net().layout(), DataType.DOUBLE);
        FlatTensor sq = FlatTensor.zeros(s.net().layout(), DataType.DOUBLE);
        new NetworkObjective(s.net()).setBatch(s.x(), s.y()).evaluate(s.theta(), grad, sq);
        assertEquals(running.flat(), s.net().runningStats().flat(), "eval mode leaves the running statistics alone");

        Network single = Network.build(s.net().spec(), DataType.DOUBLE);
        single.setRunningStats(running);
        FlatTensor[] brute = bruteForce(single, s.theta(), s.x(), s.y());
        for (int p = 0; p < s.net().layout().size(); p++) {
            String name = s.net().layout().spec(p).name();
            assertClose(brute[0].view(p), grad.view(p), 1e-10, "ĝ " + name);
            assertClose(brute[1].view(p), sq.view(p), 1e-10, "ĥ " + name);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void batchStatisticsAreHeldConstantForTheNormalisationAndLaterParameters(boolean spatial) {
        Setting s = setting(spatial, null, spatial ? 41 : 42);
        FlatTensor grad = FlatTensor.zeros(s.net().layout(), DataType.DOUBLE);
        FlatTensor sq = FlatTensor.zeros(s.net().layout(), DataType.DOUBLE);
        new NetworkObjective(s.net()).setBatch(s.x(), s.y()).evaluate(s.theta(), grad, sq);

        // the BatchNorm input of the batch and its per-channel mean and biased variance
        INDArray bnIn;
        if (spatial) {
            bnIn = s.x().reshape(s.x().size(0), 2, 9).permute(1, 0, 2).dup('c').reshape(2, -1);
        } else {
            bnIn = s.x().mmul(s.theta().view("0.weight").transpose()).addiRowVector(s.theta().view("0.bias")).transpose().dup('c');
        }
        INDArray mean = bnIn.mean(1);
        INDArray var = bnIn.var(false, 1);
        Network frozen = Network.build(spec(spatial, "eval"), DataType.DOUBLE);
        FlatTensor stats = frozen.initialRunningStats();
        stats.view(0).assign(mean);
        stats.view(1).assign(var);
        frozen.setRunningStats(stats);
        assertClose(frozen.forward(s.theta(), s.x(), false).dup(), s.net().forward(s.theta(), s.x(), true), 1e-12,
                "frozen statistics reproduce the training forward pass");

        FlatTensor[] brute = bruteForce(frozen, s.theta(), s.x(), s.y());
        List<String> checked = new java.util.ArrayList<>();
        for (int p = 0; p < s.net().layout().size(); p++) {
            String name = s.net().layout().spec(p).name();
            int layer = Integer.parseInt(name.substring(0, name.indexOf('.')));
            if (layer < s.bnIndex()) {
                continue; // before the BatchNorm the rows include the derivative through the batch statistics
            }
            assertClose(brute[0].view(p), grad.view(p), 1e-10, "ĝ " + name);
            assertClose(brute[1].view(p), sq.view(p), 1e-10, "ĥ " + name);
            checked.add(name);
        }
        assertEquals(spatial ? List.of("0.weight", "0.bias", "3.weight", "3.bias") : List.of("1.weight", "1.bias", "3.weight", "3.bias"),
                checked);
    }
}
