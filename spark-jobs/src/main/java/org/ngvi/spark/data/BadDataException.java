package org.ngvi.spark.data;

import java.io.IOException;

/**
 * A data set holds a bad row ({@link DataError}): the job fails at once with one message naming
 * the data set, the Parquet file and the row; {@code ngvi} prints it without a stack trace and
 * exits with code 2 (bad input).
 */
public final class BadDataException extends IOException {
    private static final long serialVersionUID = 1L;
    private final DataError error;

    public BadDataException(String dataSet, DataError error) {
        super(dataSet + ": bad row: " + error.message());
        this.error = error;
    }

    /** The first bad row found. */
    public DataError error() {
        return error;
    }
}
