package org.ngvi.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.dl4j.Dl4jTesting.assertSameOutputs;
import static org.ngvi.dl4j.Dl4jTesting.normal;
import static org.ngvi.dl4j.Dl4jTesting.randomize;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/**
 * Convolutional networks both ways: conv (padding, stride, non-square kernels, no bias), max and
 * avg pooling (overlapping windows), flatten (DL4J's CnnToFeedForwardPreProcessor, (C, H, W) order)
 * and BatchNorm 2d/1d in inference mode.
 */
class Dl4jConvolutionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** [2, 9, 9] → conv 3x3 p1 · relu · maxpool 3 s2 · conv [2,3] p1 no bias · tanh · avgpool 2 · flatten · linear · relu · linear. */
    static NetworkSpec convNet() throws Exception {
        return NetworkSpec.fromJson(JSON.readTree("""
                {"input_shape": [2, 9, 9], "loss": "cross_entropy", "layers": [
                  {"type": "conv2d", "in_channels": 2, "out_channels": 3, "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1], "bias": true},
                  {"type": "relu"},
                  {"type": "maxpool2d", "kernel": [3, 3], "stride": [2, 2]},
                  {"type": "conv2d", "in_channels": 3, "out_channels": 4, "kernel": [2, 3], "stride": [1, 1], "padding": [1, 1], "bias": false},
                  {"type": "tanh"},
                  {"type": "avgpool2d", "kernel": [2, 2], "stride": [2, 2]},
                  {"type": "flatten"},
                  {"type": "linear", "in": 16, "out": 6, "bias": true},
                  {"type": "relu"},
                  {"type": "linear", "in": 6, "out": 3, "bias": true}]}"""));
    }

    /** [1, 8, 8] → conv 3x3 p1 no bias · bn2d · relu · avgpool 2 · flatten · linear · bn1d · tanh · conv-free head. */
    static NetworkSpec batchNormNet() throws Exception {
        return NetworkSpec.fromJson(JSON.readTree("""
                {"input_shape": [1, 8, 8], "loss": "cross_entropy", "layers": [
                  {"type": "conv2d", "in_channels": 1, "out_channels": 3, "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1], "bias": false},
                  {"type": "batchnorm2d", "features": 3, "eps": 1e-05, "momentum": 0.1},
                  {"type": "relu"},
                  {"type": "avgpool2d", "kernel": [2, 2], "stride": [2, 2]},
                  {"type": "flatten"},
                  {"type": "linear", "in": 48, "out": 7, "bias": true},
                  {"type": "batchnorm1d", "features": 7, "eps": 1e-05, "momentum": 0.1},
                  {"type": "tanh"},
                  {"type": "linear", "in": 7, "out": 4, "bias": true}]}"""));
    }

    @Test
    void convNetWithMaxAndAvgPoolingExportsFloat64AndFloat32() throws Exception {
        NetworkSpec spec = convNet();
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Network net = Network.build(spec, dt);
            FlatTensor theta = net.initParams(5);
            randomize(theta, 51, 0.6);
            MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, theta);
            assertEquals(net.layout().totalSize(), dl4j.numParams());
            // same [out, in, kh, kw] layout on both sides
            INDArray w = theta.view("3.weight");
            INDArray dw = dl4j.getParam("2_W");
            assertArrayEquals(w.shape(), dw.shape());
            assertEquals(0.0, w.castTo(DataType.DOUBLE).sub(dw.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 0.0);
            INDArray x = normal(52, dt, 6, 2, 9, 9);
            assertSameOutputs(dl4j, x, net, theta, x, dt == DataType.DOUBLE ? 1e-12 : 1e-5, "conv net " + dt);
        }
        // the generated configuration reads back as the same spec
        MultiLayerConfiguration conf = Dl4jExport.configuration(spec, DataType.FLOAT);
        assertEquals(spec, Dl4jImport.spec(conf, InputType.convolutional(9, 9, 2)));
        assertEquals(spec, Dl4jImport.spec(conf, 2, 9, 9));
    }

    @Test
    void batchNormNetExportsRunningStatistics() throws Exception {
        NetworkSpec spec = batchNormNet();
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor theta = net.initParams(6);
        randomize(theta, 61, 0.5);
        Dl4jExportTest.setRunningStatistics(net, 62);
        INDArray x = normal(63, DataType.DOUBLE, 5, 1, 8, 8);
        MultiLayerNetwork generated = Dl4jExport.toMultiLayerNetwork(net, theta);
        assertEquals(net.layout().totalSize() + net.runningStatsLayout().totalSize(), generated.numParams());
        assertSameOutputs(generated, x, net, theta, x, 1e-12, "BN net, generated configuration");

        // the same network as a DL4J user configures it (log10(std) storage, setInputType, ActivationLayers)
        MultiLayerConfiguration user = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(3).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        assertEquals(spec, Dl4jImport.spec(user, InputType.convolutional(8, 8, 1)));
        MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, theta, user);
        assertSameOutputs(dl4j, x, net, theta, x, 1e-12, "BN net, user configuration (log10stdev)");
    }

    /** conv · bn2d · relu · global average pooling · linear: a ResNet-style head, both ways. */
    @Test
    void globalAveragePoolingBothWays() throws Exception {
        NetworkSpec spec = NetworkSpec.fromJson(JSON.readTree("""
                {"input_shape": [2, 5, 7], "loss": "cross_entropy", "layers": [
                  {"type": "conv2d", "in_channels": 2, "out_channels": 4, "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "bias": true},
                  {"type": "batchnorm2d", "features": 4, "eps": 1e-05, "momentum": 0.1},
                  {"type": "relu"},
                  {"type": "global_avgpool2d"},
                  {"type": "linear", "in": 4, "out": 3, "bias": true}]}"""));
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor theta = net.initParams(8);
        randomize(theta, 81, 0.8);
        Dl4jExportTest.setRunningStatistics(net, 82);
        INDArray x = normal(83, DataType.DOUBLE, 4, 2, 5, 7);
        assertSameOutputs(Dl4jExport.toMultiLayerNetwork(net, theta), x, net, theta, x, 1e-12, "global avg pool, export");

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 7, 2))
                .build();
        assertEquals(spec, Dl4jImport.spec(conf, InputType.convolutional(5, 7, 2)));
        MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
        dl4j.init();
        Network imported = Network.build(spec, DataType.DOUBLE);
        FlatTensor importedTheta = Dl4jImport.parameters(dl4j, imported);
        assertSameOutputs(dl4j, x, imported, importedTheta, x, 1e-12, "global avg pool, import");
    }

    /**
     * A DL4J user's LeNet-style configuration with InputType.convolutionalFlat: imported, DL4J's
     * initialised parameters (BatchNorm ones randomised) copied in, same outputs on the same data
     * (DL4J fed [B, C·H·W], we [B, C, H, W]).
     */
    @Test
    void importedConvolutionalFlatConfigurationGivesDl4jsOutputs() {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(9).dataType(dt).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).nOut(4)
                            .activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).nOut(3)
                            .activation(Activation.TANH).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new BatchNormalization.Builder().decay(0.8).build())
                    .layer(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(3)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutionalFlat(8, 8, 2))
                    .build();
            assertTrue(Dl4jImport.takesFlatInput(conf));
            NetworkSpec spec = Dl4jImport.spec(conf);
            assertArrayEquals(new long[] {2, 8, 8}, spec.inputShape());
            assertEquals(spec, Dl4jImport.spec(conf, InputType.convolutionalFlat(8, 8, 2)));
            assertEquals(spec, Dl4jImport.spec(conf, 128));
            // Same mode with a 3x3 kernel at stride 1 is padding 1 on each side
            assertEquals("[1,1]", spec.layers().get(3).get("padding").toString());
            assertEquals("batchnorm2d", spec.layers().get(6).get("type").asText());
            assertEquals(0.2, spec.layers().get(6).get("momentum").asDouble(), 1e-15);

            MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
            dl4j.init();
            Network net = Network.build(spec, dt);
            assertEquals(dl4j.numParams(), net.layout().totalSize() + net.runningStatsLayout().totalSize());
            dl4j.getParam("4_gamma").assign(normal(70, dt, 3).addi(1.0));
            dl4j.getParam("4_beta").assign(normal(71, dt, 3));
            dl4j.getParam("4_mean").assign(normal(72, dt, 3).muli(0.3));
            dl4j.getParam("4_log10stdev").assign(normal(73, dt, 3).muli(0.2));
            FlatTensor theta = Dl4jImport.parameters(dl4j, net);
            INDArray x = normal(74, dt, 5, 2, 8, 8);
            assertSameOutputs(dl4j, x.reshape('c', 5, 128), net, theta, x, dt == DataType.DOUBLE ? 1e-12 : 1e-5,
                    "imported convolutionalFlat net " + dt);
            // the export's self-check agrees, and notices a changed parameter
            double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;
            assertTrue(Dl4jExport.maxOutputDifference(dl4j, net, theta, x) <= tol);
            theta.view("0.weight").muli(1.1);
            assertTrue(Dl4jExport.maxOutputDifference(dl4j, net, theta, x) > 100 * tol);
        }
    }
}
