package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Network;

/**
 * GPU smoke test: one VOGN step (sampling, forward/backward with exact per-example curvature, the
 * update) in float32 through the network objective equals the CPU step to float tolerance (1e-4 of each
 * tensor's largest value). The CPU step is the torchsso fixture's recorded step, which the CPU backend
 * reproduces in float64 to 1e-6 ({@link VognFixtureTest}) and in float32 here in the default build; under
 * {@code -Pcuda} on a machine with an NVIDIA GPU the same step runs on the device. Without a CUDA device,
 * or on the CPU backend, the GPU case is skipped with the reason.
 */
class CudaVognStepTest {
    private static final double FLOAT_RTOL = 1e-4;

    /** Why there is no usable CUDA device here, or {@code null} when there is one. */
    static String noCudaDevice() {
        boolean dev = Files.exists(Path.of("/dev/nvidia0"));
        boolean smi = false;
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            smi = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("GPU");
        } catch (Exception e) {
            // no nvidia-smi: reported below
        }
        if (!dev && !smi) {
            return "no CUDA device (no /dev/nvidia0, 'nvidia-smi -L' lists no GPU)";
        }
        return cudaBackend() ? null : "ND4J backend is " + Nd4j.getBackend().getClass().getSimpleName()
                + ", not CUDA: run with -Pcuda (mvn -Pcuda test -pl model -Dtest=CudaVognStepTest)";
    }

    static boolean cudaBackend() {
        return Nd4j.getBackend().getClass().getName().contains("JCublas");
    }

    static java.util.stream.Stream<Path> files() {
        return VognFixtureTest.files();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void oneFloatStepOnTheGpuEqualsTheCpuStep(Path path) {
        String reason = noCudaDevice();
        assumeTrue(reason == null, () -> "GPU smoke test skipped: " + reason);
        oneFloatStepMatches(path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void oneFloatStepOnTheCpuEqualsTheRecordedStep(Path path) {
        assumeFalse(cudaBackend(), "ND4J runs on CUDA: the GPU case covers it");
        oneFloatStepMatches(path);
    }

    /** The first recorded step of the fixture, in float32 on the current backend. */
    private static void oneFloatStepMatches(Path path) {
        VognFixtureTest.Replay r = VognFixtureTest.Replay.of(path);
        DataType dt = DataType.FLOAT;
        Network net = Network.build(r.spec(), dt);
        NetworkObjective objective = new NetworkObjective(net);
        Vogn vogn = new Vogn(r.params());
        VognState s = r.initialState(vogn, net.layout(), dt, FLOAT_RTOL);
        JsonNode step = r.steps().get(0);
        INDArray x = r.f().tensor(step.get("input"), dt, "steps[0].input");
        objective.setBatch(x, r.f().labels(step.get("labels"), "steps[0].labels"));
        StepResult<VognState> res = vogn.step(objective, s, r.recordedNoise());
        assertEquals(1, res.state().step());
        r.checkAfter(res.state(), step.get("after"), "float32 " + Nd4j.getBackend().getClass().getSimpleName() + " steps[0].after",
                FLOAT_RTOL, FLOAT_RTOL);
    }
}
