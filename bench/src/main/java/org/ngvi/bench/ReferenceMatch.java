package org.ngvi.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ngvi.data.PixelNormalization;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.OptimizerState;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.spark.train.RunSetup;
import org.ngvi.spark.train.SingleProcessTrainer;
import org.ngvi.spark.train.TrainJob;
import org.ngvi.optim.Optimizer;

/**
 * The shipped reference configs trained single-process over several seeds (as the PyTorch
 * reference was measured: 3 seeds) and evaluated on the Fashion-MNIST test set, printed beside
 * the reference's ranges. Separates "the algorithm matches" from "the Spark trainer matches".
 */
final class ReferenceMatch {
    private ReferenceMatch() {
    }

    /**
     * Trains {@code config} with {@code overrides} (e.g. {@code dtype=float64}) for each of {@code seeds},
     * printing each seed's line to {@code out} as it finishes.
     */
    static void run(PrintStream out, Path source, String config, int[] seeds, List<String> overrides) throws Exception {
        Example[] train = FashionMnistBatches.read(source, "train", 60_000);
        Example[] test = FashionMnistBatches.read(source, "t10k", 10_000);
        out.println(config + (overrides.isEmpty() ? "" : " " + overrides) + ", single process, Fashion-MNIST test set:");
        for (int seed : seeds) {
            List<String> sets = new java.util.ArrayList<>(overrides);
            sets.add("seed=" + seed);
            TrainConfig c = TrainConfig.load(Path.of(config), sets);
            PixelNormalization norm = PixelNormalization.unitScale(28, 28, 1);
            var spec = org.ngvi.nn.Mlp.spec(784, c.hidden(), 10, c.activation());
            BatchPlan plan = new BatchPlan(c.seed(), new long[] {train.length}, c.batchSize(), 1);
            Optimizer<?> alg = c.optim().params(train.length, null, plan.stepsPerEpoch()).create();
            RunSetup setup = new RunSetup(spec, c.dtype(), norm, plan, alg.params(), false, c.seed());
            long t0 = System.nanoTime();
            OptimizerState state = SingleProcessTrainer.train(setup, train, c.epochs());
            double secs = (System.nanoTime() - t0) / 1e9;
            GaussianPosterior post = posterior(alg, spec, state);
            MetricsResult m = evaluate(post, setup, test, c.optim().valNumMcSamples(), seed);
            out.print(String.format(Locale.ROOT, "  seed %d: accuracy %.4f  NLL %.4f  ECE %.4f  Brier %.4f  (%d steps, %.1f s)%n",
                    seed, m.accuracy(), m.nll(), m.ece(), m.brier(), state.step(), secs));
            if (!post.isPointEstimate()) {
                MetricsResult other = evaluate(post, setup, test, c.optim().valNumMcSamples(), seed + 1000);
                MetricsResult mean = evaluate(post, setup, test, 0, seed);
                out.print(String.format(Locale.ROOT, "          another ensemble: accuracy %.4f NLL %.4f;  mean weights: accuracy %.4f NLL %.4f%n",
                        other.accuracy(), other.nll(), mean.accuracy(), mean.nll()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <S extends OptimizerState> GaussianPosterior posterior(Optimizer<S> alg, org.ngvi.nn.NetworkSpec spec,
                                                                         OptimizerState state) {
        return alg.posterior(spec, (S) state);
    }

    private static MetricsResult evaluate(GaussianPosterior p, RunSetup setup, Example[] test, int mc, long seed) {
        Network net = Network.build(p.spec(), setup.dataType());
        BatchAssembler assembler = new BatchAssembler(setup.normalization(), net.inputShape(), setup.dataType());
        int k = p.isPointEstimate() ? 0 : mc;
        try (GaussianNoise noise = new GaussianNoise(seed, Math.max(1, k))) {
            McPredictor predictor = k == 0 ? McPredictor.meanOnly(net, p.mean()) : new McPredictor(net, p.mean(), p.std(), k, noise, 0);
            return TestSetMetrics.of(predictor, assembler, test, 10);
        }
    }
}
