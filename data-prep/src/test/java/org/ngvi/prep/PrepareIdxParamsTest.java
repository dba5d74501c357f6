package org.ngvi.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class PrepareIdxParamsTest {
    @Test
    void parsesAllOptionsInBothForms() {
        assertEquals(new PrepareIdxParams("i", "l", "o", false, 0),
                PrepareIdxParams.parse("--images", "i", "--labels", "l", "--out", "o"));
        assertEquals(new PrepareIdxParams("i", "l", "o", true, 4),
                PrepareIdxParams.parse("--overwrite", "--images=i", "--partitions", "4", "--labels", "l", "--out=o"));
    }

    @Test
    void badArgumentsAreUsageErrorsWithExitCode2() {
        assertUsage("Unknown options: '--imgs', 'i'", "--imgs", "i", "--labels", "l", "--out", "o");
        assertUsage("Missing required parameter for option '--out' (DIR)", "--images", "i", "--labels", "l", "--out");
        assertUsage("Expected parameter for option '--images' but found '--labels'", "--images", "--labels", "l", "--out", "o");
        assertUsage("Missing required option: '--labels=FILE'", "--images", "i", "--out", "o");
        assertUsage("Invalid value for option '--partitions': expected a positive integer, found 'x'",
                "--images", "i", "--labels", "l", "--out", "o", "--partitions", "x");
        assertUsage("Invalid value for option '--partitions': expected a positive integer, found 0",
                "--images", "i", "--labels", "l", "--out", "o", "--partitions", "0");
        assertUsage("option '--images' (FILE) should be specified only once",
                "--images", "i", "--images", "j", "--labels", "l", "--out", "o");
        assertUsage("Unmatched argument at index 6: 'stray'", "--images", "i", "--labels", "l", "--out", "o", "stray");
        assertUsage("--images and --labels are the same file: a", "--images", "a", "--labels", "a", "--out", "o");
        ParameterException e = assertThrows(ParameterException.class,
                () -> PrepareIdxParams.parse("--images", "a", "--labels", "a", "--out", "o"));
        assertTrue(e.getMessage().contains("same file"), e.getMessage());
    }

    @Test
    void helpListsTheOptionsWithoutStartingSpark() {
        CommandRun r = CommandRun.of("ngvi prepare idx", new PrepareIdxJob.Command(), "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: ngvi prepare idx"), r.out());
        for (String option : new String[] {"--images=FILE", "--labels=FILE", "--out=DIR", "--overwrite", "--partitions=N", "--version"}) {
            assertTrue(r.out().contains(option), option + " in " + r.out());
        }
    }

    @Test
    void automaticPartitionsKeepFilesBetween8And128MiB() {
        assertEquals(1, DatasetOutput.parquetFiles(200 * 784, 2));
        assertEquals(2, DatasetOutput.parquetFiles(60000L * 784, 2));
        assertEquals(5, DatasetOutput.parquetFiles(60000L * 784, 16));
        assertEquals(80, DatasetOutput.parquetFiles(10L << 30, 2));
    }

    /** Exit code 2, the message naming the option, then the command's usage; before any Spark work. */
    private static void assertUsage(String expected, String... args) {
        CommandRun r = CommandRun.of("ngvi prepare idx", new PrepareIdxJob.Command(), args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertTrue(r.err().contains("Usage: ngvi prepare idx"), r.err());
    }
}
