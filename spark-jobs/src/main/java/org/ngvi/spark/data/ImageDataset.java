package org.ngvi.spark.data;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.random.Seeds;
import scala.Tuple2;

/**
 * A prepared image data set (Parquet + {@code manifest.json}) as an RDD of {@link Example}s,
 * spread over a fixed number of partitions by a seeded hash of the row index and sorted by
 * index within each partition, so the same (data, seed, partitions) always gives the same
 * partition contents. The RDD is cached (as objects, spilling to disk) for the rounds of a run:
 * rounds iterate their partition without deserializing it again.
 */
public final class ImageDataset implements AutoCloseable {
    private final Path dir;
    private final DatasetManifest manifest;
    private final JavaRDD<Example> examples;
    private final long[] partitionCounts;

    private ImageDataset(Path dir, DatasetManifest manifest, JavaRDD<Example> examples, long[] partitionCounts) {
        this.dir = dir;
        this.manifest = manifest;
        this.examples = examples;
        this.partitionCounts = partitionCounts;
    }

    /**
     * Opens {@code dir} (a directory written by {@code ngvi prepare}) as {@code partitions} partitions.
     *
     * @throws IOException when the manifest is missing or invalid, or the Parquet rows do not match it; a
     *                     {@link BadDataException} naming the file and row when a row is bad ({@link RowCheck})
     */
    public static ImageDataset open(SparkSession spark, Path dir, int partitions, long seed) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such data set directory (expected the --out of 'ngvi prepare')");
        }
        DatasetManifest manifest = DatasetManifest.read(dir);
        Dataset<Row> rows = spark.read().parquet(dir.toString());
        for (String c : List.of(ImageSchema.INDEX, ImageSchema.LABEL, ImageSchema.IMAGE)) {
            if (!Arrays.asList(rows.columns()).contains(c)) {
                throw new IOException(dir + ": Parquet rows lack column '" + c + "' (have " + Arrays.toString(rows.columns()) + ")");
            }
        }
        if (Arrays.asList(rows.columns()).contains(org.ngvi.prep.imagefolder.PrepareImageFolderJob.FORMAT_COLUMN)) {
            throw new IOException(dir + ": holds encoded images (JPEG/PNG bytes and a '"
                    + org.ngvi.prep.imagefolder.PrepareImageFolderJob.FORMAT_COLUMN + "' column, written by 'ngvi prepare "
                    + "imagefolder --store encoded'), but training and evaluation read raw pixels: prepare it with --store pixels");
        }
        DataError bad = RowCheck.firstBadRow(rows, manifest);
        if (bad != null) {
            throw new BadDataException(dir.toString(), bad);
        }
        String where = dir.toString();
        JavaRDD<Example> raw = rows.select(col(ImageSchema.INDEX), col(ImageSchema.LABEL), col(ImageSchema.IMAGE)).javaRDD()
                .map(r -> new Example(r.getLong(0), r.getInt(1), r.getAs(2))); // RowCheck has checked every row
        return partition(dir, where, manifest, raw, partitions, seed);
    }

    /**
     * The examples of {@code raw} (e.g. the rows of a DataFrame) described by {@code manifest}, spread
     * and cached exactly as {@link #open} spreads a prepared directory's rows: the same (rows, seed,
     * partitions) give the same partition contents whichever way they were read.
     *
     * @param source names the data in errors
     * @throws IOException when the number of examples differs from the manifest's {@code rows}
     */
    public static ImageDataset of(String source, DatasetManifest manifest, JavaRDD<Example> raw, int partitions, long seed)
            throws IOException {
        return partition(null, source, manifest, raw, partitions, seed);
    }

    private static ImageDataset partition(Path dir, String where, DatasetManifest manifest, JavaRDD<Example> raw, int partitions,
                                          long seed) throws IOException {
        JavaPairRDD<Integer, Example> keyed = raw.mapToPair(e -> new Tuple2<>(partitionOf(e.index(), seed, partitions), e));
        JavaRDD<Example> examples = keyed.partitionBy(new HashPartitioner(partitions)).values()
                .mapPartitions(it -> {
                    List<Example> list = new ArrayList<>();
                    it.forEachRemaining(list::add);
                    list.sort(Comparator.comparingLong(Example::index));
                    return list.iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<Long> counts = examples.mapPartitions(it -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return List.of(n).iterator();
        }).collect();
        long[] pc = counts.stream().mapToLong(Long::longValue).toArray();
        long total = Arrays.stream(pc).sum();
        if (total != manifest.rows()) {
            examples.unpersist();
            throw new IOException(where + ": has " + total + " rows but its manifest says rows = " + manifest.rows());
        }
        return new ImageDataset(dir, manifest, examples, pc);
    }

    /**
     * A per-example transform of a data set, run on the executors ({@link #transform}): returns the
     * example to keep (e.g. with its pixels permuted, at the same index) or {@code null} to drop it.
     */
    @FunctionalInterface
    public interface ExampleTransform extends java.io.Serializable {
        Example apply(Example e);
    }

    /**
     * This set with {@code f} applied to every example on the executors, keeping the partitioning
     * and the order within partitions (so a transform that keeps every example keeps the batch
     * plan's schedule); cached like {@link #open}. This set stays open: close both. The manifest is
     * this set's; {@link #rows()} counts the examples kept.
     */
    public ImageDataset transform(ExampleTransform f) {
        JavaRDD<Example> out = examples.mapPartitions(it -> {
            List<Example> list = new ArrayList<>();
            while (it.hasNext()) {
                Example e = f.apply(it.next());
                if (e != null) {
                    list.add(e);
                }
            }
            return list.iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        return new ImageDataset(dir, manifest, out, count(out));
    }

    /**
     * A set of the given examples (collected on the driver, e.g. a coreset) in {@code partitions}
     * partitions, assigned and sorted as {@link #open} does; {@code manifest} describes their shape
     * ({@link #rows()} is {@code examples.size()}), {@code dir} names their source in messages.
     */
    public static ImageDataset of(SparkSession spark, Path dir, DatasetManifest manifest, List<Example> rows, int partitions,
                                  long seed) {
        JavaRDD<Example> raw = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(new ArrayList<>(rows), Math.max(1, Math.min(partitions, rows.size())));
        JavaRDD<Example> out = raw.mapToPair(e -> new Tuple2<>(partitionOf(e.index(), seed, partitions), e))
                .partitionBy(new HashPartitioner(partitions)).values()
                .mapPartitions(it -> {
                    List<Example> list = new ArrayList<>();
                    it.forEachRemaining(list::add);
                    list.sort(Comparator.comparingLong(Example::index));
                    return list.iterator();
                }, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new ImageDataset(dir, manifest, out, count(out));
    }

    private static long[] count(JavaRDD<Example> rdd) {
        return rdd.mapPartitions(it -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return List.of(n).iterator();
        }).collect().stream().mapToLong(Long::longValue).toArray();
    }

    /** Examples in this set (the manifest's {@code rows} for a set {@link #open}ed as prepared). */
    public long rows() {
        return Arrays.stream(partitionCounts).sum();
    }

    /** Partition of row {@code index}: a seeded mix of the index, uniform over partitions. */
    static int partitionOf(long index, long seed, int partitions) {
        long z = Seeds.rowPartition(index, seed);
        return (int) Math.floorMod(z, (long) partitions);
    }

    /** The prepared directory, or {@code null} for examples given by {@link #of}. */
    public Path dir() {
        return dir;
    }

    public DatasetManifest manifest() {
        return manifest;
    }

    public JavaRDD<Example> examples() {
        return examples;
    }

    /** Examples per partition, in partition order. */
    public long[] partitionCounts() {
        return partitionCounts.clone();
    }

    @Override
    public void close() {
        examples.unpersist(false);
    }
}
