package org.ngvi.prep.idx;

import java.util.Arrays;

/**
 * The header of a uint8 IDX file.
 *
 * @param source     the file's name, for messages
 * @param magic      the magic number, {@code 0x000008RR} with {@code RR} the rank
 * @param count      the first dimension: number of records (images or labels)
 * @param recordDims the remaining dimensions, one record's shape ({@code [rows, cols]} for images,
 *                   {@code []} for labels)
 * @param gzipped    whether the file is gzip-compressed
 */
public record IdxHeader(String source, int magic, long count, int[] recordDims, boolean gzipped)
        implements java.io.Serializable {

    public IdxHeader {
        recordDims = recordDims.clone();
    }

    @Override
    public int[] recordDims() {
        return recordDims.clone();
    }

    /** Number of dimensions including the count, {@code magic & 0xff}. */
    public int rank() {
        return magic & 0xff;
    }

    /** Length of the header in the uncompressed file: {@code 4 + 4·rank} bytes. */
    public int headerBytes() {
        return 4 + 4 * rank();
    }

    /** Bytes per record, the product of {@link #recordDims()} (1 for labels). */
    public long recordBytes() {
        long n = 1;
        for (int d : recordDims) {
            n *= d;
        }
        return n;
    }

    /** Bytes of data after the header: {@code count · recordBytes}. */
    public long dataBytes() {
        return count * recordBytes();
    }

    /** Offset of record {@code index} in the uncompressed file: {@code headerBytes + index·recordBytes}. */
    public long offsetOf(long index) {
        return headerBytes() + index * recordBytes();
    }

    /** Uncompressed file length: header plus data. */
    public long totalBytes() {
        return headerBytes() + dataBytes();
    }

    /** E.g. {@code "60000 × [28, 28] uint8 (gzip)"}. */
    public String describe() {
        return count + " × " + Arrays.toString(recordDims) + " uint8" + (gzipped ? " (gzip)" : " (raw)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxHeader h && h.source.equals(source) && h.magic == magic && h.count == count
                && Arrays.equals(h.recordDims, recordDims) && h.gzipped == gzipped;
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Long.hashCode(count) * 17 + Arrays.hashCode(recordDims) + magic;
    }
}
