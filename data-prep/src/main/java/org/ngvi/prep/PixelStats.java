package org.ngvi.prep;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;

/**
 * A Spark aggregator ({@code add} per row, {@code merge} per partition result) of what a
 * {@link org.ngvi.data.DatasetManifest} needs: the row count, the per-label counts and one
 * 256-bin histogram of pixel values per channel. Histograms make the statistics exact and
 * independent of partitioning and order: with {@code n_c(x)} pixels of value x in channel c and
 * {@code N = Σ_x n_c(x)},
 * {@code mean_c = Σ_x x·n_c(x) / N} and
 * {@code std_c = sqrt((N·Σ_x x²·n_c(x) − (Σ_x x·n_c(x))²) / N²)} (population standard
 * deviation), evaluated in exact integer arithmetic before the final division and square root.
 */
public final class PixelStats implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int height;
    private final int width;
    private final int channels;
    private long rows;
    private long[] labels = new long[16];
    private final long[] histogram;

    /** An empty aggregate for images of the given shape. */
    public PixelStats(int height, int width, int channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.histogram = new long[channels * 256];
    }

    /**
     * Adds one row.
     *
     * @throws IllegalArgumentException a negative label or an image of another shape/length
     */
    public PixelStats add(int label, byte[] hwc, int h, int w, int c) {
        if (h != height || w != width || c != channels || hwc.length != height * width * channels) {
            throw new IllegalArgumentException("row with shape [" + h + ", " + w + ", " + c + "] and " + hwc.length
                    + " image bytes, expected [" + height + ", " + width + ", " + channels + "] and "
                    + height * width * channels);
        }
        if (label < 0) {
            throw new IllegalArgumentException("label " + label + " is negative");
        }
        if (label >= labels.length) {
            labels = Arrays.copyOf(labels, Math.max(label + 1, 2 * labels.length));
        }
        labels[label]++;
        rows++;
        if (channels == 1) {
            for (byte b : hwc) {
                histogram[b & 0xff]++;
            }
        } else {
            for (int i = 0; i < hwc.length; i++) {
                histogram[(i % channels) * 256 + (hwc[i] & 0xff)]++;
            }
        }
        return this;
    }

    /** Adds another aggregate of the same shape into this one. */
    public PixelStats merge(PixelStats o) {
        if (o.height != height || o.width != width || o.channels != channels) {
            throw new IllegalArgumentException("cannot merge statistics of different image shapes");
        }
        rows += o.rows;
        if (o.labels.length > labels.length) {
            labels = Arrays.copyOf(labels, o.labels.length);
        }
        for (int i = 0; i < o.labels.length; i++) {
            labels[i] += o.labels[i];
        }
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] += o.histogram[i];
        }
        return this;
    }

    /** Rows added. */
    public long rows() {
        return rows;
    }

    /** Rows per label, indexed by label, up to the largest label seen (empty when no rows). */
    public long[] classCounts() {
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0) {
                max = i;
            }
        }
        return Arrays.copyOf(labels, max + 1);
    }

    /**
     * Rows per label for exactly {@code classes} classes (trailing classes without rows count 0).
     *
     * @throws IllegalStateException a label ≥ {@code classes} was added
     */
    public long[] classCounts(int classes) {
        long[] seen = classCounts();
        if (seen.length > classes) {
            throw new IllegalStateException("label " + (seen.length - 1) + " seen, expected 0.." + (classes - 1));
        }
        return Arrays.copyOf(seen, classes);
    }

    /** Per-channel pixel mean, [0,255] units. */
    public double[] channelMean() {
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            BigInteger[] m = moments(c);
            out[c] = m[0].signum() == 0 ? 0 : new BigDecimal(m[1]).divide(new BigDecimal(m[0]), MathContext.DECIMAL128).doubleValue();
        }
        return out;
    }

    /** Per-channel pixel population standard deviation, [0,255] units. */
    public double[] channelStd() {
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            BigInteger[] m = moments(c);
            if (m[0].signum() == 0) {
                continue;
            }
            BigInteger num = m[0].multiply(m[2]).subtract(m[1].multiply(m[1]));
            double var = new BigDecimal(num).divide(new BigDecimal(m[0].multiply(m[0])), MathContext.DECIMAL128).doubleValue();
            out[c] = Math.sqrt(var);
        }
        return out;
    }

    /** {N, Σx, Σx²} of channel c. */
    private BigInteger[] moments(int c) {
        long n = 0;
        long s = 0;
        BigInteger s2 = BigInteger.ZERO;
        for (int x = 0; x < 256; x++) {
            long k = histogram[c * 256 + x];
            n += k;
            s += k * x;
            s2 = s2.add(BigInteger.valueOf(k).multiply(BigInteger.valueOf((long) x * x)));
        }
        return new BigInteger[]{BigInteger.valueOf(n), BigInteger.valueOf(s), s2};
    }
}
