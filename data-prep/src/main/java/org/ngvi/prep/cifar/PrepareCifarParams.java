package org.ngvi.prep.cifar;

import java.util.HashMap;
import java.util.Map;

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
                case "--in", "--out", "--labels", "--partitions" -> {
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
        for (String req : new String[]{"--in", "--out"}) {
            if (!v.containsKey(req) || v.get(req).isBlank()) {
                throw usage("missing required option " + req);
            }
        }
        CifarLabel labels = CifarLabel.FINE;
        if (v.containsKey("--labels")) {
            try {
                labels = CifarLabel.parse(v.get("--labels"));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
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
        return new PrepareCifarParams(v.get("--in"), v.get("--out"), labels, overwrite, partitions);
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
