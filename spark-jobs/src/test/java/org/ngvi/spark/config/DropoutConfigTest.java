package org.ngvi.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ngvi.data.DatasetManifest;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.spark.train.TrainJob;

/** {@code model_args.dropout}: validated, default 0, builds dropout layers into the MLP. */
class DropoutConfigTest {
    private static TrainConfig parse(String json, String... sets) {
        return TrainConfig.parse("cfg.json", json.getBytes(StandardCharsets.UTF_8), List.of(sets));
    }

    private static final DatasetManifest MANIFEST = new DatasetManifest(1, "test", 10, new int[] {4, 4, 1},
            new long[] {5, 5}, List.of(), new double[] {100}, new double[] {50}, List.of());

    @Test
    void dropoutBuildsADropoutLayerAfterEveryHiddenActivation() {
        TrainConfig c = parse("{\"model_args\": {\"hidden\": [8, 6], \"dropout\": 0.25}}");
        assertEquals(0.25, c.dropout());
        Network n = Network.build(TrainJob.network(c, MANIFEST), DataType.FLOAT);
        assertEquals(List.of("linear", "relu", "dropout", "linear", "relu", "dropout", "linear"),
                n.layers().stream().map(Layer::type).toList());
        TrainConfig none = parse("{\"model_args\": {\"hidden\": [8]}}");
        assertEquals(0.0, none.dropout());
        assertEquals(List.of("linear", "relu", "linear"),
                Network.build(TrainJob.network(none, MANIFEST), DataType.FLOAT).layers().stream().map(Layer::type).toList());
        assertEquals(0.5, parse("{}", "model_args.dropout=0.5").dropout());
    }

    @Test
    void badDropoutNamesTheKey() {
        for (String bad : List.of("1", "-0.1", "\"half\"")) {
            String m = assertThrows(ConfigException.class, () -> parse("{\"model_args\": {\"dropout\": " + bad + "}}")).getMessage();
            assertTrue(m.contains("model_args.dropout"), m);
        }
    }

    @Test
    void shippedMcDropoutConfigMatchesTheAdamOneExceptDropoutAndTestSamples() throws Exception {
        TrainConfig d = TrainConfig.load(Path.of("../configs/fmnist_mlp_mcdropout.json"), List.of());
        TrainConfig a = TrainConfig.load(Path.of("../configs/fmnist_mlp_adam.json"), List.of());
        assertEquals("adam", d.optim().name());
        assertEquals(0.5, d.dropout());
        assertEquals(10, d.optim().valNumMcSamples());
        assertEquals(a.epochs(), d.epochs());
        assertEquals(a.batchSize(), d.batchSize());
        assertEquals(((org.ngvi.optim.AdamParams) a.optim().params(60_000)).lr(),
                ((org.ngvi.optim.AdamParams) d.optim().params(60_000)).lr());
        assertEquals(a.seed(), d.seed());
        assertEquals(a.aggregation(), d.aggregation());
        assertEquals(List.of(400, 400), java.util.Arrays.stream(d.hidden()).boxed().toList());
    }
}
