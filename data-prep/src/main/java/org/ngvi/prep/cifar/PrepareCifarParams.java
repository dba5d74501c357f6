package org.ngvi.prep.cifar;

import java.util.Set;
import org.ngvi.prep.cli.Flags;

/**
 * Parameters of {@link PrepareCifarJob}.
 *
 * @param in         folder with the CIFAR-10 or CIFAR-100 binary files; any Hadoop path
 * @param out        output folder; the job writes {@code out/train} and {@code out/test}
 * @param labels     which CIFAR-100 label becomes the {@code label} column (CIFAR-10: {@link CifarLabel#FINE})
 * @param overwrite  replace an existing {@code out} (only once the new one is complete)
 * @param partitions Parquet files / Spark tasks per split; 0 chooses from the data size
 */
public record PrepareCifarParams(String in, String out, CifarLabel labels, boolean overwrite, int partitions) {

    /** The command-line usage. */
    public static final String USAGE = "usage: PrepareCifarJob --in DIR --out DIR [--labels fine|coarse] [--overwrite] [--partitions N]\n"
            + "  --in DIR         CIFAR-10 binary (data_batch_1..5.bin, test_batch.bin) or CIFAR-100 binary (train.bin, test.bin)\n"
            + "  --out DIR        output folder: Parquet plus _manifest.json in DIR/train and DIR/test (must not exist unless --overwrite)\n"
            + "  --labels L       CIFAR-100 label to use: fine (100 classes, default) or coarse (20 superclasses)\n"
            + "  --overwrite      replace an existing output once the new one is complete\n"
            + "  --partitions N   Parquet files per split (default: from the data size, 8-128 MiB per file)";

    /**
     * Parses {@code --name value} or {@code --name=value} options.
     *
     * @throws IllegalArgumentException unknown options, missing values or required options, with {@link #USAGE}
     */
    public static PrepareCifarParams parse(String... args) {
        Flags f = Flags.parse(args, USAGE, Set.of("in", "out", "labels", "partitions"), Set.of("overwrite"));
        String in = f.required("in");
        String out = f.required("out");
        CifarLabel labels;
        try {
            labels = CifarLabel.parse(f.get("labels", "fine"));
        } catch (IllegalArgumentException e) {
            throw f.error(e.getMessage());
        }
        return new PrepareCifarParams(in, out, labels, f.flag("overwrite"), f.integer("partitions", 0, 1));
    }

    /**
     * Checks what can be checked without touching files.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending option
     */
    public PrepareCifarParams validate() {
        if (in == null || in.isBlank() || out == null || out.isBlank()) {
            throw usage("--in and --out are required");
        }
        if (labels == null) {
            throw usage("--labels must be fine or coarse");
        }
        if (strip(in).equals(strip(out))) {
            throw usage("--out must differ from --in: " + out);
        }
        if (partitions < 0) {
            throw usage("--partitions must be positive (or 0 for automatic), found " + partitions);
        }
        return this;
    }

    private static String strip(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message + "\n" + USAGE);
    }
}
