package org.ngvi.prep;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ngvi.data.ImageSchema;

/** The Spark SQL {@link StructType} of {@link ImageSchema}: same columns, same order, non-null. */
public final class SparkImageSchema {
    private static final StructType SCHEMA = build();

    private SparkImageSchema() {
    }

    /** {@code index: long, label: int, image: binary, height: int, width: int, channels: int}, all non-null. */
    public static StructType structType() {
        return SCHEMA;
    }

    private static StructType build() {
        List<StructField> fields = new ArrayList<>();
        for (ImageSchema.Column c : ImageSchema.columns()) {
            DataType t = switch (c.type()) {
                case INT32 -> DataTypes.IntegerType;
                case INT64 -> DataTypes.LongType;
                case BINARY -> DataTypes.BinaryType;
            };
            fields.add(DataTypes.createStructField(c.name(), t, false));
        }
        return DataTypes.createStructType(fields);
    }
}
