package org.ngvi.spark.train;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.Optimizer;
import org.ngvi.optim.OptimizerParams;
import org.ngvi.optim.OptimizerState;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.tensor.FlatTensor;

/**
 * The per-thread machinery of a training task: network with its preallocated activations, objective,
 * batch assembler, optimizer (with its scratch tensors) and state, and noise streams. Workers are pooled per executor JVM
 * ({@link #borrow}/{@link #release}) so that rounds after the first allocate no ND4J memory.
 */
final class Worker {
    private static final Map<String, ConcurrentLinkedQueue<Worker>> POOL = new ConcurrentHashMap<>();

    final Network network;
    final NetworkObjective objective;
    final BatchAssembler assembler;
    final FlatTensor grad;
    final FlatTensor curv;
    OptimizerState state;
    private OptimizerParams optimizerParams;
    private Optimizer<?> optimizer;
    private final Map<Long, GaussianNoise> noise = new HashMap<>();

    /** The ND4J device the worker's tensors live on ({@link GpuBinding#NONE}: the CPU backend or no GPU). */
    private final int device;

    private Worker(RunSetup setup, int device) {
        this.device = device;
        this.network = Network.build(setup.spec(), setup.dataType());
        this.objective = new NetworkObjective(network);
        this.assembler = new BatchAssembler(setup.normalization(), network.inputShape(), setup.dataType(), setup.augmentation());
        this.grad = FlatTensor.zeros(network.layout(), setup.dataType());
        this.curv = FlatTensor.zeros(network.layout(), setup.dataType());
    }

    /**
     * A pooled worker for {@code setup}, after binding the thread to its task's GPU ({@link GpuBinding}): workers
     * are pooled per device, since their tensors live on the device they were made on.
     */
    static Worker borrow(RunSetup setup) {
        int device = GpuBinding.bindCurrentTask();
        Worker w = POOL.computeIfAbsent(poolKey(setup, device), k -> new ConcurrentLinkedQueue<>()).poll();
        return w != null ? w : new Worker(setup, device);
    }

    static void release(RunSetup setup, Worker w) {
        POOL.get(poolKey(setup, w.device)).add(w);
    }

    private static String poolKey(RunSetup setup, int device) {
        return setup.workerKey() + "|device " + device;
    }

    private final Map<Integer, int[]> permutations = new HashMap<>();
    private final Map<Integer, Integer> permutationEpochs = new HashMap<>();
    private BatchPlan permutationPlan;

    /**
     * {@code plan}'s permutation of {@code partition} in {@code epoch}, computed once per (epoch,
     * partition) and kept for the epoch's rounds (it is a pure function of them).
     */
    int[] permutation(BatchPlan plan, int epoch, int partition) {
        if (plan != permutationPlan) {
            permutations.clear();
            permutationEpochs.clear();
            permutationPlan = plan;
        }
        Integer e = permutationEpochs.get(partition);
        int[] perm = permutations.get(partition);
        if (e == null || e != epoch) {
            perm = plan.permutation(epoch, partition, perm);
            permutations.put(partition, perm);
            permutationEpochs.put(partition, epoch);
        }
        return perm;
    }

    /** This worker's optimizer for {@code params}, created once per distinct params. */
    Optimizer<?> optimizer(OptimizerParams params) {
        if (!params.equals(optimizerParams)) {
            optimizer = params.create();
            optimizerParams = params;
        }
        return optimizer;
    }

    /** Noise streams a worker keeps at most; pooled workers outlive runs, and each stream owns a prefetch thread. */
    static final int MAX_NOISE_STREAMS = 16;

    /**
     * The noise stream of {@code seed}, started once and kept (a worker serves a few partitions' streams
     * round after round); when more than {@link #MAX_NOISE_STREAMS} accumulate, e.g. over many runs in one
     * executor, the old ones are closed.
     */
    org.ngvi.optim.NoiseSource noise(RunSetup setup, int partition, int samplesPerStep) {
        long seed = setup.noiseSeed(partition);
        return setup.sync() ? SharedNoise.of(seed, samplesPerStep) : noise(seed, samplesPerStep);
    }

    /** This worker's own stream of {@code seed} (average mode: one per partition). */
    GaussianNoise noise(long seed, int samplesPerStep) {
        GaussianNoise n = noise.get(seed);
        if (n == null) {
            if (noise.size() >= MAX_NOISE_STREAMS) {
                noise.values().forEach(GaussianNoise::close);
                noise.clear();
            }
            n = new GaussianNoise(seed, samplesPerStep);
            noise.put(seed, n);
        }
        return n;
    }
}
