package org.ngvi.spark.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.dl4j.Dl4jExport;
import org.ngvi.nn.Network;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.cli.Cli;
import org.ngvi.cli.OverwriteOption;
import org.ngvi.optim.Posteriors;
import org.ngvi.io.AtomicFiles;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.tensor.FlatTensor;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ngvi export-dl4j --run RUNDIR --out model.zip}: the posterior mean of a training run (the
 * parameters for Adam/SGD) and its BatchNorm running statistics as a DL4J {@code MultiLayerNetwork}
 * written with {@code ModelSerializer.writeModel} (no updater state), plus {@code model.zip.json}
 * describing it. No Spark.
 *
 * <p>Before publishing, the zip is read back with {@code ModelSerializer.restoreMultiLayerNetwork}
 * and its {@code output(x)} compared with our predictive probabilities on {@value #CHECK_INPUTS}
 * standard-normal inputs; the largest difference is printed and recorded (an export whose
 * difference exceeds 1e-4 (float) / 1e-10 (double) is an error and nothing is written). The zip and
 * the JSON are written to temporary siblings and renamed.
 */
public final class ExportDl4jJob {
    static final int CHECK_INPUTS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportDl4jJob() {
    }

    /**
     * @param run       training run folder (holds {@code checkpoint.ngvi})
     * @param out       the DL4J model zip to write
     * @param dtype     DL4J network data type, or {@code null} for the checkpoint's
     * @param overwrite replace an existing {@code out}
     */
    public record Params(Path run, Path out, DataType dtype, boolean overwrite) {
        /** Parses {@code ngvi export-dl4j} arguments ({@link Command}); a usage error is a {@link CommandLine.ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** {@code ngvi export-dl4j}: parses into {@link Params} and exports. */
    @CommandLine.Command(name = "export-dl4j", description = "the posterior mean (and BatchNorm running statistics) as a DL4J "
            + "MultiLayerNetwork zip, checked against our predictions before it is published")
    public static final class Command implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "RUNDIR", description = "training run folder (holds checkpoint.ngvi)")
        private Path run;
        @Option(names = "--out", required = true, paramLabel = "FILE.zip", description = "the DL4J model zip (and FILE.zip.json beside it)")
        private Path out;
        @Option(names = "--dtype", paramLabel = "float|double", converter = DataTypeConverter.class,
                description = "DL4J network data type (default: the checkpoint's)")
        private DataType dtype;
        @Mixin
        private OverwriteOption overwrite;

        /** The parsed options as the job's params. */
        public Params params() {
            return new Params(run, out, dtype, overwrite.overwrite());
        }

        @Override
        public Integer call() throws IOException {
            ExportDl4jJob.run(params(), System.out);
            return 0;
        }
    }

    /** {@code --dtype}: float (float32) or double (float64). */
    static final class DataTypeConverter implements ITypeConverter<DataType> {
        @Override
        public DataType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "float", "float32" -> DataType.FLOAT;
                case "double", "float64" -> DataType.DOUBLE;
                default -> throw new TypeConversionException("--dtype must be float or double, got '" + value + "'");
            };
        }
    }

    /** What was written. */
    public record Result(Path model, Path description, long numParams, double maxOutputDifference) {
    }

    /** Entry point (no Spark): {@link Command} as {@code ngvi export-dl4j}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi export-dl4j", new Command(), args);
    }

    public static Result run(Params p, PrintStream console) throws IOException {
        if (Files.exists(p.out()) && !p.overwrite()) {
            throw new IOException(p.out() + ": exists; choose another --out or pass --overwrite");
        }
        if (Files.isDirectory(p.out())) {
            throw new IOException(p.out() + ": is a directory; --out must be a .zip file path");
        }
        RunDirectory run = RunDirectory.open(p.run());
        ModelCheckpoint c = CheckpointFile.read(run.checkpoint());
        GaussianPosterior posterior = Posteriors.of(c);
        DataType dtype = p.dtype() != null ? p.dtype() : c.dataType();
        Network net = Network.build(posterior.spec(), dtype);
        FlatTensor mean = FlatTensor.zeros(net.layout(), dtype);
        mean.flat().assign(posterior.mean().flat().castTo(dtype));
        if (net.hasRunningStats()) {
            if (posterior.runningStats() == null) {
                throw new IOException(run.checkpoint() + ": the network has BatchNorm layers but the checkpoint holds no "
                        + "running statistics");
            }
            FlatTensor b = FlatTensor.zeros(net.runningStatsLayout(), dtype);
            b.flat().assign(posterior.runningStats().flat().castTo(dtype));
            net.setRunningStats(b);
        }
        MultiLayerNetwork model = Dl4jExport.toMultiLayerNetwork(net, mean);

        Path out = p.out().toAbsolutePath();
        double[] diff = new double[1];
        AtomicFiles.write(out, tmp -> {
            ModelSerializer.writeModel(model, tmp.toFile(), false);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(tmp.toFile(), false);
            diff[0] = Dl4jExport.maxOutputDifference(restored, net, mean, checkInputs(net, dtype));
            double tol = dtype == DataType.DOUBLE ? 1e-10 : 1e-4;
            if (!(diff[0] <= tol)) {
                throw new IOException("export check failed: DL4J output differs from ngvi's by " + diff[0] + " > " + tol);
            }
        });
        Path description = out.resolveSibling(out.getFileName() + ".json");
        AtomicFiles.write(description, JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(describe(run, c, net, model, diff[0])));
        console.printf(Locale.ROOT, "ngvi export-dl4j: %s -> %s (%d DL4J layers, %d parameters, %s, posterior mean of %s "
                        + "step %d); DL4J output vs ngvi on %d random inputs: max |dp| = %.3g%n", run.dir(), out,
                model.getnLayers(), model.numParams(), dtype.name().toLowerCase(Locale.ROOT), c.optimizer(), c.step(),
                CHECK_INPUTS, diff[0]);
        return new Result(out, description, model.numParams(), diff[0]);
    }

    /** Standard-normal inputs {@code [CHECK_INPUTS, inputShape...]} from a fixed seed. */
    private static INDArray checkInputs(Network net, DataType dtype) {
        long[] in = net.inputShape();
        long[] shape = new long[in.length + 1];
        shape[0] = CHECK_INPUTS;
        System.arraycopy(in, 0, shape, 1, in.length);
        INDArray x = Nd4j.create(DataType.DOUBLE, shape);
        SplittableRandom rng = new SplittableRandom(20240601L);
        for (long i = 0; i < x.length(); i++) {
            double u = 1.0 - rng.nextDouble();
            x.putScalar(i, Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return x.castTo(dtype);
    }

    private static ObjectNode describe(RunDirectory run, ModelCheckpoint c, Network net, MultiLayerNetwork model,
                                       double diff) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "DL4J 1.0.0-M2 MultiLayerNetwork (ModelSerializer, no updater)");
        o.put("source_run", run.dir().toAbsolutePath().toString());
        o.put("optimizer", c.optimizer());
        o.put("step", c.step());
        o.put("parameters", c.optimizer().equals("vogn") ? "posterior mean" : "point estimate");
        o.put("dtype", net.dataType().name().toLowerCase(Locale.ROOT));
        o.put("dl4j_num_params", model.numParams());
        o.set("ngvi_spec", net.spec().toJson());
        ObjectNode input = o.putObject("input");
        JsonNode shape = net.spec().toJson().get("input_shape");
        input.set("per_example_shape", shape);
        input.put("layout", shape.size() == 3 ? "[B, C, H, W] (NCHW)" : "[B, features]");
        JsonNode normalize = c.metadata().path("config").path("normalize");
        input.put("preprocessing", "as in training" + (normalize.isMissingNode() ? "" : ": normalize = " + normalize.asText())
                + " (see the run's provenance.json)");
        input.put("output", net.spec().loss().equals("bce_with_logits") ? "P(y = 1) (sigmoid)" : "class probabilities (softmax)");
        ObjectNode check = o.putObject("check");
        check.put("random_inputs", CHECK_INPUTS);
        check.put("max_abs_probability_difference", diff);
        return o;
    }
}
