package org.ngvi.prep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import java.util.concurrent.Callable;
import org.ngvi.cli.Cli;
import org.ngvi.cli.OverwriteOption;
import org.ngvi.cli.PartitionsOption;
import org.ngvi.cli.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.prep.idx.IdxFormatException;
import org.ngvi.prep.idx.IdxHeader;
import org.ngvi.prep.idx.IdxReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark job: MNIST-format IDX image and label files (MNIST, Fashion-MNIST) → Parquet in the
 * {@link ImageSchema} layout plus {@code _manifest.json} ({@link DatasetManifest}).
 *
 * <pre>
 * spark-submit --class org.ngvi.prep.PrepareIdxJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *     --images /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz \
 *     --labels /usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz \
 *     --out /data/fashion-mnist/train [--overwrite] [--partitions N]
 * </pre>
 * Without {@code spark.master} set the job runs on {@code local[*]}.
 *
 * <p>Steps:
 * <ol>
 *   <li>On the driver, before any Spark work, both files are read once through: headers
 *       checked (magic numbers, equal counts, 28×28-like shape), data length checked
 *       (truncated/trailing bytes, gzip CRC) and the SHA-256 of each file computed for the
 *       manifest's {@code sources}. The labels (one byte per image) are kept.</li>
 *   <li>The index range {@code [0, n)} is split into contiguous slices, one per Spark task and
 *       Parquet file. A task opens the image file itself: a raw file is seeked to
 *       {@code header + start·rows·cols}, so the read scales with the cluster; a gzipped file is
 *       decompressed from its start and the records before the slice are discarded, which costs
 *       O(partitions × file) decompression in total — fine for MNIST-sized files (a few tens of
 *       MB, a fraction of a second each), and it keeps the driver from holding the pixels. Input
 *       paths must therefore be readable from the executors (a shared or distributed file system,
 *       or {@code local} mode).</li>
 *   <li>Rows {@code (index, label, image, height, width, channels)} are written as Parquet into a
 *       temp sibling of {@code --out}; slice i is part file i, rows in index order, so the
 *       output is deterministic. Spark does not promise to read files in name order: readers
 *       that need the source order sort by {@link ImageSchema#INDEX}.</li>
 *   <li>The Parquet just written is read back and aggregated ({@link PixelStats}: row count,
 *       class counts, per-channel pixel histograms → exact mean/std in [0,255] units); the
 *       manifest is written into the temp directory, which is then renamed to {@code --out}
 *       ({@link DatasetOutput}). On any failure the temp directory is deleted and {@code --out}
 *       is left as it was.</li>
 * </ol>
 */
public final class PrepareIdxJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareIdxJob.class);

    private PrepareIdxJob() {
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi prepare idx}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi prepare idx", new Command(), args);
    }

    /** {@code ngvi prepare idx}: the options of {@link PrepareIdxParams}, validated before Spark starts. */
    @CommandLine.Command(name = "idx", description = "MNIST-format IDX files (raw or gzipped) -> Parquet + _manifest.json")
    public static final class Command implements Callable<Integer> {
        @Spec
        private CommandSpec spec;
        @Option(names = "--images", required = true, paramLabel = "FILE", description = "IDX images (magic 0x00000803), raw or gzipped")
        private String images;
        @Option(names = "--labels", required = true, paramLabel = "FILE", description = "IDX labels (magic 0x00000801), raw or gzipped")
        private String labels;
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "output directory: Parquet files plus _manifest.json (must not exist unless --overwrite)")
        private String out;
        @Mixin
        private OverwriteOption overwrite;
        @Mixin
        private PartitionsOption partitions;

        /** The parsed options as params, validated. */
        public PrepareIdxParams params() {
            return Cli.validated(spec,
                    () -> new PrepareIdxParams(images, labels, out, overwrite.overwrite(), partitions.orAuto()).validate());
        }

        @Override
        public Integer call() throws IOException {
            PrepareIdxParams params = params();
            SparkSessions.run("ngvi PrepareIdxJob", null, spark -> run(spark, params));
            return 0;
        }
    }

    /**
     * Prepares the dataset and returns its manifest (also written as {@code out/_manifest.json}).
     *
     * @throws IdxFormatException a bad input file (message names it)
     * @throws org.apache.hadoop.fs.FileAlreadyExistsException {@code out} exists without {@code overwrite}
     */
    public static DatasetManifest run(SparkSession spark, PrepareIdxParams params) throws IOException {
        return run(spark, params, () -> { });
    }

    /** As {@link #run(SparkSession, PrepareIdxParams)}; {@code beforePublish} runs just before the rename (tests inject failures). */
    static DatasetManifest run(SparkSession spark, PrepareIdxParams params, Runnable beforePublish) throws IOException {
        params.validate();
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        DatasetOutput output = DatasetOutput.begin(hadoop, params.out(), params.overwrite());

        // 1. validate both files on the driver and hash them
        Path imagesPath = qualify(hadoop, params.images());
        Path labelsPath = qualify(hadoop, params.labels());
        Validated images = validate(hadoop, imagesPath, IdxReader.IMAGES_MAGIC, false);
        Validated labels = validate(hadoop, labelsPath, IdxReader.LABELS_MAGIC, true);
        IdxHeader ih = images.header;
        IdxReader.checkSameCount(ih, labels.header);
        int[] dims = ih.recordDims();
        if (ih.count() == 0) {
            throw new IdxFormatException(ih.source(), "holds 0 images; nothing to prepare");
        }
        if (dims[0] == 0 || dims[1] == 0) {
            throw new IdxFormatException(ih.source(), "images have an empty shape " + dims[0] + "×" + dims[1]);
        }
        long n = ih.count();
        LOG.info("validated {} ({}) and {} ({}) in {} s", imagesPath, ih.describe(), labelsPath,
                labels.header.describe(), seconds(t0));

        // 2-3. read slices in tasks, write Parquet into the temp dir
        int partitions = params.partitions() > 0 ? params.partitions()
                : DatasetOutput.parquetFiles(ih.dataBytes(), spark.sparkContext().defaultParallelism());
        partitions = (int) Math.min(partitions, n);
        boolean published = false;
        try {
            List<Slice> slices = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                long start = n * p / partitions;
                long end = n * (p + 1) / partitions;
                byte[] l = new byte[(int) (end - start)];
                System.arraycopy(labels.labels, (int) start, l, 0, l.length);
                slices.add(new Slice(p, start, end, l));
            }
            LOG.info("writing {} rows of {}×{}×1 into {} Parquet files at {}", n, dims[0], dims[1], partitions, output.temp());
            long tw = System.nanoTime();
            JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(slices, partitions)
                    .mapPartitions(new ReadSlices(new SerializableConfiguration(hadoop), imagesPath.toString(), ih));
            spark.createDataFrame(rows, SparkImageSchema.structType())
                    .write().mode(SaveMode.ErrorIfExists).parquet(output.temp().toString());
            double ws = seconds(tw);
            LOG.info("wrote {} rows in {} s ({} images/s)", n, String.format("%.2f", ws), String.format("%.0f", n / ws));

            // 4. manifest from what was written
            long ts = System.nanoTime();
            PixelStats stats = DatasetOutput.statistics(spark, output.temp().toString(), dims[0], dims[1], 1, n);
            DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, DatasetOutput.createdBy(PrepareIdxJob.class), n,
                    new int[]{dims[0], dims[1], 1}, stats.classCounts(), List.of(), stats.channelMean(),
                    stats.channelStd(), List.of(new DatasetManifest.Source(imagesPath.toString(), images.sha256),
                    new DatasetManifest.Source(labelsPath.toString(), labels.sha256)));
            output.writeManifest(manifest);
            LOG.info("manifest: {} rows, class counts {}, channel mean {}, std {} (statistics in {} s)", n,
                    java.util.Arrays.toString(manifest.classCounts()), manifest.channelMean()[0], manifest.channelStd()[0],
                    String.format("%.2f", seconds(ts)));

            beforePublish.run();
            output.publish();
            published = true;
            double total = seconds(t0);
            LOG.info("published {} ({} rows) in {} s total ({} images/s end to end)", output.out(), n,
                    String.format("%.2f", total), String.format("%.0f", n / total));
            return manifest;
        } finally {
            // also on SparkException, which Scala code throws without declaring it
            if (!published) {
                output.abort();
            }
        }
    }

    private static Path qualify(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(conf).makeQualified(p);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Result of the driver-side pass over one input file. */
    private record Validated(IdxHeader header, String sha256, byte[] labels) {
    }

    /** Reads the whole file once: header and length checks, SHA-256, and the labels if asked. */
    private static Validated validate(Configuration conf, Path path, int magic, boolean keep) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        if (!fs.exists(path)) {
            throw new IdxFormatException(path.toString(), "does not exist");
        }
        MessageDigest sha = Sha256.newDigest();
        try (DigestInputStream raw = new DigestInputStream(fs.open(path, 1 << 16), sha);
             IdxReader r = IdxReader.open(raw, path.toString(), magic)) {
            byte[] labels = null;
            if (keep) {
                labels = r.readRemaining();
                r.checkEnd();
            } else {
                r.verifyRemaining();
            }
            byte[] buf = new byte[1 << 16];
            while (raw.read(buf) != -1) {
                // hash whatever the gzip reader did not consume
            }
            return new Validated(r.header(), Sha256.hex(sha), labels);
        }
    }

    /** One task's contiguous range of records {@code [start, end)} with its labels. */
    record Slice(int partition, long start, long end, byte[] labels) implements java.io.Serializable {
    }

    /** Task side: reads a slice's images from the file and emits rows lazily. */
    private static final class ReadSlices implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<Slice>, Row> {
        private static final long serialVersionUID = 1L;
        private final SerializableConfiguration conf;
        private final String images;
        private final IdxHeader header;

        ReadSlices(SerializableConfiguration conf, String images, IdxHeader header) {
            this.conf = conf;
            this.images = images;
            this.header = header;
        }

        @Override
        public Iterator<Row> call(Iterator<Slice> slices) {
            List<Slice> list = new ArrayList<>();
            slices.forEachRemaining(list::add);
            return new SliceRows(list, conf.value(), images, header);
        }
    }

    private static final class SliceRows implements Iterator<Row> {
        private final Iterator<Slice> slices;
        private final Configuration conf;
        private final String images;
        private final IdxHeader header;
        private final int h;
        private final int w;
        private Slice current;
        private IdxReader reader;
        private long next;
        private long started;

        SliceRows(List<Slice> slices, Configuration conf, String images, IdxHeader header) {
            this.slices = slices.iterator();
            this.conf = conf;
            this.images = images;
            this.header = header;
            this.h = header.recordDims()[0];
            this.w = header.recordDims()[1];
            TaskContext tc = TaskContext.get();
            if (tc != null) {
                tc.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> closeQuietly());
            }
        }

        @Override
        public boolean hasNext() {
            try {
                while (current == null || next >= current.end()) {
                    if (current != null) {
                        finishSlice();
                    }
                    if (!slices.hasNext()) {
                        return false;
                    }
                    openSlice(slices.next());
                }
                return true;
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] img = new byte[h * w];
            try {
                reader.readRecord(img);
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException(e);
            }
            int label = current.labels()[(int) (next - current.start())] & 0xff;
            return RowFactory.create(next++, label, img, h, w, 1);
        }

        private void openSlice(Slice s) throws IOException {
            current = s;
            next = s.start();
            started = System.nanoTime();
            Path p = new Path(images);
            FileSystem fs = p.getFileSystem(conf);
            FSDataInputStream in = fs.open(p, 1 << 16);
            try {
                if (header.gzipped()) {
                    reader = IdxReader.open((InputStream) in, images, header.magic());
                    reader.skip(s.start());
                } else {
                    in.seek(header.offsetOf(s.start()));
                    reader = IdxReader.resume(in, header, s.start());
                }
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        private void finishSlice() throws IOException {
            double secs = (System.nanoTime() - started) / 1e9;
            long rows = current.end() - current.start();
            LOG.info("partition {}: read and wrote rows [{}, {}) ({} rows) in {} s ({} images/s)", current.partition(),
                    current.start(), current.end(), rows, String.format("%.2f", secs), String.format("%.0f", rows / secs));
            reader.close();
            reader = null;
            current = null;
        }

        private void closeQuietly() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // task is ending
                }
                reader = null;
            }
        }
    }
}
