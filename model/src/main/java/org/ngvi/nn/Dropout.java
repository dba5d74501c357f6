package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.random.BitMix;
import org.ngvi.tensor.ParamSpec;

/**
 * Inverted dropout (Srivastava et al. 2014, as PyTorch's {@code nn.Dropout(p)}), any shape, no
 * parameters. JSON: {@code {"type": "dropout", "p": 0.5}}.
 * <pre>
 *   training:  y = x ∘ m / (1 − p),   m_j ~ Bernoulli(1 − p) i.i.d. per element and example
 *   eval:      y = x
 *   backward:  Δ_in = Δ ∘ m / (1 − p)   (the mask of the last forward pass)
 * </pre>
 * E[y] = x, so nothing is rescaled at test time.
 *
 * <p><b>MC dropout</b> (Gal &amp; Ghahramani, ICML 2016): after
 * {@link Network#reseedNoise(long, boolean) reseedNoise(seed, true)} an eval-mode forward pass also
 * drops, with <em>one</em> mask of the per-example shape drawn per pass and applied to every example
 * of the batch. Each example thus sees an ordinary dropout mask, and a forward pass after a reseed
 * with the same seed gives every row the same thinned network whatever batch it is in — K seeds give
 * a fixed ensemble of K thinned networks, as K weight samples do for a Gaussian posterior. Other
 * layers (BatchNorm) stay in eval mode, since only dropout looks at this setting.
 *
 * <p>Randomness: the scratch holds a SplitMix64 stream (the generator of
 * {@link java.util.SplittableRandom}), one 64-bit draw per element: kept iff
 * {@code u ≥ p} with {@code u = (draw >>> 11)·2⁻⁵³}. The stream is restarted by
 * {@link #reseed}; without a reseed it starts from seed 0. The forward and backward passes are
 * fused loops over the buffers and allocate nothing; the mask is a {@code boolean[B·n]} allocated
 * with the scratch.
 *
 * <p>A mask drawn elsewhere can be replayed: {@link Network#fixDropoutMask} makes the training
 * passes use a given mask instead of drawing one, until the next reseed (the PyTorch fixtures
 * give their masks this way; training and prediction never do).
 */
public final class Dropout implements StochasticLayer {
    public static final String TYPE = "dropout";

    private final double p;

    /** @param p drop probability in [0, 1) */
    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    /** The layer of {@code {"type": "dropout", "p": P}}; {@code where} names it in errors. */
    static Dropout fromJson(JsonNode n, String where) {
        JsonNode v = n.get("p");
        if (v == null || !v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() < 1)) {
            throw new IllegalArgumentException(where + " (" + TYPE + "): field 'p' must be a number in [0, 1), got "
                    + (v == null ? "nothing" : v.toString()));
        }
        return new Dropout(v.asDouble());
    }

    /** Drop probability p. */
    public double p() {
        return p;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean isRandom() {
        return p > 0;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        return inputShape.clone();
    }

    /** The per-batch state: random stream, eval-mode sampling switch, last mask and its scale. */
    static final class Scratch {
        final boolean[] keep;
        final int perExample;
        boolean[] given;      // fixed training mask (fixDropoutMask), null: draw
        long state;
        boolean sampleInEval;
        double scale = 1.0;

        Scratch(int batch, int perExample) {
            this.keep = new boolean[Math.multiplyExact(batch, perExample)];
            this.perExample = perExample;
        }

        /** Next uniform in [0, 1) (SplitMix64). */
        double nextUniform() {
            return BitMix.unitDouble(BitMix.mix13(state += BitMix.GOLDEN_GAMMA));
        }
    }

    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        long n = 1;
        for (long d : inputShape) {
            n *= d;
        }
        return new Scratch(Math.toIntExact(batch), Math.toIntExact(n));
    }

    @Override
    public void reseed(Object scratch, long seed, boolean sampleInEval) {
        Scratch s = (Scratch) scratch;
        s.state = seed;
        s.sampleInEval = sampleInEval;
        s.given = null;
    }

    /**
     * Training passes through {@code scratch} use {@code keep} (copied; row-major over
     * {@code [B, per-example shape]}, true = kept) as their mask instead of drawing one, until
     * the next {@link #reseed}.
     */
    void fixMask(Object scratch, boolean[] keep) {
        Scratch s = (Scratch) scratch;
        if (keep.length != s.keep.length) {
            throw new IllegalArgumentException(TYPE + ": a mask of " + keep.length + " entries for a batch of "
                    + s.keep.length / Math.max(1, s.perExample) + " examples of " + s.perExample + " values (expected "
                    + s.keep.length + ")");
        }
        s.given = keep.clone();
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        Scratch s = (Scratch) scratch;
        if (!DenseAccess.supports(in)) {
            out.assign(in);
            in = out;
        }
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        int total = x.length();
        boolean[] keep = s.keep;
        if (p == 0 || (!training && !s.sampleInEval)) {
            s.scale = 1.0;
            for (int i = 0; i < total; i++) {
                keep[i] = true;
                y.set(i, x.get(i));
            }
            return;
        }
        double scale = 1.0 / (1.0 - p);
        s.scale = scale;
        if (training && s.given != null) {
            System.arraycopy(s.given, 0, keep, 0, total);
        } else if (training) {
            for (int i = 0; i < total; i++) {
                keep[i] = s.nextUniform() >= p;
            }
        } else {
            int n = s.perExample;
            for (int j = 0; j < n; j++) {
                keep[j] = s.nextUniform() >= p;
            }
            for (int i = n; i < total; i++) {
                keep[i] = keep[i % n];
            }
        }
        for (int i = 0; i < total; i++) {
            y.set(i, keep[i] ? x.get(i) * scale : 0.0);
        }
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        if (gradIn == null) {
            return;
        }
        Scratch s = (Scratch) scratch;
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess g = DenseAccess.of(gradIn);
        boolean[] keep = s.keep;
        double scale = s.scale;
        int total = d.length();
        for (int i = 0; i < total; i++) {
            g.set(i, keep[i] ? d.get(i) * scale : 0.0);
        }
    }

    @Override
    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("type", TYPE).put("p", p);
    }

    /** Whether any layer of {@code spec} is a dropout layer with p &gt; 0. */
    public static boolean anyRandom(NetworkSpec spec) {
        for (Layer l : spec.createLayers()) {
            if (l instanceof StochasticLayer s && s.isRandom()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return TYPE + "(p=" + p + ")";
    }
}
