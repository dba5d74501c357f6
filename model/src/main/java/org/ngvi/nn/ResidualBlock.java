package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.random.Seeds;
import org.ngvi.tensor.ParamSpec;

/**
 * A residual block: two sequential branches on the same input whose outputs are added and
 * rectified,
 * <pre>  y = relu(F(x) + S(x))</pre>
 * where F is the {@code body} (a list of layers) and S the {@code shortcut} (a list of layers;
 * empty or absent means the identity S(x) = x). This is torchvision's {@code BasicBlock} (He et
 * al. 2016, "Deep Residual Learning for Image Recognition") when F = conv3×3 · bn · relu ·
 * conv3×3 · bn and S = identity or conv1×1(stride) · bn. The final ReLU is part of the block
 * (fused with the addition in one pass), so a block is exactly one torchvision BasicBlock.
 *
 * <p>JSON: {@code {"type": "residual", "body": [layer, ...], "shortcut": [layer, ...]}}, the
 * sub-layers in the fixture format. Parameters and buffers are the sub-layers', named
 * {@code "body.<j>.<local>"} and {@code "shortcut.<j>.<local>"} (so {@code "3.body.0.weight"}
 * inside a network), body first; storage order is that order.
 *
 * <p>Backward with per-example deltas Δ at the block output: Δ_pre = Δ ∘ 1[y > 0] is the delta at
 * the output of both branches; each branch propagates it through its layers' own
 * {@link Layer#backward}; the delta at the block input is the sum of the two branches' input
 * deltas (for the identity shortcut, Δ_in = Δ_F + Δ_pre). Parameter gradients come from the
 * sub-layers. Every sub-layer's input, output, output delta and scratch stay in the block's
 * {@link Scratch} after a backward pass, so a per-example curvature rule
 * ({@code org.ngvi.curvature.ResidualCurvature}) can apply each sub-layer's own rule. All buffers
 * are allocated once per batch size in {@link #scratch}.
 *
 * <p>A block is a {@link StochasticLayer} so that {@link Network#reseedNoise} reaches stochastic
 * sub-layers (dropout inside a branch): each gets a seed mixed from the block's seed and its index
 * k; {@link #isRandom()} is true when some sub-layer draws.
 */
public final class ResidualBlock implements StochasticLayer {
    public static final String TYPE = "residual";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final List<Layer> body;
    private final List<Layer> shortcut;
    private final List<Layer> all;          // body then shortcut: the sub-layer index k used throughout
    private final int[] paramFrom;           // per sub-layer, [from, to) into paramSpecs()
    private final int[] paramTo;
    private final int[] bufferFrom;
    private final int[] bufferTo;
    private final List<ParamSpec> params;
    private final List<ParamSpec> bufferSpecs;
    private final List<String> normalizationParams;

