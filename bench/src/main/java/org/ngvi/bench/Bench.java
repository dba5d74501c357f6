package org.ngvi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.ngvi.cli.Cli;
import org.ngvi.cli.ConfigOverrideOptions;
import org.ngvi.cli.Converters;
import org.ngvi.cli.SparkSessions;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.spark.data.Example;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code bench/run [--steps N] [--local-steps K] [--skip-spark]}: prints the step-time ratio and
 * the Spark-versus-single-process throughput, all measured in this one run. {@code --reference S}
 * (or {@code FROM-TO}) instead trains the shipped configs single-process for those seeds and prints
 * test metrics beside the PyTorch reference's ranges ({@link ReferenceMatch}); {@code --cross-check DIR}
 * trains the VOGN MLP from inputs the PyTorch transcription replays ({@link CrossCheck}). {@code --reader} instead measures the training reader's images/s with
 * augmentation ({@link ReaderBenchmark}) beside what the VOGN trainer consumes. {@code --conv} instead
 * times VOGN and Adam steps of LeNet-5+BN and ResNet-18 and the ResNet-18 VOGN step's peak memory
 * ({@link ConvStepBenchmark}). {@code --prep} instead measures the prepare jobs' images/s ({@link PrepBenchmark}).
 * {@code --dl4j-spark} instead puts our Adam and VOGN trainers beside DL4J Spark's parameter averaging ({@link Dl4jSparkComparison}).
 * Options are parsed by picocli ({@link Cli}): {@code bench/run --help} lists them with their defaults.
 */
@Command(name = "bench/run", description = "VOGN/Adam step-time ratio and Spark local[2] vs single-process throughput, "
        + "or one of the other benchmarks below, all measured in this run")
