package org.ngvi.spark.ml;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ngvi.data.ImageSchema;
import org.ngvi.spark.score.ScoreColumns;

/**
 * The column-name params of {@link VognClassifier} and {@link VognClassificationModel}, with their
 * defaults: the input columns as a prepared data set has them ({@link ImageSchema}) and the
 * columns the model adds, named as Spark's classifiers name them where Spark has a convention
 * ({@code prediction} as a double, {@code probability} as an ML vector) and as {@code ngvi score}
 * names them otherwise.
 */
final class ColumnParams {
    /** Param name → default column, for the columns both classes share (the estimator hands them to its model). */
    static final List<String[]> SHARED = List.of(
            new String[] {"imageCol", ImageSchema.IMAGE, "binary uint8 pixels in HWC order"},
            new String[] {"heightCol", ImageSchema.HEIGHT, "int image height"},
            new String[] {"widthCol", ImageSchema.WIDTH, "int image width"},
            new String[] {"channelsCol", ImageSchema.CHANNELS, "int number of channels"},
            new String[] {"labelCol", ImageSchema.LABEL, "int class label, 0..C-1 (fit only)"},
            new String[] {"indexCol", ImageSchema.INDEX,
                    "long row id that seeds the partitioning of training rows; when the column is absent, fit numbers "
                            + "the rows in the DataFrame's order"},
            new String[] {"predictionCol", "prediction", "double: argmax of the predictive probabilities"},
            new String[] {"probabilityCol", "probability", "ML vector: the MC predictive probabilities p̄"},
            new String[] {"confidenceCol", ScoreColumns.CONFIDENCE, "double: max_c p̄_c"},
            new String[] {"entropyCol", ScoreColumns.ENTROPY, "double: H[p̄] in nats"},
            new String[] {"mutualInformationCol", ScoreColumns.MUTUAL_INFORMATION,
                    "double: H[p̄] − mean_k H[p_k], the epistemic part of the entropy"});

    private ColumnParams() {
    }

    /** The param named {@code name} of {@link #SHARED}, owned by {@code owner}. */
    static Param<String> column(Identifiable owner, String name) {
        for (String[] c : SHARED) {
            if (c[0].equals(name)) {
                return new Param<>(owner, name, "column: " + c[2] + " (default '" + c[1] + "')");
            }
        }
        throw new IllegalArgumentException("no column param named '" + name + "'");
    }

    /** Sets the defaults of every {@link #SHARED} param of {@code owner}. */
    static void setDefaults(Params owner) {
        for (String[] c : SHARED) {
            owner.setDefault(owner.getParam(c[0]), c[1]);
        }
    }

    /** Copies every {@link #SHARED} column param set on {@code from} to {@code to}. */
    static void copySet(Params from, Params to) {
        for (String[] c : SHARED) {
            Param<Object> p = from.getParam(c[0]);
            if (from.isSet(p)) {
                to.set(to.getParam(c[0]), from.getOrDefault(p));
            }
        }
    }

    static String name(Params owner, String param) {
        return (String) owner.getOrDefault(owner.getParam(param));
    }

    /**
     * Checks that {@code schema} has the pixel columns (and the label when {@code label}) with their
     * types, and an index column, when present, of type long.
     *
     * @throws IllegalArgumentException naming the param, the column and what was expected
     */
    static void checkInput(String who, Params owner, StructType schema, boolean label) {
        require(who, owner, schema, "imageCol", DataTypes.BinaryType);
        require(who, owner, schema, "heightCol", DataTypes.IntegerType);
        require(who, owner, schema, "widthCol", DataTypes.IntegerType);
        require(who, owner, schema, "channelsCol", DataTypes.IntegerType);
        if (label) {
            require(who, owner, schema, "labelCol", DataTypes.IntegerType, DataTypes.LongType, DataTypes.ShortType,
                    DataTypes.ByteType);
        }
        String index = name(owner, "indexCol");
        if (has(schema, index) && !schema.apply(index).dataType().equals(DataTypes.LongType)) {
            throw new IllegalArgumentException(who + ": column '" + index + "' (param indexCol) has type "
                    + schema.apply(index).dataType().simpleString() + ", expected long (a row id)");
        }
    }

    /** The input schema plus the model's output columns; an output column that exists already is an error. */
    static StructType output(String who, Params owner, StructType schema) {
        StructType out = schema;
        String[][] added = {{"predictionCol", "double"}, {"probabilityCol", "vector"}, {"confidenceCol", "double"},
                {"entropyCol", "double"}, {"mutualInformationCol", "double"}};
        for (String[] a : added) {
            String col = name(owner, a[0]);
            if (has(out, col)) {
                throw new IllegalArgumentException(who + ": output column '" + col + "' (param " + a[0]
                        + ") exists already in the input; set " + a[0] + " to another name or drop the column");
            }
            DataType t = a[1].equals("vector") ? SQLDataTypes.VectorType() : DataTypes.DoubleType;
            out = out.add(new StructField(col, t, false, org.apache.spark.sql.types.Metadata.empty()));
        }
        return out;
    }

    static boolean has(StructType schema, String column) {
        return Arrays.asList(schema.fieldNames()).contains(column);
    }

    private static void require(String who, Params owner, StructType schema, String param, DataType... types) {
        String col = name(owner, param);
        if (!has(schema, col)) {
            throw new IllegalArgumentException(who + ": input has no column '" + col + "' (param " + param + ": "
                    + doc(param) + "; columns are " + Arrays.toString(schema.fieldNames()) + ")");
        }
        DataType actual = schema.apply(col).dataType();
        if (!Arrays.asList(types).contains(actual)) {
            throw new IllegalArgumentException(who + ": column '" + col + "' (param " + param + ") has type "
                    + actual.simpleString() + ", expected " + types[0].simpleString() + " (" + doc(param) + ")");
        }
    }

    private static String doc(String param) {
        return SHARED.stream().filter(c -> c[0].equals(param)).findFirst().orElseThrow()[2];
    }
}
