package org.ngvi.prep.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ngvi.prep.CommandRun;
import org.ngvi.prep.DatasetOutput;

class PrepareCifarParamsTest {
    @Test
    void parsesAllOptionsInBothForms() {
        assertEquals(new PrepareCifarParams("i", "o", CifarLabel.FINE, false, 0), PrepareCifarParams.parse("--in", "i", "--out", "o"));
        assertEquals(new PrepareCifarParams("i", "o", CifarLabel.COARSE, true, 4),
                PrepareCifarParams.parse("--overwrite", "--in=i", "--partitions", "4", "--labels", "coarse", "--out=o"));
        assertEquals(CifarLabel.FINE, PrepareCifarParams.parse("--in", "i", "--out", "o", "--labels=FINE").labels());
    }

    @Test
    void badArgumentsAreUsageErrorsWithExitCode2() {
        assertUsage("Unknown options: '--input', 'i'", "--input", "i", "--out", "o");
        assertUsage("Missing required parameter for option '--out' (DIR)", "--in", "i", "--out");
        assertUsage("Missing required option: '--in=DIR'", "--out", "o");
        assertUsage("Invalid value for option '--labels': --labels must be fine or coarse, found 'medium'",
                "--in", "i", "--out", "o", "--labels", "medium");
        assertUsage("Invalid value for option '--partitions': expected a positive integer, found 0", "--in", "i", "--out", "o",
                "--partitions", "0");
        assertUsage("Invalid value for option '--partitions': expected a positive integer, found 'two'", "--in", "i", "--out", "o",
                "--partitions", "two");
        assertUsage("option '--in' (DIR) should be specified only once", "--in", "i", "--in", "j", "--out", "o");
        assertUsage("Invalid value for option '--overwrite': 'yes' is not a boolean", "--in", "i", "--out", "o", "--overwrite=yes");
        assertUsage("--out must differ from --in: d", "--in", "d/", "--out", "d");
    }

    @Test
    void helpShowsTheDefaultLabel() {
        CommandRun r = CommandRun.of("ngvi prepare cifar", new PrepareCifarJob.Command(), "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--labels=fine|coarse"), r.out());
        assertTrue(r.out().contains("Default: fine"), r.out());
    }

    @Test
    void automaticPartitionsKeepFilesBetween8And128MiB() {
        assertEquals(1, DatasetOutput.parquetFiles(10L * 3072, 2));
        assertEquals(2, DatasetOutput.parquetFiles(50_000L * 3072, 2));
        assertEquals(18, DatasetOutput.parquetFiles(50_000L * 3072, 64));
    }

    @Test
    void labelChoiceAppliesToCifar100Only() {
        assertEquals(1, CifarFormat.CIFAR_100.labelOffset(CifarLabel.FINE));
        assertEquals(0, CifarFormat.CIFAR_100.labelOffset(CifarLabel.COARSE));
        assertEquals(20, CifarFormat.CIFAR_100.classes(CifarLabel.COARSE));
        assertEquals(3074, CifarFormat.CIFAR_100.recordBytes());
        assertEquals(3073, CifarFormat.CIFAR_10.recordBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CifarFormat.CIFAR_10.classes(CifarLabel.COARSE));
        assertTrue(e.getMessage().contains("CIFAR-100 only"), e.getMessage());
    }

    /** Exit code 2, the message naming the option, then the command's usage; before any Spark work. */
    private static void assertUsage(String expected, String... args) {
        CommandRun r = CommandRun.of("ngvi prepare cifar", new PrepareCifarJob.Command(), args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertTrue(r.err().contains("Usage: ngvi prepare cifar"), r.err());
    }
}
