package org.ngvi.spark.data;

import java.io.Serializable;

/**
 * A bad row of a prepared data set, found by the task that read it and returned as a result
 * (never thrown into Spark's task-retry loop): the Parquet file, the row's position in that file
 * (Spark's {@code _metadata.row_index}, counting from 0), and what is wrong with it.
 *
 * @param file    the Parquet file ({@code _metadata.file_path})
 * @param row     the row's index in {@code file}, from 0
 * @param problem what is wrong, naming the column and what was expected
 */
public record DataError(String file, long row, String problem) implements Serializable {
    /** {@code FILE: row N (counting from 0): PROBLEM}. */
    public String message() {
        return file + ": row " + row + " (counting from 0): " + problem;
    }
}
