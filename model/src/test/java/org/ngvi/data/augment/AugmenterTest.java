package org.ngvi.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static final ImageShape CIFAR = new ImageShape(32, 32, 3);

    @Test
    void noneReturnsTheImageItself() {
        Augmenter a = new Augmenter(AugmentationSpec.none(), CIFAR);
        byte[] img = RandomCropTest.pattern(CIFAR);
        assertTrue(a.isIdentity());
        assertSame(img, a.apply(img, 42));
    }

    @Test
    void cifarPipelineIsCropThenFlipWithDrawsInThatOrder() {
        Augmenter a = new Augmenter(AugmentationSpec.cifar(4), CIFAR);
        RandomCrop crop = new RandomCrop(CIFAR, 4);
        HorizontalFlip flip = new HorizontalFlip(CIFAR, 0.5);
        byte[] img = RandomCropTest.pattern(CIFAR);
        byte[] copy = img.clone();
        byte[] cropped = new byte[img.length];
        byte[] expected = new byte[img.length];
        int flips = 0;
        for (long seed = 0; seed < 400; seed++) {
            AugmentationRandom r = new AugmentationRandom(seed);
            int top = r.nextInt(9);
            int left = r.nextInt(9);
            boolean flipped = r.nextDouble() < 0.5;
            crop.crop(img, cropped, top, left);
            if (flipped) {
                flip.flip(cropped, expected);
                flips++;
            } else {
                System.arraycopy(cropped, 0, expected, 0, img.length);
            }
            assertArrayEquals(expected, a.apply(img, seed), "seed " + seed);
        }
        assertArrayEquals(copy, img, "the input is never modified");
        assertTrue(flips > 150 && flips < 250, "about half flipped: " + flips);
    }

    @Test
    void imagenetPipelineIsResizedCropThenFlip() {
        AugmentationSpec spec = AugmentationSpec.imagenet(0.08, 1, 0.75, 4.0 / 3);
        Augmenter a = new Augmenter(spec, CIFAR);
        RandomResizedCrop rrc = new RandomResizedCrop(CIFAR, 0.08, 1, 0.75, 4.0 / 3);
        HorizontalFlip flip = new HorizontalFlip(CIFAR, 0.5);
        byte[] img = RandomCropTest.pattern(CIFAR);
        byte[] cropped = new byte[img.length];
        byte[] expected = new byte[img.length];
        int[] box = new int[4];
        for (long seed = 100; seed < 200; seed++) {
            AugmentationRandom r = new AugmentationRandom(seed);
            rrc.sampleWindow(r, box);
            rrc.resizedCrop(img, cropped, box[0], box[1], box[2], box[3]);
            if (r.nextDouble() < 0.5) {
                flip.flip(cropped, expected);
            } else {
                System.arraycopy(cropped, 0, expected, 0, img.length);
            }
            assertArrayEquals(expected, a.apply(img, seed), "seed " + seed);
        }
    }

    @Test
    void sameSeedSameImageOtherSeedsDiffer() {
        Augmenter a = new Augmenter(AugmentationSpec.cifar(4), CIFAR);
        Augmenter b = new Augmenter(AugmentationSpec.cifar(4), CIFAR);
        byte[] img = RandomCropTest.pattern(CIFAR);
        long stream = AugmentationRandom.streamSeed(7, 0, 1);
        int distinct = 0;
        for (int pos = 0; pos < 200; pos++) {
            long seed = AugmentationRandom.exampleSeed(stream, pos);
            byte[] x = a.apply(img, seed).clone();
            assertArrayEquals(x, b.apply(img, seed), "position " + pos);
            if (!Arrays.equals(x, a.apply(img, AugmentationRandom.exampleSeed(stream, pos + 1)))) {
                distinct++;
            }
        }
        // two independent draws coincide with probability Σ over 162 outcomes of (1/162)² ≈ 0.6 %
        assertTrue(distinct > 190, "neighbouring positions draw independently: " + distinct + " of 200 differ");
    }

    @Test
    void applyingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (AugmentationSpec spec : new AugmentationSpec[] {AugmentationSpec.cifar(4), AugmentationSpec.flip(),
                AugmentationSpec.imagenet(0.08, 1, 0.75, 4.0 / 3)}) {
            Augmenter a = new Augmenter(spec, CIFAR);
            byte[] img = RandomCropTest.pattern(CIFAR);
            long sink = 0;
            for (int i = 0; i < 20_000; i++) { // warm up (JIT)
                sink += a.apply(img, i)[i % img.length];
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                sink += a.apply(img, i)[i % img.length];
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(bytes < 20_000, spec + ": 20,000 augmentations allocated " + bytes + " bytes (sink " + sink + ")");
        }
    }

    @Test
    void wrongImageSizeIsAClearError() {
        Augmenter a = new Augmenter(AugmentationSpec.flip(), CIFAR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.apply(new byte[3071], 1));
        assertTrue(e.getMessage().contains("3071") && e.getMessage().contains("3072"), e.getMessage());
        assertEquals(CIFAR, a.shape());
    }
}
