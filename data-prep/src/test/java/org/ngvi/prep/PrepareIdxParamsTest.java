package org.ngvi.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrepareIdxParamsTest {
    @Test
    void parsesAllOptionsInBothForms() {
        assertEquals(new PrepareIdxParams("i", "l", "o", false, 0),
                PrepareIdxParams.parse("--images", "i", "--labels", "l", "--out", "o"));
        assertEquals(new PrepareIdxParams("i", "l", "o", true, 4),
                PrepareIdxParams.parse("--overwrite", "--images=i", "--partitions", "4", "--labels", "l", "--out=o"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertUsage("unknown option '--imgs'", "--imgs", "i", "--labels", "l", "--out", "o");
        assertUsage("option --out needs a value", "--images", "i", "--labels", "l", "--out");
        assertUsage("option --images needs a value", "--images", "--labels", "l", "--out", "o");
        assertUsage("missing required option --labels", "--images", "i", "--out", "o");
        assertUsage("--partitions must be a positive integer", "--images", "i", "--labels", "l", "--out", "o", "--partitions", "x");
        assertUsage("--partitions must be a positive integer", "--images", "i", "--labels", "l", "--out", "o", "--partitions", "0");
        assertUsage("given twice", "--images", "i", "--images", "j", "--labels", "l", "--out", "o");
        assertUsage("unknown option 'stray'", "--images", "i", "--labels", "l", "--out", "o", "stray");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrepareIdxParams.parse("--images", "a", "--labels", "a", "--out", "o").validate());
        assertTrue(e.getMessage().contains("same file"), e.getMessage());
    }

    @Test
    void mainRejectsBadArgumentsBeforeStartingSpark() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareIdxJob.main(new String[]{"--help"}));
        assertTrue(e.getMessage().contains("usage: PrepareIdxJob"), e.getMessage());
    }

    @Test
    void automaticPartitionsKeepFilesBetween8And128MiB() {
        assertEquals(1, DatasetOutput.parquetFiles(200 * 784, 2));
        assertEquals(2, DatasetOutput.parquetFiles(60000L * 784, 2));
        assertEquals(5, DatasetOutput.parquetFiles(60000L * 784, 16));
        assertEquals(80, DatasetOutput.parquetFiles(10L << 30, 2));
    }

    private static void assertUsage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareIdxParams.parse(args));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("usage:"), e.getMessage());
    }
}
