package org.ngvi.prep;

import java.util.Set;
import org.ngvi.prep.cli.Flags;

/**
 * Parameters of {@link PrepareIdxJob}.
 *
 * @param images     IDX image file ({@code 0x00000803}), raw or gzipped; any Hadoop path
 * @param labels     IDX label file ({@code 0x00000801}), raw or gzipped
 * @param out        output directory (Parquet files plus {@code _manifest.json})
 * @param overwrite  replace an existing {@code out} (only once the new one is complete)
 * @param partitions number of Parquet files / Spark tasks; 0 chooses from the data size
 */
public record PrepareIdxParams(String images, String labels, String out, boolean overwrite, int partitions) {

    /** The command-line usage. */
    public static final String USAGE = "usage: PrepareIdxJob --images FILE --labels FILE --out DIR [--overwrite] [--partitions N]\n"
            + "  --images FILE    IDX images (magic 0x00000803), raw or gzipped\n"
            + "  --labels FILE    IDX labels (magic 0x00000801), raw or gzipped\n"
            + "  --out DIR        output directory: Parquet files plus _manifest.json (must not exist unless --overwrite)\n"
            + "  --overwrite      replace an existing output once the new one is complete\n"
            + "  --partitions N   number of Parquet files (default: from the data size, 8-128 MiB per file)";

    /**
     * Parses {@code --name value} or {@code --name=value} options.
     *
     * @throws IllegalArgumentException unknown options, missing values or required options, with {@link #USAGE}
     */
    public static PrepareIdxParams parse(String... args) {
        Flags f = Flags.parse(args, USAGE, Set.of("images", "labels", "out", "partitions"), Set.of("overwrite"));
        return new PrepareIdxParams(f.required("images"), f.required("labels"), f.required("out"), f.flag("overwrite"),
                f.integer("partitions", 0, 1));
    }

    /**
     * Checks what can be checked without touching files.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending option
     */
    public PrepareIdxParams validate() {
        if (images == null || images.isBlank() || labels == null || labels.isBlank() || out == null || out.isBlank()) {
            throw usage("--images, --labels and --out are required");
        }
        if (images.equals(labels)) {
            throw usage("--images and --labels are the same file: " + images);
        }
        if (out.equals(images) || out.equals(labels)) {
            throw usage("--out must differ from the input files: " + out);
        }
        if (partitions < 0) {
            throw usage("--partitions must be positive (or 0 for automatic), found " + partitions);
        }
        return this;
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message + "\n" + USAGE);
    }
}