    /**
     * @param body     the residual branch F, at least one layer
     * @param shortcut the shortcut branch S; empty for the identity
     */
    public ResidualBlock(List<Layer> body, List<Layer> shortcut) {
        if (body == null || body.isEmpty()) {
            throw new IllegalArgumentException("residual: 'body' must have at least one layer");
        }
        this.body = List.copyOf(body);
        this.shortcut = shortcut == null ? List.of() : List.copyOf(shortcut);
        List<Layer> a = new ArrayList<>(this.body);
        a.addAll(this.shortcut);
        this.all = List.copyOf(a);
        int n = all.size();
        paramFrom = new int[n];
        paramTo = new int[n];
        bufferFrom = new int[n];
        bufferTo = new int[n];
        List<ParamSpec> ps = new ArrayList<>();
        List<ParamSpec> bs = new ArrayList<>();
        List<String> norm = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Layer l = all.get(k);
            String prefix = prefix(k);
            paramFrom[k] = ps.size();
            for (ParamSpec s : l.paramSpecs()) {
                ps.add(new ParamSpec(prefix + s.name(), s.shape()));
            }
            paramTo[k] = ps.size();
            bufferFrom[k] = bs.size();
            for (ParamSpec s : l.runningStatSpecs()) {
                bs.add(new ParamSpec(prefix + s.name(), s.shape()));
            }
            bufferTo[k] = bs.size();
            for (String local : l.normalizationParams()) {
                norm.add(prefix + local);
            }
        }
        this.params = List.copyOf(ps);
        this.bufferSpecs = List.copyOf(bs);
        this.normalizationParams = List.copyOf(norm);
    }

    /** Builds a block from its JSON object; sub-layers through {@link Layers#fromJson}. */
    static ResidualBlock fromJson(JsonNode n, String where) {
        JsonNode b = n.get("body");
        if (b == null || !b.isArray() || b.isEmpty()) {
            throw new IllegalArgumentException(where + " (residual): field 'body' must be a non-empty array of layers, got "
                    + (b == null ? "nothing" : b.toString()));
        }
        List<Layer> body = new ArrayList<>();
        for (int j = 0; j < b.size(); j++) {
            body.add(Layers.fromJson(b.get(j), where + ".body[" + j + "]"));
        }
        JsonNode s = n.get("shortcut");
        List<Layer> shortcut = new ArrayList<>();
        if (s != null && !s.isNull()) {
            if (!s.isArray()) {
                throw new IllegalArgumentException(where + " (residual): field 'shortcut' must be an array of layers "
                        + "(empty or absent for the identity), got " + s);
            }
            for (int j = 0; j < s.size(); j++) {
                shortcut.add(Layers.fromJson(s.get(j), where + ".shortcut[" + j + "]"));
            }
        }
        return new ResidualBlock(body, shortcut);
    }

    private String prefix(int k) {
        return k < body.size() ? "body." + k + "." : "shortcut." + (k - body.size()) + ".";
    }

    @Override
    public String type() {
        return TYPE;
    }

    public List<Layer> body() {
        return body;
    }

    public List<Layer> shortcut() {
        return shortcut;
    }

    public boolean identityShortcut() {
        return shortcut.isEmpty();
    }

    /** All sub-layers, body then shortcut; index k of the per-sub-layer accessors. */
    public List<Layer> subLayers() {
        return all;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return params;
    }

    @Override
    public List<ParamSpec> runningStatSpecs() {
        return bufferSpecs;
    }

    @Override
    public List<String> normalizationParams() {
        return normalizationParams;
    }

    /** Per-example input shape of every sub-layer (index k as {@link #subLayers()}). */
    public long[][] subInputShapes(long[] inputShape) {
        long[][] shapes = new long[all.size()][];
        long[] s = inputShape.clone();
        for (int k = 0; k < body.size(); k++) {
            shapes[k] = s;
            s = body.get(k).outputShape(s);
        }
        s = inputShape.clone();
        for (int k = body.size(); k < all.size(); k++) {
            shapes[k] = s;
            s = all.get(k).outputShape(s);
        }
        return shapes;
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        long[] f = inputShape.clone();
        for (Layer l : body) {
            f = l.outputShape(f);
        }
        long[] s = inputShape.clone();
        for (Layer l : shortcut) {
            s = l.outputShape(s);
        }
        if (!Arrays.equals(f, s)) {
            throw new IllegalArgumentException("residual: for input " + Arrays.toString(inputShape) + " the body gives "
                    + Arrays.toString(f) + " but the " + (shortcut.isEmpty() ? "identity shortcut" : "shortcut") + " gives "
                    + Arrays.toString(s) + "; both branches must produce the same shape"
                    + (shortcut.isEmpty() ? " (add a 'shortcut', e.g. a 1×1 conv with the body's stride)" : ""));
        }
        return f;
    }

    /**
     * Per-batch buffers: every sub-layer's output and output delta (the delta at the end of both
     * branches is one shared buffer, Δ_pre), the shortcut's input delta, and the sub-layers' own
     * scratch.
     */
    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        return new Scratch(this, batch, inputShape, dtype);
    }

    @Override
    public void initParams(List<INDArray> p, SplittableRandom rng) {
        for (int k = 0; k < all.size(); k++) {
            all.get(k).initParams(p.subList(paramFrom[k], paramTo[k]), rng.split());
        }
    }

    @Override
    public void initRunningStats(List<INDArray> buffers) {
        for (int k = 0; k < all.size(); k++) {
            if (bufferTo[k] > bufferFrom[k]) {
                all.get(k).initRunningStats(buffers.subList(bufferFrom[k], bufferTo[k]));
            }
        }
    }

    @Override
    public void forward(INDArray in, List<INDArray> p, INDArray out, Object scratch, boolean training) {
        forward(in, p, List.of(), out, scratch, training);
    }

    @Override
    public void forward(INDArray in, List<INDArray> p, List<INDArray> buffers, INDArray out, Object scratch,
                        boolean training) {
        Scratch s = (Scratch) scratch;
        boolean withBuffers = !buffers.isEmpty();
        if (withBuffers && buffers.size() != bufferSpecs.size()) {
            throw new IllegalArgumentException("residual: expected " + bufferSpecs.size() + " buffers " + bufferSpecs
                    + ", got " + buffers.size());
        }
        s.in[0] = in;
        if (!shortcut.isEmpty()) {
            s.in[body.size()] = in;
        }
        for (int k = 0; k < all.size(); k++) {
            List<INDArray> b = withBuffers ? s.buffers.of(buffers, k) : List.of();
            all.get(k).forward(s.in[k], s.params.of(p, k), b, s.out[k], s.layerScratch[k], training);
        }
        INDArray side = shortcut.isEmpty() ? in : s.out[all.size() - 1];
        addRelu(s.out[body.size() - 1], side, out);
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> p, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        Scratch s = (Scratch) scratch;
        reluMask(gradOut, out, s.preActGrad);
        s.in[0] = in;
        int nb = body.size();
        for (int k = nb - 1; k >= 0; k--) {
            INDArray gi = k == 0 ? gradIn : s.gradOut[k - 1];
            all.get(k).backward(s.in[k], s.out[k], s.gradOut[k], s.params.of(p, k), gi, s.grads.of(grads, k), s.layerScratch[k]);
        }
        if (!shortcut.isEmpty()) {
            s.in[nb] = in;
            for (int k = all.size() - 1; k >= nb; k--) {
                INDArray gi = k == nb ? (gradIn == null ? null : s.shortcutGradIn) : s.gradOut[k - 1];
                all.get(k).backward(s.in[k], s.out[k], s.gradOut[k], s.params.of(p, k), gi, s.grads.of(grads, k), s.layerScratch[k]);
            }
        }
        if (gradIn != null) {
            addInPlace(gradIn, shortcut.isEmpty() ? s.preActGrad : s.shortcutGradIn);
        }
    }

    /** out = max(a + b, 0), one fused pass (bulk-staged through {@link Chunks}). */
    private static void addRelu(INDArray a, INDArray b, INDArray out) {
        DenseAccess x = dense(a);
        DenseAccess y = dense(b);
        DenseAccess o = DenseAccess.of(out);
        int n = o.length();
        double[] ca = Chunks.chunk(0);
        double[] cb = Chunks.chunk(1);
        for (int from = 0; from < n; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, n - from);
            x.get(from, ca, 0, len);
            y.get(from, cb, 0, len);
            for (int j = 0; j < len; j++) {
                ca[j] = Math.max(ca[j] + cb[j], 0.0);
            }
            o.set(from, ca, 0, len);
        }
    }

    /** d = g ∘ 1[y > 0]. */
    private static void reluMask(INDArray g, INDArray y, INDArray d) {
        DenseAccess ga = dense(g);
        DenseAccess ya = dense(y);
        DenseAccess da = DenseAccess.of(d);
        int n = da.length();
        double[] ca = Chunks.chunk(0);
        double[] cb = Chunks.chunk(1);
        for (int from = 0; from < n; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, n - from);
            ga.get(from, ca, 0, len);
            ya.get(from, cb, 0, len);
            for (int j = 0; j < len; j++) {
                ca[j] = cb[j] > 0 ? ca[j] : 0.0;
            }
            da.set(from, ca, 0, len);
        }
    }

    /** a += b. */
    private static void addInPlace(INDArray a, INDArray b) {
        DenseAccess x = DenseAccess.of(a);
        DenseAccess y = dense(b);
        int n = x.length();
        double[] ca = Chunks.chunk(0);
        double[] cb = Chunks.chunk(1);
        for (int from = 0; from < n; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, n - from);
            x.get(from, ca, 0, len);
            y.get(from, cb, 0, len);
            for (int j = 0; j < len; j++) {
                ca[j] += cb[j];
            }
            x.set(from, ca, 0, len);
        }
    }

    private static DenseAccess dense(INDArray a) {
        return DenseAccess.of(DenseAccess.supports(a) ? a : a.dup('c'));
    }

    @Override
    public void reseed(Object scratch, long seed, boolean sampleInEval) {
        Scratch s = (Scratch) scratch;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k) instanceof StochasticLayer st) {
                st.reseed(s.layerScratch[k], Seeds.subLayer(seed, k), sampleInEval);
            }
        }
    }

    @Override
    public boolean isRandom() {
        for (Layer l : all) {
            if (l instanceof StochasticLayer st && st.isRandom()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = F.objectNode();
        n.put("type", TYPE);
        ArrayNode b = n.putArray("body");
        for (Layer l : body) {
            b.add(l.toJson());
        }
        if (!shortcut.isEmpty()) {
            ArrayNode s = n.putArray("shortcut");
            for (Layer l : shortcut) {
                s.add(l.toJson());
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Residual(" + body + (shortcut.isEmpty() ? " + identity" : " + " + shortcut) + ", relu)";
    }

    /**
     * Sub-lists {@code [from_k, to_k)} of a list given per call, cached while the same list object
     * is passed (the network passes the same parameter-view lists every step), so a warm step
     * creates no list objects.
     */
    public static final class Slices {
        private final int[] from;
        private final int[] to;
        private final List<List<INDArray>> slices = new ArrayList<>();
        private List<INDArray> key;

        Slices(int[] from, int[] to) {
            this.from = from;
            this.to = to;
        }

        /** Sub-list k of {@code whole}. */
        public List<INDArray> of(List<INDArray> whole, int k) {
            if (whole != key) {
                key = whole;
                slices.clear();
                for (int i = 0; i < from.length; i++) {
                    slices.add(whole.subList(from[i], to[i]));
                }
            }
            return slices.get(k);
        }
    }

    /** A parameter-list slicer for this block's sub-layers (index k as {@link #subLayers()}). */
    public Slices paramSlices() {
        return new Slices(paramFrom, paramTo);
    }

    /**
     * The block's per-batch state. After a forward/backward pass, {@link #input}, {@link #output},
     * {@link #gradOut} and {@link #layerScratch} of sub-layer k hold what that pass saw (per-example
     * deltas, not divided by B), which is what a per-example curvature rule of the sub-layer needs.
     */
    public static final class Scratch {
        private final INDArray[] in;
        private final INDArray[] out;
        private final INDArray[] gradOut;
        private final Object[] layerScratch;
        private final INDArray preActGrad;
        private final INDArray shortcutGradIn;
        private final Slices params;
        private final Slices grads;
        private final Slices buffers;

        Scratch(ResidualBlock block, long batch, long[] inputShape, DataType dtype) {
            int n = block.all.size();
            int nb = block.body.size();
            long[][] shapes = block.subInputShapes(inputShape);
            long[] outShape = block.outputShape(inputShape);
            in = new INDArray[n];
            out = new INDArray[n];
            gradOut = new INDArray[n];
            layerScratch = new Object[n];
            preActGrad = Nd4j.create(dtype, Network.withBatch(batch, outShape));
            for (int k = 0; k < n; k++) {
                Layer l = block.all.get(k);
                boolean last = k == nb - 1 || k == n - 1;
                out[k] = Nd4j.create(dtype, Network.withBatch(batch, l.outputShape(shapes[k])));
                gradOut[k] = last ? preActGrad : Nd4j.create(dtype, Network.withBatch(batch, l.outputShape(shapes[k])));
                layerScratch[k] = l.scratch(batch, shapes[k], dtype);
                if (k != 0 && k != nb) {
                    in[k] = out[k - 1];
                }
            }
            shortcutGradIn = block.shortcut.isEmpty() ? null : Nd4j.create(dtype, Network.withBatch(batch, inputShape));
            params = new Slices(block.paramFrom, block.paramTo);
            grads = new Slices(block.paramFrom, block.paramTo);
            buffers = new Slices(block.bufferFrom, block.bufferTo);
        }

        /** Input of sub-layer k in the last pass (the block input for the first layer of each branch). */
        public INDArray input(int k) {
            return in[k];
        }

        /** Output of sub-layer k in the last forward pass. */
        public INDArray output(int k) {
            return out[k];
        }

        /** Per-example deltas at the output of sub-layer k from the last backward pass. */
        public INDArray gradOut(int k) {
            return gradOut[k];
        }

        /** Sub-layer k's own scratch. */
        public Object layerScratch(int k) {
            return layerScratch[k];
        }

        /** Sub-layer k's slice of the block's parameter list, cached per list object. */
        public List<INDArray> params(List<INDArray> blockParams, int k) {
            return params.of(blockParams, k);
        }
    }
}
