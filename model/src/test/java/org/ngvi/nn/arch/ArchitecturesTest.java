package org.ngvi.nn.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Layer;
import org.ngvi.args.ArgumentException;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;

class ArchitecturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode args(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parameter counts against PyTorch's (sum of {@code p.numel()} over the reference modules:
     * LeNet5 / LeNet5BatchNorm(affine=True), the CIFAR AlexNet, kuangliu's VGG with BatchNorm and
     * ResNet18, torchvision's resnet18).
     */
    static Stream<Arguments> counts() {
        return Stream.of(
                Arguments.of("lenet5", "{}", new long[] {1, 28, 28}, 10, 61_706L),
                Arguments.of("lenet5_bn", "{}", new long[] {1, 28, 28}, 10, 62_158L),
                Arguments.of("lenet5", "{}", new long[] {3, 32, 32}, 10, 62_006L),
                Arguments.of("lenet5_bn", "{}", new long[] {3, 32, 32}, 10, 62_458L),
                Arguments.of("alexnet", "{}", new long[] {3, 32, 32}, 10, 2_472_266L),
                Arguments.of("vgg16", "{}", new long[] {3, 32, 32}, 10, 14_728_266L),
                Arguments.of("vgg16", "{\"batch_norm\": false}", new long[] {3, 32, 32}, 10, 14_719_818L),
                Arguments.of("vgg19", "{}", new long[] {3, 32, 32}, 10, 20_040_522L),
                Arguments.of("vgg11", "{}", new long[] {3, 32, 32}, 10, 9_231_114L),
                Arguments.of("resnet18", "{}", new long[] {3, 32, 32}, 10, 11_173_962L),
                Arguments.of("resnet18", "{}", new long[] {3, 32, 32}, 100, 11_220_132L),
                Arguments.of("resnet18", "{}", new long[] {3, 224, 224}, 1000, 11_689_512L));
    }

    @ParameterizedTest(name = "{0} {1} {2} K={3}")
    @MethodSource("counts")
    void parameterCountsMatchTheReference(String name, String args, long[] chw, int classes, long expected) {
        Network net = Network.build(Architectures.spec(name, args(args), chw, classes), DataType.FLOAT);
        assertEquals(expected, net.layout().totalSize());
    }

    static Stream<Arguments> forwards() {
        return Stream.of(
                Arguments.of("lenet5", new long[] {1, 28, 28}, 10, 3),
                Arguments.of("lenet5_bn", new long[] {1, 28, 28}, 10, 3),
                Arguments.of("lenet5_bn", new long[] {3, 32, 32}, 7, 2),
                Arguments.of("alexnet", new long[] {3, 32, 32}, 10, 2),
                Arguments.of("vgg16", new long[] {3, 32, 32}, 10, 2),
                Arguments.of("vgg19", new long[] {3, 32, 32}, 100, 2),
                Arguments.of("resnet18", new long[] {3, 32, 32}, 10, 2),
                Arguments.of("resnet18", new long[] {3, 224, 224}, 5, 1));
    }

    /** Each model builds, runs forward (training and evaluation) and backward, and outputs [B, K] finite logits. */
    @ParameterizedTest(name = "{0} {1} K={2} B={3}")
    @MethodSource("forwards")
    void buildsAndOutputsOneLogitPerClass(String name, long[] chw, int classes, int batch) {
        NetworkSpec spec = Architectures.spec(name, null, chw, classes);
        assertEquals(spec, NetworkSpec.fromJson(spec.toJson()), "the spec survives its JSON form");
        Network net = Network.build(spec, DataType.FLOAT);
        assertEquals(classes, net.numClasses());
        FlatTensor theta = net.initParams(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, chw[0], chw[1], chw[2]);
        INDArray eval = net.forward(theta, x, false);
        assertArrayEquals(new long[] {batch, classes}, eval.shape());
        for (int i = 0; i < eval.length(); i++) {
            assertTrue(Double.isFinite(eval.getDouble(i)), "finite logits");
        }
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % classes;
        }
        FlatTensor grad = FlatTensor.zeros(net.layout(), DataType.FLOAT);
        FlatTensor sq = FlatTensor.zeros(net.layout(), DataType.FLOAT);
        double loss = new NetworkObjective(net).setBatch(x, y).evaluate(theta, grad, sq);
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
        assertTrue(grad.flat().norm2Number().doubleValue() > 0, "non-zero gradient");
        assertTrue(sq.flat().minNumber().doubleValue() >= 0, "squared gradients are non-negative");
    }

    @Test
    void resnetStemFollowsTheInputSizeUnlessGiven() {
        long[] cifar = {3, 32, 32};
        long[] imagenet = {3, 224, 224};
        assertEquals(ResNet18.Stem.CIFAR, ResNet18.Stem.forInput(cifar));
        assertEquals(ResNet18.Stem.IMAGENET, ResNet18.Stem.forInput(imagenet));
        assertEquals("conv2d", Architectures.spec("resnet18", null, imagenet, 10).layers().get(0).get("type").asText());
        assertEquals(7, Architectures.spec("resnet18", null, imagenet, 10).layers().get(0).get("kernel").get(0).asInt());
        assertEquals(3, Architectures.spec("resnet18", args("{\"stem\": \"cifar\"}"), imagenet, 10).layers().get(0).get("kernel").get(0).asInt());
        assertEquals(7, Architectures.spec("resnet18", args("{\"stem\": \"imagenet\"}"), new long[] {3, 64, 64}, 10)
                .layers().get(0).get("kernel").get(0).asInt());
        // ImageNet form: 224 → 112 → 55 (max pool) → 55, 28, 14, 7 → pooled 512
        NetworkSpec s = Architectures.spec("resnet18", null, imagenet, 10);
        long[] shape = imagenet;
        List<Layer> layers = s.createLayers();
        for (int i = 0; i < 5; i++) {
            shape = layers.get(i).outputShape(shape);
        }
        assertArrayEquals(new long[] {64, 55, 55}, shape);
        for (int i = 5; i < 12; i++) {
            shape = layers.get(i).outputShape(shape);
        }
        assertArrayEquals(new long[] {512, 7, 7}, shape);
    }

    @Test
    void lenetPaddingDefaultsAndOverride() {
        assertEquals(2, Architectures.spec("lenet5", null, new long[] {1, 28, 28}, 10).layers().get(0).get("padding").get(0).asInt());
        assertEquals(0, Architectures.spec("lenet5", null, new long[] {3, 32, 32}, 10).layers().get(0).get("padding").get(0).asInt());
        NetworkSpec p0 = Architectures.spec("lenet5", args("{\"padding\": 0}"), new long[] {1, 28, 28}, 10);
        // 28 → 24 → 12 → 8 → 4: fc1 takes 16·4·4 = 256 inputs
        assertEquals(256, p0.layers().get(7).get("in").asInt());
        // the small synthetic images of the trainer tests (12×12) fit with the default padding 2
        assertEquals(16, Architectures.spec("lenet5_bn", null, new long[] {1, 12, 12}, 4).layers().get(9).get("in").asInt());
    }

    @Test
    void lenetDropoutFollowsBothHiddenFullyConnectedLayers() throws Exception {
        com.fasterxml.jackson.databind.JsonNode args = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"dropout\": 0.25}");
        java.util.List<String> types = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.node.ArrayNode layers = Architectures.spec("lenet5_bn", args, new long[] {1, 28, 28}, 10).layers();
        for (com.fasterxml.jackson.databind.JsonNode l : layers) {
            types.add(l.get("type").asText());
        }
        int n = types.size();
        assertEquals(java.util.List.of("linear", "batchnorm1d", "relu", "dropout", "linear", "batchnorm1d", "relu", "dropout", "linear"),
                types.subList(n - 9, n));
        assertEquals(0.25, layers.get(n - 2).get("p").asDouble());
        assertEquals(2, types.stream().filter("dropout"::equals).count());
        assertEquals(0, Architectures.spec("lenet5", null, new long[] {1, 28, 28}, 10).layers().findValues("p").size());
        ArgumentException bad = assertThrows(ArgumentException.class,
                () -> Architectures.spec("lenet5", new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"dropout\": 1.5}"),
                        new long[] {1, 28, 28}, 10));
        assertEquals("dropout", bad.field());
    }

    @Test
    void badNamesArgumentsAndInputsAreClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Architectures.spec("lenet6", null, new long[] {1, 28, 28}, 10));
        assertTrue(unknown.getMessage().contains("lenet6") && unknown.getMessage().contains("lenet5_bn"), unknown.getMessage());

        ArgumentException field = assertThrows(ArgumentException.class,
                () -> Architectures.checkArgs("lenet5", args("{\"hidden\": [400]}")));
        assertEquals("hidden", field.field());
        assertTrue(field.getMessage().contains("model_args.hidden") && field.getMessage().contains("padding"), field.getMessage());

        ArgumentException value = assertThrows(ArgumentException.class,
                () -> Architectures.checkArgs("resnet18", args("{\"stem\": \"tiny\"}")));
        assertEquals("stem", value.field());
        assertTrue(value.getMessage().contains("imagenet"), value.getMessage());
        assertThrows(ArgumentException.class, () -> Architectures.checkArgs("vgg16", args("{\"batch_norm\": 1}")));
        assertThrows(ArgumentException.class, () -> Architectures.checkArgs("lenet5", args("{\"padding\": -1}")));
        assertThrows(ArgumentException.class, () -> Architectures.checkArgs("alexnet", args("[1]")));

        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> Architectures.spec("lenet5", args("{\"padding\": 0}"), new long[] {1, 12, 12}, 10));
        assertTrue(small.getMessage().contains("lenet5") && small.getMessage().contains("[1, 12, 12]"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Architectures.spec("alexnet", null, new long[] {32, 32}, 10));
        assertThrows(IllegalArgumentException.class, () -> Architectures.spec("alexnet", null, new long[] {3, 32, 32}, 1));
    }
}
