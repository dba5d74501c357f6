package org.ngvi.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/**
 * A sequential network: layers applied in order to a per-example input shape, then a loss on
 * the logits. Parameters live in a {@link FlatTensor} with names {@code "<i>.<local>"} (the
 * fixture naming). Activations and deltas are preallocated per batch size and reused, so a
 * training step allocates nothing once warm.
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
    private Buffers buffers;

    Network(NetworkSpec spec, List<Layer> layers, Loss loss, DataType dtype) {
        this.spec = spec;
        this.layers = List.copyOf(layers);
        this.inputShape = spec.inputShape();
        this.loss = loss;
        this.dtype = dtype;
        List<ParamSpec> all = new ArrayList<>();
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
            shapes[i + 1] = l.outputShape(shapes[i]);
        }
        this.layout = new ParamLayout(all);
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
     * until the next call.
     *
     * @param input {@code [B, inputShape...]} in this network's data type
     */
    public INDArray forward(FlatTensor params, INDArray input, boolean training) {
        Buffers b = buffers(input.size(0));
        b.acts[0] = input;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(b.acts[i], b.paramViews(params, i), b.acts[i + 1], b.scratch[i], training);
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
        Buffers b = buffers;
        int n = layers.size();
        double l = loss.lossAndDelta(logits, labels, b.deltas[n]);
        for (int i = n - 1; i >= 0; i--) {
            List<INDArray> p = b.paramViews(params, i);
            INDArray gradIn = i == 0 ? null : b.deltas[i];
            layers.get(i).backward(b.acts[i], b.acts[i + 1], b.deltas[i + 1], p, gradIn, b.gradViews(grad, i), b.scratch[i]);
            if (observer != null) {
                observer.onBackward(i, layers.get(i), b.acts[i], b.acts[i + 1], b.deltas[i + 1], p, b.scratch[i]);
            }
        }
        return l;
    }

    private Buffers buffers(long batch) {
        if (buffers == null || buffers.batch != batch) {
            buffers = new Buffers(batch);
        }
        return buffers;
    }

    private static long[] withBatch(long batch, long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = batch;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** Activations, deltas and scratch for one batch size; parameter-view lists cached per tensor. */
    private final class Buffers {
        final long batch;
        final INDArray[] acts;
        final INDArray[] deltas;
        final Object[] scratch;
        private FlatTensor lastParams;
        private FlatTensor lastGrad;
        private final List<List<INDArray>> paramViews = new ArrayList<>();
        private final List<List<INDArray>> gradViews = new ArrayList<>();

        Buffers(long batch) {
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
