package org.ngvi.spark.continual;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.PixelNormalization;
import org.ngvi.io.AtomicFiles;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.Ewc;
import org.ngvi.optim.EwcState;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerParams;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.random.Seeds;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.eval.Evaluation;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.spark.train.ParameterAveragingTrainer;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.spark.train.TrainJob;
import org.ngvi.tensor.FlatTensor;

/**
 * Continual learning on permuted tasks: for each method, tasks 1..T are trained one after the
 * other by the {@link ParameterAveragingTrainer} on the training set under {@link TaskPermutation}
 * π_t, and after each task the predictive is evaluated on the test set under π_1..π_t.
 * <ul>
 * <li>{@code vogn}: task 1 is ordinary VOGN training with the config's isotropic prior; task t ≥ 2
 *     starts at the posterior mean μ_{t−1} with the per-parameter prior N(μ_{t−1}, diag(1/p_{t−1})),
 *     p_{t−1} = {@link Vogn#posteriorPrecision} of task t − 1's posterior (the reference hands over
 *     the same prior but restarts from fresh weights; starting at μ_{t−1} converges in fewer epochs),
 *     and the curvature restarts at the config's {@code init_precision};</li>
 * <li>{@code vogn_coreset}: as {@code vogn}, but (VCL, Nguyen et al. 2018) task t's coreset C_t of
 *     {@code coreset_size} random training examples is held out of its training; the propagated
 *     posterior q̃_t is trained on D_t \ C_t, and the predictive is q̃_t fine-tuned for
 *     {@code coreset_epochs} with q̃_t as prior on C_1 ∪ … ∪ C_t (each under its own π), N = |∪C|;</li>
 * <li>{@code ewc}: Adam with the {@link Ewc} penalty; after task t the diagonal Fisher of D_t at θ*_t
 *     ({@link FisherPass}) joins it, and Adam's moments restart;</li>
 * <li>{@code adam}: Adam restarted at the previous weights each task (fine-tuning).</li>
 * </ul>
 * With one task every method is the ordinary training run of its config. {@code OUT/continual.json}
 * is rewritten after every task, so an interrupted run keeps what it finished.
 */
public final class ContinualRun {
    /** The result file in {@code OUT}. */
    public static final String RESULT = "continual.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final ContinualJob.Params params;
    private final PrintStream console;
    private final long seed;
    private final int partitions;
    private ImageDataset train;
    private ImageDataset test;
    private final List<TaskPermutation> permutations = new ArrayList<>();
    private final List<ImageDataset> testSets = new ArrayList<>();
    private final List<MethodResult> results = new ArrayList<>();

    private ContinualRun(SparkSession spark, ContinualJob.Params params, PrintStream console) {
        this.spark = spark;
        this.params = params;
        this.console = console;
        TrainConfig first = params.configs().get(0).train();
        this.seed = first.seed();
        this.partitions = first.partitions() != null ? first.partitions() : spark.sparkContext().defaultParallelism();
    }

    /** Runs every configured method on {@code params.tasks()} tasks; returns their results (also in {@code OUT}). */
    public static List<MethodResult> run(SparkSession spark, ContinualJob.Params params, PrintStream console) throws IOException {
        ContinualRun r = new ContinualRun(spark, params, console);
        try {
            r.open();
            for (ContinualConfig c : params.configs()) {
                r.runMethod(c);
            }
            return List.copyOf(r.results);
        } finally {
            r.close();
        }
    }

    /** Opens the sets and checks them against every config before any training. */
    private void open() throws IOException {
        Files.createDirectories(params.out());
        train = ImageDataset.open(spark, params.train(), partitions, seed);
        test = ImageDataset.open(spark, params.test(), partitions, seed);
        DatasetManifest m = train.manifest();
        if (m.channels() != 1) {
            throw new IllegalArgumentException(params.train() + ": _manifest.json shape " + Arrays.toString(m.shape())
                    + " has " + m.channels() + " channels; continual tasks permute the pixels of one-channel images (expected [H, W, 1])");
        }
        if (!Arrays.equals(test.manifest().shape(), m.shape())) {
            throw new IllegalArgumentException(params.test() + ": _manifest.json shape " + Arrays.toString(test.manifest().shape())
                    + " differs from the training set's " + Arrays.toString(m.shape()) + " (" + params.train()
                    + "): every task's test set must have its training set's shape");
        }
        if (test.manifest().numClasses() != m.numClasses()) {
            throw new IllegalArgumentException(params.test() + ": " + test.manifest().numClasses() + " classes, the training set "
                    + params.train() + " has " + m.numClasses());
        }
        for (ContinualConfig c : params.configs()) {
            TrainJob.network(c.train(), m); // the model must fit the data: fail before any training
        }
        for (int t = 1; t <= params.tasks(); t++) {
            permutations.add(TaskPermutation.of(seed, t, m.height() * m.width()));
        }
        console.printf(Locale.ROOT, "continual: %d tasks of %s (%d training, %d test examples, %s), task 1 the identity, "
                        + "tasks 2..%d pixel permutations seeded by (seed %d, task); methods %s%n",
                params.tasks(), params.train(), train.rows(), test.rows(), Arrays.toString(m.shape()), params.tasks(), seed,
                params.configs().stream().map(c -> c.method().configName()).toList());
    }

