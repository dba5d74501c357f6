package org.ngvi.prep.imagefolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one task tells the driver besides its rows (through an accumulator, merged once per
 * successful task): the SHA-256 of every file of its slice, for the listing digest, and the
 * images it skipped.
 *
 * @param partition the slice's partition
 * @param start     index of the slice's first image
 * @param sha256    32 bytes per file of the slice, in slice order
 * @param skipped   the images that could not be decoded, in index order
 */
record PartitionReport(int partition, long start, byte[] sha256, List<Skip> skipped) implements java.io.Serializable {

    /** An undecodable image: its index in the split and the reason. */
    record Skip(long index, String reason) implements java.io.Serializable {
    }

    /**
     * The reports of all partitions merged: per-file SHA-256 ({@code 32·n} bytes in index order)
     * and the skipped images in index order.
     */
    record Merged(byte[] sha256, List<Skip> skipped) {
    }

    /**
     * Checks that every slice reported exactly once (a speculative duplicate must be identical)
     * and merges the reports.
     *
     * @throws IllegalStateException a missing, conflicting or mis-sized report
     */
    static Merged merge(List<PartitionReport> reports, List<Slice> slices, String split) {
        PartitionReport[] by = new PartitionReport[slices.size()];
        for (PartitionReport r : reports) {
            if (r.partition() < 0 || r.partition() >= by.length) {
                throw new IllegalStateException(split + ": report from unknown partition " + r.partition());
            }
            PartitionReport old = by[r.partition()];
            if (old != null && !(Arrays.equals(old.sha256(), r.sha256()) && old.skipped().equals(r.skipped()))) {
                throw new IllegalStateException(split + ": two attempts of partition " + r.partition()
                        + " read different bytes (the input changed while it was prepared?)");
            }
            by[r.partition()] = r;
        }
        int n = 0;
        for (Slice s : slices) {
            n += s.paths().length;
        }
        byte[] sha = new byte[n * 32];
        List<Skip> skipped = new ArrayList<>();
        for (Slice s : slices) {
            PartitionReport r = by[s.partition()];
            if (r == null) {
                throw new IllegalStateException(split + ": partition " + s.partition() + " wrote its rows but sent no report");
            }
            if (r.start() != s.start() || r.sha256().length != s.paths().length * 32) {
                throw new IllegalStateException(split + ": partition " + s.partition() + " reported " + r.sha256().length / 32
                        + " files from " + r.start() + ", its slice has " + s.paths().length + " from " + s.start());
            }
            System.arraycopy(r.sha256(), 0, sha, (int) s.start() * 32, r.sha256().length);
            skipped.addAll(r.skipped());
        }
        return new Merged(sha, skipped);
    }
}
