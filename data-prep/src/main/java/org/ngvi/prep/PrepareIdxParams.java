package org.ngvi.prep;

import java.util.HashMap;
import java.util.Map;

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
        Map<String, String> v = new HashMap<>();
        boolean overwrite = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--overwrite" -> {
                    if (value != null) {
                        throw usage("option --overwrite takes no value");
                    }
                    overwrite = true;
                }
                case "--images", "--labels", "--out", "--partitions" -> {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw usage("option " + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (v.put(name, value) != null) {
                        throw usage("option " + name + " given twice");
                    }
                }
                default -> throw usage("unknown option '" + a + "'");
            }
        }
        for (String req : new String[]{"--images", "--labels", "--out"}) {
            if (!v.containsKey(req) || v.get(req).isBlank()) {
                throw usage("missing required option " + req);
            }
        }
        int partitions = 0;
        if (v.containsKey("--partitions")) {
            try {
                partitions = Integer.parseInt(v.get("--partitions"));
            } catch (NumberFormatException e) {
                throw usage("option --partitions must be a positive integer, found '" + v.get("--partitions") + "'");
            }
            if (partitions < 1) {
                throw usage("option --partitions must be a positive integer, found " + partitions);
            }
        }
        return new PrepareIdxParams(v.get("--images"), v.get("--labels"), v.get("--out"), overwrite, partitions);
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