    private void close() {
        testSets.forEach(ImageDataset::close);
        if (train != null) {
            train.close();
        }
        if (test != null) {
            test.close();
        }
    }

    /** The test set of task j (1-based), made once and kept for every method. */
    private ImageDataset testSet(int j) {
        while (testSets.size() < j) {
            testSets.add(test.transform(permutations.get(testSets.size())));
        }
        return testSets.get(j - 1);
    }

    private void runMethod(ContinualConfig cc) throws IOException {
        TrainConfig c = cc.train();
        DatasetManifest m = train.manifest();
        NetworkSpec spec = TrainJob.network(c, m);
        PixelNormalization norm = TrainJob.normalization(c, m);
        MethodResult result = new MethodResult(cc.method(), c.json());
        results.add(result);
        String name = cc.method().configName();
        OptimizerState state = null;
        Optimizer<?> optimizer = null;
        FlatTensor fisher = null;
        List<Example> coresets = new ArrayList<>();
        for (int t = 1; t <= params.tasks(); t++) {
            long t0 = System.nanoTime();
            TaskPermutation perm = permutations.get(t - 1);
            ImageDataset taskTrain;
            if (cc.method() == ContinualMethod.VOGN_CORESET) {
                Set<Long> chosen = coresetIndices(t, cc.coresetSize());
                long stride = maxIndex() + 1;
                long shift = (t - 1) * stride;
                taskTrain = train.transform(e -> chosen.contains(e.index()) ? null : perm.apply(e));
                try (ImageDataset core = train.transform(e -> chosen.contains(e.index()) ? perm.apply(e) : null)) {
                    // indices made unique across tasks, so the union's order within a partition is fixed
                    core.examples().collect().forEach(e -> coresets.add(new Example(e.index() + shift, e.label(), e.image())));
                }
            } else {
                taskTrain = train.transform(perm);
            }
            GaussianPosterior predictive;
            try {
                BatchPlan plan = new BatchPlan(c.seed(), taskTrain.partitionCounts(), c.batchSize(), c.localSteps());
                long n = c.datasetSize() != null ? c.datasetSize() : taskTrain.rows();
                OptimizerParams op = c.optim().params(n, spec, plan.stepsPerEpoch());
                OptimizerState initial = null;
                if (t > 1) {
                    switch (cc.method()) {
                        case VOGN, VOGN_CORESET -> {
                            op = ((VognParams) op).withPerParameterPrior(true);
                            initial = priorFromPosterior((VognParams) op, (Vogn) optimizer, (VognState) state);
                        }
                        case EWC -> initial = ((Ewc) op.create()).nextTask((EwcState) state, fisher);
                        case ADAM -> initial = op.create().init(state.params());
                    }
                }
                RunSetup setup = new RunSetup(spec, c.dtype(), norm, plan, op, c.sync(), c.seed(), c.augmentation());
                final int task = t;
                ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, c.valBatchSize(),
                        new PrintStream(OutputStream.nullOutputStream()));
                state = trainer.trainFrom(initial, taskTrain, (epoch, s, loss, secs) -> console.printf(Locale.ROOT,
                        "%s task %d/%d epoch %d/%d: train loss %.4f, %.1f s%n", name, task, params.tasks(), epoch + 1,
                        c.epochs(), loss, secs)).state();
                optimizer = op.create();
                predictive = posterior(optimizer, spec, state);
                if (cc.method() == ContinualMethod.EWC) {
                    fisher = FisherPass.compute(spark, taskTrain, spec, c.dtype(), norm, state.params(), c.valBatchSize());
                }
                if (cc.method() == ContinualMethod.VOGN_CORESET) {
                    predictive = coresetPredictive(cc, spec, norm, (VognParams) op, (Vogn) optimizer, (VognState) state,
                            coresets, t);
                }
            } finally {
                taskTrain.close();
            }
            double trainSecs = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            List<MetricsResult> seen = new ArrayList<>();
            int mc = predictive.isPointEstimate() ? 0 : c.optim().valNumMcSamples();
            for (int j = 1; j <= t; j++) {
                seen.add(Evaluation.evaluate(spark, testSet(j), predictive, setup(c), norm, mc, c.valBatchSize(), c.seed())
                        .metrics());
            }
            double evalSecs = (System.nanoTime() - t1) / 1e9;
            result.addTask(seen, trainSecs, evalSecs);
            StringBuilder acc = new StringBuilder();
            seen.forEach(x -> acc.append(String.format(Locale.ROOT, " %.4f", x.accuracy())));
            console.printf(Locale.ROOT, "%s after task %d/%d: test accuracy of tasks 1..%d [%s ], average %.4f "
                            + "(train %.1f s, evaluation %.1f s)%n", name, t, params.tasks(), t, acc, result.average(t),
                    trainSecs, evalSecs);
            write();
        }
        console.printf(Locale.ROOT, "%s done: average accuracy after %d tasks %.4f; training %.1f s, evaluation %.1f s%n",
                name, params.tasks(), result.average(params.tasks()), result.trainSeconds(), result.evalSeconds());
    }

    private static org.nd4j.linalg.api.buffer.DataType setup(TrainConfig c) {
        return c.dtype().equals("float64") ? org.nd4j.linalg.api.buffer.DataType.DOUBLE : org.nd4j.linalg.api.buffer.DataType.FLOAT;
    }

    /**
     * The first state of the next task: μ = m = the posterior mean, p = the posterior precision
     * ({@link Vogn#posteriorPrecision}), s = the config's init precision.
     */
    static VognState priorFromPosterior(VognParams next, Vogn previous, VognState posterior) {
        return next.create().init(posterior.mean(), posterior.mean(), previous.posteriorPrecision(posterior));
    }

    /** VCL's predictive after task t: q̃_t fine-tuned with itself as prior on the union of the coresets. */
    private GaussianPosterior coresetPredictive(ContinualConfig cc, NetworkSpec spec, PixelNormalization norm, VognParams taskParams,
                                                Vogn taskOptimizer, VognState propagated, List<Example> coresets, int t)
            throws IOException {
        TrainConfig c = cc.train();
        try (ImageDataset core = ImageDataset.of(spark, params.train(), train.manifest(), coresets, 1, c.seed())) {
            int batch = (int) Math.min(c.batchSize(), core.rows());
            // one partition, one round per epoch: the fine-tuning is single-process VOGN without a round's overhead per step
            BatchPlan plan = new BatchPlan(c.seed(), core.partitionCounts(), batch, (int) (core.rows() / batch));
            VognParams fp = ((VognParams) c.optim().params(core.rows(), spec, plan.stepsPerEpoch())).withPerParameterPrior(true);
            VognState initial = priorFromPosterior(fp, taskOptimizer, propagated);
            RunSetup setup = new RunSetup(spec, c.dtype(), norm, plan, fp, c.sync(), c.seed(), c.augmentation());
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(spark, setup, cc.coresetEpochs(), 0, c.valBatchSize(),
                    new PrintStream(OutputStream.nullOutputStream()));
            OptimizerState tuned = trainer.trainFrom(initial, core, null).state();
            console.printf(Locale.ROOT, "%s task %d/%d: predictive fine-tuned %d epochs on the %d coreset examples of tasks 1..%d%n",
                    cc.method().configName(), t, params.tasks(), cc.coresetEpochs(), core.rows(), t);
            return fp.create().posterior(spec, (VognState) tuned);
        }
    }

    /** {@code size} distinct row indices of the training set, drawn from {@link Seeds#taskCoreset}(seed, t). */
    private Set<Long> coresetIndices(int t, int size) {
        List<Long> all = new ArrayList<>(train.examples().map(Example::index).collect());
        all.sort(Long::compare);
        if (size >= all.size()) {
            throw new IllegalArgumentException("coreset_size " + size + " leaves no training examples of " + params.train()
                    + " (" + all.size() + " rows)");
        }
        SplittableRandom rng = new SplittableRandom(Seeds.taskCoreset(seed, t));
        Set<Long> chosen = new HashSet<>();
        for (int i = 0; i < size; i++) {
            int k = i + rng.nextInt(all.size() - i);
            Long x = all.get(k);
            all.set(k, all.get(i));
            all.set(i, x);
            chosen.add(x);
        }
        return chosen;
    }

    private long maxIndex() {
        return train.examples().map(Example::index).reduce((a, b) -> Math.max(a, b));
    }

    private static <S extends OptimizerState> GaussianPosterior posterior(Optimizer<S> o, NetworkSpec spec, OptimizerState s) {
        return o.posterior(spec, o.cast(s));
    }

    /** Writes {@code continual.json} and the plots for what is done so far. */
    private void write() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("tasks", params.tasks());
        root.put("train", params.train().toString());
        root.put("test", params.test().toString());
        root.put("seed", seed);
        root.put("permutation", "task 1: identity; task t >= 2: Fisher-Yates shuffle of the H*W pixel positions seeded by "
                + "Seeds.taskPermutation(seed, t)");
        ObjectNode methods = root.putObject("methods");
        for (MethodResult r : results) {
            methods.set(r.method().configName(), r.toJson());
        }
        ArrayNode plots = root.putArray("plots");
        Path avg = params.out().resolve("average_accuracy.png");
        ContinualPlots.averageAccuracy(results, params.tasks(), avg);
        plots.add(avg.getFileName().toString());
        for (MethodResult r : results) {
            Path h = params.out().resolve("accuracy_" + r.method().configName() + ".png");
            ContinualPlots.accuracyMatrix(r, params.tasks(), h);
            plots.add(h.getFileName().toString());
        }
        AtomicFiles.write(params.out().resolve(RESULT), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
