package org.ngvi.spark.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;

/**
 * Checks every row of a prepared data set against its manifest in one pass, before training or
 * evaluation reads it: {@code index}, {@code label} and {@code image} present, the image exactly
 * height × width × channels bytes, the label in [0, classes), and the {@code height}, {@code width},
 * {@code channels} columns (when present) equal to the manifest's shape. Each task returns the
 * first bad row of its split as a {@link DataError} result instead of throwing, so a bad row fails
 * the job once, with one message naming the Parquet file and the row, and not after Spark's task
 * retries.
 */
public final class RowCheck {
    private RowCheck() {
    }

    /** The first bad row (by file, then row), or {@code null} when every row is good. */
    public static DataError firstBadRow(Dataset<Row> rows, DatasetManifest manifest) {
        List<String> present = Arrays.asList(rows.columns());
        List<String> shapeCols = new ArrayList<>();
        for (String c : List.of(ImageSchema.HEIGHT, ImageSchema.WIDTH, ImageSchema.CHANNELS)) {
            if (present.contains(c)) {
                shapeCols.add(c);
            }
        }
        List<Column> cols = new ArrayList<>(List.of(col("_metadata.file_path"), col("_metadata.row_index"),
                col(ImageSchema.INDEX), col(ImageSchema.LABEL), col(ImageSchema.IMAGE)));
        shapeCols.forEach(c -> cols.add(col(c)));
        int[] shape = manifest.shape();
        int[] expectedShape = new int[shapeCols.size()];
        for (int i = 0; i < shapeCols.size(); i++) {
            expectedShape[i] = shape[List.of(ImageSchema.HEIGHT, ImageSchema.WIDTH, ImageSchema.CHANNELS).indexOf(shapeCols.get(i))];
        }
        String[] shapeNames = shapeCols.toArray(new String[0]);
        int size = manifest.exampleSize();
        int classes = manifest.numClasses();
        String shapeText = Arrays.toString(shape);
        List<DataError> firsts = rows.select(cols.toArray(new Column[0])).javaRDD().mapPartitions((Iterator<Row> it) -> {
            while (it.hasNext()) {
                Row r = it.next();
                String problem = problem(r, size, classes, shapeText, shapeNames, expectedShape);
                if (problem != null) {
                    return List.of(new DataError(r.getString(0), r.getLong(1), problem)).iterator();
                }
            }
            return List.<DataError>of().iterator();
        }).collect();
        return firsts.stream().min(Comparator.comparing(DataError::file).thenComparingLong(DataError::row)).orElse(null);
    }

    /** What is wrong with row {@code r} (file, row index, index, label, image, shape columns...), or {@code null}. */
    static String problem(Row r, int size, int classes, String shape, String[] shapeNames, int[] expectedShape) {
        for (int c = 2; c <= 4; c++) {
            if (r.isNullAt(c)) {
                return "column '" + List.of(ImageSchema.INDEX, ImageSchema.LABEL, ImageSchema.IMAGE).get(c - 2) + "' is null";
            }
        }
        byte[] img = r.getAs(4);
        if (img.length != size) {
            return "image has " + img.length + " bytes, the manifest's shape " + shape + " (height, width, channels) needs "
                    + size + " (index " + r.getLong(2) + ")";
        }
        int label = ((Number) r.get(3)).intValue();
        if (label < 0 || label >= classes) {
            return "label " + label + " is outside [0, " + classes + "), the manifest's classes (index " + r.getLong(2) + ")";
        }
        for (int i = 0; i < shapeNames.length; i++) {
            if (r.isNullAt(5 + i) || ((Number) r.get(5 + i)).intValue() != expectedShape[i]) {
                return "'" + shapeNames[i] + "' is " + (r.isNullAt(5 + i) ? "null" : r.get(5 + i)) + ", the manifest's shape "
                        + shape + " says " + expectedShape[i] + " (index " + r.getLong(2) + ")";
            }
        }
        return null;
    }
}
