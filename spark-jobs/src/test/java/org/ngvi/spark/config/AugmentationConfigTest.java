package org.ngvi.spark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ngvi.data.augment.AugmentationSpec;

/** The {@code augmentation} and {@code augmentation_args.*} keys of a training config. */
class AugmentationConfigTest {
    private static TrainConfig parse(String json, String... sets) {
        return TrainConfig.parse("cfg.json", json.getBytes(StandardCharsets.UTF_8), List.of(sets));
    }

    private static String error(String json, String... sets) {
        return assertThrows(ConfigException.class, () -> parse(json, sets)).getMessage();
    }

    @Test
    void defaultIsNoAugmentation() {
        assertEquals(AugmentationSpec.none(), parse("{}").augmentation());
    }

    @Test
    void pipelinesAndTheirArguments() {
        assertEquals(AugmentationSpec.flip(), parse("{\"augmentation\": \"flip\"}").augmentation());
        assertEquals(AugmentationSpec.cifar(4), parse("{\"augmentation\": \"cifar\"}").augmentation());
        assertEquals(AugmentationSpec.cifar(2), parse("{}", "augmentation=cifar", "augmentation_args.padding=2").augmentation());
        assertEquals(AugmentationSpec.imagenet(0.08, 1, 0.75, 4.0 / 3), parse("{\"augmentation\": \"imagenet\"}").augmentation());
        TrainConfig c = parse("{\"augmentation\": \"imagenet\", \"augmentation_args\": {\"scale\": [0.25, 0.9], \"ratio\": [0.5, 2]}}");
        assertEquals(AugmentationSpec.imagenet(0.25, 0.9, 0.5, 2), c.augmentation());
        assertTrue(c.json().contains("\"augmentation\":\"imagenet\""), "the effective config records it: " + c.json());
    }

    @Test
    void badValuesNameTheKey() {
        String unknown = error("{\"augmentation\": \"autoaugment\"}");
        assertTrue(unknown.contains("cfg.json") && unknown.contains("'augmentation'") && unknown.contains("cifar"), unknown);
        String wrongKind = error("{\"augmentation\": \"flip\", \"augmentation_args\": {\"padding\": 2}}");
        assertTrue(wrongKind.contains("augmentation_args.padding") && wrongKind.contains("cifar") && wrongKind.contains("flip"), wrongKind);
        String noneScale = error("{\"augmentation_args\": {\"scale\": [0.5, 1]}}");
        assertTrue(noneScale.contains("augmentation_args.scale") && noneScale.contains("imagenet"), noneScale);
        String negative = error("{\"augmentation\": \"cifar\", \"augmentation_args\": {\"padding\": -1}}");
        assertTrue(negative.contains("augmentation_args.padding"), negative);
        String scale = error("{\"augmentation\": \"imagenet\", \"augmentation_args\": {\"scale\": [0.5, 1.5]}}");
        assertTrue(scale.contains("augmentation_args.scale") && scale.contains("0 < min ≤ max ≤ 1"), scale);
        String ratio = error("{\"augmentation\": \"imagenet\", \"augmentation_args\": {\"ratio\": [2, 1]}}");
        assertTrue(ratio.contains("augmentation_args.ratio"), ratio);
        String shape = error("{\"augmentation\": \"imagenet\", \"augmentation_args\": {\"ratio\": 1}}");
        assertTrue(shape.contains("augmentation_args.ratio") && shape.contains("2 numbers"), shape);
        String typo = error("{\"augmentation\": \"cifar\", \"augmentation_args\": {\"pading\": 2}}");
        assertTrue(typo.contains("augmentation_args.pading"), typo);
    }
}
