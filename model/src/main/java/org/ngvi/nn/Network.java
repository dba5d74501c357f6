package org.ngvi.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.random.Seeds;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/**
 * A sequential network: layers applied in order to a per-example input shape, then a loss on
 * the logits. Parameters live in a {@link FlatTensor} with names {@code "<i>.<local>"} (the
 * fixture naming). Running statistics (BatchNorm, {@code "<i>.running_mean"},
 * {@code "<i>.running_var"}) live in a second flat tensor the network owns ({@link #runningStats()}):
 * training forward passes update it, every forward pass reads it. Activations and deltas are
 * preallocated per batch size and reused, so a training step allocates nothing once warm.
 *
 * <p>Not thread-safe: one Network per task/thread (build another from the same {@link NetworkSpec}).
 */
public final class Network {
    private final NetworkSpec spec;
    private final List<Layer> layers;
    private final long[] inputShape;
    private final Loss loss;
    private final DataType dtype;
    private final ParamLayout layout;
    private final int[][] paramIndex; // layer -> indices into layout
    private final long[][] shapes;    // per-example shape at each layer boundary (layers.size() + 1)
    private final ParamLayout runningStatsLayout;
    private final FlatTensor runningStats;            // null when no layer keeps running statistics
    private final List<List<INDArray>> runningStatViews; // per layer, views into runningStats (empty lists if none)
    private Activations activations;
    private long noiseSeed;           // of the stochastic layers (dropout), see reseedNoise
    private boolean noiseInEval;

