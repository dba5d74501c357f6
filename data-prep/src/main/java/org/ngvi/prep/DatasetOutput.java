package org.ngvi.prep;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ngvi.data.DatasetManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output directory of a dataset-preparing job, published atomically. A job writes everything
 * into {@link #temp()}, a sibling {@code <name>.tmp-<uuid>} of the output (same parent, hence
 * same file system, so the final rename is a metadata operation; not dot-prefixed, since Spark
 * warns about reading a path whose name starts with {@code .} or {@code _}), then calls
 * {@link #publish()}; on any failure it calls {@link #abort()}, which deletes the temp directory.
 * Readers therefore never see a half-written dataset at the output path.
 *
 * <p>An existing output is an error unless {@code overwrite}; with it, the old directory is
 * moved aside to {@code <name>.old-<uuid>} only once the new one is complete, the new one is
 * renamed into place, then the old one is deleted (if the rename fails the old one is moved back).
 * Works on any Hadoop file system with atomic directory rename (local, HDFS); object stores
 * without atomic rename give no such guarantee.
 */
public final class DatasetOutput {
    /**
     * Per-class counts and per-channel statistics of the Parquet rows just written to {@code dir},
     * read back and aggregated on the executors ({@code treeAggregate} of {@link PixelStats});
     * an error when their number is not {@code expectedRows}.
     */
    public static PixelStats statistics(org.apache.spark.sql.SparkSession spark, String dir, int height, int width,
                                        int channels, long expectedRows) throws java.io.IOException {
        PixelStats stats = spark.read().schema(SparkImageSchema.structType()).parquet(dir)
                .select(org.ngvi.data.ImageSchema.LABEL, org.ngvi.data.ImageSchema.IMAGE, org.ngvi.data.ImageSchema.HEIGHT,
                        org.ngvi.data.ImageSchema.WIDTH, org.ngvi.data.ImageSchema.CHANNELS)
                .javaRDD()
                .treeAggregate(new PixelStats(height, width, channels),
                        (st, r) -> st.add(r.getInt(0), (byte[]) r.get(1), r.getInt(2), r.getInt(3), r.getInt(4)),
                        PixelStats::merge);
        if (stats.rows() != expectedRows) {
            throw new java.io.IOException("wrote " + stats.rows() + " rows to " + dir + " but the input has " + expectedRows);
        }
        return stats;
    }

    /** The manifest's {@code created_by} for a job class: module, class and version when packaged. */
    public static String createdBy(Class<?> job) {
        String v = job.getPackage().getImplementationVersion();
        return "ngvi-data-prep " + job.getName() + (v == null ? "" : " " + v);
    }

    /** Smallest and largest amount of pixel data per Parquet file the jobs aim for. */
    public static final long MIN_FILE_BYTES = 8L << 20;
    public static final long MAX_FILE_BYTES = 128L << 20;

    /**
     * Number of Parquet files (and write tasks) for {@code dataBytes} of pixels: each file holds
     * 8–128 MiB, and within that range the default parallelism is preferred.
     */
    public static int parquetFiles(long dataBytes, int defaultParallelism) {
        long lo = Math.max(1, (dataBytes + MAX_FILE_BYTES - 1) / MAX_FILE_BYTES);
        long hi = Math.max(1, dataBytes / MIN_FILE_BYTES);
        long p = Math.max(lo, Math.min(hi, Math.max(1, defaultParallelism)));
        return (int) Math.min(p, Integer.MAX_VALUE);
    }

    private static final Logger LOG = LoggerFactory.getLogger(DatasetOutput.class);

    private final FileSystem fs;
    private final Path out;
    private final Path temp;
    private final boolean overwrite;

    private DatasetOutput(FileSystem fs, Path out, Path temp, boolean overwrite) {
        this.fs = fs;
        this.out = out;
        this.temp = temp;
        this.overwrite = overwrite;
    }

    /**
     * Checks the output path and reserves a temp sibling (not created; Spark's writer creates it).
     *
     * @throws FileAlreadyExistsException {@code out} exists and {@code overwrite} is false
     */
    public static DatasetOutput begin(Configuration conf, String out, boolean overwrite) throws IOException {
        Path p = new Path(out);
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        if (q.getParent() == null) {
            throw new IllegalArgumentException("output " + q + " must not be a file system root");
        }
        checkOverwrite(fs, q, overwrite);
        Path temp = new Path(q.getParent(), q.getName() + ".tmp-" + UUID.randomUUID());
        return new DatasetOutput(fs, q, temp, overwrite);
    }

    private static void checkOverwrite(FileSystem fs, Path out, boolean overwrite) throws IOException {
        if (!overwrite && fs.exists(out)) {
            throw new FileAlreadyExistsException("output " + out + " already exists; pass --overwrite to replace it");
        }
    }

    /** The final output directory (qualified). */
    public Path out() {
        return out;
    }

    /** The temp directory everything is written to before {@link #publish()}. */
    public Path temp() {
        return temp;
    }

    /** The output's file system. */
    public FileSystem fileSystem() {
        return fs;
    }

    /** Writes the manifest as {@code _manifest.json} into the temp directory. */
    public void writeManifest(DatasetManifest manifest) throws IOException {
        writeManifestFile(temp, manifest.toPrettyJson());
    }

    /**
     * Writes the manifest as {@code _manifest.json} into the subdirectory {@code child} of the temp
     * directory, for jobs that publish several datasets (e.g. {@code train} and {@code test}) as
     * one output.
     */
    public void writeManifest(String child, DatasetManifest manifest) throws IOException {
        writeManifestJson(child, manifest.toPrettyJson());
    }

    /**
     * As {@link #writeManifest(String, DatasetManifest)} with the JSON already rendered, for jobs
     * whose manifest carries keys beyond {@link DatasetManifest}'s.
     */
    public void writeManifestJson(String child, String json) throws IOException {
        writeManifestFile(new Path(temp, child), json);
    }

    private void writeManifestFile(Path dir, String json) throws IOException {
        try (OutputStream o = fs.create(new Path(dir, DatasetManifest.FILE_NAME), false)) {
            o.write(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Renames the complete temp directory to the output, replacing an old one when allowed. */
    public void publish() throws IOException {
        if (!fs.getFileStatus(temp).isDirectory()) {
            throw new IOException("temp output " + temp + " is not a directory");
        }
        checkOverwrite(fs, out, overwrite);
        Path old = null;
        if (fs.exists(out)) {
            old = new Path(out.getParent(), out.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(out, old)) {
                throw new IOException("could not move the existing output " + out + " aside to " + old);
            }
        }
        if (!fs.rename(temp, out)) {
            if (old != null && !fs.rename(old, out)) {
                throw new IOException("could not rename " + temp + " to " + out + ", and could not restore the old output from " + old);
            }
            throw new IOException("could not rename " + temp + " to " + out);
        }
        if (old != null && !fs.delete(old, true)) {
            LOG.warn("published {} but could not delete the previous output moved to {}", out, old);
        }
    }

    /** Deletes the temp directory (best effort; a failure to delete is logged, not thrown). */
    public void abort() {
        try {
            if (fs.exists(temp) && !fs.delete(temp, true)) {
                LOG.warn("could not delete temp output {}", temp);
            }
        } catch (IOException e) {
            LOG.warn("could not delete temp output {}: {}", temp, e.toString());
        }
    }
}
