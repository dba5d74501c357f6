package org.ngvi.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ngvi.dl4j.Dl4jImport;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.nn.Network;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerState;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.eval.EvalResult;
import org.ngvi.spark.eval.Evaluation;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.spark.train.ParameterAveragingTrainer;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.spark.train.TrainJob;
import org.ngvi.tensor.FlatTensor;

/**
 * Our Adam and VOGN trainers beside DL4J Spark's {@code ParameterAveragingTrainingMaster} with Adam
 * ({@link Dl4jSparkBaseline}), on the same prepared Parquet, Spark master, epochs, batch, K local
 * steps (DL4J's averaging frequency) and initial weights, all three evaluated on the test set by
 * the same code ({@link Evaluation}: DL4J's trained network is imported with
 * {@link Dl4jImport#parameters} and predicted as a point estimate). Models: the MLP of
 * {@code configs/fmnist_mlp_*.json} and LeNet-5+BN of {@code configs/fmnist_lenet5_bn_*.json}
 * (Adam without weight decay, which DL4J would apply differently; VOGN with 1 MC sample per step).
 * Everything runs in averaging mode ({@code aggregation=average}, {@code local_steps=K}) over as many
 * partitions as the master has cores.
 */
final class Dl4jSparkComparison {
    private Dl4jSparkComparison() {
    }

    /** One table row: model, trainer, throughput and test metrics. */
    record Row(String model, String trainer, double examplesPerSecond, double seconds, EvalResult test) {
    }

    /** The models compared: name and the overrides of their Adam and VOGN configs beyond the common ones. */
    private record ModelRuns(String key, String name, String adamConfig, List<String> adamSets, String vognConfig, List<String> vognSets) {
    }

    private static final List<ModelRuns> MODELS = List.of(
            new ModelRuns("mlp", "MLP 784-400-400-10", "configs/fmnist_mlp_adam.json", List.of(),
                    "configs/fmnist_mlp_vogn.json", List.of()),
            new ModelRuns("lenet", "LeNet-5+BN", "configs/fmnist_lenet5_bn_adam.json", List.of("optim_args.weight_decay=0"),
                    "configs/fmnist_lenet5_bn_vogn.json", List.of("optim_args.num_mc_samples=1")));

    /** Trains and evaluates the {@code models} ({@code mlp}, {@code lenet}) with the three trainers; prints rows as they finish and the table at the end. */
    static List<Row> run(SparkSession spark, Path trainDir, Path testDir, int epochs, int localSteps, List<String> models,
                         PrintStream out) throws Exception {
        for (String k : models) {
            if (MODELS.stream().noneMatch(m -> m.key().equals(k))) {
                throw new IllegalArgumentException("--dl4j-models: unknown model '" + k + "' (expected mlp or lenet)");
            }
        }
        int partitions = spark.sparkContext().defaultParallelism();
        List<String> common = List.of("epochs=" + epochs, "aggregation=average", "local_steps=" + localSteps,
                "partitions=" + partitions);
        List<Row> rows = new ArrayList<>();
        for (ModelRuns m : MODELS) {
            if (!models.contains(m.key())) {
                continue;
            }
            TrainConfig adam = TrainConfig.load(Path.of(m.adamConfig()), concat(common, m.adamSets()));
            TrainConfig vogn = TrainConfig.load(Path.of(m.vognConfig()), concat(common, m.vognSets()));
            try (ImageDataset train = ImageDataset.open(spark, trainDir, partitions, adam.seed());
                 ImageDataset test = ImageDataset.open(spark, testDir, partitions, adam.seed())) {
                rows.add(print(out, dl4j(spark, m.name(), adam, train, test)));
                rows.add(print(out, ours(spark, m.name(), "ngvi Adam", adam, train, test)));
                rows.add(print(out, ours(spark, m.name(), "ngvi VOGN", vogn, train, test)));
            }
        }
        out.println();
        out.println(table(rows, spark.sparkContext().master(), epochs, localSteps));
        return rows;
    }

    private static RunSetup setup(TrainConfig c, ImageDataset d) {
        BatchPlan plan = new BatchPlan(c.seed(), d.partitionCounts(), c.batchSize(), c.localSteps());
        return new RunSetup(TrainJob.network(c, d.manifest()), c.dtype(), TrainJob.normalization(c, d.manifest()), plan,
                c.optim().params(d.manifest().rows(), null, plan.stepsPerEpoch()), c.sync(), c.seed());
    }

    private static Row ours(SparkSession spark, String model, String name, TrainConfig c, ImageDataset train, ImageDataset test)
            throws Exception {
        RunSetup setup = setup(c, train);
        ParameterAveragingTrainer.Outcome o = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, c.valBatchSize(),
                new PrintStream(new ByteArrayOutputStream())).train(train, null, null, null);
        GaussianPosterior post = posterior(setup.optimizer().create(), setup, o.state());
        if (o.runningStats() != null) {
            post = post.withRunningStats(o.runningStats());
        }
        int mc = post.isPointEstimate() ? 0 : c.optim().valNumMcSamples();
        EvalResult r = Evaluation.evaluate(spark, test, post, setup.dataType(), setup.normalization(), mc, c.valBatchSize(), c.seed());
        return new Row(model, name, o.examplesPerSecond(), o.seconds(), r);
    }

    private static Row dl4j(SparkSession spark, String model, TrainConfig c, ImageDataset train, ImageDataset test) {
        RunSetup setup = setup(c, train);
        Dl4jSparkBaseline.Trained t = Dl4jSparkBaseline.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), setup,
                train, c.epochs());
        Network ours = Network.build(setup.spec(), setup.dataType());
        FlatTensor params = Dl4jImport.parameters(t.network(), ours);
        GaussianPosterior post = GaussianPosterior.pointEstimate(setup.spec(), params);
        if (ours.hasRunningStats()) {
            post = post.withRunningStats(ours.runningStats());
        }
        EvalResult r = Evaluation.evaluate(spark, test, post, setup.dataType(), setup.normalization(), 0, c.valBatchSize(), c.seed());
        return new Row(model, "DL4J Spark Adam", t.examplesPerSecond(), t.seconds(), r);
    }

    @SuppressWarnings("unchecked")
    private static <S extends OptimizerState> GaussianPosterior posterior(Optimizer<S> alg, RunSetup setup, OptimizerState state) {
        return alg.posterior(setup.spec(), (S) state);
    }

    private static Row print(PrintStream out, Row r) {
        MetricsResult m = r.test().metrics();
        out.print(String.format(Locale.ROOT, "%s, %s: %.0f examples/s (%.0f s), accuracy %.4f, NLL %.4f, ECE %.4f%n",
                r.model(), r.trainer(), r.examplesPerSecond(), r.seconds(), m.accuracy(), m.nll(), m.ece()));
        out.flush();
        return r;
    }

    /** The rows as a Markdown table. */
    static String table(List<Row> rows, String master, int epochs, int localSteps) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Fashion-MNIST, Spark %s, %d epoch(s), batch 128 (per task 128 / tasks), parameters averaged every K = %d steps; "
                        + "test set (10,000)%n", master, epochs, localSteps));
        s.append("| model | trainer | examples/s | train s | accuracy | NLL | ECE | predictive |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            MetricsResult m = r.test().metrics();
            s.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.4f | %.4f | %.4f | %s |%n", r.model(), r.trainer(),
                    r.examplesPerSecond(), r.seconds(), m.accuracy(), m.nll(), m.ece(),
                    r.test().mcSamples() == 0 ? "weights" : r.test().mcSamples() + " weight samples"));
        }
        return s.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }
}
