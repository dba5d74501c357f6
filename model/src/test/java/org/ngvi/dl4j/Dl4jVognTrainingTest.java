package org.ngvi.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.tensor.FlatTensor;

/**
 * The use case end to end: a DL4J user's convolutional configuration is imported, trained with
 * VOGN from DL4J's own initialisation, and the posterior mean exported back into that configuration,
 * where DL4J then classifies as well as our network does (same probabilities).
 */
class Dl4jVognTrainingTest {
    private static final int B = 48;

    /** 1×8×8 images: class 0 a bright horizontal bar, class 1 a vertical one, at random positions, plus noise. */
    private static INDArray images(long seed, int[] labels) {
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, labels.length, 1, 8, 8);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(2);
            int pos = rng.nextInt(8);
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    boolean bar = labels[i] == 0 ? r == pos : c == pos;
                    x.putScalar(new long[] {i, 0, r, c}, (bar ? 1.0 : 0.0) + 0.3 * rng.nextGaussian());
                }
            }
        }
        return x;
    }

    @Test
    void importedNetworkTrainsWithVognAndExportsBack() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build();
        NetworkSpec spec = Dl4jImport.spec(conf, InputType.convolutional(8, 8, 1));
        MultiLayerNetwork dl4j = new MultiLayerNetwork(conf);
        dl4j.init();
        Network net = Network.build(spec, DataType.FLOAT);
        FlatTensor mu0 = Dl4jImport.parameters(dl4j, net);

        int[] testLabels = new int[200];
        INDArray testX = images(999, testLabels);
        double before = accuracy(net, mu0, testX, testLabels);

        Vogn vogn = new Vogn(VognParams.builder(2000).lr(0.02).initPrecision(1.0).curvatureEma(0.01).build());
        VognState s = vogn.init(mu0.copy());
        NetworkObjective objective = new NetworkObjective(net);
        int[] labels = new int[B];
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        try (GaussianNoise noise = new GaussianNoise(3, 1)) {
            for (int step = 0; step < 200; step++) {
                objective.setBatch(images(step, labels), labels);
                var r = vogn.step(objective, s, noise);
                s = r.state();
                if (step == 0) {
                    firstLoss = r.loss();
                }
                lastLoss = r.loss();
            }
        }
        double after = accuracy(net, s.mean(), testX, testLabels);
        assertTrue(after >= 0.9 && after > before + 0.2, "accuracy " + before + " -> " + after
                + " (loss " + firstLoss + " -> " + lastLoss + ")");

        Dl4jExport.writeParameters(net, s.mean(), dl4j);
        double diff = Dl4jExport.maxOutputDifference(dl4j, net, s.mean(), testX);
        assertTrue(diff < 1e-5, "DL4J vs ngvi after training: " + diff);
        INDArray p = dl4j.output(testX, false);
        int correct = 0;
        for (int i = 0; i < testLabels.length; i++) {
            correct += (p.getDouble(i, 1) > p.getDouble(i, 0) ? 1 : 0) == testLabels[i] ? 1 : 0;
        }
        assertTrue(Math.abs(correct / (double) testLabels.length - after) < 1e-9, "DL4J accuracy " + correct + "/200 vs " + after);
    }

    private static double accuracy(Network net, FlatTensor theta, INDArray x, int[] labels) {
        INDArray z = net.forward(theta, x, false);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += (z.getDouble(i, 1) > z.getDouble(i, 0) ? 1 : 0) == labels[i] ? 1 : 0;
        }
        return correct / (double) labels.length;
    }
}
