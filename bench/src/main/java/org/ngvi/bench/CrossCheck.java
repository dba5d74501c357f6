package org.ngvi.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.data.PixelNormalization;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.nn.DenseAccess;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.OptimizerState;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.train.BatchPlan;
import org.ngvi.optim.Optimizer;
import org.ngvi.tensor.FlatTensor;

/**
 * End-to-end cross-check against the PyTorch transcription of torchsso's VOGN
 * ({@code bench/torch-reference/vogn_mlp.py --cross-check DIR}): trains
 * {@code configs/fmnist_mlp_vogn.json} single-process in float64 from inputs both sides can
 * replay, and writes them to {@code DIR}:
 * <ul>
 * <li>{@code init.f64}: the initial weights (flat, layer order, weight [out, in] then bias; little-endian);</li>
 * <li>{@code batches.i32}: the training-set positions of every step's batch, in order;</li>
 * <li>the noise: {@link CounterNoise} with the run's seed (steps 0.., evaluation at step 2⁴⁰);</li>
 * <li>{@code mean.f64}, {@code curvature.f64}: μ and s after training; {@code java.json}: test metrics.</li>
 * </ul>
 * The PyTorch side trains from the same files and compares its μ and s and its test metrics
 * with these. Given identical inputs the two implementations differ only by floating-point
 * rounding, which training amplifies slowly in float64.
 */
final class CrossCheck {
    /** The noise step of evaluation's weight samples (far from any training step). */
    static final long EVAL_STEP = 1L << 40;

    private CrossCheck() {
    }

    static void run(Path source, Path dir, int seed, int epochs, List<String> overrides) throws Exception {
        Files.createDirectories(dir);
        Example[] train = FashionMnistBatches.read(source, "train", 60_000);
        Example[] test = FashionMnistBatches.read(source, "t10k", 10_000);
        List<String> sets = new ArrayList<>(overrides);
        sets.add("dtype=float64");
        sets.add("seed=" + seed);
        sets.add("epochs=" + epochs);
        TrainConfig c = TrainConfig.load(Path.of("configs/fmnist_mlp_vogn.json"), sets);
        BatchPlan plan = new BatchPlan(seed, new long[] {train.length}, c.batchSize(), 1);
        NetworkSpec spec = Mlp.spec(784, c.hidden(), 10, c.activation());
        Optimizer<?> alg = c.optim().params(train.length, null, plan.stepsPerEpoch()).create();
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor init = net.initParams(seed);
        write(dir.resolve("init.f64"), init);
        int b = c.batchSize();
        ByteBuffer batches = ByteBuffer.allocate(epochs * plan.stepsPerEpoch() * b * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int e = 0; e < epochs; e++) {
            int[] perm = plan.permutation(e, 0, null);
            for (int i = 0; i < plan.stepsPerEpoch() * b; i++) {
                batches.putInt(perm[i]);
            }
        }
        Files.write(dir.resolve("batches.i32"), batches.array());
        System.out.printf(Locale.ROOT, "cross-check: seed %d, %d epochs of %d steps, float64, inputs in %s%n", seed, epochs,
                plan.stepsPerEpoch(), dir);
        long t0 = System.nanoTime();
        BatchAssembler asm = new BatchAssembler(PixelNormalization.unitScale(28, 28, 1), net.inputShape(), DataType.DOUBLE);
        GaussianPosterior post = train(alg, spec, net, asm, init, train, batches, b, new CounterNoise(seed), dir);
        MetricsResult mean = evaluate(net, post, asm, test, 0, new CounterNoise(seed));
        MetricsResult mc = evaluate(net, post, asm, test, c.optim().valNumMcSamples(), new CounterNoise(seed));
        String json = String.format(Locale.ROOT, "{\"mean_weights_accuracy\": %.6f, \"mean_weights_nll\": %.10f, "
                + "\"mc_accuracy\": %.6f, \"mc_nll\": %.10f, \"mc_samples\": %d, \"seconds\": %.1f}%n", mean.accuracy(), mean.nll(),
                mc.accuracy(), mc.nll(), c.optim().valNumMcSamples(), (System.nanoTime() - t0) / 1e9);
        Files.writeString(dir.resolve("java.json"), json);
        System.out.print("Java: " + json);
    }

    private static <S extends OptimizerState> GaussianPosterior train(Optimizer<S> alg, NetworkSpec spec, Network net,
                                                                     BatchAssembler asm, FlatTensor init, Example[] train,
                                                                     ByteBuffer batches, int b, CounterNoise noise, Path dir)
            throws IOException {
        NetworkObjective objective = new NetworkObjective(net);
        S state = alg.init(init);
        int steps = batches.capacity() / 4 / b;
        int[] pos = new int[b];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < b; i++) {
                pos[i] = batches.getInt((t * b + i) * 4);
            }
            objective.setBatch(asm.assemble(train, pos), asm.labels());
            state = alg.step(objective, state, noise).state();
            if ((t + 1) % 200 == 0) {
                System.out.printf(Locale.ROOT, "  step %d/%d%n", t + 1, steps);
            }
        }
        write(dir.resolve("mean.f64"), state.params());
        write(dir.resolve("curvature.f64"), state.tensors().get("curvature"));
        return alg.posterior(spec, state);
    }

    private static MetricsResult evaluate(Network net, GaussianPosterior p, BatchAssembler asm, Example[] test, int mc,
                                          CounterNoise noise) {
        McPredictor predictor = mc == 0 ? McPredictor.meanOnly(net, p.mean()) : new McPredictor(net, p.mean(), p.std(), mc, noise, EVAL_STEP);
        return TestSetMetrics.of(predictor, asm, test, 10);
    }

    private static void write(Path file, FlatTensor t) throws IOException {
        DenseAccess a = DenseAccess.of(t.flat());
        ByteBuffer buf = ByteBuffer.allocate(a.length() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length(); i++) {
            buf.putDouble(a.get(i));
        }
        Files.write(file, buf.array());
    }
}
