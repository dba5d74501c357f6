package org.ngvi.spark.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.spark.testing.DriverProcess;
import org.ngvi.spark.testing.SyntheticImages;

/**
 * A hand-corrupted Parquet set (one row with a wrong-length image, or a label out of range) fails
 * {@link ImageDataset#open} at once with one message naming the Parquet file and the row, and
 * {@code ngvi train} on it exits 2 with that message and no stack trace.
 */
class BadDataTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path good;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        good = SyntheticImages.prepare(spark, tmp, "good", 200, 10, 61);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** {@code good} rewritten as one Parquet file in index order with column {@code name} replaced at row {@code index}. */
    private static Path corrupt(String dir, long index, String name, Column value) throws Exception {
        Path out = tmp.resolve(dir);
        Dataset<Row> rows = spark.read().parquet(good.toString());
        rows.withColumn(name, when(col(ImageSchema.INDEX).equalTo(index), value).otherwise(col(name)))
                .repartition(1).sortWithinPartitions(ImageSchema.INDEX).write().parquet(out.toString());
        Files.copy(good.resolve(DatasetManifest.FILE_NAME), out.resolve(DatasetManifest.FILE_NAME));
        return out;
    }

    private static String parquetFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    @Test
    void aWrongLengthImageNamesTheFileAndRow() throws Exception {
        Path bad = corrupt("short-image", 17, ImageSchema.IMAGE, expr("substring(image, 1, 100)"));
        BadDataException e = assertThrows(BadDataException.class, () -> ImageDataset.open(spark, bad, 2, 7));
        assertEquals(17, e.error().row());
        assertTrue(e.error().file().endsWith(parquetFile(bad)), e.error().file());
        assertTrue(e.getMessage().startsWith(bad + ": bad row: "), e.getMessage());
        assertTrue(e.getMessage().contains(parquetFile(bad) + ": row 17 (counting from 0): image has 100 bytes, the manifest's "
                + "shape [12, 12, 1] (height, width, channels) needs 144 (index 17)"), e.getMessage());
    }

    @Test
    void aLabelOutOfRangeNamesTheFileAndRow() throws Exception {
        Path bad = corrupt("bad-label", 5, ImageSchema.LABEL, lit(10));
        BadDataException e = assertThrows(BadDataException.class, () -> ImageDataset.open(spark, bad, 2, 7));
        assertTrue(e.getMessage().contains(parquetFile(bad) + ": row 5 (counting from 0): label 10 is outside [0, 10), "
                + "the manifest's classes (index 5)"), e.getMessage());
    }

    @Test
    void trainOnABadRowExitsTwoWithOneMessageAndNoStackTrace() throws Exception {
        Path bad = corrupt("cli-bad", 3, ImageSchema.IMAGE, expr("substring(image, 1, 10)"));
        Path config = tmp.resolve("cli.json");
        Files.writeString(config, "{\"model\": \"mlp\", \"model_args\": {\"hidden\": [8]}, \"epochs\": 1, \"batch_size\": 16}");
        Path log = tmp.resolve("cli.log");
        try (DriverProcess ngvi = DriverProcess.start(log, "org.ngvi.spark.cli.Ngvi", "train", "--config", config.toString(),
                "--train", bad.toString(), "--out", tmp.resolve("cli-run").toString(), "--master", "local[1]")) {
            int code = ngvi.waitFor(600);
            String out = ngvi.output();
            assertEquals(2, code, out);
            String expected = "ngvi train: " + bad + ": bad row: ";
            assertEquals(1, out.lines().filter(l -> l.startsWith(expected)).count(), out);
            assertTrue(out.contains(parquetFile(bad) + ": row 3 (counting from 0): image has 10 bytes"), out);
            assertFalse(out.lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + out);
            assertFalse(new File(tmp.resolve("cli-run").resolve("checkpoint.ngvi").toString()).exists());
        }
    }
}
