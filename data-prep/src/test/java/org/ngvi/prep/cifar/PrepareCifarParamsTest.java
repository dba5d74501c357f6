package org.ngvi.prep.cifar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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
    void badArgumentsAreUsageErrors() {
        assertUsage("unknown option '--input'", "--input", "i", "--out", "o");
        assertUsage("option --out needs a value", "--in", "i", "--out");
        assertUsage("missing required option --in", "--out", "o");
        assertUsage("--labels must be fine or coarse, found 'medium'", "--in", "i", "--out", "o", "--labels", "medium");
        assertUsage("--partitions must be a positive integer", "--in", "i", "--out", "o", "--partitions", "0");
        assertUsage("--partitions must be a positive integer", "--in", "i", "--out", "o", "--partitions", "two");
        assertUsage("given twice", "--in", "i", "--in", "j", "--out", "o");
        assertUsage("option --overwrite takes no value", "--in", "i", "--out", "o", "--overwrite=yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrepareCifarParams.parse("--in", "d/", "--out", "d").validate());
        assertTrue(e.getMessage().contains("--out must differ from --in"), e.getMessage());
    }

    @Test
    void mainRejectsBadArgumentsBeforeStartingSpark() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareCifarJob.main(new String[]{"--help"}));
        assertTrue(e.getMessage().contains("usage: PrepareCifarJob"), e.getMessage());
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

    private static void assertUsage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareCifarParams.parse(args));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("usage:"), e.getMessage());
    }
}
