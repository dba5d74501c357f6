package org.ngvi.data;

import java.util.List;

/**
 * The Parquet layout of a prepared image dataset, described without Spark so that the model
 * side and tests can refer to the column names; {@code data-prep} turns it into a Spark
 * {@code StructType}.
 *
 * <p>One row per image:
 * <table>
 *   <caption>columns</caption>
 *   <tr><th>column</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@value #INDEX}</td><td>int64</td><td>0-based position of the image in its source
 *       (deterministic row order: sort by it when order matters, since Spark does not promise to
 *       read files in name order)</td></tr>
 *   <tr><td>{@value #LABEL}</td><td>int32</td><td>class label, {@code 0 ≤ label < class_counts.length}</td></tr>
 *   <tr><td>{@value #IMAGE}</td><td>binary</td><td>{@code height·width·channels} uint8 pixels in
 *       HWC order: byte {@code (y·width + x)·channels + c} is channel {@code c} of pixel {@code (y, x)}</td></tr>
 *   <tr><td>{@value #HEIGHT}</td><td>int32</td><td>rows of the image</td></tr>
 *   <tr><td>{@value #WIDTH}</td><td>int32</td><td>columns of the image</td></tr>
 *   <tr><td>{@value #CHANNELS}</td><td>int32</td><td>1 (grey) or 3 (RGB)</td></tr>
 * </table>
 * All columns are non-null. {@link PixelNormalization} turns the {@value #IMAGE} bytes into the
 * CHW float input of a network.
 */
public final class ImageSchema {
    /** Position of the row in the source dataset (int64). */
    public static final String INDEX = "index";
    /** Class label (int32). */
    public static final String LABEL = "label";
    /** uint8 pixels in HWC order (binary). */
    public static final String IMAGE = "image";
    /** Image height (int32). */
    public static final String HEIGHT = "height";
    /** Image width (int32). */
    public static final String WIDTH = "width";
    /** Number of channels (int32). */
    public static final String CHANNELS = "channels";

    /** Physical type of a column. */
    public enum ColumnType {
        /** 32-bit signed integer. */
        INT32,
        /** 64-bit signed integer. */
        INT64,
        /** Variable-length byte array. */
        BINARY
    }

    /**
     * One column of the layout.
     *
     * @param name        column name
     * @param type        physical type
     * @param description what it holds
     */
    public record Column(String name, ColumnType type, String description) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column(INDEX, ColumnType.INT64, "0-based position of the image in its source"),
            new Column(LABEL, ColumnType.INT32, "class label"),
            new Column(IMAGE, ColumnType.BINARY, "uint8 pixels, HWC order"),
            new Column(HEIGHT, ColumnType.INT32, "image height"),
            new Column(WIDTH, ColumnType.INT32, "image width"),
            new Column(CHANNELS, ColumnType.INT32, "number of channels"));

    private ImageSchema() {
    }

    /** The columns in the order they are written. */
    public static List<Column> columns() {
        return COLUMNS;
    }

    /**
     * Byte offset of channel {@code c} of pixel {@code (y, x)} in an HWC image of the given width
     * and channel count: {@code (y·width + x)·channels + c}.
     */
    public static int hwcOffset(int y, int x, int c, int width, int channels) {
        return (y * width + x) * channels + c;
    }
}
