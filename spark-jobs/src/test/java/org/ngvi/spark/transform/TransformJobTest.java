package org.ngvi.spark.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.data.DatasetManifest;
import org.ngvi.spark.testing.SyntheticImages;
import picocli.CommandLine.ParameterException;

/** Pixel transforms move and negate pixels as specified; the job writes a complete prepared data set. */
class TransformJobTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        data = SyntheticImages.prepare(spark, tmp, "data", 60, 5, 3);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void flipsAndInversionMovePixelsAsSpecified() {
        // 2x3 image, 2 channels: value = 10*y + 3*x + c
        byte[] img = new byte[12];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                for (int c = 0; c < 2; c++) {
                    img[(y * 3 + x) * 2 + c] = (byte) (10 * y + 3 * x + c);
                }
            }
        }
        byte[] v = new PixelTransform(true, false, false).apply(img, 2, 3, 2);
        byte[] h = new PixelTransform(false, true, false).apply(img, 2, 3, 2);
        byte[] i = new PixelTransform(false, false, true).apply(img, 2, 3, 2);
        byte[] all = new PixelTransform(true, true, true).apply(img, 2, 3, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                for (int c = 0; c < 2; c++) {
                    int at = (y * 3 + x) * 2 + c;
                    assertEquals(10 * (1 - y) + 3 * x + c, v[at]);
                    assertEquals(10 * y + 3 * (2 - x) + c, h[at]);
                    assertEquals(255 - (10 * y + 3 * x + c), i[at] & 0xff);
                    assertEquals(255 - (10 * (1 - y) + 3 * (2 - x) + c), all[at] & 0xff);
                }
            }
        }
        assertEquals("flip-vertical+invert", new PixelTransform(true, false, true).describe());
        assertThrows(IllegalArgumentException.class, () -> new PixelTransform(false, false, false));
        assertThrows(IllegalArgumentException.class, () -> new PixelTransform(true, false, false).apply(img, 3, 3, 2));
    }

    @Test
    void jobWritesTransformedRowsWithLabelsAndANewManifest() throws Exception {
        Path out = tmp.resolve("flipped");
        PixelTransform t = new PixelTransform(true, false, true);
        DatasetManifest m = TransformJob.run(spark, new TransformJob.Params(data, out, t, false, null));
        DatasetManifest in = DatasetManifest.read(data);
        assertEquals(m, DatasetManifest.read(out));
        assertEquals(in.rows(), m.rows());
        assertArrayEquals(in.classCounts(), m.classCounts());
        assertEquals(255 - in.channelMean()[0], m.channelMean()[0], 1e-9, "inversion mirrors the mean");
        assertEquals(in.channelStd()[0], m.channelStd()[0], 1e-9);
        assertTrue(m.createdBy().contains("flip-vertical+invert"), m.createdBy());
        assertTrue(m.sources().get(0).path().endsWith(DatasetManifest.FILE_NAME));
        List<Row> before = sorted(data);
        List<Row> after = sorted(out);
        assertEquals(before.size(), after.size());
        for (int r = 0; r < before.size(); r++) {
            assertEquals(before.get(r).getLong(0), after.get(r).getLong(0));
            assertEquals(before.get(r).getInt(1), after.get(r).getInt(1), "labels kept");
            assertArrayEquals(t.apply((byte[]) before.get(r).get(2), SyntheticImages.SIZE, SyntheticImages.SIZE, 1),
                    (byte[]) after.get(r).get(2));
        }
        IOException again = assertThrows(IOException.class, () -> TransformJob.run(spark, new TransformJob.Params(data, out, t,
                false, null)));
        assertTrue(again.getMessage().contains("--overwrite"), again.getMessage());
        IOException missing = assertThrows(IOException.class, () -> TransformJob.run(spark,
                new TransformJob.Params(tmp.resolve("nothing"), tmp.resolve("x"), t, false, null)));
        assertTrue(missing.getMessage().contains("nothing"), missing.getMessage());
        assertTrue(Files.notExists(tmp.resolve("x")));
        ParameterException none = assertThrows(ParameterException.class,
                () -> TransformJob.Params.parse(new String[] {"--in", "a", "--out", "b"}));
        assertTrue(none.getMessage().contains("--flip-vertical, --flip-horizontal, --invert"), none.getMessage());
    }

    private static List<Row> sorted(Path dir) {
        return spark.read().parquet(dir.toString()).select("index", "label", "image").collectAsList().stream()
                .sorted(Comparator.comparingLong(r -> r.getLong(0))).toList();
    }
}
