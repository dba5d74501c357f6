package org.ngvi.prep.cifar;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
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
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import org.apache.spark.util.SerializableConfiguration;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.prep.DatasetOutput;
import org.ngvi.prep.PixelStats;
import org.ngvi.prep.Sha256;
import org.ngvi.prep.SparkImageSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark job: CIFAR-10 or CIFAR-100 binary files → two datasets in the {@link ImageSchema}
 * layout, {@code out/train} and {@code out/test}, each with its {@code _manifest.json}
 * ({@link DatasetManifest}).
 *
 * <pre>
 * spark-submit --class org.ngvi.prep.cifar.PrepareCifarJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *     --in /data/raw/cifar-100-binary --out /data/cifar100 [--labels fine|coarse] [--overwrite] [--partitions N]
 * </pre>
 * Without {@code spark.master} set the job runs on {@code local[*]}.
 *
 * <p>Steps:
 * <ol>
 *   <li>On the driver: the layout is detected from the file names ({@link CifarFormat#detect});
 *       every file's length is checked to be a positive multiple of the record size before
 *       anything is read; the class-names file of the chosen label, if present, is read (one
 *       name per line, blank lines ignored; it must name every class). Then each data file is
 *       read once through: SHA-256 for the manifest's {@code sources}, every label byte checked
 *       against its range (both labels of a CIFAR-100 record), the chosen label kept (one byte
 *       per image).</li>
 *   <li>Per split, the index range {@code [0, n)} over the split's files in batch order is cut
 *       into contiguous slices, one per Spark task and Parquet file; a slice may span a file
 *       boundary. A task opens each file of its slice, seeks to {@code k·recordBytes} and reads
 *       its records, turning CHW pixels into HWC ({@link CifarRecords#chwToHwc}). Input paths
 *       must be readable from the executors (a shared or distributed file system, or
 *       {@code local} mode). Row {@code index} is the position in the split: files in batch
 *       order, records in file order; slice i is part file i.</li>
 *   <li>Both splits are written into one temp sibling of {@code --out}; each is read back and
 *       aggregated with {@link PixelStats} (exact per-channel mean/std in [0,255] units, class
 *       counts over all classes of the label, zeros included); the manifests are written, and the
 *       temp folder is renamed to {@code --out} ({@link DatasetOutput}). On any failure the temp
 *       folder is deleted and {@code --out} is left as it was.</li>
 * </ol>
 */
public final class PrepareCifarJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareCifarJob.class);

    /** Split names, also the subfolders of {@code --out}. */
    public static final String TRAIN = "train";
    /** See {@link #TRAIN}. */
    public static final String TEST = "test";

    private PrepareCifarJob() {
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi prepare cifar}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi prepare cifar", new Command(), args);
    }

    /** {@code ngvi prepare cifar}: the options of {@link PrepareCifarParams}, validated before Spark starts. */
    @CommandLine.Command(name = "cifar", description = "CIFAR-10 / CIFAR-100 binary -> DIR/train, DIR/test (Parquet + _manifest.json)")
    public static final class Command implements Callable<Integer> {
        @Spec
        private CommandSpec spec;
        @Option(names = "--in", required = true, paramLabel = "DIR",
                description = "CIFAR-10 binary (data_batch_1..5.bin, test_batch.bin) or CIFAR-100 binary (train.bin, test.bin)")
        private String in;
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "output folder: Parquet plus _manifest.json in DIR/train and DIR/test (must not exist unless --overwrite)")
        private String out;
        @Option(names = "--labels", paramLabel = "fine|coarse", defaultValue = "fine", converter = LabelConverter.class,
                description = "CIFAR-100 label to use: fine (100 classes) or coarse (20 superclasses)")
        private CifarLabel labels;
        @Mixin
        private OverwriteOption overwrite;
        @Mixin
        private PartitionsOption partitions;

        /** The parsed options as params, validated. */
        public PrepareCifarParams params() {
            return Cli.validated(spec,
                    () -> new PrepareCifarParams(in, out, labels, overwrite.overwrite(), partitions.orAuto()).validate());
        }

        @Override
        public Integer call() throws IOException {
            PrepareCifarParams params = params();
            SparkSessions.run("ngvi PrepareCifarJob", null, spark -> run(spark, params));
            return 0;
        }
    }

    /** {@code --labels}: {@link CifarLabel#parse}. */
    static final class LabelConverter implements ITypeConverter<CifarLabel> {
        @Override
        public CifarLabel convert(String value) {
            try {
                return CifarLabel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Prepares {@code out/train} and {@code out/test} and returns their manifests.
     *
     * @throws CifarFormatException a bad input (message names the file or folder)
     * @throws IllegalArgumentException {@code --labels coarse} with CIFAR-10
     * @throws org.apache.hadoop.fs.FileAlreadyExistsException {@code out} exists without {@code overwrite}
     */
    public static PreparedCifar run(SparkSession spark, PrepareCifarParams params) throws IOException {
        return run(spark, params, () -> { });
    }

    /** As {@link #run(SparkSession, PrepareCifarParams)}; {@code beforePublish} runs just before the rename (tests inject failures). */
    static PreparedCifar run(SparkSession spark, PrepareCifarParams params, Runnable beforePublish) throws IOException {
        params.validate();
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        DatasetOutput output = DatasetOutput.begin(hadoop, params.out(), params.overwrite());

        // 1. detect, check sizes, read names, then hash and read labels on the driver
        Path in = new Path(params.in());
        FileSystem fs = in.getFileSystem(hadoop);
        in = fs.makeQualified(in);
        CifarFormat format = CifarFormat.detect(fs, in);
        CifarLabel label = params.labels();
        int labelOffset = format.labelOffset(label);
        int classes = format.classes(label);
        for (String name : format.dataFiles()) {
            checkSize(fs, new Path(in, name), format);
        }
        Path namesPath = new Path(in, format.classNamesFile(label));
        List<String> classNames = List.of();
        String namesSha = null;
        if (fs.exists(namesPath)) {
            byte[] bytes = readAll(fs, namesPath);
            classNames = parseClassNames(namesPath.toString(), bytes, classes);
            namesSha = Sha256.hex(bytes);
        }
        List<ScannedFile> train = new ArrayList<>();
        for (String name : format.trainFiles()) {
            train.add(scan(fs, new Path(in, name), format, labelOffset));
        }
        List<ScannedFile> test = new ArrayList<>();
        for (String name : format.testFiles()) {
            test.add(scan(fs, new Path(in, name), format, labelOffset));
        }
        LOG.info("validated {} binary at {} ({} train + {} test records, {} label, {} classes{}) in {} s",
                format.displayName(), in, records(train), records(test), label.flag(), classes,
                classNames.isEmpty() ? "" : ", names from " + namesPath.getName(), String.format("%.2f", seconds(t0)));

        boolean published = false;
        try {
            List<DatasetManifest.Source> extra = namesSha == null ? List.of()
                    : List.of(new DatasetManifest.Source(namesPath.toString(), namesSha));
            DatasetManifest trainManifest = writeSplit(spark, hadoop, output, TRAIN, format, train, classes, classNames,
                    extra, params.partitions());
            DatasetManifest testManifest = writeSplit(spark, hadoop, output, TEST, format, test, classes, classNames,
                    extra, params.partitions());
            beforePublish.run();
            output.publish();
            published = true;
            long n = trainManifest.rows() + testManifest.rows();
            double total = seconds(t0);
            LOG.info("published {} ({} + {} rows) in {} s total ({} images/s end to end)", output.out(),
                    trainManifest.rows(), testManifest.rows(), String.format("%.2f", total), String.format("%.0f", n / total));
            return new PreparedCifar(format, label, trainManifest, testManifest);
        } finally {
            // also on SparkException, which Scala code throws without declaring it
            if (!published) {
                output.abort();
            }
        }
    }

    /** Writes one split into {@code temp/split}, computes its statistics and writes its manifest. */
    private static DatasetManifest writeSplit(SparkSession spark, Configuration hadoop, DatasetOutput output, String split,
                                              CifarFormat format, List<ScannedFile> files, int classes,
                                              List<String> classNames, List<DatasetManifest.Source> extraSources,
                                              int requestedPartitions) throws IOException {
        long n = records(files);
        int partitions = requestedPartitions > 0 ? requestedPartitions
                : DatasetOutput.parquetFiles(n * CifarRecords.PIXEL_BYTES, spark.sparkContext().defaultParallelism());
        partitions = (int) Math.min(partitions, n);
        List<Slice> slices = slices(files, n, partitions);
        Path dir = new Path(output.temp(), split);
        long tw = System.nanoTime();
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(slices, partitions)
                .mapPartitions(new ReadSlices(new SerializableConfiguration(hadoop), format.recordBytes(), format.labelBytes()));
        spark.createDataFrame(rows, SparkImageSchema.structType()).write().mode(SaveMode.ErrorIfExists).parquet(dir.toString());
        double ws = seconds(tw);
        LOG.info("{}: wrote {} rows of 32×32×3 into {} Parquet files in {} s ({} images/s)", split, n, partitions,
                String.format("%.2f", ws), String.format("%.0f", n / ws));

        long ts = System.nanoTime();
        PixelStats stats = DatasetOutput.statistics(spark, dir.toString(), CifarRecords.HEIGHT, CifarRecords.WIDTH,
                CifarRecords.CHANNELS, n);
        List<DatasetManifest.Source> sources = new ArrayList<>();
        for (ScannedFile f : files) {
            sources.add(new DatasetManifest.Source(f.path(), f.sha256()));
        }
        sources.addAll(extraSources);
        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, DatasetOutput.createdBy(PrepareCifarJob.class), n,
                new int[]{CifarRecords.HEIGHT, CifarRecords.WIDTH, CifarRecords.CHANNELS},
                stats.classCounts(classes), classNames, stats.channelMean(), stats.channelStd(), sources);
        output.writeManifest(split, manifest);
        LOG.info("{}: manifest with class counts {}, channel mean {}, std {} (statistics in {} s)", split,
                Arrays.toString(manifest.classCounts()), Arrays.toString(manifest.channelMean()),
                Arrays.toString(manifest.channelStd()), String.format("%.2f", seconds(ts)));
        return manifest;
    }

    /**
     * Cuts the split's records {@code [0, n)} into {@code partitions} contiguous slices
     * {@code [n·p/P, n·(p+1)/P)}, each a list of (file, first record, count) segments.
     */
    static List<Slice> slices(List<ScannedFile> files, long n, int partitions) {
        List<Slice> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            long start = n * p / partitions;
            long end = n * (p + 1) / partitions;
            List<Segment> segments = new ArrayList<>();
            byte[] labels = new byte[(int) (end - start)];
            long fileStart = 0;
            for (ScannedFile f : files) {
                long fileEnd = fileStart + f.records();
                long a = Math.max(start, fileStart);
                long b = Math.min(end, fileEnd);
                if (a < b) {
                    segments.add(new Segment(f.path(), a - fileStart, (int) (b - a)));
                    System.arraycopy(f.labels(), (int) (a - fileStart), labels, (int) (a - start), (int) (b - a));
                }
                fileStart = fileEnd;
            }
            out.add(new Slice(p, start, end, segments, labels));
        }
        return out;
    }

    /** Names, one per non-blank line (trimmed); there must be exactly one per class. */
    static List<String> parseClassNames(String source, byte[] bytes, int classes) throws CifarFormatException {
        List<String> names = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory
        }
        if (names.size() != classes) {
            throw new CifarFormatException(source, "has " + names.size() + " class names, expected " + classes
                    + " (one per line, blank lines ignored)");
        }
        return names;
    }

    private static void checkSize(FileSystem fs, Path p, CifarFormat format) throws IOException {
        long len = fs.getFileStatus(p).getLen();
        int rec = format.recordBytes();
        if (len == 0) {
            throw new CifarFormatException(p.toString(), "is empty; expected a multiple of the " + format.displayName()
                    + " record size " + rec + " bytes");
        }
        if (len % rec != 0) {
            throw new CifarFormatException(p.toString(), "size " + len + " bytes is not a multiple of the "
                    + format.displayName() + " record size " + rec + " bytes (" + format.labelBytes() + " label byte"
                    + (format.labelBytes() > 1 ? "s" : "") + " + " + CifarRecords.PIXEL_BYTES + " pixel bytes): "
                    + len / rec + " whole records and " + len % rec + " bytes left over; truncated or not "
                    + format.displayName() + " binary");
        }
    }

    /** Result of the driver-side pass over one data file. */
    record ScannedFile(String path, long records, String sha256, byte[] labels) {
    }

    /** Reads the file once: SHA-256, every label byte range-checked, the chosen label kept. */
    private static ScannedFile scan(FileSystem fs, Path p, CifarFormat format, int labelOffset) throws IOException {
        int rec = format.recordBytes();
        long len = fs.getFileStatus(p).getLen();
        long n = len / rec;
        if (n > Integer.MAX_VALUE) {
            throw new CifarFormatException(p.toString(), "holds " + n + " records, more than one file can index");
        }
        MessageDigest sha = Sha256.newDigest();
        byte[] labels = new byte[(int) n];
        byte[] buf = new byte[rec];
        try (DataInputStream in = new DataInputStream(new DigestInputStream(fs.open(p, 1 << 16), sha))) {
            for (int k = 0; k < n; k++) {
                try {
                    in.readFully(buf);
                } catch (EOFException e) {
                    throw new CifarFormatException(p.toString(), "ended at record " + k + " of " + n
                            + " (the file changed while it was read?)");
                }
                for (int b = 0; b < format.labelBytes(); b++) {
                    int v = buf[b] & 0xff;
                    if (v >= format.classesAtOffset(b)) {
                        throw new CifarFormatException(p.toString(), "record " + k + " (byte offset " + (long) k * rec
                                + ") has " + format.labelNameAtOffset(b) + " " + v + ", expected 0.."
                                + (format.classesAtOffset(b) - 1));
                    }
                }
                labels[k] = buf[labelOffset];
            }
            if (in.read() != -1) {
                throw new CifarFormatException(p.toString(), "grew while it was read (expected " + len + " bytes)");
            }
        }
        return new ScannedFile(p.toString(), n, Sha256.hex(sha), labels);
    }

    private static byte[] readAll(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private static long records(List<ScannedFile> files) {
        long n = 0;
        for (ScannedFile f : files) {
            n += f.records();
        }
        return n;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Records {@code [first, first + count)} of one file. */
    record Segment(String path, long first, int count) implements java.io.Serializable {
    }

    /** One task's contiguous range {@code [start, end)} of a split, its segments and labels. */
    record Slice(int partition, long start, long end, List<Segment> segments, byte[] labels) implements java.io.Serializable {
    }

    /** Task side: reads a slice's records from the files and emits rows lazily. */
    private static final class ReadSlices implements FlatMapFunction<Iterator<Slice>, Row> {
        private static final long serialVersionUID = 1L;
        private final SerializableConfiguration conf;
        private final int recordBytes;
        private final int labelBytes;

        ReadSlices(SerializableConfiguration conf, int recordBytes, int labelBytes) {
            this.conf = conf;
            this.recordBytes = recordBytes;
            this.labelBytes = labelBytes;
        }

        @Override
        public Iterator<Row> call(Iterator<Slice> slices) {
            List<Slice> list = new ArrayList<>();
            slices.forEachRemaining(list::add);
            return new SliceRows(list, conf.value(), recordBytes, labelBytes);
        }
    }

    private static final class SliceRows implements Iterator<Row> {
        private final Iterator<Slice> slices;
        private final Configuration conf;
        private final int recordBytes;
        private final int labelBytes;
        private final byte[] record;
        private Slice slice;
        private long next;
        private long started;
        private Iterator<Segment> segments;
        private Segment segment;
        private int segmentLeft;
        private FSDataInputStream in;

        SliceRows(List<Slice> slices, Configuration conf, int recordBytes, int labelBytes) {
            this.slices = slices.iterator();
            this.conf = conf;
            this.recordBytes = recordBytes;
            this.labelBytes = labelBytes;
            this.record = new byte[recordBytes];
            TaskContext tc = TaskContext.get();
            if (tc != null) {
                tc.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> closeQuietly());
            }
        }

        @Override
        public boolean hasNext() {
            try {
                while (slice == null || next >= slice.end()) {
                    if (slice != null) {
                        finishSlice();
                    }
                    if (!slices.hasNext()) {
                        return false;
                    }
                    slice = slices.next();
                    next = slice.start();
                    segments = slice.segments().iterator();
                    started = System.nanoTime();
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
            try {
                while (segmentLeft == 0) {
                    openNextSegment();
                }
                try {
                    in.readFully(record);
                } catch (EOFException e) {
                    throw new CifarFormatException(segment.path(), "ended before record "
                            + (segment.first() + segment.count() - segmentLeft) + " (the file changed after validation?)");
                }
                segmentLeft--;
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException(e);
            }
            byte[] hwc = new byte[CifarRecords.PIXEL_BYTES];
            CifarRecords.chwToHwc(record, labelBytes, hwc);
            int label = slice.labels()[(int) (next - slice.start())] & 0xff;
            return RowFactory.create(next++, label, hwc, CifarRecords.HEIGHT, CifarRecords.WIDTH, CifarRecords.CHANNELS);
        }

        private void openNextSegment() throws IOException {
            closeStream();
            if (!segments.hasNext()) {
                throw new IllegalStateException("slice " + slice.partition() + " has fewer records in its segments than rows");
            }
            segment = segments.next();
            Path p = new Path(segment.path());
            in = p.getFileSystem(conf).open(p, 1 << 16);
            in.seek(segment.first() * recordBytes);
            segmentLeft = segment.count();
        }

        private void finishSlice() throws IOException {
            double secs = (System.nanoTime() - started) / 1e9;
            long rows = slice.end() - slice.start();
            LOG.info("partition {}: read and wrote rows [{}, {}) ({} rows from {} files) in {} s ({} images/s)",
                    slice.partition(), slice.start(), slice.end(), rows, slice.segments().size(),
                    String.format("%.2f", secs), String.format("%.0f", rows / secs));
            closeStream();
            slice = null;
            segmentLeft = 0;
        }

        private void closeStream() throws IOException {
            if (in != null) {
                FSDataInputStream s = in;
                in = null;
                s.close();
            }
        }

        private void closeQuietly() {
            try {
                closeStream();
            } catch (IOException ignored) {
                // task is ending
            }
        }
    }
}