    Network(NetworkSpec spec, List<Layer> layers, Loss loss, DataType dtype) {
        this.spec = spec;
        this.layers = List.copyOf(layers);
        this.inputShape = spec.inputShape();
        this.loss = loss;
        this.dtype = dtype;
        List<ParamSpec> all = new ArrayList<>();
        List<ParamSpec> allStats = new ArrayList<>();
        int[][] statIndex = new int[layers.size()][];
        this.paramIndex = new int[layers.size()][];
        this.shapes = new long[layers.size() + 1][];
        shapes[0] = inputShape.clone();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            List<ParamSpec> local = l.paramSpecs();
            paramIndex[i] = new int[local.size()];
            for (int j = 0; j < local.size(); j++) {
                paramIndex[i][j] = all.size();
                all.add(new ParamSpec(i + "." + local.get(j).name(), local.get(j).shape()));
            }
            List<ParamSpec> localStats = l.runningStatSpecs();
            statIndex[i] = new int[localStats.size()];
            for (int j = 0; j < localStats.size(); j++) {
                statIndex[i][j] = allStats.size();
                allStats.add(new ParamSpec(i + "." + localStats.get(j).name(), localStats.get(j).shape()));
            }
            shapes[i + 1] = l.outputShape(shapes[i]);
        }
        this.layout = new ParamLayout(all);
        this.runningStatsLayout = new ParamLayout(allStats);
        this.runningStats = allStats.isEmpty() ? null : FlatTensor.zeros(runningStatsLayout, dtype);
        List<List<INDArray>> bv = new ArrayList<>();
        for (int[] idx : statIndex) {
            List<INDArray> v = new ArrayList<>(idx.length);
            for (int k : idx) {
                v.add(runningStats.view(k));
            }
            bv.add(List.copyOf(v));
        }
        this.runningStatViews = List.copyOf(bv);
        resetRunningStats();
    }

    /** Builds the network described by {@code spec} computing in {@code dtype} (FLOAT or DOUBLE). */
    public static Network build(NetworkSpec spec, DataType dtype) {
        return new Network(spec, spec.createLayers(), spec.createLoss(), dtype);
    }

    public NetworkSpec spec() {
        return spec;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Loss loss() {
        return loss;
    }

    public DataType dataType() {
        return dtype;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** Per-example input shape (without the batch axis). */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** Number of classes of the predictive distribution. */
    public int numClasses() {
        long[] out = shapes[shapes.length - 1];
        return loss.numClasses(out[out.length - 1]);
    }

    /** A fresh parameter vector initialised like PyTorch's defaults, from {@code seed}. */
    public FlatTensor initParams(long seed) {
        FlatTensor p = FlatTensor.zeros(layout, dtype);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).initParams(views(p, i), rng.split());
        }
        return p;
    }

    /**
     * Layout of the layers' running statistics (BatchNorm {@code "<i>.running_mean"}, {@code "<i>.running_var"}),
     * in layer order; empty when no layer keeps any.
     */
    public ParamLayout runningStatsLayout() {
        return runningStatsLayout;
    }

    /** Whether some layer keeps running statistics (BatchNorm). */
    public boolean hasRunningStats() {
        return runningStats != null;
    }

    /**
     * The network's running statistics, live: a training forward pass updates them in place (BatchNorm's
     * running statistics) and every forward pass reads them. {@code null} when
     * {@link #hasRunningStats()} is false. Copy them ({@link FlatTensor#copy()}) to keep a snapshot.
     */
    public FlatTensor runningStats() {
        return runningStats;
    }

    /** Replaces the running statistics by {@code values} (copied; layout {@link #runningStatsLayout()}, any FLOAT/DOUBLE type). */
    public void setRunningStats(FlatTensor values) {
        if (!values.layout().equals(runningStatsLayout)) {
            throw new IllegalArgumentException("running-statistics layout " + values.layout() + " does not match the network's "
                    + runningStatsLayout);
        }
        if (runningStats != null) {
            runningStats.flat().assign(values.flat());
        }
    }

    /** Resets the running statistics to their initial values (BatchNorm: running mean 0, running variance 1). */
    public void resetRunningStats() {
        for (int i = 0; i < layers.size(); i++) {
            if (!runningStatViews.get(i).isEmpty()) {
                layers.get(i).initRunningStats(runningStatViews.get(i));
            }
        }
    }

    /** A new tensor holding the initial running statistics, or {@code null} when the network has none. */
    public FlatTensor initialRunningStats() {
        if (runningStats == null) {
            return null;
        }
        FlatTensor t = FlatTensor.zeros(runningStatsLayout, dtype);
        for (int i = 0; i < layers.size(); i++) {
            List<INDArray> views = new ArrayList<>();
            for (ParamSpec s : layers.get(i).runningStatSpecs()) {
                views.add(t.view(i + "." + s.name()));
            }
            if (!views.isEmpty()) {
                layers.get(i).initRunningStats(views);
            }
        }
        return t;
    }

    /**
     * Full names of the parameters of normalisation layers (BatchNorm γ and β, see
     * {@link Layer#normalizationParams()}): the parameters without prior under torchsso's
     * {@code non_reg_for_bn}.
     */
    public java.util.Set<String> normalizationParamNames() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            for (String local : layers.get(i).normalizationParams()) {
                String name = i + "." + local;
                layout.indexOf(name);
                out.add(name);
            }
        }
        return out;
    }

    /** Parameter views of layer {@code i} in {@code t}. */
    public List<INDArray> views(FlatTensor t, int layerIndex) {
        int[] idx = paramIndex[layerIndex];
        List<INDArray> v = new ArrayList<>(idx.length);
        for (int k : idx) {
            v.add(t.view(k));
        }
        return v;
    }

    /**
     * Forward pass. Returns the logits buffer {@code [B, K]}, owned by this network and valid
     * until the next call. With {@code training} BatchNorm layers normalise with the batch
     * statistics and update the running statistics in {@link #runningStats()}; otherwise they use them.
     *
     * @param input {@code [B, inputShape...]} in this network's data type
     */
    public INDArray forward(FlatTensor params, INDArray input, boolean training) {
        Activations b = activations(input.size(0));
        b.acts[0] = input;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(b.acts[i], b.paramViews(params, i), runningStatViews.get(i), b.acts[i + 1], b.scratch[i], training);
        }
        return b.acts[layers.size()];
    }

    /**
     * Forward and backward pass: returns the mean loss, writes ∇L into {@code grad} and lets
     * {@code observer} (may be {@code null}) see every layer's input and per-example deltas.
     */
    public double lossAndGradient(FlatTensor params, INDArray input, int[] labels, FlatTensor grad,
                                  LayerBackwardObserver observer) {
        if (labels.length != input.size(0)) {
            throw new IllegalArgumentException("batch of " + input.size(0) + " inputs but " + labels.length + " labels");
        }
        INDArray logits = forward(params, input, true);
        Activations b = activations;
        int n = layers.size();
        double l = loss.lossAndDelta(logits, labels, b.deltas[n]);
        for (int i = n - 1; i >= 0; i--) {
            List<INDArray> p = b.paramViews(params, i);
            INDArray gradIn = i == 0 ? null : b.deltas[i];
            if (observer != null) {
                observer.beforeBackward(i, layers.get(i), b.acts[i], b.scratch[i]);
            }
            layers.get(i).backward(b.acts[i], b.acts[i + 1], b.deltas[i + 1], p, gradIn, b.gradViews(grad, i), b.scratch[i]);
            if (observer != null) {
                observer.onBackward(i, layers.get(i), b.acts[i], b.acts[i + 1], b.deltas[i + 1], p, b.scratch[i]);
            }
        }
        return l;
    }

    /**
     * Restarts the random streams of the {@link StochasticLayer}s (dropout) at {@code seed}: layer i
     * continues from a seed mixed from ({@code seed}, i), so the masks of the following forward passes
     * depend only on {@code seed} and on the passes made since. A new batch size (new activations)
     * restarts the streams at the last seed. No-op for networks without stochastic layers; allocates
     * nothing.
     *
     * @param sampleInEval eval-mode passes also sample (MC dropout: one mask per pass, shared by the
     *                     batch); BatchNorm and other layers stay in eval mode
     */
    public void reseedNoise(long seed, boolean sampleInEval) {
        noiseSeed = seed;
        noiseInEval = sampleInEval;
        if (activations != null) {
            seedNoise(activations.scratch);
        }
    }

    /**
     * Replays a dropout mask drawn elsewhere: the following training passes with batch size
     * B = {@code keep.length / n} (n = the layer's per-example input size) apply
     * {@code keep} (row-major over {@code [B, per-example shape]}, true = kept; copied) at layer
     * {@code layer} instead of drawing a mask, until {@link #reseedNoise} or a pass with another
     * batch size. Eval-mode passes are unaffected. Used to compare with the PyTorch fixtures,
     * whose masks are given; training and prediction never call it.
     *
     * @throws IllegalArgumentException when layer {@code layer} is not a dropout layer or the
     *                                  mask length is not a positive multiple of n
     */
    public void fixDropoutMask(int layer, boolean[] keep) {
        if (layer < 0 || layer >= layers.size() || !(layers.get(layer) instanceof Dropout d)) {
            throw new IllegalArgumentException("fixDropoutMask: layer " + layer + " is "
                    + (layer < 0 || layer >= layers.size() ? "out of range" : layers.get(layer).type()) + ", not " + Dropout.TYPE);
        }
        long n = 1;
        for (long v : shapes[layer]) {
            n *= v;
        }
        if (keep.length == 0 || keep.length % n != 0) {
            throw new IllegalArgumentException("fixDropoutMask: layer " + layer + " has " + n
                    + " values per example; a mask of " + keep.length + " entries is not a whole batch");
        }
        d.fixMask(activations(keep.length / n).scratch[layer], keep);
    }

    private void seedNoise(Object[] scratch) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof StochasticLayer s) {
                s.reseed(scratch[i], Seeds.layer(noiseSeed, i), noiseInEval);
            }
        }
    }

    private Activations activations(long batch) {
        if (activations == null || activations.batch != batch) {
            activations = new Activations(batch);
        }
        return activations;
    }

    /** {@code [batch, shape...]}: a per-example shape with the batch axis in front. */
    static long[] withBatch(long batch, long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = batch;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** Activations, deltas and scratch for one batch size; parameter-view lists cached per tensor. */
    private final class Activations {
        final long batch;
        final INDArray[] acts;
        final INDArray[] deltas;
        final Object[] scratch;
        private FlatTensor lastParams;
        private FlatTensor lastGrad;
        private final List<List<INDArray>> paramViews = new ArrayList<>();
        private final List<List<INDArray>> gradViews = new ArrayList<>();

        Activations(long batch) {
            this.batch = batch;
            int n = layers.size();
            acts = new INDArray[n + 1];
            deltas = new INDArray[n + 1];
            scratch = new Object[n];
            for (int i = 0; i <= n; i++) {
                if (i > 0) {
                    acts[i] = Nd4j.create(dtype, withBatch(batch, shapes[i]));
                }
                if (i > 0) {
                    deltas[i] = Nd4j.create(dtype, withBatch(batch, shapes[i]));
                }
            }
            for (int i = 0; i < n; i++) {
                scratch[i] = layers.get(i).scratch(batch, shapes[i], dtype);
            }
            seedNoise(scratch);
        }

        List<INDArray> paramViews(FlatTensor p, int i) {
            if (p != lastParams) {
                lastParams = p;
                fill(paramViews, p);
            }
            return paramViews.get(i);
        }

        List<INDArray> gradViews(FlatTensor g, int i) {
            if (g != lastGrad) {
                lastGrad = g;
                fill(gradViews, g);
            }
            return gradViews.get(i);
        }

        private void fill(List<List<INDArray>> target, FlatTensor t) {
            target.clear();
            for (int i = 0; i < layers.size(); i++) {
                target.add(views(t, i));
            }
        }
    }

    @Override
    public String toString() {
        return "Network(" + Arrays.toString(inputShape) + " -> " + layers.stream().map(Layer::type).toList() + ", " + loss.name() + ")";
    }
}
