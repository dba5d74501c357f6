package org.ngvi.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.ConvEngine;
import org.ngvi.nn.DenseAccess;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.nn.arch.Architectures;
import org.ngvi.optim.Adam;
import org.ngvi.optim.AdamParams;
import org.ngvi.optim.AdamState;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.spark.data.Example;

/**
 * Step time of VOGN (1 MC sample) and Adam on convolutional networks, float32:
 * <ul>
 *   <li>LeNet-5 with BatchNorm, batch 128, on real Fashion-MNIST batches (28×28×1, 10 classes),
 *       VOGN with the reference's LeNet settings;</li>
 *   <li>ResNet-18 (CIFAR form), batch 32, on random 32×32×3 inputs with random labels (timing does
 *       not depend on the values), VOGN with the reference's CIFAR-10 ResNet-18 settings
 *       (momentum 0.9 on the raw gradient, BatchNorm parameters without prior), and the peak
 *       memory of its VOGN step: JVM heap in use and the process's resident set
 *       ({@link Pointer#physicalBytes()}), sampled every 2 ms by a background thread while only the
 *       VOGN network and state exist, and from them an estimate of ND4J's off-heap use.</li>
 * </ul>
 * Both optimizers cycle through the same distinct batches, interleaved in blocks so machine noise
 * hits both alike; medians and p10/p90 per step, and each against the FLOP floor ({@link FlopFloor}).
 * The convolution engine is {@link ConvEngine#auto}'s ({@code bench/run --conv --onednn} builds
 * with ND4J's oneDNN classifier). {@code bench/torch-reference/conv_step.py} times the same two
 * models in PyTorch; {@code bench/conv-vs-torch} runs both sides in turn.
 */
final class ConvStepBenchmark {
    private ConvStepBenchmark() {
    }

    /** Timings of one model: Adam and VOGN step statistics, plus the VOGN memory peak when measured. */
    /**
     * Wall-clock step statistics, and the same for the CPU time of the stepping thread (less
     * sensitive to other processes on a loaded machine; excludes the VOGN noise thread's work).
     */
    record Result(String model, Stats adam, Stats vogn, Stats adamCpu, Stats vognCpu, Memory memory, double gflop) {
        double ratio() {
            return vogn.median() / adam.median();
        }
    }

    /**
     * Peaks over the first VOGN steps (which also allocate the per-batch buffers) and the values
     * before the network was built. ND4J's CPU backend allocates array memory natively, outside
     * javacpp's counters ({@code Pointer.totalBytes()} stays near 0), so off-heap use is estimated
     * as the growth of the resident set minus the growth of the committed JVM heap.
     */
    record Memory(long heapUsedBefore, long heapUsedPeak, long heapCommittedBefore, long heapCommittedPeak,
                  long rssBefore, long rssPeak, long params) {
        long offHeapEstimate() {
            return Math.max(0, (rssPeak - rssBefore) - Math.max(0, heapCommittedPeak - heapCommittedBefore));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "peak memory of the VOGN step: process RSS %s (%s before building the network), "
                            + "JVM heap in use %s (%s before), ND4J off-heap ≈ %s (RSS growth − committed-heap growth); "
                            + "%,d parameters = %s per float32 copy",
                    mb(rssPeak), mb(rssBefore), mb(heapUsedPeak), mb(heapUsedBefore), mb(offHeapEstimate()), params,
                    mb(params * 4));
        }

