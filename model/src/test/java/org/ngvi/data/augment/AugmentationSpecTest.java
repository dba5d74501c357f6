package org.ngvi.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class AugmentationSpecTest {
    @Test
    void kindsMapToTheirPipelines() {
        ImageShape s = new ImageShape(8, 8, 1);
        assertEquals(0, AugmentationSpec.none().transforms(s).length);
        ImageTransform[] flip = AugmentationSpec.flip().transforms(s);
        assertEquals(1, flip.length);
        assertInstanceOf(HorizontalFlip.class, flip[0]);
        ImageTransform[] cifar = AugmentationSpec.cifar(3).transforms(s);
        assertInstanceOf(RandomCrop.class, cifar[0]);
        assertEquals(3, ((RandomCrop) cifar[0]).padding());
        assertInstanceOf(HorizontalFlip.class, cifar[1]);
        ImageTransform[] imagenet = AugmentationSpec.imagenet(0.2, 0.9, 0.5, 2).transforms(s);
        assertInstanceOf(RandomResizedCrop.class, imagenet[0]);
        assertInstanceOf(HorizontalFlip.class, imagenet[1]);
        for (AugmentationSpec.Kind k : AugmentationSpec.Kind.values()) {
            assertEquals(k, AugmentationSpec.Kind.of(k.configName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AugmentationSpec.Kind.of("autoaugment"));
        assertTrue(e.getMessage().contains("autoaugment") && e.getMessage().contains("cifar"), e.getMessage());
    }

    @Test
    void jsonRecordsTheParametersInEffect() {
        assertEquals("{\"name\":\"none\"}", AugmentationSpec.none().toJson().toString());
        assertEquals("{\"name\":\"cifar\",\"padding\":4,\"flip_probability\":0.5}", AugmentationSpec.cifar(4).toJson().toString());
        assertEquals("{\"name\":\"imagenet\",\"scale\":[0.08,1.0],\"ratio\":[0.75,1.5],\"max_attempts\":10,"
                + "\"interpolation\":\"bilinear\",\"flip_probability\":0.5}",
                AugmentationSpec.imagenet(0.08, 1, 0.75, 1.5).toJson().toString());
    }

    @Test
    void rejectsParametersOutOfRangeAndSurvivesSerialization() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> AugmentationSpec.cifar(-1));
        assertThrows(IllegalArgumentException.class, () -> AugmentationSpec.imagenet(0, 1, 0.75, 1.3));
        assertThrows(IllegalArgumentException.class, () -> AugmentationSpec.imagenet(0.1, 1, 0.75, Double.POSITIVE_INFINITY));
        AugmentationSpec spec = AugmentationSpec.imagenet(0.3, 0.7, 0.6, 1.6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(spec, in.readObject());
        }
    }
}
