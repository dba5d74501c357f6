package org.ngvi.dl4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.ngvi.dl4j.ParamBinding.Conversion;
import org.ngvi.nn.AvgPool2d;
import org.ngvi.nn.BatchNorm;
import org.ngvi.nn.Conv2d;
import org.ngvi.nn.Flatten;
import org.ngvi.nn.GlobalAvgPool2d;
import org.ngvi.nn.Linear;
import org.ngvi.nn.MaxPool2d;
import org.ngvi.nn.NetworkSpec;

/**
 * Reads a DL4J {@link MultiLayerConfiguration} layer by layer into a {@link Translation}: the
 * layer objects of our format, the loss, and the parameter bindings. Our per-example shape is
 * tracked through the network (PyTorch output-size formulas), so every layer is checked against
 * the activation that reaches it.
 *
 * <p>Mapping (DL4J layer → our layers):
 * <ul>
 *   <li>{@code DenseLayer(nIn, nOut, act)} → {@code linear(nIn, nOut)} [+ {@code relu}/{@code tanh}];
 *       W [in, out] is our weight transposed.</li>
 *   <li>{@code OutputLayer} (last layer) → {@code linear}; softmax + MCXENT/NEGATIVELOGLIKELIHOOD →
 *       loss {@code cross_entropy}, sigmoid + XENT with nOut 1 → {@code bce_with_logits} (our
 *       network outputs the logits; DL4J the probabilities).</li>
 *   <li>{@code ConvolutionLayer} (NCHW, dilation 1, mode Truncate/Strict, or Same when its padding is
 *       symmetric) → {@code conv2d} [+ activation]; W [out, in, kh, kw] in both.</li>
 *   <li>{@code SubsamplingLayer} MAX/AVG without padding → {@code maxpool2d}/{@code avgpool2d}.</li>
 *   <li>{@code BatchNormalization} → {@code batchnorm1d}/{@code batchnorm2d} (eps; momentum = 1 − decay);
 *       gamma, beta → weight, bias; mean, var (or log10stdev = log₁₀ √var) → running statistics.</li>
 *   <li>{@code ActivationLayer} relu/tanh/identity → that layer (identity: none).</li>
 *   <li>{@code GlobalPoolingLayer} AVG over height and width → {@code global_avgpool2d} ([C, H, W] → [C]).</li>
 *   <li>{@code CnnToFeedForwardPreProcessor} (NCHW, which flattens in (C, H, W) order) → {@code flatten};
 *       {@code FeedForwardToCnnPreProcessor} in front of layer 0 → input {@code [C, H, W]}, fed flat to DL4J.</li>
 * </ul>
 * Anything else, and dropout, weight noise, constraints, dilation, asymmetric padding, is an
 * {@link IllegalArgumentException} naming the DL4J layer index, its class and what is supported.
 * Training-only settings (updater, weight initialisation, l1/l2, gradient normalisation) are
 * ignored: VOGN replaces them.
 */
final class ConfigurationTranslator {
    static final String SUPPORTED_LAYERS = "DenseLayer, OutputLayer, ConvolutionLayer, SubsamplingLayer, "
            + "BatchNormalization, ActivationLayer, GlobalPoolingLayer (AVG)";
    /** Exact classes: subclasses (Convolution1DLayer, DepthwiseConvolution2D, ...) compute something else. */
    private static final Set<Class<?>> SUPPORTED_CLASSES = Set.of(DenseLayer.class, OutputLayer.class,
            ConvolutionLayer.class, SubsamplingLayer.class, BatchNormalization.class, ActivationLayer.class,
            GlobalPoolingLayer.class);

    private final MultiLayerConfiguration conf;
    private final ArrayNode layers = JsonNodeFactory.instance.arrayNode();
    private final List<ParamBinding> bindings = new ArrayList<>();
    private long[] inputShape;
    private long[] shape;
    private String loss;
    private boolean flatInput;

    private ConfigurationTranslator(MultiLayerConfiguration conf, long[] inputShape) {
        this.conf = conf;
        this.inputShape = inputShape.clone();
        this.shape = inputShape.clone();
    }

