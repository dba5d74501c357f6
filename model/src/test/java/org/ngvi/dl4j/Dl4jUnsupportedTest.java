package org.ngvi.dl4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ngvi.nn.NetworkSpec;

/** Unsupported DL4J layers and settings: an IllegalArgumentException naming the layer index, its class and what is supported. */
class Dl4jUnsupportedTest {

    private static OutputLayer softmaxOut(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(3).activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerConfiguration dense(Layer middle) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(middle)
                .layer(softmaxOut(5))
                .build();
    }

    private static MultiLayerConfiguration conv(Layer layer, InputType in) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(layer)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(in)
                .build();
    }

    /** Asserts translating {@code conf} fails with a message naming the layer, the class and each of {@code parts}. */
    private static void rejects(Supplier<NetworkSpec> translate, int layer, String className, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, translate::get);
        String m = e.getMessage();
        assertTrue(m.startsWith("DL4J layer " + layer + " (" + className), m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' missing in: " + m);
        }
    }

    @Test
    void unsupportedLayerClass() {
        MultiLayerConfiguration c = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(new LSTM.Builder().nIn(5).nOut(5).activation(Activation.TANH).build())
                .layer(softmaxOut(5)).build();
        rejects(() -> Dl4jImport.spec(c), 1, "LSTM", "layer class not supported",
                "supported: DenseLayer, OutputLayer, ConvolutionLayer, SubsamplingLayer, BatchNormalization, ActivationLayer");
    }

    @Test
    void unsupportedActivations() {
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.SIGMOID).build())),
                1, "DenseLayer", "sigmoid", "supported: relu");
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.LEAKYRELU).build())),
                1, "DenseLayer", "supported: relu");
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5)
                        .activation(new ActivationReLU(6.0, 0.0, 0.0)).build())),
                1, "DenseLayer", "max 6.0", "supported: relu (plain");
    }

    @Test
    void unsupportedLosses() {
        MultiLayerConfiguration mse = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(2).activation(Activation.IDENTITY).build())
                .build();
        rejects(() -> Dl4jImport.spec(mse), 1, "OutputLayer", "MSE", "supported: softmax + MCXENT");
        MultiLayerConfiguration multiLabel = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(4).nOut(3).activation(Activation.SIGMOID).build())
                .build();
        rejects(() -> Dl4jImport.spec(multiLabel), 0, "OutputLayer", "nOut 1");
    }

    @Test
    void outputLayerPlacement() {
        MultiLayerConfiguration noOutput = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build())
                .build();
        rejects(() -> Dl4jImport.spec(noOutput), 0, "DenseLayer", "last layer must be an OutputLayer");
        MultiLayerConfiguration outputFirst = new NeuralNetConfiguration.Builder().list().validateOutputLayerConfig(false)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(5).activation(Activation.SOFTMAX).build())
                .layer(softmaxOut(5))
                .build();
        rejects(() -> Dl4jImport.spec(outputFirst), 0, "OutputLayer", "only as the last layer");
    }

    @Test
    void dropoutWeightNoiseAndLayerNorm() {
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.RELU)
                .dropOut(0.5).build())), 1, "DenseLayer", "dropout");
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.RELU)
                .weightNoise(new DropConnect(0.5)).build())), 1, "DenseLayer", "weight noise");
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.RELU)
                .hasLayerNorm(true).build())), 1, "DenseLayer", "layer normalisation");
    }

    @Test
    void unsupportedConvolutionSettings() {
        InputType in = InputType.convolutional(6, 6, 2);
        rejects(() -> Dl4jImport.spec(conv(new ConvolutionLayer.Builder(3, 3).nOut(2).dilation(2, 2)
                .activation(Activation.RELU).build(), in), in), 0, "ConvolutionLayer", "dilation [2, 2]", "supported: 1, 1");
        // Same mode, 6x6 input, kernel 2, stride 1: one row/column of padding, on one side only
        rejects(() -> Dl4jImport.spec(conv(new ConvolutionLayer.Builder(2, 2).nOut(2).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.RELU).build(), in), in), 0, "ConvolutionLayer", "asymmetric", "supported");
        InputType nhwc = InputType.convolutional(6, 6, 2, CNN2DFormat.NHWC);
        rejects(() -> Dl4jImport.spec(conv(new ConvolutionLayer.Builder(3, 3).nOut(2).dataFormat(CNN2DFormat.NHWC)
                .activation(Activation.RELU).build(), nhwc), 6, 6, 2), 0, "ConvolutionLayer", "NHWC", "supported: NCHW");
        rejects(() -> Dl4jImport.spec(conv(new SubsamplingLayer.Builder(PoolingType.PNORM).kernelSize(2, 2).stride(2, 2)
                .pnorm(2).build(), in), in), 0, "SubsamplingLayer", "PNORM", "supported: MAX, AVG");
        rejects(() -> Dl4jImport.spec(conv(new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), in), in),
                0, "GlobalPoolingLayer", "MAX", "supported: AVG");
        rejects(() -> Dl4jImport.spec(conv(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .padding(1, 1).build(), in), in), 0, "SubsamplingLayer", "padding [1, 1]", "supported: no padding");
    }

    @Test
    void convolutionalFirstLayerNeedsTheInputType() {
        InputType in = InputType.convolutional(6, 6, 2);
        MultiLayerConfiguration c = conv(new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.RELU).build(), in);
        rejects(() -> Dl4jImport.spec(c), 0, "ConvolutionLayer", "InputType", "setInputType");
        // and the activation reaching a layer is checked: a wrong explicit input shape is caught
        rejects(() -> Dl4jImport.spec(c, 2, 7, 7), 1, "OutputLayer", "CnnToFeedForwardPreProcessor expects", "[2, 4, 4]");
    }

    @Test
    void batchNormSettingsAndShapes() {
        rejects(() -> Dl4jImport.spec(dense(new BatchNormalization.Builder().nIn(5).nOut(5).lockGammaBeta(true).build())),
                1, "BatchNormalization", "lockGammaBeta");
        rejects(() -> Dl4jImport.spec(dense(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.RELU).build()), 7),
                0, "DenseLayer", "nIn = 4", "7 features");
    }
}
