package org.ngvi.prep.imagefolder;

import java.util.Set;
import org.ngvi.prep.cli.Flags;

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

    /** The command-line usage. */
    public static final String USAGE = "usage: ngvi prepare imagefolder --in DIR --out DIR [--resize 256] [--crop 224] "
            + "[--store pixels|encoded] [--val-labels FILE] [--overwrite] [--partitions N] [--master URL]\n"
            + "  --in DIR          ImageNet-style tree: DIR/train/<class>/*.{jpg,jpeg,png} (any case), optionally DIR/val/<class>/...\n"
            + "                    or a flat DIR/val/* labelled by DIR/val_labels.txt or DIR/LOC_val_solution.csv\n"
            + "  --out DIR         output folder: Parquet plus _manifest.json in DIR/train (and DIR/val); must not exist unless --overwrite\n"
            + "  --resize N        shorter side after the (antialiased bilinear) resize, default " + DEFAULT_RESIZE + "\n"
            + "  --crop N          side of the centred square crop, at most --resize, default " + DEFAULT_CROP + "\n"
            + "  --store S         pixels (raw HWC uint8, what the trainer reads; default) or encoded (JPEG/PNG bytes + format column)\n"
            + "  --val-labels FILE labels of a flat val/: lines 'NAME CLASS' or 'NAME,CLASS' (default: DIR/val_labels.txt or DIR/LOC_val_solution.csv)\n"
            + "  --overwrite       replace an existing output once the new one is complete\n"
            + "  --partitions N    Parquet files per split (default: from the data size, 8-128 MiB of pixels per file)\n"
            + "  --master URL      Spark master (default: spark-submit's, else local[*])";

    /**
     * Parses {@code --name value} or {@code --name=value} options.
     *
     * @throws IllegalArgumentException unknown options, missing values or required options, with {@link #USAGE}
     */
    public static PrepareImageFolderParams parse(String... args) {
        Flags f = Flags.parse(args, USAGE, Set.of("in", "out", "resize", "crop", "store", "val-labels", "partitions", "master"),
                Set.of("overwrite"));
        ImageStore store;
        try {
            store = ImageStore.parse(f.get("store", ImageStore.PIXELS.flag()));
        } catch (IllegalArgumentException e) {
            throw f.error(e.getMessage());
        }
        return new PrepareImageFolderParams(f.required("in"), f.required("out"), f.integer("resize", DEFAULT_RESIZE, 1),
                f.integer("crop", DEFAULT_CROP, 1), store, f.get("val-labels", null), f.flag("overwrite"),
                f.integer("partitions", 0, 1), f.get("master", null));
    }

    /**
     * Checks what can be checked without touching files.
     *
     * @return this
     * @throws IllegalArgumentException naming the offending option
     */
    public PrepareImageFolderParams validate() {
        if (in == null || in.isBlank() || out == null || out.isBlank()) {
            throw usage("--in and --out are required");
        }
        if (store == null) {
            throw usage("--store must be pixels or encoded");
        }
        if (resize < 1 || crop < 1) {
            throw usage("--resize and --crop must be positive, found --resize " + resize + " and --crop " + crop);
        }
        if (crop > resize) {
            throw usage("--crop " + crop + " is larger than --resize " + resize + ": the centred crop must fit in the resized "
                    + "image, whose shorter side is --resize");
        }
        if ((long) crop * crop * 3 > Integer.MAX_VALUE - 16) {
            throw usage("--crop " + crop + " gives more than 2^31 bytes per image");
        }
        String i = strip(in);
        String o = strip(out);
        if (i.equals(o)) {
            throw usage("--out must differ from --in: " + out);
        }
        if (o.startsWith(i + "/train/") || o.equals(i + "/train") || o.startsWith(i + "/val/") || o.equals(i + "/val")) {
            throw usage("--out " + out + " is inside the input's train/ or val/ folder, whose listing it would change");
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
