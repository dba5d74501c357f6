package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.spark.testing.SyntheticImages;

/**
 * bin/gpu-discovery.sh speaks Spark's resource format (parsed by Spark's own
 * {@link ResourceInformation#parseJson}) and {@link GpuBinding} picks the task's device from it; on
 * this CPU backend, and outside a task, binding does nothing.
 */
class GpuBindingTest {
    private static final Path SCRIPT = Path.of("..", "bin", "gpu-discovery.sh").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** A stand-in for nvidia-smi printing {@code stdout} and exiting with {@code code}. */
    private Path fakeSmi(String stdout, int code) throws IOException {
        Path f = tmp.resolve("nvidia-smi");
        Files.writeString(f, "#!/bin/sh\nprintf '" + stdout + "'\nexit " + code + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run discover(String smi) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString());
        pb.environment().put("NVIDIA_SMI", smi);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "gpu-discovery.sh finished");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void discoveryScriptReportsNvidiaSmiIndicesInSparksFormat() throws Exception {
        Run r = discover(fakeSmi("0\\n1\\n", 0).toString());
        assertEquals(0, r.code(), r.err());
        ResourceInformation info = ResourceInformation.parseJson(r.out().trim());
        assertEquals("gpu", info.name());
        assertArrayEquals(new String[] {"0", "1"}, info.addresses());
        assertEquals(0, GpuBinding.assignedDevice(Map.of("gpu", info)));
    }

    @Test
    void discoveryScriptFailsWithTheReasonWithoutNvidiaSmi() throws Exception {
        Run missing = discover(tmp.resolve("no-such-nvidia-smi").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("not found"), missing.err());
        assertEquals("", missing.out());
        Run failing = discover(fakeSmi("NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver", 9).toString());
        assertEquals(1, failing.code());
        assertTrue(failing.err().contains("could not communicate"), failing.err());
        Run garbage = discover(fakeSmi("GPU-1234\\n", 0).toString());
        assertEquals(1, garbage.code());
        assertTrue(garbage.err().contains("'GPU-1234'"), garbage.err());
    }

    @Test
    void theTasksFirstGpuAddressIsItsDevice() {
        assertEquals(3, GpuBinding.firstDevice(new String[] {"3", "5"}));
        assertEquals(GpuBinding.NONE, GpuBinding.firstDevice(new String[0]));
        assertEquals(GpuBinding.NONE, GpuBinding.assignedDevice(Map.of()));
        assertEquals(GpuBinding.NONE, GpuBinding.assignedDevice(null));
        assertEquals(GpuBinding.NONE, GpuBinding.assignedDevice(
                Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GpuBinding.firstDevice(new String[] {"GPU-5b1c"}));
        assertTrue(e.getMessage().contains("'gpu'") && e.getMessage().contains("GPU-5b1c")
                && e.getMessage().contains("non-negative integer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuBinding.firstDevice(new String[] {"-1"}));
    }

    @Test
    void onTheCpuBackendBindingIsANoOpOnTheDriverAndInTasks() {
        assumeFalse(GpuBinding.cudaBackend(), "ND4J runs on CUDA (-Pcuda): the CPU no-op does not apply");
        assertEquals(GpuBinding.NONE, GpuBinding.bindCurrentTask());
        SparkSession spark = SyntheticImages.spark("local[2]");
        try {
            List<Integer> devices = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(List.of(1, 2, 3, 4), 2).map(i -> GpuBinding.bindCurrentTask()).collect();
            assertEquals(List.of(GpuBinding.NONE, GpuBinding.NONE, GpuBinding.NONE, GpuBinding.NONE), devices);
        } finally {
            spark.stop();
        }
    }
}