        private static String mb(long bytes) {
            return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
        }
    }

    static String run(Example[] fashionMnist, int lenetSteps, int resnetSteps) {
        StringBuilder out = new StringBuilder();
        double sgemm = FlopFloor.sgemmGflops();
        out.append(String.format(Locale.ROOT, "convolution engine (float32): %s; ND4J native library %s oneDNN; "
                        + "single-thread sgemm 1024^3: %.1f GFLOP/s%n", ConvEngine.auto(DataType.FLOAT),
                ConvEngine.oneDnnLoaded() ? "with" : "without", sgemm));
        Result lenet = lenet(fashionMnist, lenetSteps);
        out.append(String.format(Locale.ROOT, """
                LeNet-5 + BatchNorm, float32, batch 128, Fashion-MNIST 28x28x1, %d interleaved steps each
                  Adam step: %s
                  VOGN step: %s   (1 MC sample)
                  VOGN / Adam step time: %.2fx
                  CPU time of the stepping thread: Adam %s, VOGN %s
                  %s
                """, lenet.adam().n(), lenet.adam(), lenet.vogn(), lenet.ratio(), lenet.adamCpu(), lenet.vognCpu(),
                FlopFloor.describe(lenet.gflop(), sgemm, lenet.adam(), lenet.vogn())));
        if (resnetSteps <= 0) {
            return out.toString();
        }
        Result resnet = resnet(resnetSteps);
        out.append(String.format(Locale.ROOT, """
                ResNet-18 (CIFAR form), float32, batch 32, random 32x32x3 inputs, %d interleaved steps each
                  Adam step: %s
                  VOGN step: %s   (1 MC sample)
                  VOGN / Adam step time: %.2fx
                  CPU time of the stepping thread: Adam %s, VOGN %s
                  %s
                  %s""", resnet.adam().n(), resnet.adam(), resnet.vogn(), resnet.ratio(), resnet.adamCpu(), resnet.vognCpu(),
                FlopFloor.describe(resnet.gflop(), sgemm, resnet.adam(), resnet.vogn()), resnet.memory()));
        return out.toString();
    }

    static Result lenet(Example[] examples, int measured) {
        NetworkSpec spec = Architectures.spec("lenet5_bn", null, new long[] {1, 28, 28}, 10);
        List<FashionMnistBatches.Batch> flat = FashionMnistBatches.batches(examples, 128, Math.min(200, examples.length / 128));
        List<Batch> batches = new ArrayList<>();
        for (FashionMnistBatches.Batch b : flat) {
            batches.add(new Batch(b.x().reshape('c', 128, 1, 28, 28), b.labels()));
        }
        VognParams vp = VognParams.builder(60_000).lr(0.01).numMcSamples(1).initPrecision(8e-3).priorVariance(1)
                .klWeighting(1).damping(0).curvatureEma(1e-3).gradEma(0.1, VognParams.Stage.RAW).build();
        Network vognNet = Network.build(spec, DataType.FLOAT);
        return time("lenet5_bn", spec, vognNet, vp, batches, 30, measured, null);
    }

    static Result resnet(int measured) {
        NetworkSpec spec = Architectures.spec("resnet18", null, new long[] {3, 32, 32}, 10);
        List<Batch> batches = randomBatches(32, new long[] {3, 32, 32}, 10, 8, 7);
        MemorySampler sampler = new MemorySampler();
        Network vognNet = Network.build(spec, DataType.FLOAT);
        VognParams vp = VognParams.builder(50_000).lr(1e-4).numMcSamples(1).priorVariance(0.02).klWeighting(1)
                .damping(1e-3).curvatureEma(0.999).momentum(0.9, VognParams.Stage.RAW)
                .noPriorParams(vognNet.normalizationParamNames()).build();
        return time("resnet18", spec, vognNet, vp, batches, 3, measured, sampler);
    }

    /**
     * Warms up and measures VOGN alone while {@code sampler} (if any) records memory, then builds
     * the Adam network and times both interleaved.
     */
    private static Result time(String model, NetworkSpec spec, Network vognNet, VognParams vp, List<Batch> batches,
                               int warmup, int measured, MemorySampler sampler) {
        int block = Math.max(1, Math.min(10, measured / 4));
        double[] ta = new double[measured];
        double[] tv = new double[measured];
        double[] ca = new double[measured];
        double[] cv = new double[measured];
        java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Memory memory = null;
        try (GaussianNoise noise = new GaussianNoise(1, 1)) {
            NetworkObjective vognObj = new NetworkObjective(vognNet);
            Vogn vogn = new Vogn(vp);
            VognState v = vogn.init(vognNet.initParams(1));
            int next = 0;
            if (sampler != null) {
                sampler.start();
            }
            for (int i = 0; i < warmup; i++) {
                Batch b = batches.get(next++ % batches.size());
                v = vogn.step(vognObj.setBatch(b.x(), b.labels()), v, noise).state();
            }
            if (sampler != null) {
                memory = sampler.stop(vognNet.layout().totalSize());
            }
            Network adamNet = Network.build(spec, DataType.FLOAT);
            NetworkObjective adamObj = new NetworkObjective(adamNet);
            Adam adam = new Adam(AdamParams.of(1e-3));
            AdamState a = adam.init(adamNet.initParams(1));
            for (int i = 0; i < warmup; i++) {
                Batch b = batches.get(i % batches.size());
                a = adam.step(adamObj.setBatch(b.x(), b.labels()), a, null).state();
            }
            for (int i = 0; i < measured; i += block) {
                int end = Math.min(i + block, measured);
                for (int j = i; j < end; j++) {
                    Batch b = batches.get((next + j) % batches.size());
                    long c0 = cpu.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    a = adam.step(adamObj.setBatch(b.x(), b.labels()), a, null).state();
                    ta[j] = (System.nanoTime() - t0) / 1e6;
                    ca[j] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                for (int j = i; j < end; j++) {
                    Batch b = batches.get((next + j) % batches.size());
                    long c0 = cpu.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    v = vogn.step(vognObj.setBatch(b.x(), b.labels()), v, noise).state();
                    tv[j] = (System.nanoTime() - t0) / 1e6;
                    cv[j] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
                }
            }
        }
        return new Result(model, Stats.of(ta), Stats.of(tv), Stats.of(ca), Stats.of(cv), memory, FlopFloor.trainingGflop(vognNet, batches.get(0).x().size(0)));
    }

    /** {@code count} batches of standard-normal inputs and uniform labels. */
    static List<Batch> randomBatches(int batch, long[] shape, int classes, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Batch> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            INDArray x = Nd4j.create(DataType.FLOAT, batch, shape[0], shape[1], shape[2]);
            DenseAccess a = DenseAccess.of(x);
            for (int i = 0; i < a.length(); i++) {
                a.set(i, rng.nextGaussian());
            }
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = rng.nextInt(classes);
            }
            out.add(new Batch(x, y));
        }
        return out;
    }

    record Batch(INDArray x, int[] labels) {
    }

    /** Polls heap use and the process's resident set every 2 ms on a daemon thread and keeps the maxima. */
    static final class MemorySampler {
        private final MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        private final long heapUsedBefore;
        private final long heapCommittedBefore;
        private final long rssBefore;
        private volatile boolean running;
        private volatile long heapUsedPeak;
        private volatile long heapCommittedPeak;
        private volatile long rssPeak;
        private Thread thread;

        MemorySampler() {
            System.gc();
            heapUsedBefore = heap.getHeapMemoryUsage().getUsed();
            heapCommittedBefore = heap.getHeapMemoryUsage().getCommitted();
            rssBefore = Pointer.physicalBytes();
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    sample();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "ngvi-memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            java.lang.management.MemoryUsage u = heap.getHeapMemoryUsage();
            heapUsedPeak = Math.max(heapUsedPeak, u.getUsed());
            heapCommittedPeak = Math.max(heapCommittedPeak, u.getCommitted());
            rssPeak = Math.max(rssPeak, Pointer.physicalBytes());
        }

        Memory stop(long params) {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
            return new Memory(heapUsedBefore, heapUsedPeak, heapCommittedBefore, heapCommittedPeak, rssBefore, rssPeak, params);
        }
    }
}
