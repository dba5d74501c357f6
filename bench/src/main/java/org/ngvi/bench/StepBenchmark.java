package org.ngvi.bench;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.optim.Adam;
import org.ngvi.optim.AdamParams;
import org.ngvi.optim.AdamState;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.spark.data.Example;

/**
 * Step time of VOGN (1 MC sample, the paper's MLP settings) and Adam on the MLP 784-400-400-10,
 * float32, batch 128: both cycle through the same distinct real batches, interleaved in blocks
 * so machine noise hits both alike; reports medians, p10/p90 and the ratio of medians.
 */
final class StepBenchmark {
    private StepBenchmark() {
    }

    static String run(Example[] examples, int warmup, int measured) {
        List<FashionMnistBatches.Batch> batches = FashionMnistBatches.batches(examples, 128, Math.min(200, examples.length / 128));
        Network adamNet = Network.build(Mlp.spec(784, new int[] {400, 400}, 10, "relu"), DataType.FLOAT);
        Network vognNet = Network.build(Mlp.spec(784, new int[] {400, 400}, 10, "relu"), DataType.FLOAT);
        NetworkObjective adamObj = new NetworkObjective(adamNet);
        NetworkObjective vognObj = new NetworkObjective(vognNet);
        Adam adam = new Adam(AdamParams.of(1e-3));
        Vogn vogn = new Vogn(VognParams.builder(60_000).lr(0.01).numMcSamples(1).initPrecision(8e-3).priorVariance(1)
                .klWeighting(1).damping(0).curvatureEma(1e-3).gradEma(0.1, VognParams.Stage.RAW).build());
        AdamState a = adam.init(adamNet.initParams(1));
        VognState v = vogn.init(vognNet.initParams(1));
        double[] ta = new double[measured];
        double[] tv = new double[measured];
        int block = 10;
        try (GaussianNoise noise = new GaussianNoise(1, 1)) {
            int next = 0;
            for (int i = 0; i < warmup; i++) {
                FashionMnistBatches.Batch b = batches.get(next++ % batches.size());
                a = adam.step(adamObj.setBatch(b.x(), b.labels()), a, null).state();
                v = vogn.step(vognObj.setBatch(b.x(), b.labels()), v, noise).state();
            }
            for (int i = 0; i < measured; i += block) {
                for (int j = i; j < Math.min(i + block, measured); j++) {
                    FashionMnistBatches.Batch b = batches.get((next + j) % batches.size());
                    long t0 = System.nanoTime();
                    a = adam.step(adamObj.setBatch(b.x(), b.labels()), a, null).state();
                    ta[j] = (System.nanoTime() - t0) / 1e6;
                }
                for (int j = i; j < Math.min(i + block, measured); j++) {
                    FashionMnistBatches.Batch b = batches.get((next + j) % batches.size());
                    long t0 = System.nanoTime();
                    v = vogn.step(vognObj.setBatch(b.x(), b.labels()), v, noise).state();
                    tv[j] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Stats sa = Stats.of(ta);
        Stats sv = Stats.of(tv);
        return String.format(Locale.ROOT, """
                MLP 784-400-400-10, float32, batch 128, %d distinct real batches, %d interleaved steps each
                  Adam step: %s
                  VOGN step: %s   (1 MC sample)
                  VOGN / Adam step time: %.2fx   (PyTorch reference here: 9.7 / 3.6 ms = 2.7x)""",
                batches.size(), measured, sa, sv, sv.median() / sa.median());
    }
}
