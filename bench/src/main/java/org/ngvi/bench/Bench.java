package org.ngvi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.spark.data.Example;

/**
 * {@code bench/run [--steps N] [--local-steps K] [--skip-spark]}: prints the step-time ratio and
 * the Spark-versus-single-process throughput, all measured in this one run. {@code --reference S}
 * (or {@code FROM-TO}) instead trains the shipped configs single-process for those seeds and prints
 * test metrics beside the PyTorch reference's ranges ({@link ReferenceMatch}); {@code --cross-check DIR}
 * trains the VOGN MLP from inputs the PyTorch transcription replays ({@link CrossCheck}). {@code --reader} instead measures the training reader's images/s with
 * augmentation ({@link ReaderBenchmark}) beside what the VOGN trainer consumes. {@code --conv} instead
 * times VOGN and Adam steps of LeNet-5+BN and ResNet-18 and the ResNet-18 VOGN step's peak memory
 * ({@link ConvStepBenchmark}). {@code --prep} instead measures the prepare jobs' images/s ({@link PrepBenchmark}).
 */
public final class Bench {
    private Bench() {
    }

    /** {@code "S"}: seeds 1..S; {@code "A-B"}: seeds A..B. */
    private static int[] seedRange(String s) {
        String[] parts = s.split("-");
        int from = parts.length == 2 ? Integer.parseInt(parts[0]) : 1;
        int to = Integer.parseInt(parts[parts.length - 1]);
        if (parts.length > 2 || from < 0 || to < from) {
            throw new IllegalArgumentException("--reference takes S (seeds 1..S) or FROM-TO, got " + s);
        }
        return java.util.stream.IntStream.rangeClosed(from, to).toArray();
    }

    public static void main(String[] args) throws Exception {
        int steps = 300;
        int localSteps = 10;
        boolean spark = true;
        int[] referenceSeeds = null;
        boolean reader = false;
        boolean conv = false;
        boolean prep = false;
        int resnetSteps = 20;
        java.util.List<String> overrides = new java.util.ArrayList<>();
        String only = null;
        Path crossCheck = null;
        int crossSeed = 1;
        int crossEpochs = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--local-steps" -> localSteps = Integer.parseInt(args[++i]);
                case "--skip-spark" -> spark = false;
                case "--tuned", "--onednn" -> { } // handled by bench/run (environment and class path of the JVM)
                case "--reference" -> referenceSeeds = seedRange(args[++i]);
                case "--reader" -> reader = true;
                case "--conv" -> conv = true;
                case "--prep" -> prep = true;
                case "--resnet-steps" -> resnetSteps = Integer.parseInt(args[++i]);
                case "--set" -> overrides.add(args[++i]);
                case "--only" -> only = args[++i];
                case "--cross-check" -> crossCheck = Path.of(args[++i]);
                case "--seed" -> crossSeed = Integer.parseInt(args[++i]);
                case "--epochs" -> crossEpochs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "\nusage: bench/run [--steps N] [--local-steps K] [--skip-spark] [--reference S|FROM-TO [--only vogn|adam] [--set key=value]...] [--cross-check DIR [--seed S] [--epochs E]] [--reader] [--conv [--resnet-steps R]] [--prep] [--tuned] [--onednn]");
            }
        }
        Path source = Path.of("/usr/share/datasets/fashion-mnist");
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        System.out.println("OpenBLAS core type: " + (coretype == null ? "auto-detected (default)" : coretype + " (bench/run --tuned)")
                + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        if (crossCheck != null) {
            CrossCheck.run(source, crossCheck, crossSeed, crossEpochs, overrides);
            return;
        }
        if (referenceSeeds != null) {
            if (only != null && !only.equals("vogn") && !only.equals("adam")) {
                throw new IllegalArgumentException("--only takes vogn or adam, got " + only);
            }
            if (only == null || only.equals("vogn")) {
                ReferenceMatch.run(System.out, source, "configs/fmnist_mlp_vogn.json", referenceSeeds, overrides);
                System.out.println("  PyTorch reference (3 seeds): accuracy 0.825-0.839, NLL 0.45-0.48, ECE 0.019-0.022");
            }
            if (only == null || only.equals("adam")) {
                ReferenceMatch.run(System.out, source, "configs/fmnist_mlp_adam.json", referenceSeeds, overrides);
                System.out.println("  PyTorch reference (3 seeds): accuracy 0.857-0.873, NLL 0.36-0.39, ECE 0.010-0.029");
            }
            return;
        }
        if (prep) {
            System.out.println(PrepBenchmark.run(source));
            return;
        }
        if (reader) {
            ReaderBenchmark.runAll(source, localSteps);
            return;
        }
        Example[] examples = FashionMnistBatches.read(source, 60_000);
        if (conv) {
            System.out.println(ConvStepBenchmark.run(examples, steps, resnetSteps));
            return;
        }
        System.out.println(StepBenchmark.run(examples, 50, steps));
        if (!spark) {
            return;
        }
        SparkSession s = SparkSession.builder().master("local[2]").appName("ngvi-bench").config("spark.ui.enabled", "false").getOrCreate();
        try {
            Path train = Path.of("data/fashion-mnist/train");
            if (!Files.exists(train.resolve(org.ngvi.data.DatasetManifest.FILE_NAME))) {
                PrepareIdxJob.run(s, new PrepareIdxParams(source.resolve("train-images-idx3-ubyte.gz").toString(),
                        source.resolve("train-labels-idx1-ubyte.gz").toString(), train.toString(), false, 0).validate());
            }
            System.out.println(ThroughputBenchmark.run(s, train, localSteps));
        } finally {
            s.stop();
        }
    }
}
