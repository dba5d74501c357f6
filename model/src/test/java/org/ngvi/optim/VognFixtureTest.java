package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.fixtures.FixtureFile;
import org.ngvi.fixtures.TensorAssert;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;

/**
 * Replays the torchsso VOGN fixtures ({@code vogn_*.json}, see fixtures/README.md): every step
 * with the recorded ε injected, comparing everything the files record (DOUBLE, rtol 1e-6 of
 * each tensor's max |expected|). One replay runs full steps through the network objective; a
 * second feeds the recorded ĝ, ĥ to {@link Vogn#update} directly (also in FLOAT, rtol 1e-4), so
 * an update error and a network/curvature error are told apart.
 */
class VognFixtureTest {
    private static final double RTOL = 1e-6;

    /** Also replayed on the GPU by {@link CudaVognStepTest}. */
    static Stream<Path> files() {
        List<Path> files = FixtureFile.list("vogn_");
        assertFalse(files.isEmpty(), "no vogn_*.json fixtures in " + FixtureFile.directory());
        return files.stream();
    }

    /** Everything one replay needs from a file. */
    record Replay(FixtureFile f, NetworkSpec spec, VognParams params, JsonNode steps) {
        static Replay of(Path path) {
            FixtureFile f = FixtureFile.read(path);
            JsonNode steps = f.require("steps");
            JsonNode inShape = f.require(steps.get(0), "input", "steps[0].input").get("shape");
            long[] perExample = new long[inShape.size() - 1];
            for (int i = 0; i < perExample.length; i++) {
                perExample[i] = inShape.get(i + 1).asLong();
            }
            return new Replay(f, f.spec(perExample), VognParams.fromTorchssoJson(f.require("hyper")), steps);
        }

        FlatTensor tensors(ParamLayout layout, DataType dt, JsonNode map, String where) {
            return f.fill(FlatTensor.zeros(layout, dt), map, where, false);
        }

        /** ε recorded for (step t, sample k), t counted from 0 as {@link NoiseSource} does. */
        NoiseSource recordedNoise() {
            return (step, sample, eps) -> {
                JsonNode e = f.require(steps.get((int) step), "eps", "steps[" + step + "].eps").get(sample);
                f.fill(eps, e, "steps[" + step + "].eps[" + sample + "]", false);
            };
        }

        VognState initialState(Vogn vogn, ParamLayout layout, DataType dt, double rtol) {
            JsonNode init = f.require("init");
            VognState s = vogn.init(tensors(layout, dt, f.require(init, "mean", "init.mean"), "init.mean"));
            check(s.curvature(), init.get("curv_ema"), "init.curv_ema", rtol);
            check(s.sigma(), init.get("std"), "init.std", rtol);
            return s;
        }

        void check(FlatTensor actual, JsonNode expectedMap, String where, double rtol) {
            FlatTensor e = tensors(actual.layout(), DataType.DOUBLE, expectedMap, where);
            for (int i = 0; i < actual.layout().size(); i++) {
                TensorAssert.assertClose(e.view(i), actual.view(i), rtol,
                        f.fileName() + " " + where + "." + actual.layout().spec(i).name());
            }
        }

        void checkAfter(VognState s, JsonNode after, String at, double rtol) {
            checkAfter(s, after, at, rtol, RTOL);
        }

