package org.ngvi.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.dl4j.Dl4jTesting.assertSameOutputs;
import static org.ngvi.dl4j.Dl4jTesting.normal;
import static org.ngvi.dl4j.Dl4jTesting.randomize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ngvi.fixtures.TensorAssert;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/** ngvi → DL4J: DL4J's {@code output(x)} on the exported network equals softmax of our forward pass. */
class Dl4jExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mlpFloat64OutputsMatch() {
        for (String act : new String[] {"relu", "tanh"}) {
            NetworkSpec spec = Mlp.spec(6, new int[] {8, 5}, 4, act);
            Network net = Network.build(spec, DataType.DOUBLE);
            FlatTensor theta = net.initParams(3);
            randomize(theta, 11, 0.8);
            MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, theta);
            assertEquals(DataType.DOUBLE, dl4j.params().dataType());
            assertEquals(net.layout().totalSize(), dl4j.numParams());
            INDArray x = normal(5, DataType.DOUBLE, 7, 6);
            double diff = assertSameOutputs(dl4j, x, net, theta, x, 1e-12, "MLP " + act + " float64");
            assertTrue(diff < 1e-13, "max |difference| " + diff);
        }
    }

    @Test
    void mlpFloat32OutputsMatch() {
        NetworkSpec spec = Mlp.spec(10, new int[] {16}, 3, "relu");
        Network net = Network.build(spec, DataType.FLOAT);
        FlatTensor theta = net.initParams(4);
        MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, theta);
        assertEquals(DataType.FLOAT, dl4j.params().dataType());
        INDArray x = normal(6, DataType.FLOAT, 9, 10);
        assertSameOutputs(dl4j, x, net, theta, x, 1e-5, "MLP float32");
    }

    @Test
    void binaryMlpGivesSigmoidOfTheLogit() {
        NetworkSpec spec = Mlp.binarySpec(5, new int[] {7}, "tanh");
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor theta = net.initParams(8);
        randomize(theta, 12, 1.0);
        MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, theta);
        INDArray x = normal(9, DataType.DOUBLE, 6, 5);
        assertSameOutputs(dl4j, x, net, theta, x, 1e-12, "binary MLP");
    }

    @Test
    void denseWeightIsWrittenTransposed() {
        NetworkSpec spec = Mlp.spec(3, new int[] {2}, 2, "relu");
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor theta = net.initParams(1);
        MultiLayerNetwork dl4j = Dl4jExport.toMultiLayerNetwork(net, theta);
        INDArray w = theta.view("0.weight");   // [out=2, in=3]
        INDArray dw = dl4j.getParam("0_W");     // [in=3, out=2]
        assertEquals(3, dw.size(0));
        assertEquals(2, dw.size(1));
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(w.getDouble(o, i), dw.getDouble(i, o), 0.0);
            }
        }
        TensorAssert.assertClose(theta.view("0.bias").reshape(1, 2), dl4j.getParam("0_b").reshape(1, 2), 0, "bias");
    }

    @Test
    void generatedConfigurationImportsBackToTheSameSpec() {
        NetworkSpec spec = Mlp.spec(6, new int[] {8, 5}, 4, "tanh");
        MultiLayerConfiguration conf = Dl4jExport.configuration(spec, DataType.FLOAT);
        assertEquals(spec, Dl4jImport.spec(conf));
    }

    /** linear → batchnorm1d → relu → linear, eval mode with random running statistics. */
    @Test
    void batchNorm1dRunningStatisticsAreExported() throws Exception {
        NetworkSpec spec = new NetworkSpec(new long[] {6}, (ArrayNode) JSON.readTree("""
                [{"type": "linear", "in": 6, "out": 5, "bias": false},
                 {"type": "batchnorm1d", "features": 5, "eps": 0.001, "momentum": 0.1},
                 {"type": "relu"},
                 {"type": "linear", "in": 5, "out": 3, "bias": true}]"""), "cross_entropy");
        Network net = Network.build(spec, DataType.DOUBLE);
        FlatTensor theta = net.initParams(2);
        randomize(theta, 21, 0.7);
        setRunningStatistics(net, 22);
        INDArray x = normal(23, DataType.DOUBLE, 8, 6);

        MultiLayerNetwork generated = Dl4jExport.toMultiLayerNetwork(net, theta);
        assertSameOutputs(generated, x, net, theta, x, 1e-12, "BN1d, generated configuration (var)");

        // a configuration as a DL4J user writes it: BatchNormalization keeps log10(std) by default
        MultiLayerConfiguration userConf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(5).eps(0.001).decay(0.9).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        assertTrue(((BatchNormalization) userConf.getConf(1).getLayer()).isUseLogStd());
        MultiLayerNetwork user = Dl4jExport.toMultiLayerNetwork(net, theta, userConf);
        assertSameOutputs(user, x, net, theta, x, 1e-12, "BN1d, user configuration (log10stdev)");
        INDArray log10std = user.getParam("1_log10stdev").castTo(DataType.DOUBLE);
        INDArray var = net.runningStats().view("1.running_var");
        for (int c = 0; c < 5; c++) {
            assertEquals(0.5 * Math.log10(var.getDouble(c)), log10std.getDouble(c), 1e-15);
        }
    }

    @Test
    void configurationOfAnotherNetworkIsRejected() {
        Network net = Network.build(Mlp.spec(6, new int[] {8}, 4, "relu"), DataType.DOUBLE);
        MultiLayerConfiguration other = Dl4jExport.configuration(Mlp.spec(6, new int[] {8}, 4, "tanh"), DataType.DOUBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jExport.toMultiLayerNetwork(net, net.initParams(0), other));
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("tanh"), e.getMessage());
    }

    @Test
    void layerWithoutDl4jEquivalentIsAClearError() throws Exception {
        NetworkSpec endsInRelu = new NetworkSpec(new long[] {4}, (ArrayNode) JSON.readTree("""
                [{"type": "linear", "in": 4, "out": 3, "bias": true}, {"type": "relu"}]"""), "cross_entropy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jExport.configuration(endsInRelu, DataType.FLOAT));
        assertTrue(e.getMessage().contains("last layer must be linear"), e.getMessage());

        NetworkSpec withDropout = new NetworkSpec(new long[] {4}, (ArrayNode) JSON.readTree("""
                [{"type": "linear", "in": 4, "out": 3, "bias": true}, {"type": "dropout", "p": 0.5},
                 {"type": "linear", "in": 3, "out": 2, "bias": true}]"""), "cross_entropy");
        e = assertThrows(IllegalArgumentException.class, () -> Dl4jExport.configuration(withDropout, DataType.FLOAT));
        assertTrue(e.getMessage().contains("layers[1]") && e.getMessage().contains("dropout")
                && e.getMessage().contains("supported"), e.getMessage());
    }

    /** Random running statistics (mean ~ N(0, 0.5²), var ~ U(0.3, 2.3)) written into the network's buffers. */
    static void setRunningStatistics(Network net, long seed) {
        FlatTensor b = net.runningStats();
        for (int i = 0; i < b.layout().size(); i++) {
            String name = b.layout().spec(i).name();
            INDArray v = b.view(i);
            INDArray r = normal(seed + i, v.dataType(), v.shape());
            if (name.endsWith("running_var")) {
                for (long j = 0; j < r.length(); j++) {
                    r.putScalar(j, 0.3 + 2.0 / (1.0 + Math.exp(-r.getDouble(j))));
                }
            } else {
                r.muli(0.5);
            }
            v.assign(r);
        }
    }
}
