package org.ngvi.spark.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ngvi.data.ImageSchema;

/**
 * The columns {@code ngvi score} reads and adds. Input: any Parquet with the {@link ImageSchema}
 * pixel columns {@code image} (binary, uint8 HWC), {@code height}, {@code width}, {@code channels}
 * (int); {@code index}, {@code label} and any other columns are optional and copied through. Added,
 * per row with predictive probabilities p̄ over C classes:
 * <table>
 *   <caption>added columns</caption>
 *   <tr><td>{@value #PREDICTION}</td><td>int</td><td>argmax_c p̄_c (the first on ties)</td></tr>
 *   <tr><td>{@value #PROBABILITIES}</td><td>array&lt;float&gt; (array&lt;double&gt; for float64 runs)</td><td>p̄</td></tr>
 *   <tr><td>{@value #CONFIDENCE}</td><td>double</td><td>max_c p̄_c</td></tr>
 *   <tr><td>{@value #ENTROPY}</td><td>double</td><td>H[p̄] = −Σ_c p̄_c log p̄_c (nats)</td></tr>
 *   <tr><td>{@value #MUTUAL_INFORMATION}</td><td>double</td><td>max(0, H[p̄] − (1/K) Σ_k H[p_k]); 0 for K = 0</td></tr>
 * </table>
 */
public final class ScoreColumns {
    public static final String PREDICTION = "prediction";
    public static final String PROBABILITIES = "probabilities";
    public static final String CONFIDENCE = "confidence";
    public static final String ENTROPY = "entropy";
    public static final String MUTUAL_INFORMATION = "mutual_information";

    /** The added columns, in output order. */
    public static final List<String> ADDED = List.of(PREDICTION, PROBABILITIES, CONFIDENCE, ENTROPY, MUTUAL_INFORMATION);

    private ScoreColumns() {
    }

    /**
     * Checks that {@code schema} (of the data at {@code where}) has the pixel columns with their
     * types and none of the added columns.
     *
     * @throws IllegalArgumentException naming the data, the column and what was expected
     */
    public static void checkInput(String where, StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        require(where, schema, names, ImageSchema.IMAGE, DataTypes.BinaryType, "binary uint8 pixels in HWC order");
        require(where, schema, names, ImageSchema.HEIGHT, DataTypes.IntegerType, "int image height");
        require(where, schema, names, ImageSchema.WIDTH, DataTypes.IntegerType, "int image width");
        require(where, schema, names, ImageSchema.CHANNELS, DataTypes.IntegerType, "int number of channels");
        for (String added : ADDED) {
            if (names.contains(added)) {
                throw new IllegalArgumentException(where + ": already has a column '" + added + "', which score writes "
                        + "(rename or drop it first)");
            }
        }
    }

    private static void require(String where, StructType schema, List<String> names, String column, DataType type,
                                String meaning) {
        if (!names.contains(column)) {
            throw new IllegalArgumentException(where + ": Parquet rows lack column '" + column + "' (" + meaning
                    + "; have " + names + ")");
        }
        DataType actual = schema.apply(column).dataType();
        if (!actual.equals(type)) {
            throw new IllegalArgumentException(where + ": column '" + column + "' has type " + actual.simpleString()
                    + ", expected " + type.simpleString() + " (" + meaning + ")");
        }
    }

    /** {@code input}'s fields followed by the added columns; probabilities as double when {@code doubles}. */
    public static StructType output(StructType input, boolean doubles) {
        List<StructField> fields = new ArrayList<>(Arrays.asList(input.fields()));
        fields.add(DataTypes.createStructField(PREDICTION, DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField(PROBABILITIES,
                DataTypes.createArrayType(doubles ? DataTypes.DoubleType : DataTypes.FloatType, false), false));
        fields.add(DataTypes.createStructField(CONFIDENCE, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField(ENTROPY, DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField(MUTUAL_INFORMATION, DataTypes.DoubleType, false));
        return DataTypes.createStructType(fields);
    }
}
