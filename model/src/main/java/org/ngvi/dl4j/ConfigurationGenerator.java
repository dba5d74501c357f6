package org.ngvi.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.AvgPool2d;
import org.ngvi.nn.BatchNorm;
import org.ngvi.nn.Conv2d;
import org.ngvi.nn.Flatten;
import org.ngvi.nn.GlobalAvgPool2d;
import org.ngvi.nn.Layers;
import org.ngvi.nn.Linear;
import org.ngvi.nn.MaxPool2d;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.nn.Relu;
import org.ngvi.nn.Tanh;

/**
 * Writes a DL4J {@link MultiLayerConfiguration} equivalent to a {@link NetworkSpec} (the inverse of
 * {@link ConfigurationTranslator}: translating the result gives the spec back):
 * <ul>
 *   <li>{@code linear} [+ {@code relu}/{@code tanh}] → {@code DenseLayer} with that activation (identity
 *       otherwise); the last layer, which must be {@code linear}, → {@code OutputLayer} with softmax +
 *       MCXENT ({@code cross_entropy}) or sigmoid + XENT ({@code bce_with_logits});</li>
 *   <li>{@code conv2d} [+ activation] → {@code ConvolutionLayer} (Truncate mode, NCHW, explicit padding);</li>
 *   <li>{@code maxpool2d}/{@code avgpool2d} → {@code SubsamplingLayer} MAX/AVG (no padding, Truncate);</li>
 *   <li>{@code batchnorm1d}/{@code batchnorm2d} → {@code BatchNormalization} (eps, decay = 1 − momentum,
 *       {@code useLogStd(false)}: the running variance is stored as is);</li>
 *   <li>{@code global_avgpool2d} → {@code GlobalPoolingLayer} AVG ([C, H, W] → [C]);</li>
 *   <li>{@code relu}/{@code tanh} elsewhere → {@code ActivationLayer};</li>
 *   <li>{@code flatten} of a {@code [C, H, W]} activation → a {@code CnnToFeedForwardPreProcessor} (NCHW)
 *       in front of the next DL4J layer.</li>
 * </ul>
 * Every nIn and preprocessor is set explicitly (no {@code setInputType}), so a convolutional network
 * takes {@code [B, C, H, W]} input. Updater and weight initialisation are DL4J defaults (the
 * parameters are overwritten by the export).
 */
final class ConfigurationGenerator {
    static final String SUPPORTED_TYPES = "linear, conv2d, maxpool2d, avgpool2d, global_avgpool2d, batchnorm1d, "
            + "batchnorm2d, relu, tanh, flatten (of a [C, H, W] activation)";

    private ConfigurationGenerator() {
    }

