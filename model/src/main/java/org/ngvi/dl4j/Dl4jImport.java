package org.ngvi.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * DL4J → ngvi: a DL4J user's {@link MultiLayerConfiguration} as a {@link NetworkSpec}, so the same
 * network can be trained with VOGN, and a DL4J network's parameters as ours.
 *
 * <pre>
 *   MultiLayerConfiguration conf = ...;                    // DenseLayer/ConvolutionLayer/... + OutputLayer
 *   NetworkSpec spec = Dl4jImport.spec(conf, InputType.convolutional(28, 28, 1));
 *   Network net = Network.build(spec, DataType.FLOAT);     // train it with Vogn, or:
 *   FlatTensor theta = Dl4jImport.parameters(dl4jNetwork, net);
 * </pre>
 *
 * <p>Supported layers and settings (see {@link ConfigurationTranslator} for the mapping):
 * DenseLayer, OutputLayer (softmax + MCXENT/NEGATIVELOGLIKELIHOOD → {@code cross_entropy},
 * sigmoid + XENT → {@code bce_with_logits}), ConvolutionLayer, SubsamplingLayer (MAX/AVG),
 * BatchNormalization, ActivationLayer, GlobalPoolingLayer (AVG); activations relu, tanh, identity.
 * Anything else is an {@link IllegalArgumentException} naming the DL4J layer index, its class and
 * what is supported.
 *
 * <p>Layouts: DL4J's dense W is {@code [nIn, nOut]}, ours {@code [out, in]} (transposed); convolution
 * weights are {@code [out, in, kh, kw]} in both; BatchNormalization keeps the running variance v
 * as {@code var} or, with {@code useLogStd} (DL4J's default), as {@code log10stdev} = log₁₀ √v, and
 * normalises with (x − mean)/√(v + eps) at inference as we do.
 */
public final class Dl4jImport {
    private Dl4jImport() {
    }

    /**
     * The spec of {@code conf}, with the input shape read from the configuration: a
     * {@code FeedForwardToCnnPreProcessor} or {@code CnnToFeedForwardPreProcessor} in front of layer 0
     * (what {@code setInputType(InputType.convolutionalFlat(..))} or a dense first layer after
     * {@code InputType.convolutional(..)} leave) gives {@code [C, H, W]}, a dense first layer
     * {@code [nIn]}. A configuration that starts with a convolution does not record its input
     * height and width: use {@link #spec(MultiLayerConfiguration, InputType)}.
     */
    public static NetworkSpec spec(MultiLayerConfiguration conf) {
        return ConfigurationTranslator.translate(conf, inferInputShape(conf)).spec();
    }

    /** The spec of {@code conf} for the input type given to {@code setInputType}. */
    public static NetworkSpec spec(MultiLayerConfiguration conf, InputType inputType) {
        return ConfigurationTranslator.translate(conf, inputShape(inputType)).spec();
    }

    /**
     * The spec of {@code conf} for a per-example input shape {@code [features]} or {@code [C, H, W]}
     * (for a configuration with a {@code FeedForwardToCnnPreProcessor} in front the flat
     * {@code [C·H·W]} is accepted too and becomes {@code [C, H, W]}).
     */
    public static NetworkSpec spec(MultiLayerConfiguration conf, long... inputShape) {
        return ConfigurationTranslator.translate(conf, inputShape).spec();
    }

    /**
     * Whether DL4J takes this configuration's input flattened, {@code [B, C·H·W]}
     * ({@code InputType.convolutionalFlat}); our network always takes {@code [B, C, H, W]} then
     * (the same values: DL4J reshapes in row-major order).
     */
    public static boolean takesFlatInput(MultiLayerConfiguration conf) {
        InputPreProcessor p = conf.getConfs().isEmpty() ? null : conf.getInputPreProcess(0);
        return p != null && p.getClass() == FeedForwardToCnnPreProcessor.class;
    }

    /**
     * Copies the parameters of {@code from} into a new parameter tensor of {@code to}, and its
     * BatchNormalization running statistics into {@code to}'s buffers.
     *
     * @throws IllegalArgumentException when {@code from}'s configuration is not {@code to}'s network
     */
    public static FlatTensor parameters(MultiLayerNetwork from, Network to) {
        FlatTensor p = FlatTensor.zeros(to.layout(), to.dataType());
        copyParameters(from, to, p);
        return p;
    }

    /**
     * Copies the parameters of {@code from} into {@code params} (layout of {@code to}) and its
     * BatchNormalization running statistics into {@code to}'s buffers: every parameter and
     * buffer of {@code to} is written.
     */
    public static void copyParameters(MultiLayerNetwork from, Network to, FlatTensor params) {
        if (!params.layout().equals(to.layout())) {
            throw new IllegalArgumentException("parameter layout " + params.layout() + " is not the network's " + to.layout());
        }
        Translation t = ConfigurationTranslator.translate(from.getLayerWiseConfigurations(), to.inputShape());
        SpecMatch.requireSame(t.spec(), to.spec());
        for (ParamBinding b : t.bindings()) {
            INDArray ours = b.buffer() ? to.runningStats().view(b.name()) : params.view(b.name());
            b.fromDl4j(from.getParam(b.dl4jParamName()), ours);
        }
    }

    /** Per-example shape for a DL4J input type. */
    static long[] inputShape(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NCHW) {
                throw new IllegalArgumentException("input type " + t + ": format " + c.getFormat()
                        + " is not supported (supported: NCHW)");
            }
            return new long[] {c.getChannels(), c.getHeight(), c.getWidth()};
        }
        if (t instanceof InputType.InputTypeConvolutionalFlat f) {
            return new long[] {f.getDepth(), f.getHeight(), f.getWidth()};
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return new long[] {f.getSize()};
        }
        throw new IllegalArgumentException("input type " + t + " is not supported (supported: InputType.feedForward, "
                + "convolutional (NCHW), convolutionalFlat)");
    }

    private static long[] inferInputShape(MultiLayerConfiguration conf) {
        if (conf.getConfs() == null || conf.getConfs().isEmpty()) {
            throw new IllegalArgumentException("DL4J configuration has no layers");
        }
        InputPreProcessor p = conf.getInputPreProcess(0);
        if (p instanceof FeedForwardToCnnPreProcessor f) {
            return new long[] {f.getNumChannels(), f.getInputHeight(), f.getInputWidth()};
        }
        if (p instanceof CnnToFeedForwardPreProcessor f) {
            return new long[] {f.getNumChannels(), f.getInputHeight(), f.getInputWidth()};
        }
        Layer first = conf.getConf(0).getLayer();
        if ((first.getClass() == DenseLayer.class || first.getClass() == OutputLayer.class)
                && ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) first).getNIn() > 0) {
            return new long[] {((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) first).getNIn()};
        }
        throw new IllegalArgumentException("DL4J layer 0 (" + first.getClass().getSimpleName() + "): the configuration does "
                + "not record the input shape; pass the InputType given to setInputType(...) or the per-example input shape "
                + "(Dl4jImport.spec(conf, inputType) or spec(conf, shape)); the input shape is read from a "
                + "FeedForwardToCnnPreProcessor/CnnToFeedForwardPreProcessor in front of layer 0 or a dense first layer's nIn");
    }
}
