package org.ngvi.prep.idx;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes uint8 IDX files (MNIST format), raw or gzipped: the big-endian magic number
 * {@code 0x000008RR} ({@code RR} = number of dimensions), each dimension as a big-endian 32-bit
 * integer, then the bytes in row-major order. Used to generate test data in the real format
 * (what {@link IdxReader} and {@code PrepareIdxJob} read).
 *
 * <pre>{@code
 * IdxWriter.writeImages(dir.resolve("images.gz"), pixels, n, 28, 28, true); // pixels: n·28·28 bytes
 * IdxWriter.writeLabels(dir.resolve("labels"), labels, false);              // labels: n bytes
 * }</pre>
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /**
     * Writes an image file {@code [count, rows, cols]} (magic {@link IdxReader#IMAGES_MAGIC}).
     *
     * @param pixels {@code count·rows·cols} bytes: image after image, each row-major
     * @param gzip   whether to gzip the file
     */
    public static void writeImages(Path file, byte[] pixels, int count, int rows, int cols, boolean gzip) throws IOException {
        write(file, new int[]{count, rows, cols}, pixels, gzip);
    }

    /** Writes an image file from one {@code rows·cols} array per image. */
    public static void writeImages(Path file, byte[][] images, int rows, int cols, boolean gzip) throws IOException {
        int size = rows * cols;
        byte[] all = new byte[images.length * size];
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != size) {
                throw new IllegalArgumentException("image " + i + " has " + images[i].length + " bytes, expected rows·cols = " + size);
            }
            System.arraycopy(images[i], 0, all, i * size, size);
        }
        writeImages(file, all, images.length, rows, cols, gzip);
    }

    /** Writes a label file {@code [n]} (magic {@link IdxReader#LABELS_MAGIC}), one byte per label. */
    public static void writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        write(file, new int[]{labels.length}, labels, gzip);
    }

    /**
     * Writes a uint8 IDX file of any rank.
     *
     * @param dims all dimensions, the record count first; {@code data.length} must be their product
     */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, dims, data, gzip);
        }
    }

    /** As {@link #write(Path, int[], byte[], boolean)} to a stream (finished but not closed). */
    public static void write(OutputStream out, int[] dims, byte[] data, boolean gzip) throws IOException {
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("an IDX file has 1..255 dimensions, got " + dims.length);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " bytes but dimensions " + Arrays.toString(dims)
                    + " need " + n);
        }
        GZIPOutputStream gz = gzip ? new GZIPOutputStream(nonClosing(out), 1 << 16) : null;
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(gz != null ? gz : nonClosing(out), 1 << 16));
        d.writeInt(0x00000800 | dims.length);
        for (int dim : dims) {
            d.writeInt(dim);
        }
        d.write(data);
        d.flush();
        if (gz != null) {
            gz.finish();
        }
        out.flush();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
