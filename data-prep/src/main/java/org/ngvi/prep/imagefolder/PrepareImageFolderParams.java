package org.ngvi.prep.imagefolder;

/**
 * Parameters of {@link PrepareImageFolderJob}.
 *
 * @param in         the tree: {@code in/train/<class>/…} and optionally {@code in/val/…}; any Hadoop path
 * @param out        output folder; the job writes {@code out/train} and, with a {@code val/}, {@code out/val}
 * @param resize     shorter side after resizing
 * @param crop       side of the centred square crop, at most {@code resize}
 * @param store      raw pixels or re-encoded images in the {@code image} column
 * @param valLabels  labels file of a flat {@code val/}, or {@code null} to look for {@code in/val_labels.txt}
 *                   or {@code in/LOC_val_solution.csv}
 * @param overwrite  replace an existing {@code out} (only once the new one is complete)
 * @param partitions Parquet files / Spark tasks per split; 0 chooses from the data size
 * @param master     Spark master, or {@code null} (spark-submit's, else {@code local[*]})
 */
public record PrepareImageFolderParams(String in, String out, int resize, int crop, ImageStore store, String valLabels,
                                       boolean overwrite, int partitions, String master) {
    /** Default {@code --resize}, as ImageNet evaluation pipelines. */
    public static final int DEFAULT_RESIZE = 256;
    /** Default {@code --crop}. */
    public static final int DEFAULT_CROP = 224;

    /**
     * Parses {@code bin/ngvi prepare imagefolder} arguments ({@link PrepareImageFolderJob.Command}) and validates them.
     *
     * @throws picocli.CommandLine.ParameterException a usage error naming the option
     */
    public static PrepareImageFolderParams parse(String... args) {
        return org.ngvi.cli.Cli.parse(new PrepareImageFolderJob.Command(), args).params();
    }

    /**
     * Checks what can be checked without touching files.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending option
     */
    public PrepareImageFolderParams validate() {
        if (in == null || in.isBlank() || out == null || out.isBlank()) {
            throw new IllegalArgumentException("--in and --out are required");
        }
        if (store == null) {
            throw new IllegalArgumentException("--store must be pixels or encoded");
        }
        if (resize < 1 || crop < 1) {
            throw new IllegalArgumentException("--resize and --crop must be positive, found --resize " + resize + " and --crop " + crop);
        }
        if (crop > resize) {
            throw new IllegalArgumentException("--crop " + crop + " is larger than --resize " + resize
                    + ": the centred crop must fit in the resized image, whose shorter side is --resize");
        }
        if ((long) crop * crop * 3 > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--crop " + crop + " gives more than 2^31 bytes per image");
        }
        String i = strip(in);
        String o = strip(out);
        if (i.equals(o)) {
            throw new IllegalArgumentException("--out must differ from --in: " + out);
        }
        if (o.startsWith(i + "/train/") || o.equals(i + "/train") || o.startsWith(i + "/val/") || o.equals(i + "/val")) {
            throw new IllegalArgumentException("--out " + out
                    + " is inside the input's train/ or val/ folder, whose listing it would change");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be positive (or 0 for automatic), found " + partitions);
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
}