public final class Bench implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Option(names = "--steps", paramLabel = "N", defaultValue = "300", converter = Converters.PositiveInt.class,
            description = "timed optimizer steps per method (also of LeNet-5 with --conv)")
    int steps;
    @Option(names = "--local-steps", paramLabel = "K", defaultValue = "10", converter = Converters.PositiveInt.class,
            description = "local steps per round of the averaging trainer (and of --reader's VOGN)")
    int localSteps;
    @Option(names = "--skip-spark", description = "step times only, no Spark throughput")
    boolean skipSpark;
    @Option(names = "--tuned", description = "OPENBLAS_CORETYPE=SkylakeX and friends (set by bench/run for the JVM)")
    boolean tuned;
    @Option(names = "--onednn", description = "ND4J's linux-x86_64-onednn build, so convolutions run on oneDNN (bench/run builds and picks the class path)")
    boolean onednn;
    @Option(names = "--cuda", description = "built with -Pcuda (bench/run does it): ND4J computes on nd4j-cuda-11.6")
    boolean cuda;
    @Option(names = "--reference", paramLabel = "S|FROM-TO", converter = SeedRange.Converter.class,
            description = "train the shipped MLP configs single-process for seeds 1..S (or FROM..TO); test metrics beside the reference's")
    SeedRange reference;
    @Option(names = "--only", paramLabel = "vogn|adam", description = "with --reference: only this config (default: both)")
    String only;
    @Mixin
    ConfigOverrideOptions overrides;
    @Option(names = "--cross-check", paramLabel = "DIR",
            description = "train the VOGN MLP in float64 from inputs written to DIR that vogn_mlp.py --cross-check replays")
    Path crossCheck;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of --cross-check")
    int crossSeed;
    @Option(names = "--epochs", paramLabel = "E", defaultValue = "3", converter = Converters.PositiveInt.class,
            description = "epochs of --cross-check and --dl4j-spark")
    int crossEpochs;
    @Option(names = "--reader", description = "images/s of the training reader with augmentation, beside VOGN's examples/s")
    boolean reader;
    @Option(names = "--conv", description = "VOGN/Adam step times of LeNet-5+BN and ResNet-18, and the ResNet-18 VOGN step's peak memory")
    boolean conv;
    @Option(names = "--resnet-steps", paramLabel = "R", defaultValue = "20", converter = Converters.NonNegativeInt.class,
            description = "timed ResNet-18 steps per method with --conv (0: LeNet only)")
    int resnetSteps;
    @Option(names = "--prep", description = "images/s of prepare idx and prepare imagefolder")
    boolean prep;
    @Option(names = "--throughput", description = "only the Spark-vs-single-process throughput (MLP sync and average K, "
            + "LeNet-5+BN sync), each with its per-phase round times and bytes per round")
    boolean throughput;
    @Option(names = "--lenet-rounds", paramLabel = "R", defaultValue = "60", converter = Converters.PositiveInt.class,
            description = "rounds of LeNet-5+BN with --throughput")
    int lenetRounds;
    @Option(names = "--job-overhead", description = "the bare cost of a 2-task Spark job on local[2]")
    boolean jobOverhead;
    @Option(names = "--modes", description = "the VOGN MLP config, 3 epochs, sync vs average K (--local-steps) on local[2]: "
            + "examples/s and test metrics (runs/bench-modes)")
    boolean modes;
    @Option(names = "--dl4j-spark", description = "our Adam and VOGN beside DL4J Spark's ParameterAveragingTrainingMaster "
            + "(Adam) on local[2], MLP and LeNet-5+BN, K = --local-steps, --epochs E: examples/s and test accuracy, NLL, ECE")
    boolean dl4jSpark;
    @Option(names = "--dl4j-models", paramLabel = "mlp,lenet", split = ",", defaultValue = "mlp,lenet",
            description = "models of --dl4j-spark")
    List<String> dl4jModels;

    /**
     * The seeds of {@code --reference}: {@code "S"} is 1..S, {@code "A-B"} is A..B.
     *
     * @param seeds in increasing order
     */
    record SeedRange(int[] seeds) {
        /** Parses {@code S} or {@code FROM-TO}. */
        static final class Converter implements ITypeConverter<SeedRange> {
            @Override
            public SeedRange convert(String s) {
                String[] parts = s.split("-");
                try {
                    int from = parts.length == 2 ? Integer.parseInt(parts[0]) : 1;
                    int to = Integer.parseInt(parts[parts.length - 1]);
                    if (parts.length <= 2 && from >= 0 && to >= from) {
                        return new SeedRange(IntStream.rangeClosed(from, to).toArray());
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new TypeConversionException("expected S (seeds 1..S) or FROM-TO, found '" + s + "'");
            }
        }
    }

    /**
     * The prepared Fashion-MNIST split {@code train} or {@code t10k} in {@code data/fashion-mnist/{train,test}} (the
     * demo's folders), prepared from {@code source} first when missing.
     */
    private static Path prepared(SparkSession s, Path source, String split) throws Exception {
        Path dir = Path.of("data/fashion-mnist", split.equals("train") ? "train" : "test");
        if (!Files.exists(dir.resolve(org.ngvi.data.DatasetManifest.FILE_NAME))) {
            PrepareIdxJob.run(s, new PrepareIdxParams(source.resolve(split + "-images-idx3-ubyte.gz").toString(),
                    source.resolve(split + "-labels-idx1-ubyte.gz").toString(), dir.toString(), false, 0).validate());
        }
        return dir;
    }

    public static void main(String[] args) {
        Cli.main("bench/run", new Bench(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (only != null && !only.equals("vogn") && !only.equals("adam")) {
            throw new ParameterException(spec.commandLine(), "--only takes vogn or adam, got " + only);
        }
        Path source = Path.of("/usr/share/datasets/fashion-mnist");
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        System.out.println("OpenBLAS core type: " + (coretype == null ? "auto-detected (default)" : coretype + " (bench/run --tuned)")
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + ", ND4J backend " + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName());
        if (cuda && !org.ngvi.spark.train.GpuBinding.cudaBackend()) {
            throw new ParameterException(spec.commandLine(), "--cuda: ND4J runs on "
                    + org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName() + "; bench/run --cuda builds with -Pcuda");
        }
        if (crossCheck != null) {
            CrossCheck.run(source, crossCheck, crossSeed, crossEpochs, overrides.overrides());
            return 0;
        }
        if (reference != null) {
            int[] referenceSeeds = reference.seeds();
            if (only == null || only.equals("vogn")) {
                ReferenceMatch.run(System.out, source, "configs/fmnist_mlp_vogn.json", referenceSeeds, overrides.overrides());
                System.out.println("  PyTorch reference (3 seeds): accuracy 0.825-0.839, NLL 0.45-0.48, ECE 0.019-0.022");
            }
            if (only == null || only.equals("adam")) {
                ReferenceMatch.run(System.out, source, "configs/fmnist_mlp_adam.json", referenceSeeds, overrides.overrides());
                System.out.println("  PyTorch reference (3 seeds): accuracy 0.857-0.873, NLL 0.36-0.39, ECE 0.010-0.029");
            }
            return 0;
        }
        if (modes) {
            SparkSession ms = SparkSessions.create("ngvi-bench-modes", "local[2]");
            try {
                System.out.println(ModeComparison.run(ms, source, localSteps, overrides.overrides()));
            } finally {
                ms.stop();
            }
            return 0;
        }
        if (dl4jSpark) {
            SparkSession s = SparkSession.builder().master("local[2]").appName("ngvi-bench-dl4j-spark")
                    .config("spark.ui.enabled", "false").getOrCreate();
            try {
                Dl4jSparkComparison.run(s, prepared(s, source, "train"), prepared(s, source, "t10k"), crossEpochs, localSteps,
                        dl4jModels, System.out);
            } finally {
                s.stop();
            }
            return 0;
        }
        if (prep) {
            System.out.println(PrepBenchmark.run(source));
            return 0;
        }
        if (reader) {
            ReaderBenchmark.runAll(source, localSteps);
            return 0;
        }
        Example[] examples = FashionMnistBatches.read(source, 60_000);
        if (conv) {
            System.out.println(ConvStepBenchmark.run(examples, steps, resnetSteps));
            return 0;
        }
        if (!throughput && !jobOverhead) {
            System.out.println(StepBenchmark.run(examples, 50, steps));
        }
        if (skipSpark) {
            return 0;
        }
        // the jobs' own session defaults (direct task results, uncompressed broadcasts) on local[2]
        SparkSession s = SparkSessions.create("ngvi-bench", "local[2]");
        try {
            Path train = Path.of("data/fashion-mnist/train");
            if (!Files.exists(train.resolve(org.ngvi.data.DatasetManifest.FILE_NAME))) {
                PrepareIdxJob.run(s, new PrepareIdxParams(source.resolve("train-images-idx3-ubyte.gz").toString(),
                        source.resolve("train-labels-idx1-ubyte.gz").toString(), train.toString(), false, 0).validate());
            }
            if (jobOverhead) {
                StringBuilder b = new StringBuilder();
                ThroughputBenchmark.jobOverhead(s, train, b);
                System.out.println(b);
            } else {
                System.out.println(ThroughputBenchmark.run(s, train, localSteps, throughput ? lenetRounds : 0));
            }
        } finally {
            s.stop();
        }
        return 0;
    }
}
