package org.ngvi.spark.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.tensor.FlatTensor;
import picocli.CommandLine.ParameterException;

/** {@code ngvi export-dl4j}: a VOGN checkpoint of a conv + BatchNorm net → DL4J zip whose outputs are ours. */
class ExportDl4jJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static NetworkSpec spec() throws IOException {
        return NetworkSpec.fromJson(JSON.readTree("""
                {"input_shape": [1, 6, 6], "loss": "cross_entropy", "layers": [
                  {"type": "conv2d", "in_channels": 1, "out_channels": 2, "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1], "bias": false},
                  {"type": "batchnorm2d", "features": 2, "eps": 1e-05, "momentum": 0.1},
                  {"type": "relu"},
                  {"type": "maxpool2d", "kernel": [2, 2], "stride": [2, 2]},
                  {"type": "flatten"},
                  {"type": "linear", "in": 18, "out": 3, "bias": true}]}"""));
    }

    private static INDArray normal(long seed, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        SplittableRandom rng = new SplittableRandom(seed);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rng.nextGaussian());
        }
        return a;
    }

    /** Writes a VOGN checkpoint with mean μ and BatchNorm running statistics into RUNDIR; returns the network holding them. */
    private Network writeRun(Path run, FlatTensor[] meanOut, boolean withBuffers) throws IOException {
        NetworkSpec spec = spec();
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor mu = net.initParams(1);
        mu.flat().assign(normal(2, mu.flat().length()).muli(0.7));
        FlatTensor buffers = net.runningStats();
        buffers.view("1.running_mean").assign(normal(3, 2).muli(0.3));
        buffers.view("1.running_var").assign(normal(4, 2).muli(0.3).addi(1.2));
        Vogn vogn = new Vogn(VognParams.builder(1000).build());
        VognState s = vogn.init(mu);
        ObjectNode meta = JSON.createObjectNode();
        meta.putObject("config").put("normalize", "unit");
        var c = vogn.toCheckpoint(spec, s, meta);
        if (withBuffers) {
            c = c.withRunningStats(buffers.copy());
        }
        Files.createDirectories(run);
        CheckpointFile.write(run.resolve(RunDirectory.CHECKPOINT), c);
        meanOut[0] = mu;
        return net;
    }

    @Test
    void exportedZipReproducesOurPredictions() throws Exception {
        Path run = dir.resolve("run");
        FlatTensor[] mu = new FlatTensor[1];
        Network net = writeRun(run, mu, true);
        Path out = dir.resolve("models/model.zip");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ExportDl4jJob.Result r = ExportDl4jJob.run(ExportDl4jJob.Params.parse(
                new String[] {"--run", run.toString(), "--out", out.toString()}), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(out));
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of("model.zip", "model.zip.json"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }
        assertTrue(r.maxOutputDifference() < 1e-12, "self-check " + r.maxOutputDifference());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("max |dp|"), console.toString(StandardCharsets.UTF_8));

        // independent check: the restored DL4J model against softmax of our logits on fresh inputs
        MultiLayerNetwork m = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        assertEquals(net.layout().totalSize() + net.runningStatsLayout().totalSize(), m.numParams());
        INDArray x = normal(9, 7, 1, 6, 6);
        INDArray z = net.forward(mu[0], x, false);
        INDArray p = m.output(x, false);
        double maxDiff = 0;
        for (int i = 0; i < 7; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                mx = Math.max(mx, z.getDouble(i, k));
            }
            double s = 0;
            for (int k = 0; k < 3; k++) {
                s += Math.exp(z.getDouble(i, k) - mx);
            }
            for (int k = 0; k < 3; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(Math.exp(z.getDouble(i, k) - mx) / s - p.getDouble(i, k)));
            }
        }
        assertTrue(maxDiff < 1e-12, "max |dp| " + maxDiff);

        JsonNode d = JSON.readTree(r.description().toFile());
        assertEquals("posterior mean", d.get("parameters").asText());
        assertEquals("[1,6,6]", d.path("input").path("per_example_shape").toString());
        assertTrue(d.path("input").path("preprocessing").asText().contains("normalize = unit"));

        // float export of the same run
        Path f = dir.resolve("model-float.zip");
        ExportDl4jJob.Result rf = ExportDl4jJob.run(ExportDl4jJob.Params.parse(
                new String[] {"--run", run.toString(), "--out", f.toString(), "--dtype", "float"}), new PrintStream(console));
        assertEquals(DataType.FLOAT, ModelSerializer.restoreMultiLayerNetwork(f.toFile(), false).params().dataType());
        assertTrue(rf.maxOutputDifference() < 1e-5);
    }

    @Test
    void refusesToOverwriteAndReportsBadRuns() throws Exception {
        Path run = dir.resolve("run");
        writeRun(run, new FlatTensor[1], true);
        Path out = dir.resolve("model.zip");
        Files.writeString(out, "existing");
        IOException e = assertThrows(IOException.class, () -> ExportDl4jJob.run(ExportDl4jJob.Params.parse(
                new String[] {"--run", run.toString(), "--out", out.toString()}), System.out));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals("existing", Files.readString(out));
        ExportDl4jJob.run(ExportDl4jJob.Params.parse(
                new String[] {"--run", run.toString(), "--out", out.toString(), "--overwrite"}), System.out);
        assertTrue(Files.size(out) > 100);

        e = assertThrows(IOException.class, () -> ExportDl4jJob.run(ExportDl4jJob.Params.parse(
                new String[] {"--run", dir.resolve("nothing").toString(), "--out", dir.resolve("x.zip").toString()}), System.out));
        assertTrue(e.getMessage().contains("not a training run"), e.getMessage());

        Path noStats = dir.resolve("run-nostats");
        writeRun(noStats, new FlatTensor[1], false);
        e = assertThrows(IOException.class, () -> ExportDl4jJob.run(ExportDl4jJob.Params.parse(
                new String[] {"--run", noStats.toString(), "--out", dir.resolve("y.zip").toString()}), System.out));
        assertTrue(e.getMessage().contains("running statistics"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("y.zip")));

        ParameterException u = assertThrows(ParameterException.class, () -> ExportDl4jJob.Params.parse(
                new String[] {"--run", "r", "--out", "o.zip", "--dtype", "half"}));
        assertTrue(u.getMessage().contains("--dtype"), u.getMessage());
    }
}
