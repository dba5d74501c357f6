package org.ngvi.spark.data;

import java.io.Serializable;

/**
 * One image row as Spark carries it: its position in the data set, its label and its uint8
 * HWC pixels, undecoded.
 *
 * @param index position of the row in the prepared data set (its {@code index} column)
 * @param label class index
 * @param image uint8 pixels, HWC order
 */
public record Example(long index, int label, byte[] image) implements Serializable {
}
