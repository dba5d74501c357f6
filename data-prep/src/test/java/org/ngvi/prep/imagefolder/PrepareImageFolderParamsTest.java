package org.ngvi.prep.imagefolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrepareImageFolderParamsTest {
    @Test
    void parsesDefaultsAndAllOptions() {
        assertEquals(new PrepareImageFolderParams("i", "o", 256, 224, ImageStore.PIXELS, null, false, 0, null),
                PrepareImageFolderParams.parse("--in", "i", "--out", "o"));
        assertEquals(new PrepareImageFolderParams("i", "o", 72, 64, ImageStore.ENCODED, "l.txt", true, 3, "local[2]"),
                PrepareImageFolderParams.parse("--overwrite", "--in=i", "--out=o", "--resize", "72", "--crop=64", "--store",
                        "ENCODED", "--val-labels", "l.txt", "--partitions", "3", "--master", "local[2]"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertUsage("--store must be pixels or encoded, found 'jpeg'", "--in", "i", "--out", "o", "--store", "jpeg");
        assertUsage("option --crop must be a positive integer", "--in", "i", "--out", "o", "--crop", "0");
        assertUsage("missing required option --out", "--in", "i");
        assertUsage("unknown option '--size'", "--in", "i", "--out", "o", "--size", "3");
        assertValidation("--crop 300 is larger than --resize 256", "--in", "i", "--out", "o", "--crop", "300");
        assertValidation("--out must differ from --in", "--in", "d/", "--out", "d");
        assertValidation("inside the input's train/ or val/ folder", "--in", "d", "--out", "d/train/x");
    }

    @Test
    void mainRejectsBadArgumentsBeforeStartingSpark() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrepareImageFolderJob.main(new String[]{"--in", "a", "--out", "b", "--resize", "100", "--crop", "101"}));
        assertTrue(e.getMessage().contains("--crop 101 is larger than --resize 100"), e.getMessage());
        assertTrue(e.getMessage().contains("usage: ngvi prepare imagefolder"), e.getMessage());
    }

    @Test
    void partitionsDivideTheCoresWithoutTinyFiles() {
        long image = 224L * 224 * 3;
        assertEquals(4, PrepareImageFolderJob.partitionsFor(2000 * image, 2), "3 files of 100 MB → 4 of 75 MB on 2 cores");
        assertEquals(1, PrepareImageFolderJob.partitionsFor(10 * image, 2), "1.5 MB stays one file");
        assertEquals(2, PrepareImageFolderJob.partitionsFor(120 * image, 2), "18 MB: two files of 9 MB");
        // ImageNet train at 224: 179.6 GiB of pixels needs ≥ 1,437 files of ≤ 128 MiB; 23 waves of 64 tasks → 1,472 (125 MiB each)
        assertEquals(1472, PrepareImageFolderJob.partitionsFor(1_281_167 * image, 64));
    }

    private static void assertUsage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareImageFolderParams.parse(args));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains("usage: ngvi prepare imagefolder"), e.getMessage());
    }

    private static void assertValidation(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareImageFolderParams.parse(args).validate());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
