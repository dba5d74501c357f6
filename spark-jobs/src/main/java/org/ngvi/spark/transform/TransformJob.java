package org.ngvi.spark.transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.prep.DatasetOutput;
import org.ngvi.prep.PixelStats;
import org.ngvi.prep.Sha256;
import org.ngvi.prep.SparkImageSchema;
import org.ngvi.cli.Cli;
import org.ngvi.cli.OverwriteOption;
import org.ngvi.cli.SparkMasterOption;
import org.ngvi.cli.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes a transformed copy of a prepared image data set: every image through a
 * {@link PixelTransform} (vertical/horizontal flip, inversion), index and label kept.
 * <pre>
 * spark-submit --class org.ngvi.spark.transform.TransformJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --in data/fashion-mnist/test --out data/fashion-mnist-flipped-inverted/test --flip-vertical --invert [--overwrite]
 * </pre>
 * The rows are transformed on the executors and written as Parquet (same {@link ImageSchema}
 * layout) into a temporary sibling of {@code --out}; the new {@code _manifest.json} has the
 * statistics of the written pixels ({@link DatasetOutput#statistics}), the input's class counts
 * and names, {@code created_by} naming the transform, and as its source the input's manifest file
 * with that file's SHA-256; then the directory is renamed into place ({@link DatasetOutput}).
 */
public final class TransformJob {

    private TransformJob() {
    }

    /**
     * @param in        a prepared data set
     * @param out       the transformed copy
     * @param transform what to do to every image
     * @param overwrite replace an existing {@code out}
     * @param master    Spark master or {@code null}
     */
    public record Params(Path in, Path out, PixelTransform transform, boolean overwrite, String master) {
        /** Parses {@code ngvi prepare transform} arguments ({@link Command}); a usage error is a {@link ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** spark-submit entry point: {@link Command} as {@code ngvi prepare transform}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi prepare transform", new Command(), args);
    }

    /** {@code ngvi prepare transform}: parses into {@link Params} and writes the copy. */
    @CommandLine.Command(name = "transform", description = "a flipped / inverted copy of a prepared set (out-of-distribution sets "
            + "from data we have)")
    public static final class Command implements Callable<Integer> {
        @Spec
        private CommandSpec spec;
        @Option(names = "--in", required = true, paramLabel = "DIR", description = "a prepared data set")
        private Path in;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the transformed copy")
        private Path out;
        @Option(names = "--flip-vertical", description = "flip every image upside down")
        private boolean flipVertical;
        @Option(names = "--flip-horizontal", description = "mirror every image left to right")
        private boolean flipHorizontal;
        @Option(names = "--invert", description = "invert every pixel (255 - x)")
        private boolean invert;
        @Mixin
        private OverwriteOption overwrite;
        @Mixin
        private SparkMasterOption master;

        /** The params; no transform at all is a usage error ({@link PixelTransform} names the three options). */
        public Params params() {
            return Cli.validated(spec, () -> new Params(in, out, new PixelTransform(flipVertical, flipHorizontal, invert),
                    overwrite.overwrite(), master.master()));
        }

        @Override
        public Integer call() throws IOException {
            Params p = params();
            SparkSessions.run("ngvi-prepare-transform", p.master(), spark -> {
                DatasetManifest m = run(spark, p);
                System.out.println("wrote " + p.out() + ": " + m.rows() + " images (" + p.transform().describe() + " of " + p.in() + ")");
            });
            return 0;
        }
    }

    /** Writes the transformed data set; returns its manifest. */
    public static DatasetManifest run(SparkSession spark, Params p) throws IOException {
        if (!Files.isDirectory(p.in())) {
            throw new IOException(p.in() + ": no such data set directory (expected the --out of 'ngvi prepare')");
        }
        DatasetManifest in = DatasetManifest.read(p.in());
        Path manifestFile = Files.isRegularFile(p.in().resolve(DatasetManifest.FILE_NAME))
                ? p.in().resolve(DatasetManifest.FILE_NAME) : p.in().resolve(DatasetManifest.PLAIN_FILE_NAME);
        int h = in.height();
        int w = in.width();
        int c = in.channels();
        PixelTransform t = p.transform();
        String where = p.in().toString();
        DatasetOutput output = DatasetOutput.begin(spark.sparkContext().hadoopConfiguration(), p.out().toString(), p.overwrite());
        boolean published = false;
        try {
            JavaRDD<Row> rows = spark.read().schema(SparkImageSchema.structType()).parquet(where)
                    .select(ImageSchema.INDEX, ImageSchema.LABEL, ImageSchema.IMAGE, ImageSchema.HEIGHT, ImageSchema.WIDTH,
                            ImageSchema.CHANNELS)
                    .javaRDD()
                    .map(r -> {
                        if (r.getInt(3) != h || r.getInt(4) != w || r.getInt(5) != c) {
                            throw new IOException(where + ": row with index " + r.getLong(0) + " is a " + r.getInt(3) + "x"
                                    + r.getInt(4) + "x" + r.getInt(5) + " image, the manifest says " + h + "x" + w + "x" + c);
                        }
                        return RowFactory.create(r.getLong(0), r.getInt(1), t.apply((byte[]) r.get(2), h, w, c), h, w, c);
                    });
            spark.createDataFrame(rows, SparkImageSchema.structType()).write().mode(SaveMode.ErrorIfExists)
                    .parquet(output.temp().toString());
            PixelStats stats = DatasetOutput.statistics(spark, output.temp().toString(), h, w, c, in.rows());
            DatasetManifest out = new DatasetManifest(DatasetManifest.FORMAT_VERSION,
                    createdBy(t), in.rows(), in.shape(), stats.classCounts(),
                    in.classNames(), stats.channelMean(), stats.channelStd(),
                    List.of(new DatasetManifest.Source(manifestFile.toAbsolutePath().toString(), Sha256.hex(Files.readAllBytes(manifestFile)))));
            output.writeManifest(out);
            output.publish();
            published = true;
            return out;
        } finally {
            if (!published) {
                output.abort();
            }
        }
    }

    /** {@code "ngvi-spark-jobs org.ngvi.spark.transform.TransformJob [version] flip-vertical+invert"}. */
    static String createdBy(PixelTransform t) {
        String v = TransformJob.class.getPackage().getImplementationVersion();
        return "ngvi-spark-jobs " + TransformJob.class.getName() + (v == null ? "" : " " + v) + " " + t.describe();
    }
}
