package org.ngvi.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.random.Seeds;
import org.ngvi.tensor.FlatTensor;

/**
 * Standard-normal noise ε ~ N(0, I) for VOGN's weight samples, reproducible per
 * (seed, step, sample): the values for one (step, sample) come from a {@link SplittableRandom}
 * seeded by a hash of those three numbers only, so they do not depend on the order of calls,
 * on the data type asked for (FLOAT values are the DOUBLE values rounded) or on the thread that
 * drew them. A retried Spark task that uses the same seed (e.g. derived from (round, partition))
 * redraws the same ε.
 *
 * <p>Speed (PERFORMANCE.md item 2): {@code Nd4j.randn} takes 3–8 ms for 478k values, so the
 * values are drawn in Java ({@code nextGaussian}) into a Java staging array by a background daemon
 * thread that prefetches the next key while the step runs; {@link #fill} only waits for it and
 * copies the staging array into ε (double buffering: staging array + the caller's ε). The key
 * predicted after (t, k) is (t, k + 1), or (t + 1, 0) when k + 1 = {@code samplesPerStep}; any
 * other key is drawn synchronously. {@link #close()} stops the thread (later calls draw
 * synchronously).
 *
 * <p>One instance serves one caller thread (a Spark task); it is not thread-safe.
 */
public final class GaussianNoise implements NoiseSource {

    private final long seed;
    private final int samplesPerStep;
    private final ExecutorService worker;
    private boolean closed;

    private float[] stageF;
    private double[] stageD;
    private Future<?> pending;
    private long pendingStep = -1;
    private int pendingSample = -1;

    /**
     * @param seed           base seed (e.g. derived from the run seed, round and partition)
     * @param samplesPerStep MC samples per optimizer step M (≥ 1); used only to predict the next key
     */
    public GaussianNoise(long seed, int samplesPerStep) {
        if (samplesPerStep < 1) {
            throw new IllegalArgumentException("GaussianNoise.samplesPerStep must be >= 1 (got " + samplesPerStep + ")");
        }
        this.seed = seed;
        this.samplesPerStep = samplesPerStep;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ngvi-noise-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /** A source with one MC sample per step. */
    public GaussianNoise(long seed) {
        this(seed, 1);
    }

    /** The seed of the generator for (seed, step, sample): a SplitMix64-style hash of all three. */
    public static long streamSeed(long seed, long step, int sample) {
        return Seeds.weightNoiseSample(seed, step, sample);
    }

    @Override
    public void fill(long step, int sample, FlatTensor eps) {
        DataType dtype = eps.dataType();
        NioBuffers.requireFloatingPoint(dtype, "GaussianNoise.fill");
        int n = Math.toIntExact(eps.layout().totalSize());
        boolean hit = pending != null && pendingStep == step && pendingSample == sample && stageFits(dtype, n);
        awaitPending(); // the worker writes the staging array: never touch it while it runs
        if (!hit) {
            ensureStage(dtype, n);
            draw(step, sample, dtype, n);
        }
        copyOut(eps, dtype, n);
        prefetchNext(step, sample, dtype, n);
    }

    private boolean stageFits(DataType dtype, int n) {
        return dtype == DataType.DOUBLE ? stageD != null && stageD.length == n : stageF != null && stageF.length == n;
    }

    private void ensureStage(DataType dtype, int n) {
        if (stageFits(dtype, n)) {
            return;
        }
        if (dtype == DataType.DOUBLE) {
            stageD = new double[n];
        } else {
            stageF = new float[n];
        }
    }

    private void awaitPending() {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for prefetched noise", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("noise prefetch failed", e.getCause());
        } finally {
            pending = null;
            pendingStep = -1;
            pendingSample = -1;
        }
    }

    private void draw(long step, int sample, DataType dtype, int n) {
        SplittableRandom rng = new SplittableRandom(streamSeed(seed, step, sample));
        if (dtype == DataType.DOUBLE) {
            double[] a = stageD;
            for (int j = 0; j < n; j++) {
                a[j] = rng.nextGaussian();
            }
        } else {
            float[] a = stageF;
            for (int j = 0; j < n; j++) {
                a[j] = (float) rng.nextGaussian();
            }
        }
    }

    private void copyOut(FlatTensor eps, DataType dtype, int n) {
        int base = NioBuffers.base(eps);
        if (dtype == DataType.DOUBLE) {
            DoubleBuffer b = NioBuffers.d(eps);
            b.position(base);
            b.put(stageD, 0, n);
        } else {
            FloatBuffer b = NioBuffers.f(eps);
            b.position(base);
            b.put(stageF, 0, n);
        }
    }

    private void prefetchNext(long step, int sample, DataType dtype, int n) {
        if (closed) {
            return;
        }
        long nextStep = sample + 1 < samplesPerStep ? step : step + 1;
        int nextSample = sample + 1 < samplesPerStep ? sample + 1 : 0;
        pendingStep = nextStep;
        pendingSample = nextSample;
        pending = worker.submit(() -> draw(nextStep, nextSample, dtype, n));
    }

    /** Stops the prefetch thread; later {@link #fill} calls draw synchronously. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            awaitPending(); // a running draw writes the staging array: let it finish (a few ms)
        } catch (RuntimeException ignored) {
            // a failed prefetch has nothing to keep
        }
        worker.shutdownNow();
    }
}
