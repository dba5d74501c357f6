package org.ngvi.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ngvi.optim.AdamParams;
import org.ngvi.optim.VognParams;
import org.ngvi.data.DatasetManifest;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.spark.train.TrainJob;

/** The {@code model} and {@code model_args} keys: convolutional architectures from the config. */
class TrainConfigModelTest {

    private static TrainConfig parse(String json, String... sets) {
        return TrainConfig.parse("cfg.json", json.getBytes(StandardCharsets.UTF_8), List.of(sets));
    }

    private static String error(String json, String... sets) {
        return assertThrows(ConfigException.class, () -> parse(json, sets)).getMessage();
    }

    private static DatasetManifest manifest(int h, int w, int c, int classes) {
        long[] counts = new long[classes];
        java.util.Arrays.fill(counts, 10);
        double[] mean = new double[c];
        double[] std = new double[c];
        java.util.Arrays.fill(mean, 0.5);
        java.util.Arrays.fill(std, 0.25);
        return new DatasetManifest(DatasetManifest.FORMAT_VERSION, "test", 10L * classes, new int[] {h, w, c}, counts,
                List.of(), mean, std, List.of());
    }

    @Test
    void convModelsAreAcceptedWithTheirArguments() {
        TrainConfig c = parse("{\"model\": \"lenet5_bn\"}");
        assertEquals("lenet5_bn", c.model());
        assertEquals(0, c.modelArgs().size());
        TrainConfig r = parse("{\"model\": \"resnet18\", \"model_args\": {\"stem\": \"cifar\"}}");
        assertEquals("cifar", r.modelArgs().get("stem").asText());
        TrainConfig v = parse("{}", "model=vgg16", "model_args.batch_norm=false");
        assertEquals("vgg16", v.model());
        assertEquals(false, v.modelArgs().get("batch_norm").asBoolean());
        for (String m : List.of("lenet5", "alexnet", "vgg19", "mlp")) {
            assertEquals(m, parse("{\"model\": \"" + m + "\"}").model());
        }
    }

    @Test
    void unknownModelsAndArgumentsNameTheKey() {
        String m = error("{\"model\": \"resnet50\"}");
        assertTrue(m.contains("cfg.json") && m.contains("key 'model'") && m.contains("resnet18") && m.contains("resnet50"), m);
        String a = error("{\"model\": \"lenet5\", \"model_args\": {\"hidden\": [400]}}");
        assertTrue(a.contains("key 'model_args.hidden'") && a.contains("padding"), a);
        String s = error("{\"model\": \"resnet18\", \"model_args\": {\"stem\": \"big\"}}");
        assertTrue(s.contains("key 'model_args.stem'") && s.contains("imagenet"), s);
        String p = error("{\"model\": \"lenet5_bn\"}", "model_args.padding=-2");
        assertTrue(p.contains("key 'model_args.padding'") && p.contains(">= 0"), p);
        String mlp = error("{\"model\": \"mlp\", \"model_args\": {\"stem\": \"cifar\"}}");
        assertTrue(mlp.contains("'model_args.stem'"), mlp);
    }

    @Test
    void theTrainerBuildsTheModelForTheDataShape() {
        NetworkSpec lenet = TrainJob.network(parse("{\"model\": \"lenet5_bn\"}"), manifest(28, 28, 1, 10));
        assertEquals(List.of(1L, 28L, 28L), java.util.Arrays.stream(lenet.inputShape()).boxed().toList());
        assertEquals(62_158L, Network.build(lenet, org.nd4j.linalg.api.buffer.DataType.FLOAT).layout().totalSize());
        NetworkSpec resnet = TrainJob.network(parse("{\"model\": \"resnet18\"}"), manifest(32, 32, 3, 100));
        assertEquals(List.of(3L, 32L, 32L), java.util.Arrays.stream(resnet.inputShape()).boxed().toList());
        assertEquals(100, Network.build(resnet, org.nd4j.linalg.api.buffer.DataType.FLOAT).numClasses());
        NetworkSpec mlp = TrainJob.network(parse("{}"), manifest(28, 28, 1, 10));
        assertEquals(List.of(784L), java.util.Arrays.stream(mlp.inputShape()).boxed().toList());
    }

    @Test
    void shippedLenetConfigsHaveTheReferenceSettings() throws Exception {
        TrainConfig v = TrainConfig.load(Path.of("../configs/fmnist_lenet5_bn_vogn.json"), List.of());
        TrainConfig a = TrainConfig.load(Path.of("../configs/fmnist_lenet5_bn_adam.json"), List.of());
        assertEquals("lenet5_bn", v.model());
        assertEquals("lenet5_bn", a.model());
        assertEquals(v.epochs(), a.epochs());
        assertEquals(v.batchSize(), a.batchSize());
        OptimConfig o = v.optim();
        assertEquals("vogn", o.name());
        VognParams p = (VognParams) o.params(60_000, null, 468);
        assertEquals(0.01, p.lr());
        assertEquals(0.1, p.gradEma());
        assertEquals(0.001, p.curvatureEma());
        assertEquals(8e-3, p.initPrecision());
        assertEquals(1.0, p.priorVariance());
        assertEquals(0.0, p.damping());
        assertEquals(10, p.numMcSamples());
        assertEquals(new org.ngvi.optim.schedule.ExponentialLr(0.9), o.schedule().main(), "the reference's ExponentialLR(0.9)");
        assertTrue(a.optim().schedule().isConstant(), "the reference's Adam config has no scheduler");
        assertEquals("adam", a.optim().name());
        AdamParams ap = (AdamParams) a.optim().params(60_000);
        assertEquals(1e-3, ap.lr());
        assertEquals(0.01, ap.weightDecay());
    }
}
