package org.ngvi.spark.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.NoiseSource;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * One noise stream shared by every task of an executor JVM that draws from the same seed: in
 * {@code sync} mode all tasks of a round sample the same ε (seed of {@link RunSetup#noiseSeed}
 * with partition −1), so the first task to ask for (step, sample) draws it and the others copy
 * it. The values are those of {@link GaussianNoise} (a pure function of seed, step and sample),
 * drawn once per executor instead of once per task. Thread-safe.
 */
final class SharedNoise implements NoiseSource {
    /** Streams kept at most; each owns a prefetch thread. */
    private static final int MAX_STREAMS = 8;
    private static final Map<Long, SharedNoise> STREAMS = new ConcurrentHashMap<>();

    private final GaussianNoise source;
    private long lastStep = -1;
    private int lastSample = -1;
    private FlatValues last;

    private SharedNoise(long seed, int samplesPerStep) {
        this.source = new GaussianNoise(seed, samplesPerStep);
    }

    /** The JVM's stream of {@code seed}. */
    static SharedNoise of(long seed, int samplesPerStep) {
        SharedNoise s = STREAMS.get(seed);
        if (s != null) {
            return s;
        }
        synchronized (STREAMS) {
            if (STREAMS.size() >= MAX_STREAMS) {
                STREAMS.values().forEach(n -> n.source.close());
                STREAMS.clear();
            }
            return STREAMS.computeIfAbsent(seed, k -> new SharedNoise(k, samplesPerStep));
        }
    }

    @Override
    public synchronized void fill(long step, int sample, FlatTensor eps) {
        if (step == lastStep && sample == lastSample && last != null && last.length() == eps.layout().totalSize()
                && (last instanceof FlatValues.F32) == (eps.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT)) {
            last.copyInto(eps);
            return;
        }
        source.fill(step, sample, eps);
        last = FlatValues.of(eps);
        lastStep = step;
        lastSample = sample;
    }

    /** Shared: stays open for the JVM's other tasks (closed when evicted). */
    @Override
    public void close() {
    }
}
