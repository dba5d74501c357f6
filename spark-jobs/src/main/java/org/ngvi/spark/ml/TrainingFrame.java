package org.ngvi.spark.ml;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ngvi.data.DatasetManifest;
import org.ngvi.prep.PixelStats;
import org.ngvi.spark.data.Example;

/**
 * The rows of a DataFrame as the trainer takes them: {@link Example}s (index, label, pixels) and
 * the {@link DatasetManifest} a prepared directory would have for the same rows (row count, class
 * counts, shape, exact channel statistics from {@link PixelStats}), so that fitting a DataFrame read
 * from a prepared directory trains exactly as {@code ngvi train} on that directory.
 *
 * @param source   names the data in errors
 * @param manifest the rows' manifest ({@code created_by} names the estimator; no source files)
 * @param examples the rows, one {@link Example} each
 */
record TrainingFrame(String source, DatasetManifest manifest, JavaRDD<Example> examples) {

    /**
     * Reads {@code frame}'s columns (already type-checked) and aggregates its manifest (one Spark job).
     * Without an index column the rows are numbered 0.. in the DataFrame's order
     * ({@code zipWithIndex}).
     *
     * @param columns image, height, width, channels, label and index column names
     * @throws IllegalArgumentException no rows, or rows whose shape differs from the first row's
     */
    static TrainingFrame of(String source, Dataset<Row> frame, String[] columns, boolean hasIndex) {
        Dataset<Row> cols = frame.select(col(columns[0]), col(columns[1]), col(columns[2]), col(columns[3]),
                col(columns[4]).cast("int"));
        List<Row> first = cols.limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException(source + ": has no rows to fit");
        }
        Row f = first.get(0);
        int h = f.getInt(1);
        int w = f.getInt(2);
        int c = f.getInt(3);
        JavaRDD<Example> examples;
        if (hasIndex) {
            examples = frame.select(col(columns[5]), col(columns[4]).cast("int"), col(columns[0])).javaRDD()
                    .map(r -> example(source, r.isNullAt(0) ? null : r.getLong(0), r, 1, 2));
        } else {
            examples = frame.select(col(columns[4]).cast("int"), col(columns[0])).javaRDD().zipWithIndex()
                    .map(t -> example(source, t._2(), t._1(), 0, 1));
        }
        String[] names = columns;
        PixelStats stats = cols.javaRDD().treeAggregate(new PixelStats(h, w, c), (s, r) -> {
            if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2) || r.isNullAt(3) || r.isNullAt(4)) {
                throw new IllegalArgumentException(source + ": a row has a null " + String.join(", ", names[0], names[1], names[2],
                        names[3]) + " or " + names[4]);
            }
            try {
                return s.add(r.getInt(4), (byte[]) r.get(0), r.getInt(1), r.getInt(2), r.getInt(3));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage() + " (the first row's shape)", e);
            }
        }, PixelStats::merge);
        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, "ngvi-spark-jobs " + VognClassifier.class.getName(),
                stats.rows(), new int[] {h, w, c}, stats.classCounts(), List.of(), stats.channelMean(), stats.channelStd(), List.of());
        return new TrainingFrame(source, manifest, examples);
    }

    private static Example example(String source, Long index, Row r, int label, int image) {
        if (index == null || r.isNullAt(label) || r.isNullAt(image)) {
            throw new IllegalArgumentException(source + ": a row has a null index, label or image");
        }
        return new Example(index, r.getInt(label), (byte[]) r.get(image));
    }
}
