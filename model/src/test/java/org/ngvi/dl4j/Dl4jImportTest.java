package org.ngvi.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.dl4j.Dl4jTesting.assertSameOutputs;
import static org.ngvi.dl4j.Dl4jTesting.normal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

/** DL4J → ngvi: the imported spec has DL4J's parameters and, with them copied in, DL4J's outputs. */
class Dl4jImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static MultiLayerConfiguration mlp(DataType dtype, LossFunctions.LossFunction loss) {
        return new NeuralNetConfiguration.Builder().seed(42).dataType(dtype).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).l2(1e-4)
                .list()
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).hasBias(false).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(loss).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6))
                .build();
    }

    @Test
    void mlpSpecParametersAndOutputs() throws Exception {
        MultiLayerConfiguration conf = mlp(DataType.DOUBLE, LossFunctions.LossFunction.MCXENT);
        NetworkSpec spec = Dl4jImport.spec(conf);
        NetworkSpec expected = NetworkSpec.fromJson(JSON.readTree("""
                {"input_shape": [6], "loss": "cross_entropy", "layers": [
                  {"type": "linear", "in": 6, "out": 8, "bias": true}, {"type": "relu"},
                  {"type": "linear", "in": 8, "out": 5, "bias": false}, {"type": "tanh"},
                  {"type": "linear", "in": 5, "out": 5, "bias": true},
                  {"type": "linear", "in": 5, "out": 3, "bias": true}]}"""));
        assertEquals(expected, spec);
        assertEquals(spec, Dl4jImport.spec(conf, InputType.feedForward(6)));
        assertEquals(spec, Dl4jImport.spec(conf, 6));

        MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
        dl4j.init();
        Network net = Network.build(spec, DataType.DOUBLE);
        assertEquals(dl4j.numParams(), net.layout().totalSize());
        FlatTensor theta = Dl4jImport.parameters(dl4j, net);
        assertTrue(Dl4jTesting.l1(theta.flat()) > 0);
        INDArray x = normal(31, DataType.DOUBLE, 5, 6);
        assertSameOutputs(dl4j, x, net, theta, x, 1e-12, "imported MLP");

        // and back: exporting the imported parameters reproduces DL4J's parameter vector exactly
        MultiLayerNetwork again = Dl4jExport.toMultiLayerNetwork(net, theta, conf);
        assertEquals(0.0, again.params().sub(dl4j.params()).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void negativeLogLikelihoodAndFloat32() {
        MultiLayerConfiguration conf = mlp(DataType.FLOAT, LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD);
        NetworkSpec spec = Dl4jImport.spec(conf);
        assertEquals("cross_entropy", spec.loss());
        assertImportedOutputsMatch(conf, spec, DataType.FLOAT, 32, 1e-5, "imported MLP float32", 5, 6);
    }

    @Test
    void sigmoidXentIsBinaryCrossEntropy() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(6).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
        NetworkSpec spec = Dl4jImport.spec(conf);
        assertEquals("bce_with_logits", spec.loss());
        assertImportedOutputsMatch(conf, spec, DataType.DOUBLE, 33, 1e-12, "imported binary classifier", 5, 4);
    }

    /** BatchNormalization with DL4J's default log10(std) storage and with plain variance. */
    @Test
    void batchNorm1dParametersAndRunningStatistics() {
        for (boolean logStd : new boolean[] {true, false}) {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
                    .layer(new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().useLogStd(logStd).eps(1e-4).decay(0.95).build())
                    .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(5))
                    .build();
            NetworkSpec spec = Dl4jImport.spec(conf);
            assertEquals("batchnorm1d", spec.layers().get(1).get("type").asText());
            assertEquals(0.05, spec.layers().get(1).get("momentum").asDouble(), 1e-15);
            assertEquals(1e-4, spec.layers().get(1).get("eps").asDouble(), 0.0);
            MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
            dl4j.init();
            Network net = Network.build(spec, DataType.DOUBLE);
            // DL4J counts the running statistics among its parameters; we keep them as buffers
            assertEquals(dl4j.numParams(), net.layout().totalSize() + net.runningStatsLayout().totalSize());
            // DL4J initialises gamma 1, beta 0, mean 0, var 1: make them informative
            dl4j.getParam("1_gamma").assign(normal(40, DataType.DOUBLE, 7).addi(1.0));
            dl4j.getParam("1_beta").assign(normal(41, DataType.DOUBLE, 7));
            dl4j.getParam("1_mean").assign(normal(42, DataType.DOUBLE, 7));
            INDArray var = normal(43, DataType.DOUBLE, 7).muli(0.4);
            for (int c = 0; c < 7; c++) {
                var.putScalar(c, Math.exp(var.getDouble(c)));
            }
            if (logStd) {
                INDArray l = var.dup();
                for (int c = 0; c < 7; c++) {
                    l.putScalar(c, Math.log10(Math.sqrt(var.getDouble(c))));
                }
                dl4j.getParam("1_log10stdev").assign(l);
            } else {
                dl4j.getParam("1_var").assign(var);
            }
            FlatTensor theta = Dl4jImport.parameters(dl4j, net);
            INDArray ourVar = net.runningStats().view("1.running_var");
            for (int c = 0; c < 7; c++) {
                assertEquals(var.getDouble(c), ourVar.getDouble(c), 1e-14 * var.getDouble(c));
            }
            INDArray x = normal(44, DataType.DOUBLE, 6, 5);
            assertSameOutputs(dl4j, x, net, theta, x, 1e-12, "imported BN1d, useLogStd " + logStd);
        }
    }

    /**
     * Imports the parameters of a freshly initialised DL4J network of {@code conf} into
     * {@code spec}'s network and asserts both give the same outputs on N(0, 1) inputs of
     * {@code xShape} drawn from {@code seed}.
     */
    private static void assertImportedOutputsMatch(MultiLayerConfiguration conf, NetworkSpec spec, DataType dtype, long seed,
                                                   double tol, String what, long... xShape) {
        MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
        dl4j.init();
        Network net = Network.build(spec, dtype);
        FlatTensor theta = Dl4jImport.parameters(dl4j, net);
        INDArray x = normal(seed, dtype, xShape);
        assertSameOutputs(dl4j, x, net, theta, x, tol, what);
    }
}
