package org.ngvi.prep.imagefolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ngvi.prep.CommandRun;

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
    void badArgumentsAreUsageErrorsWithExitCode2() {
        assertUsage("Invalid value for option '--store': --store must be pixels or encoded, found 'jpeg'", "--in", "i", "--out", "o",
                "--store", "jpeg");
        assertUsage("Invalid value for option '--crop': expected a positive integer, found 0", "--in", "i", "--out", "o", "--crop", "0");
        assertUsage("Missing required option: '--out=DIR'", "--in", "i");
        assertUsage("Unknown options: '--size', '3'", "--in", "i", "--out", "o", "--size", "3");
        assertUsage("--crop 300 is larger than --resize 256", "--in", "i", "--out", "o", "--crop", "300");
        assertUsage("--out must differ from --in", "--in", "d/", "--out", "d");
        assertUsage("inside the input's train/ or val/ folder", "--in", "d", "--out", "d/train/x");
        assertUsage("--crop 101 is larger than --resize 100", "--in", "a", "--out", "b", "--resize", "100", "--crop", "101");
    }

    @Test
    void helpShowsTheDefaults() {
        CommandRun r = CommandRun.of("ngvi prepare imagefolder", new PrepareImageFolderJob.Command(), "--help");
        assertEquals(0, r.code(), r.err());
        for (String s : new String[] {"--resize=N", "Default: 256", "--crop=N", "Default: 224", "--store=pixels|encoded",
                "Default: pixels", "--val-labels=FILE", "--master=URL", "--partitions=N", "--overwrite"}) {
            assertTrue(r.out().contains(s), s + " in " + r.out());
        }
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

    /** Exit code 2, the message naming the option, then the command's usage; before any Spark work. */
    private static void assertUsage(String expected, String... args) {
        CommandRun r = CommandRun.of("ngvi prepare imagefolder", new PrepareImageFolderJob.Command(), args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertTrue(r.err().contains("Usage: ngvi prepare imagefolder"), r.err());
    }
}