        void checkAfter(VognState s, JsonNode after, String at, double rtol, double priorRtol) {
            check(s.mean(), after.get("mean"), at + ".mean", rtol);
            check(s.curvature(), after.get("curv_ema"), at + ".curv_ema", rtol);
            check(s.sigma(), after.get("std"), at + ".std", rtol);
            check(s.momentum(), after.get("momentum"), at + ".momentum", rtol);
            check(s.gradEma(), after.get("grad_ema"), at + ".grad_ema", rtol);
            ParamLayout layout = s.mean().layout();
            for (int i = 0; i < layout.size(); i++) {
                String name = layout.spec(i).name();
                TensorAssert.assertClose(after.get("l2_reg_ema").get(name).asDouble(), s.priorEma()[i], priorRtol,
                        f.fileName() + " " + at + ".l2_reg_ema." + name);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void fullStepsThroughTheNetworkMatch(Path path) {
        Replay r = Replay.of(path);
        Network net = Network.build(r.spec(), DataType.DOUBLE);
        ParamLayout layout = net.layout();
        NetworkObjective objective = new NetworkObjective(net);
        Vogn vogn = new Vogn(r.params());
        VognState s = r.initialState(vogn, layout, DataType.DOUBLE, RTOL);
        int m = r.params().numMcSamples();
        NoiseSource noise = r.recordedNoise();
        for (int t = 0; t < r.steps().size(); t++) {
            JsonNode step = r.steps().get(t);
            String at = "steps[" + t + "]";
            INDArray x = r.f().tensor(step.get("input"), DataType.DOUBLE, at + ".input");
            objective.setBatch(x, r.f().labels(step.get("labels"), at + ".labels"));
            // record what the objective sees and returns, to compare θ_k, ĝ, ĥ and the losses
            List<FlatTensor> thetas = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            FlatTensor gSum = FlatTensor.zeros(layout, DataType.DOUBLE);
            FlatTensor hSum = FlatTensor.zeros(layout, DataType.DOUBLE);
            Objective recording = (theta, grad, sq) -> {
                double loss = objective.evaluate(theta, grad, sq);
                thetas.add(theta.copy());
                losses.add(loss);
                gSum.flat().addi(grad.flat());
                hSum.flat().addi(sq.flat());
                return loss;
            };
            StepResult<VognState> res = vogn.step(recording, s, noise);
            s = res.state();
            JsonNode after = step.get("after");
            assertEquals(m, thetas.size(), at + ": MC samples evaluated");
            for (int k = 0; k < m; k++) {
                r.check(thetas.get(k), step.get("sampled_params").get(k), at + ".sampled_params[" + k + "]", RTOL);
                TensorAssert.assertClose(after.get("loss_per_mc_sample").get(k).asDouble(), losses.get(k), RTOL,
                        r.f().fileName() + " " + at + ".loss_per_mc_sample[" + k + "]");
            }
            gSum.flat().divi(m);
            hSum.flat().divi(m);
            r.check(gSum, after.get("grad_mc_mean"), at + ".grad_mc_mean", RTOL);
            r.check(hSum, after.get("curv_mc_mean"), at + ".curv_mc_mean", RTOL);
            TensorAssert.assertClose(after.get("loss").asDouble(), res.loss(), RTOL, r.f().fileName() + " " + at + ".loss");
            r.checkAfter(s, after, at + ".after", RTOL);
            assertEquals(t + 1, s.step());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void sampleAndUpdateOnRecordedMcMeansMatch(Path path) {
        Replay r = Replay.of(path);
        ParamLayout layout = Network.build(r.spec(), DataType.DOUBLE).layout();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double rtol = dt == DataType.DOUBLE ? RTOL : 1e-4;
            Vogn vogn = new Vogn(r.params());
            VognState s = r.initialState(vogn, layout, dt, rtol);
            NoiseSource noise = r.recordedNoise();
            FlatTensor eps = FlatTensor.zeros(layout, dt);
            FlatTensor theta = FlatTensor.zeros(layout, dt);
            for (int t = 0; t < r.steps().size(); t++) {
                JsonNode step = r.steps().get(t);
                String at = dt + " steps[" + t + "]";
                for (int k = 0; k < r.params().numMcSamples(); k++) {
                    noise.fill(t, k, eps);
                    vogn.sample(s, eps, theta);
                    r.check(theta, step.get("sampled_params").get(k), at + ".sampled_params[" + k + "]", rtol);
                }
                JsonNode after = step.get("after");
                s = vogn.update(r.tensors(layout, dt, after.get("grad_mc_mean"), at + ".grad_mc_mean"),
                        r.tensors(layout, dt, after.get("curv_mc_mean"), at + ".curv_mc_mean"), s);
                r.checkAfter(s, after, at + ".after", rtol);
            }
        }
    }
}
