package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.tensor.ParamSpec;

/**
 * 2-d convolution as PyTorch's {@code nn.Conv2d} (cross-correlation, zero padding, dilation 1,
 * groups 1): input {@code [B, C, H, W]}, weight W {@code [O, C, k_h, k_w]}, bias b {@code [O]},
 * output {@code [B, O, H_out, W_out]} with H_out, W_out as in {@link Window2d}. JSON:
 * {@code {"type": "conv2d", "in_channels": C, "out_channels": O, "kernel": [kh, kw],
 * "stride": [sh, sw], "padding": [ph, pw], "bias": true}}.
 *
 * <p>With U_i = im2col(x_i) {@code [K, P]} (K = C·k_h·k_w, P = H_out·W_out; {@link ConvGeometry})
 * and W viewed as {@code [O, K]}, for each example i:
 * <pre>
 *   forward:   y_i = W U_i + b 1ᵀ                              [O, P]
 *   backward:  ∂L/∂W = (1/B) Σᵢ Δ_i U_iᵀ,   ∂L/∂b = (1/B) Σᵢ Δ_i 1,   Δ_in,i = col2im(Wᵀ Δ_i)
 * </pre>
 * (Δ_i = ∂ℓᵢ/∂y_i, the per-example deltas). Each product is one {@link BlockGemm} call on the
 * example's block of the batch arrays, the ∂L/∂W calls accumulating (β = 1) into the gradient.
 * The columns live in one per-example {@link Im2colBuffer} (recomputed in the backward pass
 * instead of keeping B·K·P values per layer), so a layer's scratch is 2·K·P + C·H·W values
 * (column array plus heap staging) and a P-vector of ones, whatever the batch size, and nothing
 * is allocated once warm.
 *
 * <p>When a curvature rule has armed the scratch's {@link WeightGradientTap}, the backward pass
 * writes each example's G_i = Δ_i U_iᵀ whole into the rule's {@link WeightGradientSink}, which
 * squares it for ĥ and sums it for ∂L/∂W: one im2col and one product per example serve both
 * (natively, one {@code conv2d_bp} call per example instead of one for the batch).
 *
 * <p>That is the {@link ConvEngine#IM2COL} engine. With {@link ConvEngine#NATIVE} (chosen by
 * {@link ConvEngine#auto} when ND4J runs on oneDNN) the forward pass is one ND4J {@code conv2d}
 * op on the whole batch and the backward one {@code conv2d_bp} op (∂L/∂W and ∂L/∂b then scaled
 * by 1/B, since the op sums the per-example deltas), writing into the same preallocated arrays.
 *
 * <p>Initialisation as PyTorch (kaiming_uniform with a = √5): W, b ~ U(−1/√K, 1/√K).
 */
public final class Conv2d implements Layer {
    public static final String TYPE = "conv2d";
    private final int inChannels;
    private final int outChannels;
    private final Window2d window;
    private final boolean bias;

    public Conv2d(int inChannels, int outChannels, Window2d window, boolean bias) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("conv2d: in_channels and out_channels must be positive, got " + inChannels + " and "
                    + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.bias = bias;
    }

