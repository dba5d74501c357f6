package org.ngvi.data;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Turns one row's uint8 HWC pixels ({@link ImageSchema#IMAGE}) into network input values in
 * CHW order: value {@code (c, y, x)} goes to index {@code c·h·w + y·w + x} of the example, which
 * is what a network with input {@code [c, h, w]} or flattened {@code [c·h·w]} expects (for
 * {@code c = 1}, CHW and HW coincide, so a flattened MNIST image is the usual 784-vector).
 *
 * <p>Two mappings of a pixel value {@code x ∈ {0..255}} of channel {@code c}:
 * <ul>
 *   <li>{@link #unitScale} — {@code x / 255}, the reference implementation's
 *       {@code transforms.ToTensor()};</li>
 *   <li>{@link #standardize} — {@code (x − mean_c) / std_c} with the manifest's per-channel
 *       statistics, all on the 0..255 scale (equivalently {@code (x/255 − mean_c/255)/(std_c/255)},
 *       i.e. {@code ToTensor} followed by {@code Normalize} with the statistics divided by 255).</li>
 * </ul>
 * The mapping is a 256-entry lookup table per channel computed once in double precision, so
 * writing an example is one table lookup per pixel and allocates nothing: the trainer fills row
 * {@code i} of a preallocated batch with {@link #write(byte[], float[], int)} or the
 * {@link FloatBuffer}/{@code double} variants. Instances are immutable and thread-safe.
 */
public final class PixelNormalization implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int height;
    private final int width;
    private final int channels;
    private final int size;
    private final boolean standardized;
    private final double[] tableD;
    private final float[] tableF;

    private PixelNormalization(int height, int width, int channels, double[] mean, double[] std) {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape must be positive, found height=" + height + " width=" + width
                    + " channels=" + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.size = Math.multiplyExact(Math.multiplyExact(height, width), channels);
        this.standardized = mean != null;
        this.tableD = new double[channels * 256];
        this.tableF = new float[channels * 256];
        if (standardized) {
            if (mean.length != channels || std.length != channels) {
                throw new IllegalArgumentException("channel mean/std must have one value per channel (" + channels
                        + "), found " + mean.length + " and " + std.length);
            }
            for (int c = 0; c < channels; c++) {
                if (!(std[c] > 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
                    throw new IllegalArgumentException("cannot standardise channel " + c + ": mean " + mean[c] + ", std " + std[c]
                            + " (std must be finite and > 0; a constant channel cannot be standardised, use unitScale)");
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int x = 0; x < 256; x++) {
                double v = standardized ? (x - mean[c]) / std[c] : x / 255.0;
                tableD[c * 256 + x] = v;
                tableF[c * 256 + x] = (float) v;
            }
        }
    }

    /** {@code x / 255} for images of the given shape. */
    public static PixelNormalization unitScale(int height, int width, int channels) {
        return new PixelNormalization(height, width, channels, null, null);
    }

    /** {@code x / 255} for images of the manifest's shape. */
    public static PixelNormalization unitScale(DatasetManifest manifest) {
        return unitScale(manifest.height(), manifest.width(), manifest.channels());
    }

    /**
     * {@code (x − mean_c) / std_c}, statistics in [0,255] pixel units.
     *
     * @throws IllegalArgumentException a channel with {@code std ≤ 0}, or not one value per channel
     */
    public static PixelNormalization standardize(int height, int width, int channels, double[] mean, double[] std) {
        return new PixelNormalization(height, width, channels, mean.clone(), std.clone());
    }

    /** {@code (x − mean_c) / std_c} with the manifest's {@code channel_mean} and {@code channel_std}. */
    public static PixelNormalization standardize(DatasetManifest manifest) {
        return standardize(manifest.height(), manifest.width(), manifest.channels(), manifest.channelMean(),
                manifest.channelStd());
    }

    /** Values per example, {@code c·h·w}. */
    public int exampleSize() {
        return size;
    }

    /** The per-example input shape {@code [c, h, w]}. */
    public long[] chwShape() {
        return new long[]{channels, height, width};
    }

    /** True for {@link #standardize}, false for {@link #unitScale}. */
    public boolean isStandardized() {
        return standardized;
    }

    /** The value pixel value {@code x} of channel {@code c} maps to. */
    public double value(int channel, int x) {
        return tableD[channel * 256 + (x & 0xff)];
    }

    /**
     * Writes one example into row {@code row} of a row-major batch {@code [B, c·h·w]}: elements
     * {@code row·c·h·w .. (row+1)·c·h·w − 1} of {@code batch}.
     *
     * @throws IllegalArgumentException {@code hwc.length ≠ h·w·c}
     * @throws IndexOutOfBoundsException the row does not fit in {@code batch}
     */
    public void write(byte[] hwc, float[] batch, int row) {
        write(hwc, FloatBuffer.wrap(batch), row);
    }

    /** As {@link #write(byte[], float[], int)} in double precision. */
    public void write(byte[] hwc, double[] batch, int row) {
        write(hwc, DoubleBuffer.wrap(batch), row);
    }

    /**
     * As {@link #write(byte[], float[], int)} with absolute puts into a buffer (its position and
     * limit are ignored and unchanged; index 0 of the buffer is element 0 of row 0 — for a view
     * into an ND4J array pass a {@code slice()} starting at the array's offset). For an ND4J
     * {@code [B, c·h·w]} or {@code [B, c, h, w]} c-order FLOAT batch: {@code arr.data().asNioFloat()}.
     */
    public void write(byte[] hwc, FloatBuffer batch, int row) {
        int base = checkRow(hwc, batch.capacity(), row);
        final int hw = height * width;
        final float[] t = tableF;
        for (int c = 0; c < channels; c++) {
            int o = base + c * hw;
            int tb = c * 256;
            for (int p = 0, i = c; p < hw; p++, i += channels) {
                batch.put(o + p, t[tb + (hwc[i] & 0xff)]);
            }
        }
    }

    /** As {@link #write(byte[], FloatBuffer, int)} in double precision. */
    public void write(byte[] hwc, DoubleBuffer batch, int row) {
        int base = checkRow(hwc, batch.capacity(), row);
        final int hw = height * width;
        final double[] t = tableD;
        for (int c = 0; c < channels; c++) {
            int o = base + c * hw;
            int tb = c * 256;
            for (int p = 0, i = c; p < hw; p++, i += channels) {
                batch.put(o + p, t[tb + (hwc[i] & 0xff)]);
            }
        }
    }

    /** One example as a new CHW float array (allocates; prefer the {@code write} methods in loops). */
    public float[] toChw(byte[] hwc) {
        float[] out = new float[size];
        write(hwc, out, 0);
        return out;
    }

    private int checkRow(byte[] hwc, int capacity, int row) {
        if (hwc == null || hwc.length != size) {
            throw new IllegalArgumentException("image has " + (hwc == null ? "no" : hwc.length) + " bytes, expected height·width·channels = "
                    + height + "·" + width + "·" + channels + " = " + size);
        }
        long base = (long) row * size;
        if (row < 0 || base + size > capacity) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size + " values does not fit in a batch of "
                    + capacity + " values (" + (capacity / size) + " rows)");
        }
        return (int) base;
    }

    @Override
    public String toString() {
        return "PixelNormalization[" + (standardized ? "standardize" : "unitScale") + ", hwc="
                + Arrays.toString(new int[]{height, width, channels}) + "]";
    }
}
