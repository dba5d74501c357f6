package org.ngvi.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationRandomTest {
    @Test
    void splitMix64MatchesTheReferenceSequence() {
        // SplitMix64 from seed 0 (reference values of Vigna's splitmix64.c)
        AugmentationRandom r = new AugmentationRandom(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
        r.reset(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
    }

    @Test
    void nextIntIsUniformAndInRange() {
        AugmentationRandom r = new AugmentationRandom(123);
        for (int bound : new int[] {1, 2, 7, 9, 64, 1000}) {
            int n = 200 * bound;
            int[] counts = new int[bound];
            for (int i = 0; i < n; i++) {
                counts[r.nextInt(bound)]++;
            }
            for (int k = 0; k < bound; k++) {
                assertEquals(200, counts[k], bound == 1 ? 0 : 5 * Math.sqrt(200.0 * (1 - 1.0 / bound)), "bound " + bound + " value " + k);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    }

    @Test
    void uniformCoversItsInterval() {
        AugmentationRandom r = new AugmentationRandom(5);
        double sum = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double u = r.uniform(2, 5);
            assertTrue(u >= 2 && u < 5);
            sum += u;
        }
        assertEquals(3.5, sum / n, 5 * Math.sqrt(0.75 / n));
        assertEquals(0.3, r.uniform(0.3, 0.3));
    }

    @Test
    void seedsDifferAcrossRunsEpochsPartitionsAndPositions() {
        Set<Long> seeds = new HashSet<>();
        for (long run = 0; run < 3; run++) {
            for (int epoch = 0; epoch < 4; epoch++) {
                for (int part = 0; part < 4; part++) {
                    long stream = AugmentationRandom.streamSeed(run, epoch, part);
                    assertEquals(stream, AugmentationRandom.streamSeed(run, epoch, part));
                    for (int pos = 0; pos < 50; pos++) {
                        seeds.add(AugmentationRandom.exampleSeed(stream, pos));
                    }
                }
            }
        }
        assertEquals(3 * 4 * 4 * 50, seeds.size());
        assertNotEquals(AugmentationRandom.streamSeed(1, 0, 1), AugmentationRandom.streamSeed(1, 1, 0));
    }
}
