package org.ngvi.spark.continual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;

/** The task permutation is a bijection, the identity for task 1, and the same across runs, JVMs and executors. */
class TaskPermutationTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SyntheticImages.spark("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void everyTaskIsABijectionAndTaskOneIsTheIdentity() {
        for (int t = 1; t <= 6; t++) {
            int[] s = TaskPermutation.of(11, t, 784).source();
            int[] sorted = s.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertEquals(i, sorted[i], "task " + t + ": every pixel position exactly once");
            }
            assertEquals(t == 1, TaskPermutation.of(11, t, 784).isIdentity(), "task " + t);
        }
        assertNotEquals(TaskPermutation.of(11, 2, 784), TaskPermutation.of(11, 3, 784), "tasks differ");
        assertNotEquals(TaskPermutation.of(11, 2, 784), TaskPermutation.of(12, 2, 784), "seeds differ");
        assertThrows(IllegalArgumentException.class, () -> TaskPermutation.of(1, 0, 784));
    }

    /** Frozen values: a change of the seed derivation or the shuffle would change every published result. */
    @Test
    void stableAcrossRuns() {
        TaskPermutation p = TaskPermutation.of(1, 2, 784);
        assertEquals(p, TaskPermutation.of(1, 2, 784));
        int[] s = p.source();
        assertEquals(321, s[0]);
        assertEquals(717, s[1]);
        assertEquals(692, s[783]);
        assertEquals(12446135, Arrays.hashCode(s));
    }

    @Test
    void appliedOnExecutorsEqualsTheDriver() throws Exception {
        Path dir = SyntheticImages.prepare(spark, tmp, "perm", 120, 4, 5);
        int pixels = SyntheticImages.SIZE * SyntheticImages.SIZE;
        TaskPermutation p = TaskPermutation.of(3, 4, pixels);
        try (ImageDataset raw = ImageDataset.open(spark, dir, 3, 7); ImageDataset permuted = raw.transform(p)) {
            assertArrayEquals(raw.partitionCounts(), permuted.partitionCounts(), "partitioning kept");
            Map<Long, Example> onDriver = raw.examples().collect().stream().collect(Collectors.toMap(Example::index, e -> e));
            var onExecutors = permuted.examples().collect();
            assertEquals(120, onExecutors.size());
            boolean moved = false;
            for (Example e : onExecutors) {
                Example src = onDriver.get(e.index());
                assertEquals(src.label(), e.label());
                byte[] expected = p.apply(src).image();
                assertArrayEquals(expected, e.image(), "row " + e.index());
                for (int i = 0; i < pixels; i++) {
                    assertEquals(src.image()[p.source()[i]], e.image()[i]);
                }
                moved |= !Arrays.equals(src.image(), e.image());
            }
            assertTrue(moved, "the pixels moved");
            assertFalse(p.isIdentity());
        }
    }
}