    /**
     * @param inputShape per-example input shape, {@code [features]} or {@code [C, H, W]}; a flat
     *                   {@code [C·H·W]} is accepted when the configuration starts with a
     *                   {@code FeedForwardToCnnPreProcessor} and becomes {@code [C, H, W]}
     */
    static Translation translate(MultiLayerConfiguration conf, long[] inputShape) {
        if (conf.getConfs() == null || conf.getConfs().isEmpty()) {
            throw new IllegalArgumentException("DL4J configuration has no layers");
        }
        for (long d : inputShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("input shape must have positive dimensions, got " + Arrays.toString(inputShape));
            }
        }
        if (inputShape.length != 1 && inputShape.length != 3) {
            throw new IllegalArgumentException("input shape must be [features] or [C, H, W], got " + Arrays.toString(inputShape));
        }
        ConfigurationTranslator t = new ConfigurationTranslator(conf, inputShape);
        int n = conf.getConfs().size();
        for (int i = 0; i < n; i++) {
            t.layer(i, n);
        }
        return new Translation(new NetworkSpec(t.inputShape, t.layers, t.loss), t.bindings, t.flatInput);
    }

    private void layer(int i, int n) {
        Layer l = conf.getConf(i).getLayer();
        Class<?> c = l.getClass();
        if (!SUPPORTED_CLASSES.contains(c)) {
            throw error(i, l, "layer class not supported (supported: " + SUPPORTED_LAYERS + ")");
        }
        preprocessor(i, l);
        checkTrainingOnlyNoise(i, l);
        if (c == DenseLayer.class) {
            dense(i, (DenseLayer) l);
        } else if (c == OutputLayer.class) {
            output(i, n, (OutputLayer) l);
        } else if (c == ConvolutionLayer.class) {
            convolution(i, (ConvolutionLayer) l);
        } else if (c == SubsamplingLayer.class) {
            subsampling(i, (SubsamplingLayer) l);
        } else if (c == BatchNormalization.class) {
            batchNorm(i, (BatchNormalization) l);
        } else if (c == GlobalPoolingLayer.class) {
            globalPooling(i, (GlobalPoolingLayer) l);
        } else {
            activation(i, l, ((ActivationLayer) l).getActivationFn());
        }
        if (i == n - 1 && loss == null) {
            throw error(i, l, "the last layer must be an OutputLayer with softmax + MCXENT/NEGATIVELOGLIKELIHOOD or "
                    + "sigmoid + XENT (our networks end in logits and a cross-entropy loss)");
        }
    }

    private void preprocessor(int i, Layer l) {
        InputPreProcessor p = conf.getInputPreProcess(i);
        if (p == null) {
            return;
        }
        if (p.getClass() == FeedForwardToCnnPreProcessor.class && i == 0) {
            FeedForwardToCnnPreProcessor f = (FeedForwardToCnnPreProcessor) p;
            long[] chw = {f.getNumChannels(), f.getInputHeight(), f.getInputWidth()};
            if (shape.length == 1 && shape[0] == chw[0] * chw[1] * chw[2]) {
                shape = chw;
                inputShape = chw.clone();
            } else if (!Arrays.equals(shape, chw)) {
                throw error(i, l, "its FeedForwardToCnnPreProcessor expects input [C, H, W] = " + Arrays.toString(chw)
                        + " (or flat " + chw[0] * chw[1] * chw[2] + "), but the input shape is " + Arrays.toString(shape));
            }
            flatInput = true;
            return;
        }
        if (p.getClass() == CnnToFeedForwardPreProcessor.class) {
            CnnToFeedForwardPreProcessor f = (CnnToFeedForwardPreProcessor) p;
            if (f.getFormat() != CNN2DFormat.NCHW) {
                throw error(i, l, "CnnToFeedForwardPreProcessor with format " + f.getFormat()
                        + " is not supported (supported: NCHW, which flattens in (C, H, W) order)");
            }
            long[] chw = {f.getNumChannels(), f.getInputHeight(), f.getInputWidth()};
            if (!Arrays.equals(shape, chw)) {
                throw error(i, l, "its CnnToFeedForwardPreProcessor expects [C, H, W] = " + Arrays.toString(chw)
                        + " but the activation reaching it is " + Arrays.toString(shape)
                        + " (check the input shape / InputType)");
            }
            layers.add(new Flatten().toJson());
            shape = new long[] {chw[0] * chw[1] * chw[2]};
            return;
        }
        throw error(i, l, "input preprocessor " + p.getClass().getSimpleName() + " is not supported (supported: "
                + "CnnToFeedForwardPreProcessor (NCHW), FeedForwardToCnnPreProcessor in front of layer 0)");
    }

    private void checkTrainingOnlyNoise(int i, Layer l) {
        if (l.getIDropout() != null) {
            throw error(i, l, "dropout (" + l.getIDropout() + ") is not supported: remove dropOut(...) "
                    + "(VOGN's weight sampling plays that role)");
        }
        if (l instanceof BaseLayer b && b.getWeightNoise() != null) {
            throw error(i, l, "weight noise (" + b.getWeightNoise() + ") is not supported: remove weightNoise(...)");
        }
        if (l.getConstraints() != null && !l.getConstraints().isEmpty()) {
            throw error(i, l, "parameter constraints " + l.getConstraints() + " are not supported");
        }
    }

    private void dense(int i, DenseLayer d) {
        if (d.hasLayerNorm()) {
            throw error(i, d, "layer normalisation (hasLayerNorm) is not supported");
        }
        linear(i, d, d.getNIn(), d.getNOut(), d.hasBias());
        activation(i, d, d.getActivationFn());
    }

    private void output(int i, int n, OutputLayer o) {
        if (i != n - 1) {
            throw error(i, o, "an OutputLayer is supported only as the last layer (it is layer " + i + " of " + n + ")");
        }
        loss = Dl4jLosses.ourLoss(o, msg -> error(i, o, msg));
        linear(i, o, o.getNIn(), o.getNOut(), o.hasBias());
    }

    private void linear(int i, Layer l, long nIn, long nOut, boolean bias) {
        if (shape.length != 1) {
            throw error(i, l, "receives a convolutional activation " + Arrays.toString(shape)
                    + " without a CnnToFeedForwardPreProcessor in front (build the configuration with setInputType(...))");
        }
        if (nIn != shape[0]) {
            throw error(i, l, "nIn = " + nIn + " but the activation reaching it has " + shape[0] + " features");
        }
        int k = layers.size();
        layers.add(new Linear(toInt(i, l, "nIn", nIn), toInt(i, l, "nOut", nOut), bias).toJson());
        bindings.add(new ParamBinding(k + ".weight", false, i, "W", Conversion.TRANSPOSE));
        if (bias) {
            bindings.add(new ParamBinding(k + ".bias", false, i, "b", Conversion.SAME));
        }
        shape = new long[] {nOut};
    }

    private void activation(int i, Layer l, org.nd4j.linalg.activations.IActivation a) {
        String type;
        try {
            type = Dl4jActivations.layerType(a);
        } catch (IllegalArgumentException e) {
            throw error(i, l, e.getMessage());
        }
        if (type != null) {
            layers.add(JsonNodeFactory.instance.objectNode().put("type", type));
        }
    }

    private void convolution(int i, ConvolutionLayer c) {
        requireNchw(i, c, c.getCnn2dDataFormat());
        requireConvolutional(i, c);
        Dl4jWindow.requireNoDilation(i, c, c.getDilation());
        if (c.getNIn() != shape[0]) {
            throw error(i, c, "nIn = " + c.getNIn() + " but the activation reaching it has " + shape[0] + " channels");
        }
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] pad = Dl4jWindow.padding(i, c, shape, c.getConvolutionMode(), k, s, c.getPadding());
        long[] out = Dl4jWindow.outputSize(i, c, shape, c.getConvolutionMode(), k, s, pad);
        int idx = layers.size();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", Conv2d.TYPE);
        o.put("in_channels", toInt(i, c, "nIn", c.getNIn()));
        o.put("out_channels", toInt(i, c, "nOut", c.getNOut()));
        o.set("kernel", pair(k));
        o.set("stride", pair(s));
        o.set("padding", pair(pad));
        o.put("bias", c.hasBias());
        layers.add(o);
        bindings.add(new ParamBinding(idx + ".weight", false, i, "W", Conversion.SAME));
        if (c.hasBias()) {
            bindings.add(new ParamBinding(idx + ".bias", false, i, "b", Conversion.SAME));
        }
        shape = new long[] {c.getNOut(), out[0], out[1]};
        activation(i, c, c.getActivationFn());
    }

    private void subsampling(int i, SubsamplingLayer p) {
        requireNchw(i, p, p.getCnn2dDataFormat());
        requireConvolutional(i, p);
        Dl4jWindow.requireNoDilation(i, p, p.getDilation());
        String type;
        if (p.getPoolingType() == PoolingType.MAX) {
            type = MaxPool2d.TYPE;
        } else if (p.getPoolingType() == PoolingType.AVG) {
            type = AvgPool2d.TYPE;
        } else {
            throw error(i, p, "pooling type " + p.getPoolingType() + " is not supported (supported: MAX, AVG)");
        }
        int[] k = p.getKernelSize();
        int[] s = p.getStride();
        int[] pad = Dl4jWindow.padding(i, p, shape, p.getConvolutionMode(), k, s, p.getPadding());
        if (pad[0] != 0 || pad[1] != 0) {
            throw error(i, p, "padding " + Arrays.toString(pad) + " is not supported for pooling (supported: no padding; "
                    + "with ConvolutionMode.Same only when the window tiles the input exactly)");
        }
        long[] out = Dl4jWindow.outputSize(i, p, shape, p.getConvolutionMode(), k, s, pad);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", type);
        o.set("kernel", pair(k));
        o.set("stride", pair(s));
        layers.add(o);
        shape = new long[] {shape[0], out[0], out[1]};
    }

    private void globalPooling(int i, GlobalPoolingLayer g) {
        requireConvolutional(i, g);
        if (g.getPoolingType() != PoolingType.AVG) {
            throw error(i, g, "pooling type " + g.getPoolingType() + " is not supported (supported: AVG)");
        }
        int[] dims = g.getPoolingDimensions();
        if (dims != null && !(dims.length == 2 && dims[0] == 2 && dims[1] == 3)) {
            throw error(i, g, "pooling dimensions " + Arrays.toString(dims) + " are not supported (supported: [2, 3], "
                    + "height and width of NCHW)");
        }
        if (!g.isCollapseDimensions()) {
            throw error(i, g, "collapseDimensions(false) is not supported (supported: true, output [B, C])");
        }
        layers.add(JsonNodeFactory.instance.objectNode().put("type", GlobalAvgPool2d.TYPE));
        shape = new long[] {shape[0]};
    }

    private void batchNorm(int i, BatchNormalization b) {
        if (b.isLockGammaBeta()) {
            throw error(i, b, "lockGammaBeta (fixed gamma and beta) is not supported (supported: learned gamma and beta)");
        }
        if (!b.isMinibatch()) {
            throw error(i, b, "minibatch(false) is not supported (supported: batch statistics in training, as PyTorch)");
        }
        double momentum = oneMinus(b.getDecay());
        if (!(momentum > 0 && momentum <= 1)) {
            throw error(i, b, "decay " + b.getDecay() + " is not supported (supported: 0 <= decay < 1; our momentum = 1 - decay)");
        }
        boolean spatial = shape.length == 3;
        if (spatial) {
            requireNchw(i, b, b.getCnn2DFormat());
        }
        if (b.getNOut() != shape[0]) {
            throw error(i, b, "nOut = " + b.getNOut() + " but the activation reaching it has " + shape[0]
                    + (spatial ? " channels" : " features"));
        }
        int idx = layers.size();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", spatial ? BatchNorm.TYPE_2D : BatchNorm.TYPE_1D);
        o.put("features", toInt(i, b, "nOut", b.getNOut()));
        o.put("eps", b.getEps());
        o.put("momentum", momentum);
        layers.add(o);
        bindings.add(new ParamBinding(idx + ".weight", false, i, BatchNormalizationParamInitializer.GAMMA, Conversion.SAME));
        bindings.add(new ParamBinding(idx + ".bias", false, i, BatchNormalizationParamInitializer.BETA, Conversion.SAME));
        bindings.add(new ParamBinding(idx + ".running_mean", true, i, BatchNormalizationParamInitializer.GLOBAL_MEAN,
                Conversion.SAME));
        bindings.add(b.isUseLogStd()
                ? new ParamBinding(idx + ".running_var", true, i, BatchNormalizationParamInitializer.GLOBAL_LOG_STD,
                        Conversion.LOG10_STD)
                : new ParamBinding(idx + ".running_var", true, i, BatchNormalizationParamInitializer.GLOBAL_VAR,
                        Conversion.SAME));
    }

    /**
     * 1 − x computed on the shortest decimal form of x, so that DL4J's decay 0.9 is our momentum
     * 0.1 exactly (not 0.09999999999999998) and the generated configurations read back to the same spec.
     */
    static double oneMinus(double x) {
        return BigDecimal.ONE.subtract(new BigDecimal(Double.toString(x))).doubleValue();
    }

    private void requireConvolutional(int i, Layer l) {
        if (shape.length != 3) {
            throw error(i, l, "receives a feed-forward activation " + Arrays.toString(shape)
                    + "; convolution and pooling need [C, H, W] (InputType.convolutional or convolutionalFlat)");
        }
    }

    private static void requireNchw(int i, Layer l, CNN2DFormat f) {
        if (f != null && f != CNN2DFormat.NCHW) {
            throw error(i, l, "data format " + f + " is not supported (supported: NCHW)");
        }
    }

    private static int toInt(int i, Layer l, String what, long v) {
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw error(i, l, what + " = " + v + " (expected a positive size; was the configuration built with setInputType?)");
        }
        return (int) v;
    }

    private static ArrayNode pair(int[] v) {
        return JsonNodeFactory.instance.arrayNode().add(v[0]).add(v[1]);
    }

    /** An error naming DL4J layer {@code i}, its class (and name, if set) and the problem. */
    static IllegalArgumentException error(int i, Layer l, String message) {
        String name = l.getLayerName();
        return new IllegalArgumentException("DL4J layer " + i + " (" + l.getClass().getSimpleName()
                + (name != null && !name.equals("layer" + i) && !name.equals(String.valueOf(i)) ? " '" + name + "'" : "")
                + "): " + message);
    }
}
