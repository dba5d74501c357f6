package org.ngvi.prep.imagefolder;

import org.ngvi.prep.PixelStats;

/**
 * Spark aggregator of a written split: a {@link PixelStats} (rows per class, exact per-channel
 * pixel statistics) over K classes, with every label checked against K. For {@link ImageStore#ENCODED} rows the stored bytes are decoded first, so the statistics
 * are those of the pixels a reader will get.
 */
final class SplitStatistics implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int side;
    private final int classes;
    private final PixelStats pixels;

    /** An empty aggregate for {@code classes} classes and {@code side×side×3} images. */
    SplitStatistics(int classes, int side) {
        this.side = side;
        this.classes = classes;
        this.pixels = new PixelStats(side, side, 3);
    }

    /**
     * Adds one row.
     *
     * @param format {@code null} for raw pixels, else the encoded row's format column
     * @throws IllegalStateException a label out of range, or encoded bytes that do not decode to the crop
     */
    SplitStatistics add(long index, int label, byte[] image, int h, int w, int c, String format) {
        if (label < 0 || label >= classes) {
            throw new IllegalStateException("row " + index + " has label " + label + ", expected 0.." + (classes - 1));
        }
        byte[] hwc = image;
        if (format != null) {
            try {
                RgbImage img = ImageDecoder.decode(image);
                if (img.width() != w || img.height() != h) {
                    throw new IllegalStateException("row " + index + ": encoded " + format + " image is " + img.width() + "×"
                            + img.height() + ", the row says " + w + "×" + h);
                }
                hwc = img.pixels();
            } catch (UndecodableImageException e) {
                throw new IllegalStateException("row " + index + ": the " + format + " bytes just written do not decode: "
                        + e.getMessage(), e);
            }
        }
        pixels.add(label, hwc, h, w, c);
        return this;
    }

    SplitStatistics merge(SplitStatistics o) {
        if (o.side != side || o.classes != classes) {
            throw new IllegalArgumentException("cannot merge statistics of different shapes or class counts");
        }
        pixels.merge(o.pixels);
        return this;
    }

    long rows() {
        return pixels.rows();
    }

    long[] classCounts() {
        return pixels.classCounts(classes);
    }

    double[] channelMean() {
        return pixels.channelMean();
    }

    double[] channelStd() {
        return pixels.channelStd();
    }
}
