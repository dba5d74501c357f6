package org.ngvi.prep.imagefolder;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.ngvi.prep.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task side of {@link PrepareImageFolderJob}: for each image of the task's slices, reads the
 * file, hashes it (SHA-256), decodes it ({@link ImageDecoder}), resizes and crops it
 * ({@link ResizeCrop}) and emits its row lazily; with {@link ImageStore#ENCODED} the crop is
 * re-encoded ({@link ImageEncoder}). An undecodable image emits no row and is reported; once a
 * slice is done its {@link PartitionReport} goes to the accumulator. A file that cannot be read
 * or whose length changed since the listing fails the task (an input problem, not a bad image).
 */
final class DecodeSlices implements FlatMapFunction<Iterator<Slice>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSlices.class);

    private final SerializableConfiguration conf;
    private final String root;
    private final ResizeCrop transform;
    private final ImageStore store;
    private final String split;
    private final CollectionAccumulator<PartitionReport> reports;

    /**
     * @param root    {@code IN}, qualified; slice paths are relative to it
     * @param split   {@code train} or {@code val}, for log lines
     * @param reports where each finished slice's report goes
     */
    DecodeSlices(SerializableConfiguration conf, String root, ResizeCrop transform, ImageStore store, String split,
                 CollectionAccumulator<PartitionReport> reports) {
        this.conf = conf;
        this.root = root;
        this.transform = transform;
        this.store = store;
        this.split = split;
        this.reports = reports;
    }

    @Override
    public Iterator<Row> call(Iterator<Slice> slices) {
        List<Slice> list = new ArrayList<>();
        slices.forEachRemaining(list::add);
        return new Rows(list.iterator());
    }

    private final class Rows implements Iterator<Row> {
        private final Iterator<Slice> slices;
        private final Configuration hadoop = conf.value();
        private final Path rootPath = new Path(root);
        private final MessageDigest sha = Sha256.newDigest();
        private final int side = transform.crop();
        private Slice slice;
        private int pos;
        private byte[] hashes;
        private List<PartitionReport.Skip> skipped;
        private long started;
        private long bytesRead;
        private long readNanos;
        private long decodeNanos;
        private Row pending;

        Rows(Iterator<Slice> slices) {
            this.slices = slices;
        }

        @Override
        public boolean hasNext() {
            while (pending == null) {
                if (slice == null || pos >= slice.paths().length) {
                    if (slice != null) {
                        finishSlice();
                    }
                    if (!slices.hasNext()) {
                        return false;
                    }
                    slice = slices.next();
                    pos = 0;
                    hashes = new byte[slice.paths().length * 32];
                    skipped = new ArrayList<>();
                    started = System.nanoTime();
                    bytesRead = 0;
                    readNanos = 0;
                    decodeNanos = 0;
                    continue;
                }
                pending = process(pos++);
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = pending;
            pending = null;
            return r;
        }

        /** The row of image {@code i} of the slice, or {@code null} when it is skipped. */
        private Row process(int i) {
            long index = slice.start() + i;
            Path p = new Path(rootPath, slice.paths()[i]);
            long t0 = System.nanoTime();
            byte[] bytes = read(p, slice.sizes()[i]);
            bytesRead += bytes.length;
            sha.update(bytes);
            try {
                sha.digest(hashes, i * 32, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            long t1 = System.nanoTime();
            readNanos += t1 - t0;
            try {
                RgbImage img;
                try {
                    img = ImageDecoder.decode(bytes);
                } catch (UndecodableImageException e) {
                    skipped.add(new PartitionReport.Skip(index, e.getMessage()));
                    LOG.warn("{}: skipping {}: {}", split, p, e.getMessage());
                    return null;
                }
                byte[] crop = transform.apply(img);
                int label = slice.labels()[i];
                if (store == ImageStore.PIXELS) {
                    return RowFactory.create(index, label, crop, side, side, 3);
                }
                String format = ImageEncoder.formatFor(img.format());
                return RowFactory.create(index, label, ImageEncoder.encode(crop, side, side, format), side, side, 3, format);
            } finally {
                decodeNanos += System.nanoTime() - t1;
            }
        }

        private byte[] read(Path p, long size) {
            if (size > Integer.MAX_VALUE - 16) {
                throw new UncheckedIOException(new IOException(p + " is " + size + " bytes, too large for an image file"));
            }
            byte[] b = new byte[(int) size];
            try {
                FileSystem fs = p.getFileSystem(hadoop);
                try (FSDataInputStream in = fs.open(p, 1 << 16)) {
                    try {
                        in.readFully(b);
                    } catch (EOFException e) {
                        throw new IOException(p + " is shorter than the " + size + " bytes it had when listed; "
                                + "the tree changed while it was prepared");
                    }
                    if (in.read() != -1) {
                        throw new IOException(p + " is longer than the " + size + " bytes it had when listed; "
                                + "the tree changed while it was prepared");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage().contains(p.toString()) ? e.getMessage()
                        : "cannot read " + p + ": " + e.getMessage(), e);
            }
            return b;
        }

        private void finishSlice() {
            int n = slice.paths().length;
            reports.add(new PartitionReport(slice.partition(), slice.start(), hashes, List.copyOf(skipped)));
            double secs = (System.nanoTime() - started) / 1e9;
            LOG.info("{} partition {}: images [{}, {}): {} rows, {} skipped, {} MB in {} s ({} images/s; {} s reading and "
                    + "hashing, {} s decoding, resizing{}, the rest writing)", split, slice.partition(), slice.start(),
                    slice.start() + n, n - skipped.size(), skipped.size(), String.format("%.1f", bytesRead / 1e6),
                    String.format("%.2f", secs), String.format("%.0f", n / secs), String.format("%.2f", readNanos / 1e9),
                    String.format("%.2f", decodeNanos / 1e9), store == ImageStore.ENCODED ? ", encoding" : "");
            slice = null;
        }
    }
}
