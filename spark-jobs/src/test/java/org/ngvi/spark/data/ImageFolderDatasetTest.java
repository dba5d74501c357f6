package org.ngvi.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.prep.imagefolder.ImageStore;
import org.ngvi.prep.imagefolder.PrepareImageFolderJob;
import org.ngvi.prep.imagefolder.PrepareImageFolderParams;

/** The trainer's reader opens an image-folder dataset stored as pixels and rejects one stored encoded. */
class ImageFolderDatasetTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("ImageFolderDatasetTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void pixelsOpenAndEncodedIsRejectedClearly() throws Exception {
        Path in = tmp.resolve("tree");
        for (int k = 0; k < 6; k++) {
            BufferedImage img = new BufferedImage(20 + 3 * k, 16 + k, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, (k * 40 << 16) | (x * 8 << 8) | y * 10);
                }
            }
            Path f = in.resolve("train/class" + k % 2 + "/img" + k + ".png");
            Files.createDirectories(f.getParent());
            if (!ImageIO.write(img, "png", f.toFile())) {
                throw new IOException("no PNG writer");
            }
        }
        Path pixels = tmp.resolve("pixels");
        Path encoded = tmp.resolve("encoded");
        PrepareImageFolderJob.run(spark, new PrepareImageFolderParams(in.toString(), pixels.toString(), 16, 12, ImageStore.PIXELS,
                null, false, 0, null));
        PrepareImageFolderJob.run(spark, new PrepareImageFolderParams(in.toString(), encoded.toString(), 16, 12, ImageStore.ENCODED,
                null, false, 0, null));

        try (ImageDataset d = ImageDataset.open(spark, pixels.resolve("train"), 2, 1)) {
            assertEquals(6, d.manifest().rows());
            assertEquals(List.of("class0", "class1"), d.manifest().classNames());
            assertArrayEquals(new long[]{3, 3}, d.manifest().classCounts());
            List<Example> all = d.examples().collect();
            assertEquals(6, all.size());
            for (Example e : all) {
                assertEquals(12 * 12 * 3, e.image().length);
            }
        }
        IOException e = assertThrows(IOException.class, () -> ImageDataset.open(spark, encoded.resolve("train"), 2, 1));
        assertTrue(e.getMessage().contains(encoded.resolve("train").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("holds encoded images") && e.getMessage().contains("--store pixels"), e.getMessage());
    }
}