    /** The layer of a fixture-format {@code conv2d} object; errors name {@code where} and the field. */
    static Conv2d fromJson(JsonNode n, String where) {
        return new Conv2d(JsonFields.positiveInt(n, "in_channels", where), JsonFields.positiveInt(n, "out_channels", where),
                Window2d.fromJson(n, where, true), JsonFields.bool(n, "bias", where));
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public Window2d window() {
        return window;
    }

    public boolean hasBias() {
        return bias;
    }

    /** K = C·k_h·k_w, the fan-in of one output value. */
    public int patchSize() {
        return inChannels * window.kh() * window.kw();
    }

    /** The im2col geometry for per-example input shape {@code [C, H, W]} (checked). */
    public ConvGeometry geometry(long[] inputShape) {
        int[] chw = Window2d.chw(inputShape, inChannels, toString());
        return ConvGeometry.of(chw[0], chw[1], chw[2], window);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        ParamSpec w = new ParamSpec("weight", new long[] {outChannels, inChannels, window.kh(), window.kw()});
        return bias ? List.of(w, new ParamSpec("bias", new long[] {outChannels})) : List.of(w);
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        ConvGeometry g = geometry(inputShape);
        return new long[] {outChannels, g.outH(), g.outW()};
    }

    /**
     * Per-batch scratch: the column buffer and a ones vector {@code [P]} for the bias products.
     *
     * @param columns im2col of one example, reused for Wᵀ Δ_i in the backward pass
     * @param ones    P ones
     * @param engine  how the products are computed
     * @param tap     where a curvature rule asks for the next backward pass's per-example weight gradients
     * @param views   per-example views for the {@link ConvEngine#NATIVE} backward that hands G_i to a sink
     */
    public record Scratch(Im2colBuffer columns, INDArray ones, ConvEngine engine, WeightGradientTap tap,
                          ExampleViews views) {
    }

    /**
     * Example i's {@code [1, ...]} views of the batch input, output deltas and input deltas, and
     * the sink's product array viewed as {@code [O, C, k_h, k_w]}, cached while the same arrays
     * come back (the network passes the same buffers every step), so a warm step creates none.
     */
    public static final class ExampleViews {
        private INDArray x;
        private INDArray gradOut;
        private INDArray gradIn;
        private INDArray product;
        private INDArray[] xs;
        private INDArray[] ds;
        private INDArray[] gs;
        private INDArray product4;

        void update(INDArray x, INDArray gradOut, INDArray gradIn, INDArray product, long[] weightShape) {
            if (x != this.x) {
                this.x = x;
                xs = examples(x);
            }
            if (gradOut != this.gradOut) {
                this.gradOut = gradOut;
                ds = examples(gradOut);
            }
            if (gradIn != this.gradIn) {
                this.gradIn = gradIn;
                gs = examples(gradIn);
            }
            if (product != this.product) {
                this.product = product;
                product4 = product.reshape('c', weightShape);
            }
        }

        private static INDArray[] examples(INDArray a) {
            INDArray[] v = new INDArray[Math.toIntExact(a.size(0))];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1));
            }
            return v;
        }
    }

    /**
     * Receives the per-example weight gradients G_i = Δ_i U_iᵀ {@code [O, K]} of one
     * {@link ConvEngine#IM2COL} backward pass, which then computes ∂L/∂W = (1/B) Σᵢ G_i from
     * them instead of a second product per example.
     */
    public interface WeightGradientSink {
        /** The dense {@code [O, K]} array the pass writes G_i into before each {@link #accept}. */
        INDArray product();

        /** {@link #product()} holds G_i of example {@code example} (examples arrive in order 0, 1, ...). */
        void accept(int example);

        /** Writes (1/B) Σᵢ G_i over the B examples accepted since the pass began into {@code weightGrad} ({@code [O, C, k_h, k_w]}). */
        void writeMean(INDArray weightGrad, int batch);
    }

    /**
     * A one-shot request for per-example weight gradients: {@link #arm} before a backward pass
     * (what {@code ConvCurvature} does through {@link LayerBackwardObserver#beforeBackward}), and
     * after it {@link #delivered} says whether the pass used the sink (both engines do). Every
     * backward pass consumes the request.
     */
    public static final class WeightGradientTap {
        private WeightGradientSink armed;
        private WeightGradientSink delivered;

        /** The next backward pass hands its per-example weight gradients to {@code sink}. */
        public void arm(WeightGradientSink sink) {
            armed = sink;
            delivered = null;
        }

        /** Whether the last backward pass delivered to {@code sink}. */
        public boolean delivered(WeightGradientSink sink) {
            return delivered == sink;
        }

        private WeightGradientSink take() {
            WeightGradientSink s = armed;
            armed = null;
            delivered = null;
            return s;
        }
    }

    /** Scratch with the engine {@link ConvEngine#auto} picks for {@code dtype}. */
    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        return scratch(batch, inputShape, dtype, ConvEngine.auto(dtype));
    }

    /** Scratch computing with {@code engine}. */
    public Scratch scratch(long batch, long[] inputShape, DataType dtype, ConvEngine engine) {
        ConvGeometry g = geometry(inputShape);
        return new Scratch(Im2colBuffer.create(g, dtype), Nd4j.ones(dtype, g.positions()), engine, new WeightGradientTap(),
                new ExampleViews());
    }

    /** Integer arguments of ND4J's conv2d ops: kernel, stride, padding, dilation 1, explicit padding, NCHW, weights [O, C, kh, kw]. */
    private int[] nativeArgs() {
        return new int[] {window.kh(), window.kw(), window.sh(), window.sw(), window.ph(), window.pw(), 1, 1, 0, 0, 1};
    }

    private void nativeForward(INDArray x, List<INDArray> params, INDArray y) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d").addOutputs(y)
                .addIntegerArguments(nativeArgs());
        op = bias ? op.addInputs(x, params.get(0), params.get(1)) : op.addInputs(x, params.get(0));
        Nd4j.exec(op.build());
    }

    private void nativeBackward(INDArray x, INDArray gradOut, List<INDArray> params, INDArray gradIn, List<INDArray> grads,
                                int batch) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(nativeArgs());
        op = bias ? op.addInputs(x, params.get(0), params.get(1), gradOut).addOutputs(gradIn, grads.get(0), grads.get(1))
                : op.addInputs(x, params.get(0), gradOut).addOutputs(gradIn, grads.get(0));
        Nd4j.exec(op.build());
        double invB = 1.0 / batch; // the op sums the per-example deltas; ∂L/∂θ is their mean
        for (int j = 0; j < grads.size(); j++) {
            scale(grads.get(j), invB);
        }
    }

    /**
     * Per-example multiply-adds O·K·P from which a {@link ConvEngine#NATIVE} layer asked for its
     * G_i runs {@code conv2d_bp} per example; below it the {@link ConvEngine#IM2COL} backward
     * serves (LeNet's 6→16 layer at batch 128, 0.24 M: 128 native calls made the VOGN step about
     * 1.8× Adam's; ResNet-18's layers are 2–38 M).
     */
    static final long PER_EXAMPLE_NATIVE_MACS = 1_000_000;

    /**
     * The native backward one example at a time, for a curvature rule that wants every G_i:
     * {@code conv2d_bp} on example i's views writes Δ_in,i and G_i (into the sink's product),
     * the sink squares and sums G_i, and ∂L/∂b comes from the ones products. Measured with oneDNN
     * on ResNet-18's 3×3 layers: 23–26 ms per layer for all 32 examples against 13–16 ms for the
     * batched op plus 35–40 ms for the rule's own im2col products.
     */
    private void nativeBackwardPerExample(INDArray x, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                                          List<INDArray> grads, int batch, Scratch s, WeightGradientSink sink) {
        ExampleViews v = s.views();
        v.update(x, gradOut, gradIn, sink.product(), paramSpecs().get(0).shape());
        int p = s.columns().geometry().positions();
        double invB = 1.0 / batch;
        for (int i = 0; i < batch; i++) {
            // the bias does not enter Δ_in or ∂W, so the op runs without it
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addIntegerArguments(nativeArgs())
                    .addInputs(v.xs[i], params.get(0), v.ds[i]).addOutputs(v.gs[i], v.product4).build());
            sink.accept(i);
            if (bias) { // ∂L/∂b += (1/B) Δ_i 1
                BlockGemm.gemm(false, false, outChannels, 1, p, invB, gradOut, (long) i * outChannels * p, p, s.ones(), 0, 1,
                        i == 0 ? 0.0 : 1.0, grads.get(1), 0, 1);
            }
        }
        sink.writeMean(grads.get(0), batch);
        s.tap().delivered = sink;
    }

    /** a ← c·a in one bulk-staged pass. */
    private static void scale(INDArray a, double c) {
        DenseAccess d = DenseAccess.of(a);
        double[] chunk = Chunks.chunk(0);
        for (int from = 0, n = d.length(); from < n; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, n - from);
            d.get(from, chunk, 0, len);
            for (int j = 0; j < len; j++) {
                chunk[j] *= c;
            }
            d.set(from, chunk, 0, len);
        }
    }

    @Override
    public void initParams(List<INDArray> params, SplittableRandom rng) {
        PyTorchInit.uniform(params, patchSize(), rng);
    }

    @Override
    public void forward(INDArray x, List<INDArray> params, INDArray y, Object scratch, boolean training) {
        Scratch s = (Scratch) scratch;
        ConvGeometry g = s.columns().geometry();
        int batch = Math.toIntExact(x.size(0));
        int k = g.patchSize();
        int p = g.positions();
        int o = outChannels;
        checkOutput(y, batch, g);
        if (s.engine() == ConvEngine.NATIVE && DenseAccess.supports(x)) {
            nativeForward(x, params, y);
            return;
        }
        INDArray w = params.get(0);
        INDArray cols = s.columns().columns();
        for (int i = 0; i < batch; i++) {
            long yOff = (long) i * o * p;
            s.columns().load(x, i);
            BlockGemm.gemm(false, false, o, p, k, 1.0, w, 0, k, cols, 0, p, 0.0, y, yOff, p);
            if (bias) { // y_i += b 1ᵀ
                BlockGemm.gemm(false, false, o, p, 1, 1.0, params.get(1), 0, 1, s.ones(), 0, p, 1.0, y, yOff, p);
            }
        }
    }

    @Override
    public void backward(INDArray x, INDArray y, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        Scratch s = (Scratch) scratch;
        ConvGeometry g = s.columns().geometry();
        int batch = Math.toIntExact(x.size(0));
        int k = g.patchSize();
        int p = g.positions();
        int o = outChannels;
        checkOutput(gradOut, batch, g);
        WeightGradientSink sink = s.tap().take();
        if (s.engine() == ConvEngine.NATIVE && gradIn != null && DenseAccess.supports(x)) {
            if (sink == null) {
                nativeBackward(x, gradOut, params, gradIn, grads, batch);
                return;
            }
            if ((long) o * k * p >= PER_EXAMPLE_NATIVE_MACS) {
                nativeBackwardPerExample(x, gradOut, params, gradIn, grads, batch, s, sink);
                return;
            } // small products: one conv2d_bp call per example costs more in overhead than the im2col path below
        }
        double invB = 1.0 / batch;
        INDArray w = params.get(0);
        INDArray cols = s.columns().columns();
        for (int i = 0; i < batch; i++) {
            long dOff = (long) i * o * p;
            double beta = i == 0 ? 0.0 : 1.0;
            s.columns().load(x, i);
            if (sink != null) { // G_i = Δ_i U_iᵀ, summed by the sink
                BlockGemm.gemm(false, true, o, k, p, 1.0, gradOut, dOff, p, cols, 0, p, 0.0, sink.product(), 0, k);
                sink.accept(i);
            } else { // ∂L/∂W += (1/B) Δ_i U_iᵀ
                BlockGemm.gemm(false, true, o, k, p, invB, gradOut, dOff, p, cols, 0, p, beta, grads.get(0), 0, k);
            }
            if (bias) { // ∂L/∂b += (1/B) Δ_i 1
                BlockGemm.gemm(false, false, o, 1, p, invB, gradOut, dOff, p, s.ones(), 0, 1, beta, grads.get(1), 0, 1);
            }
            if (gradIn != null) { // Δ_in,i = col2im(Wᵀ Δ_i), the columns buffer reused for Wᵀ Δ_i
                BlockGemm.gemm(true, false, k, p, o, 1.0, w, 0, k, gradOut, dOff, p, 0.0, cols, 0, p);
                s.columns().scatter(gradIn, i);
            }
        }
        if (sink != null) {
            sink.writeMean(grads.get(0), batch);
            s.tap().delivered = sink;
        }
    }

    /** {@code y} is a dense {@code [B, O, H_out, W_out]} array. */
    private void checkOutput(INDArray y, int batch, ConvGeometry g) {
        if (y.rank() != 4 || y.size(0) != batch || y.size(1) != outChannels || y.size(2) != g.outH() || y.size(3) != g.outW()
                || !DenseAccess.supports(y)) {
            throw new IllegalArgumentException(this + ": expected a dense output/delta array [" + batch + ", " + outChannels + ", "
                    + g.outH() + ", " + g.outW() + "], got " + java.util.Arrays.toString(y.shape()));
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", TYPE);
        n.put("in_channels", inChannels);
        n.put("out_channels", outChannels);
        window.putJson(n, true);
        n.put("bias", bias);
        return n;
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + "→" + outChannels + ", " + window + (bias ? "" : ", no bias") + ")";
    }
}
