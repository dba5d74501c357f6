package org.ngvi.prep.imagefolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.prep.DatasetOutput;
import org.ngvi.prep.Sha256;
import org.ngvi.prep.SparkImageSchema;
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
import org.ngvi.cli.Converters;
import org.ngvi.cli.SparkMasterOption;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark job: an ImageNet-style folder tree of JPEG/PNG files → {@code out/train} and
 * {@code out/val} in the {@link ImageSchema} layout, each with its {@code _manifest.json}
 * ({@link ImageFolderManifest}).
 *
 * <pre>
 * ngvi prepare imagefolder --in /data/imagenet --out /data/imagenet-224 [--resize 256] [--crop 224]
 *     [--store pixels|encoded] [--val-labels FILE] [--overwrite] [--partitions N] [--master URL]
 * spark-submit --class org.ngvi.prep.imagefolder.PrepareImageFolderJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar --in ... --out ...
 * </pre>
 *
 * <p>Steps:
 * <ol>
 *   <li>On the driver: the tree is listed ({@link FolderListing}: classes = sorted train class
 *       folder names → 0..K−1, the same for val; images in a fixed order; a flat {@code val/}
 *       labelled by {@link ValLabels}). Bad trees fail here, before any Spark work.</li>
 *   <li>Per split, the listing is cut into contiguous slices, one per Spark task and Parquet
 *       file ({@code mapPartitions} over the paths, so decoding scales with the cluster; input
 *       paths must be readable from the executors). A task reads each file, hashes it, decodes it
 *       to RGB ({@link ImageDecoder}: grey, palette, alpha, CMYK all become 3 channels), resizes
 *       the shorter side to {@code --resize} with antialiased bilinear resampling and takes the
 *       centred {@code --crop} square ({@link ResizeCrop}), and emits the row
 *       {@code (index, label, image, crop, crop, 3)}; {@code index} is the image's position in
 *       the listing. An image that cannot be decoded emits no row: it is listed in the manifest's
 *       {@code skipped} and its index is absent (indices are then unique and increasing but not
 *       contiguous). Slice i is part file i, rows in index order, so the output is deterministic.</li>
 *   <li>With {@code --store encoded} the {@code image} column holds the crop re-encoded
 *       ({@link ImageEncoder}: JPEG quality 90 for JPEG sources, PNG otherwise) and a string column
 *       {@value #FORMAT_COLUMN} says which ({@code "jpeg"} or {@code "png"}); {@code height},
 *       {@code width}, {@code channels} are those of the decoded crop. The trainer reads raw
 *       pixels only and rejects such a dataset.</li>
 *   <li>Each split is read back and aggregated (class counts over all K classes, exact per-channel
 *       mean/std of the stored pixels, decoded first when encoded), checked against the listing
 *       minus the skipped images, and its manifest written. Both splits are written into one temp
 *       sibling of {@code --out}, which is renamed to {@code --out} only when both are complete
 *       ({@link DatasetOutput}); on any failure it is deleted and {@code --out} is left as it was.</li>
 * </ol>
 */
public final class PrepareImageFolderJob {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareImageFolderJob.class);

    /** The extra string column of {@link ImageStore#ENCODED} rows: {@code "jpeg"} or {@code "png"}. */
    public static final String FORMAT_COLUMN = "format";
    /** Output split folders, as the input's. */
    public static final String TRAIN = FolderListing.TRAIN;
    /** See {@link #TRAIN}. */
    public static final String VAL = FolderListing.VAL;

    private PrepareImageFolderJob() {
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi prepare imagefolder}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi prepare imagefolder", new Command(), args);
    }

    /** {@code ngvi prepare imagefolder}: the options of {@link PrepareImageFolderParams}, validated before Spark starts. */
    @CommandLine.Command(name = "imagefolder",
            description = "an ImageNet-style tree (train/<class>/*.JPEG, val/) -> DIR/train, DIR/val, decoded, resized and center-cropped")
    public static final class Command implements Callable<Integer> {
        @Spec
        private CommandSpec spec;
        @Option(names = "--in", required = true, paramLabel = "DIR",
                description = "ImageNet-style tree: DIR/train/<class>/*.{jpg,jpeg,png} (any case), optionally DIR/val/<class>/... "
                        + "or a flat DIR/val/* labelled by DIR/val_labels.txt or DIR/LOC_val_solution.csv")
        private String in;
        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "output folder: Parquet plus _manifest.json in DIR/train (and DIR/val); must not exist unless --overwrite")
        private String out;
        @Option(names = "--resize", paramLabel = "N", defaultValue = "" + PrepareImageFolderParams.DEFAULT_RESIZE,
                converter = Converters.PositiveInt.class, description = "shorter side after the (antialiased bilinear) resize")
        private int resize;
        @Option(names = "--crop", paramLabel = "N", defaultValue = "" + PrepareImageFolderParams.DEFAULT_CROP,
                converter = Converters.PositiveInt.class, description = "side of the centred square crop, at most --resize")
        private int crop;
        @Option(names = "--store", paramLabel = "pixels|encoded", defaultValue = "pixels", converter = StoreConverter.class,
                description = "pixels (raw HWC uint8, what the trainer reads) or encoded (JPEG/PNG bytes + format column)")
        private ImageStore store;
        @Option(names = "--val-labels", paramLabel = "FILE",
                description = "labels of a flat val/: lines 'NAME CLASS' or 'NAME,CLASS' "
                        + "(default: DIR/val_labels.txt or DIR/LOC_val_solution.csv)")
        private String valLabels;
        @Mixin
        private OverwriteOption overwrite;
        @Mixin
        private PartitionsOption partitions;
        @Mixin
        private SparkMasterOption master;

        /** The parsed options as params, validated. */
        public PrepareImageFolderParams params() {
            return Cli.validated(spec, () -> new PrepareImageFolderParams(in, out, resize, crop, store, valLabels, overwrite.overwrite(),
                    partitions.orAuto(), master.master()).validate());
        }

        @Override
        public Integer call() throws IOException {
            PrepareImageFolderParams params = params();
            SparkSessions.run("ngvi PrepareImageFolderJob", params.master(), spark -> run(spark, params));
            return 0;
        }
    }

    /** {@code --store}: {@link ImageStore#parse}. */
    static final class StoreConverter implements ITypeConverter<ImageStore> {
        @Override
        public ImageStore convert(String value) {
            try {
                return ImageStore.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Prepares {@code out/train} (and {@code out/val}) and returns what was written.
     *
     * @throws ImageFolderFormatException a bad tree or labels file (message names the folder or file)
     * @throws org.apache.hadoop.fs.FileAlreadyExistsException {@code out} exists without {@code overwrite}
     */
    public static PreparedImageFolder run(SparkSession spark, PrepareImageFolderParams params) throws IOException {
        return run(spark, params, () -> { });
    }

    /** As {@link #run(SparkSession, PrepareImageFolderParams)}; {@code beforePublish} runs just before the rename (tests inject failures). */
    static PreparedImageFolder run(SparkSession spark, PrepareImageFolderParams params, Runnable beforePublish) throws IOException {
        params.validate();
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        DatasetOutput output = DatasetOutput.begin(hadoop, params.out(), params.overwrite());

        Path root = new Path(params.in());
        FileSystem fs = root.getFileSystem(hadoop);
        root = fs.makeQualified(root);
        FolderListing.Listing listing = FolderListing.list(fs, root, params.valLabels());
        List<String> classes = listing.classNames();
        LOG.info("listed {}: {} classes, {} train images{} in {} s", root, classes.size(), listing.train().files().size(),
                listing.val() == null ? ", no val/" : ", " + listing.val().files().size() + " val images"
                        + (listing.val().labelsFile() == null ? " in class folders" : " labelled by " + listing.val().labelsFile().path()),
                String.format("%.2f", seconds(t0)));

        ResizeCrop transform = new ResizeCrop(params.resize(), params.crop());
        boolean published = false;
        try {
            PreparedSplit train = writeSplit(spark, hadoop, output, listing, listing.train(), transform, params);
            PreparedSplit val = listing.val() == null ? null
                    : writeSplit(spark, hadoop, output, listing, listing.val(), transform, params);
            beforePublish.run();
            output.publish();
            published = true;
            long n = train.manifest().rows() + (val == null ? 0 : val.manifest().rows());
            double total = seconds(t0);
            LOG.info("published {} ({} images, {} skipped) in {} s total ({} images/s end to end)", output.out(), n,
                    train.skipped().size() + (val == null ? 0 : val.skipped().size()), String.format("%.2f", total),
                    String.format("%.0f", n / total));
            return new PreparedImageFolder(classes, params.store(), train, val);
        } finally {
            // also on SparkException, which Scala code throws without declaring it
            if (!published) {
                output.abort();
            }
        }
    }

    /** Decodes and writes one split into {@code temp/split}, then computes and writes its manifest. */
    private static PreparedSplit writeSplit(SparkSession spark, Configuration hadoop, DatasetOutput output,
                                            FolderListing.Listing listing, FolderListing.ListedSplit split,
                                            ResizeCrop transform, PrepareImageFolderParams params) throws IOException {
        SparkContext sc = spark.sparkContext();
        String name = split.name();
        List<FolderListing.ListedFile> files = split.files();
        int n = files.size();
        int side = transform.crop();
        long pixelBytes = (long) n * side * side * 3;
        int partitions = params.partitions() > 0 ? params.partitions()
                : partitionsFor(params.store() == ImageStore.PIXELS ? pixelBytes : pixelBytes / 2, sc.defaultParallelism());
        partitions = Math.min(partitions, n);
        List<Slice> slices = Slice.cut(files, partitions);
        Path dir = new Path(output.temp(), name);
        CollectionAccumulator<PartitionReport> reports = sc.collectionAccumulator("ngvi imagefolder " + name + " reports");
        StructType schema = params.store() == ImageStore.PIXELS ? SparkImageSchema.structType()
                : SparkImageSchema.structType().add(FORMAT_COLUMN, DataTypes.StringType, false);

        LOG.info("{}: decoding {} images into {}×{}×3 {} in {} Parquet files", name, n, side, side, params.store().flag(), partitions);
        long tw = System.nanoTime();
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(sc).parallelize(slices, partitions)
                .mapPartitions(new DecodeSlices(new SerializableConfiguration(hadoop), listing.root().toString(), transform,
                        params.store(), name, reports));
        try (JobProgress p = new JobProgress(sc, name + ": decode, resize, crop, write", LOG)) {
            spark.createDataFrame(rows, schema).write().mode(SaveMode.ErrorIfExists).parquet(dir.toString());
        }
        double ws = seconds(tw);
        PartitionReport.Merged merged = PartitionReport.merge(reports.value(), slices, name);
        List<SkippedImage> skipped = new ArrayList<>();
        long[] expected = split.classCounts(listing.classNames().size());
        for (PartitionReport.Skip s : merged.skipped()) {
            FolderListing.ListedFile f = files.get((int) s.index());
            skipped.add(new SkippedImage(new Path(listing.root(), f.relativePath()).toString(), s.reason()));
            expected[f.label()]--;
        }
        long written = n - skipped.size();
        LOG.info("{}: wrote {} rows ({} skipped) in {} s ({} images/s)", name, written, skipped.size(),
                String.format("%.2f", ws), String.format("%.0f", n / ws));
        if (written == 0) {
            throw new ImageFolderFormatException(split.dir().toString(), "none of its " + n + " images could be decoded; first: "
                    + skipped.get(0).path() + ": " + skipped.get(0).reason());
        }

        long ts = System.nanoTime();
        SplitStatistics stats;
        try (JobProgress p = new JobProgress(sc, name + ": statistics", LOG)) {
            stats = statistics(spark, dir.toString(), schema, listing.classNames().size(), side, params.store());
        }
        if (stats.rows() != written) {
            throw new IOException("wrote " + stats.rows() + " rows to " + dir + " but " + written + " images were decoded");
        }
        if (!Arrays.equals(stats.classCounts(), expected)) {
            throw new IllegalStateException(name + ": class counts of the rows written " + Arrays.toString(stats.classCounts())
                    + " differ from the listing's minus skipped images " + Arrays.toString(expected));
        }
        String digest = listingDigest(files, merged.sha256());
        List<DatasetManifest.Source> sources = new ArrayList<>();
        sources.add(new DatasetManifest.Source(split.dir().toString(), digest));
        if (split.labelsFile() != null) {
            sources.add(split.labelsFile());
        }
        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, DatasetOutput.createdBy(PrepareImageFolderJob.class),
                written, new int[]{side, side, 3}, stats.classCounts(), listing.classNames(), stats.channelMean(),
                stats.channelStd(), sources);
        PreparedSplit prepared = new PreparedSplit(manifest, n, digest, skipped);
        output.writeManifestJson(name, ImageFolderManifest.toPrettyJson(prepared, params.store(), transform));
        LOG.info("{}: manifest with {} rows, channel mean {}, std {}, listing digest {} (statistics in {} s)", name, written,
                Arrays.toString(manifest.channelMean()), Arrays.toString(manifest.channelStd()), digest,
                String.format("%.2f", seconds(ts)));
        return prepared;
    }

    /** Reads a written split back and aggregates it ({@link SplitStatistics}). */
    private static SplitStatistics statistics(SparkSession spark, String dir, StructType schema, int classes, int side,
                                              ImageStore store) {
        boolean encoded = store == ImageStore.ENCODED;
        List<String> cols = new ArrayList<>(List.of(ImageSchema.LABEL, ImageSchema.IMAGE, ImageSchema.HEIGHT,
                ImageSchema.WIDTH, ImageSchema.CHANNELS));
        if (encoded) {
            cols.add(FORMAT_COLUMN);
        }
        return spark.read().schema(schema).parquet(dir)
                .select(ImageSchema.INDEX, cols.toArray(String[]::new))
                .javaRDD()
                .treeAggregate(new SplitStatistics(classes, side),
                        (st, r) -> st.add(r.getLong(0), r.getInt(1), (byte[]) r.get(2), r.getInt(3), r.getInt(4), r.getInt(5),
                                encoded ? r.getString(6) : null),
                        SplitStatistics::merge);
    }

    /**
     * Parquet files for {@code dataBytes}: {@link DatasetOutput#parquetFiles}, rounded up to a
     * multiple of the default parallelism while files stay at least
     * {@link DatasetOutput#MIN_FILE_BYTES}, so the decoding (the costly part) divides evenly over
     * the cores.
     */
    static int partitionsFor(long dataBytes, int defaultParallelism) {
        int p = DatasetOutput.parquetFiles(dataBytes, defaultParallelism);
        int dp = Math.max(1, defaultParallelism);
        long rounded = (long) (p + dp - 1) / dp * dp;
        return rounded != p && rounded <= Integer.MAX_VALUE && dataBytes / rounded >= DatasetOutput.MIN_FILE_BYTES ? (int) rounded : p;
    }

    /** SHA-256 over the lines {@code path\tsize\tsha256hex\n} of the listing in row order ({@link ImageFolderManifest}). */
    static String listingDigest(List<FolderListing.ListedFile> files, byte[] sha256s) {
        MessageDigest d = Sha256.newDigest();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < files.size(); i++) {
            FolderListing.ListedFile f = files.get(i);
            String line = f.relativePath() + "\t" + f.size() + "\t" + hex.formatHex(sha256s, i * 32, i * 32 + 32) + "\n";
            d.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(d);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
