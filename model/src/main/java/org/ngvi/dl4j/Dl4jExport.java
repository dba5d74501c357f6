package org.ngvi.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * ngvi → DL4J: an ngvi {@link Network} with parameters θ (typically the posterior mean of a VOGN
 * run) as a DL4J {@link MultiLayerNetwork} whose {@code output(x)} equals
 * softmax (or sigmoid) of our {@code forward(θ, x, false)}, BatchNorm in inference mode with our
 * running statistics.
 *
 * <pre>
 *   MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, posterior.mean());
 *   ModelSerializer.writeModel(dl4j, file, false);
 * </pre>
 *
 * <p>Layouts written: dense W = our weightᵀ ({@code [in, out]}); convolution W as ours
 * {@code [out, in, kh, kw]}; biases; BatchNormalization gamma, beta, mean and var (or
 * {@code log10stdev} = log₁₀ √var for a configuration with {@code useLogStd}). Each DL4J parameter
 * is written through its view, so DL4J's internal (column-major) storage of dense weights does
 * not matter.
 */
public final class Dl4jExport {
    private Dl4jExport() {
    }

    /**
     * A DL4J configuration equivalent to {@code spec} computing in {@code dtype} (see
     * {@link ConfigurationGenerator} for the layer mapping).
     *
     * @throws IllegalArgumentException naming the layer for a layer type without DL4J equivalent
     */
    public static MultiLayerConfiguration configuration(NetworkSpec spec, DataType dtype) {
        return ConfigurationGenerator.generate(spec, dtype);
    }

    /** A new DL4J network, configured by {@link #configuration}, in {@code net}'s data type, holding {@code params}. */
    public static MultiLayerNetwork toMultiLayerNetwork(Network net, FlatTensor params) {
        return toMultiLayerNetwork(net, params, configuration(net.spec(), net.dataType()));
    }

    /**
     * A new DL4J network with configuration {@code conf} (for example the one a network was
     * imported from) holding {@code params} and {@code net}'s buffers.
     *
     * @throws IllegalArgumentException when {@code conf} does not describe {@code net}
     */
    public static MultiLayerNetwork toMultiLayerNetwork(Network net, FlatTensor params, MultiLayerConfiguration conf) {
        Translation t = ConfigurationTranslator.translate(conf, net.inputShape());
        SpecMatch.requireSame(t.spec(), net.spec());
        MultiLayerNetwork m = new MultiLayerNetwork(conf.clone());
        m.init();
        write(t, net, params, net.runningStats(), m);
        return m;
    }

    /**
     * Writes {@code params} and {@code net}'s buffers (BatchNorm running statistics) into
     * {@code target}, whose configuration must describe {@code net}.
     */
    public static void writeParameters(Network net, FlatTensor params, MultiLayerNetwork target) {
        writeParameters(net, params, net.runningStats(), target);
    }

    /**
     * Writes {@code params} and {@code buffers} (layout {@code net.runningStatsLayout()}, e.g. running
     * statistics saved with a checkpoint; {@code null} when the network has none) into {@code target}.
     */
    public static void writeParameters(Network net, FlatTensor params, FlatTensor buffers, MultiLayerNetwork target) {
        Translation t = ConfigurationTranslator.translate(target.getLayerWiseConfigurations(), net.inputShape());
        SpecMatch.requireSame(t.spec(), net.spec());
        write(t, net, params, buffers, target);
    }

    /**
     * max over the batch and classes of |DL4J's {@code output(x)} − our predictive probabilities|
     * (softmax of {@code net.forward(params, x, false)}; σ of the logit for {@code bce_with_logits}),
     * both in inference mode with the network's current buffers: the check that an export is
     * faithful.
     *
     * @param x our input {@code [B, inputShape...]}; reshaped to {@code [B, C·H·W]} for a DL4J
     *          configuration that takes flat input
     */
    public static double maxOutputDifference(MultiLayerNetwork dl4j, Network net, FlatTensor params, INDArray x) {
        INDArray logits = net.forward(params, x, false);
        INDArray ours = Nd4j.create(DataType.DOUBLE, logits.size(0), net.numClasses());
        net.loss().probabilities(logits.castTo(DataType.DOUBLE), ours);
        INDArray in = Dl4jImport.takesFlatInput(dl4j.getLayerWiseConfigurations()) ? x.reshape('c', x.size(0), -1) : x;
        INDArray theirs = dl4j.output(in.castTo(dl4j.params().dataType()), false).castTo(DataType.DOUBLE);
        if (theirs.size(1) == 1 && ours.size(1) == 2) {
            ours = ours.getColumn(1).reshape(ours.size(0), 1);   // DL4J's sigmoid output is P(y = 1)
        }
        if (theirs.size(0) != ours.size(0) || theirs.size(1) != ours.size(1)) {
            throw new IllegalArgumentException("DL4J output " + java.util.Arrays.toString(theirs.shape())
                    + " vs our probabilities " + java.util.Arrays.toString(ours.shape()));
        }
        return theirs.sub(ours).amaxNumber().doubleValue();
    }

    private static void write(Translation t, Network net, FlatTensor params, FlatTensor buffers, MultiLayerNetwork target) {
        if (!params.layout().equals(net.layout())) {
            throw new IllegalArgumentException("parameter layout " + params.layout() + " is not the network's " + net.layout());
        }
        if (net.hasRunningStats() && (buffers == null || !buffers.layout().equals(net.runningStatsLayout()))) {
            throw new IllegalArgumentException("buffers " + (buffers == null ? "missing" : buffers.layout().toString())
                    + " do not match the network's buffer layout " + net.runningStatsLayout());
        }
        for (ParamBinding b : t.bindings()) {
            INDArray ours = b.buffer() ? buffers.view(b.name()) : params.view(b.name());
            b.toDl4j(ours, target.getParam(b.dl4jParamName()));
        }
    }
}