    static MultiLayerConfiguration generate(NetworkSpec spec, DataType dtype) {
        ArrayNode layers = spec.layers();
        int n = layers.size();
        if (n == 0 || !Linear.TYPE.equals(type(layers.get(n - 1)))) {
            throw new IllegalArgumentException("network " + layers + ": the last layer must be linear (the logits that "
                    + "DL4J's OutputLayer turns into probabilities)");
        }
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder()
                .dataType(dtype)
                .weightInit(WeightInit.XAVIER)
                .list();
        long[] shape = spec.inputShape();
        CnnToFeedForwardPreProcessor pending = null;
        int d = 0;
        for (int k = 0; k < n; k++) {
            JsonNode node = layers.get(k);
            String t = type(node);
            String where = "layers[" + k + "]";
            long[] out = Layers.fromJson(node, where).outputShape(shape);
            if (t.equals(Flatten.TYPE)) {
                if (shape.length != 3 || k == n - 1) {
                    throw new IllegalArgumentException(where + " (flatten of " + Arrays.toString(shape) + "): no DL4J "
                            + "equivalent (DL4J flattens a [C, H, W] activation in front of a following layer with a "
                            + "CnnToFeedForwardPreProcessor)");
                }
                pending = new CnnToFeedForwardPreProcessor(shape[1], shape[2], shape[0], CNN2DFormat.NCHW);
                shape = out;
                continue;
            }
            String act = null;
            boolean takesActivation = t.equals(Linear.TYPE) && k < n - 1 || t.equals(Conv2d.TYPE);
            if (takesActivation && k + 1 < n && isActivation(type(layers.get(k + 1)))) {
                act = type(layers.get(k + 1));
            }
            Layer layer = switch (t) {
                case Linear.TYPE -> k == n - 1 ? output(node, spec.loss()) : dense(node, act);
                case Conv2d.TYPE -> convolution(node, act);
                case MaxPool2d.TYPE -> pooling(node, PoolingType.MAX);
                case AvgPool2d.TYPE -> pooling(node, PoolingType.AVG);
                case BatchNorm.TYPE_1D, BatchNorm.TYPE_2D -> batchNorm(node, where);
                case GlobalAvgPool2d.TYPE -> new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build();
                case Relu.TYPE, Tanh.TYPE -> new ActivationLayer.Builder().activation(Dl4jActivations.dl4j(t)).build();
                default -> throw new IllegalArgumentException(where + ": layer type '" + t + "' has no DL4J equivalent "
                        + "(supported: " + SUPPORTED_TYPES + ")");
            };
            lb.layer(d, layer);
            if (pending != null) {
                lb.inputPreProcessor(d, pending);
                pending = null;
            }
            d++;
            shape = out;
            if (act != null) {
                k++;
            }
        }
        return lb.build();
    }

    private static DenseLayer dense(JsonNode n, String act) {
        return new DenseLayer.Builder().nIn(n.get("in").asLong()).nOut(n.get("out").asLong())
                .hasBias(n.get("bias").asBoolean()).activation(Dl4jActivations.dl4j(act)).build();
    }

    private static OutputLayer output(JsonNode n, String loss) {
        return new OutputLayer.Builder(Dl4jLosses.dl4jLoss(loss)).nIn(n.get("in").asLong()).nOut(n.get("out").asLong())
                .hasBias(n.get("bias").asBoolean()).activation(Dl4jLosses.dl4jActivation(loss)).build();
    }

    private static ConvolutionLayer convolution(JsonNode n, String act) {
        return new ConvolutionLayer.Builder(ints(n.get("kernel")), ints(n.get("stride")), ints(n.get("padding")))
                .nIn(n.get("in_channels").asLong()).nOut(n.get("out_channels").asLong())
                .hasBias(n.get("bias").asBoolean()).convolutionMode(ConvolutionMode.Truncate)
                .dataFormat(CNN2DFormat.NCHW).activation(Dl4jActivations.dl4j(act)).build();
    }

    private static SubsamplingLayer pooling(JsonNode n, PoolingType type) {
        return new SubsamplingLayer.Builder(type).kernelSize(ints(n.get("kernel"))).stride(ints(n.get("stride")))
                .padding(0, 0).convolutionMode(ConvolutionMode.Truncate).build();
    }

    private static BatchNormalization batchNorm(JsonNode n, String where) {
        if (n.has("mode")) {
            throw new IllegalArgumentException(where + " (" + type(n) + "): a fixed mode " + n.get("mode")
                    + " has no DL4J equivalent (DL4J uses batch statistics in training and running ones at inference)");
        }
        BatchNorm bn = (BatchNorm) Layers.fromJson(n, where);
        long f = n.get("features").asLong();
        return new BatchNormalization.Builder().nIn(f).nOut(f).eps(bn.eps()).decay(ConfigurationTranslator.oneMinus(bn.momentum()))
                .useLogStd(false).build();
    }

    private static boolean isActivation(String t) {
        return Relu.TYPE.equals(t) || Tanh.TYPE.equals(t);
    }

    private static String type(JsonNode n) {
        return n.path("type").asText();
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }
}
