package org.ngvi.prep.imagefolder;

/**
 * The evaluation-style transform of ImageNet pipelines, torchvision's
 * {@code Resize(resize)} then {@code CenterCrop(crop)} on a PIL image, on {@link RgbImage}s.
 *
 * <p><b>Size.</b> The shorter side becomes {@code resize} and the longer one
 * {@code ⌊resize·long/short⌋} (torchvision's rule), so a 500×375 image becomes 341×256.
 *
 * <p><b>Resampling.</b> PIL's antialiased bilinear filter (what torchvision uses on PIL images),
 * applied separably, rows first then columns, in floating point. For one axis with input size
 * {@code n}, output size {@code m}, {@code scale = n/m} and {@code s = max(scale, 1)}, output
 * sample {@code j} is
 * <pre>
 *   out[j] = Σ_i w(i) · in[i] / Σ_i w(i),   w(i) = max(0, 1 − |i + ½ − (j + ½)·scale| / s)
 * </pre>
 * over the input samples {@code 0 ≤ i < n}: a triangle of half-width {@code s} input pixels
 * centred on the output pixel's centre, i.e. plain bilinear interpolation when enlarging and an
 * area-weighted (antialiased) average when shrinking. Results are rounded half up and clamped
 * to 0..255; only the cropped part of the resized image is computed.
 *
 * <p><b>Crop.</b> The centred {@code crop×crop} window of the resized image starts at
 * {@code top = round((H − crop)/2)}, {@code left = round((W − crop)/2)}, rounding halves to
 * even as Python's {@code round} in torchvision's CenterCrop (so 117/2 = 58.5 → 58).
 */
public final class ResizeCrop implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int resize;
    private final int crop;

    /**
     * @param resize target length of the shorter side, ≥ 1
     * @param crop   side of the centred square crop, 1 ≤ crop ≤ resize
     */
    public ResizeCrop(int resize, int crop) {
        if (resize < 1 || crop < 1 || crop > resize) {
            throw new IllegalArgumentException("need 1 ≤ crop ≤ resize, found crop " + crop + " and resize " + resize);
        }
        this.resize = resize;
        this.crop = crop;
    }

    public int resize() {
        return resize;
    }

    public int crop() {
        return crop;
    }

    /** {@code {width, height}} after the resize: shorter side {@code resize}, longer {@code ⌊resize·long/short⌋}. */
    public int[] resizedSize(int width, int height) {
        if (width <= height) {
            return new int[]{resize, (int) Math.floor((double) resize * height / width)};
        }
        return new int[]{(int) Math.floor((double) resize * width / height), resize};
    }

    /** Offset of the centred crop in a resized side of length {@code size}: {@code round((size − crop)/2)}, halves to even. */
    public int cropOffset(int size) {
        return (int) Math.rint((size - crop) / 2.0);
    }

    /** Resizes and centre-crops; returns {@code crop·crop·3} HWC bytes. */
    public byte[] apply(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int[] size = resizedSize(w, h);
        Kernel kx = Kernel.of(w, size[0], cropOffset(size[0]), crop);
        Kernel ky = Kernel.of(h, size[1], cropOffset(size[1]), crop);
        // rows of the input the vertical pass reads
        int y0 = ky.first[0];
        int y1 = ky.first[crop - 1] + ky.count[crop - 1];
        for (int j = 0; j < crop; j++) {
            y0 = Math.min(y0, ky.first[j]);
            y1 = Math.max(y1, ky.first[j] + ky.count[j]);
        }
        byte[] in = img.pixels();
        // horizontal pass over the needed rows: tmp[(y − y0)·crop + j][c]
        float[] tmp = new float[(y1 - y0) * crop * 3];
        for (int y = y0; y < y1; y++) {
            int rowBase = y * w * 3;
            int t = (y - y0) * crop * 3;
            for (int j = 0; j < crop; j++) {
                int first = kx.first[j];
                int n = kx.count[j];
                int wk = j * kx.stride;
                float r = 0;
                float g = 0;
                float b = 0;
                int p = rowBase + first * 3;
                for (int k = 0; k < n; k++, p += 3) {
                    float wt = kx.weights[wk + k];
                    r += wt * (in[p] & 0xff);
                    g += wt * (in[p + 1] & 0xff);
                    b += wt * (in[p + 2] & 0xff);
                }
                tmp[t++] = r;
                tmp[t++] = g;
                tmp[t++] = b;
            }
        }
        // vertical pass
        byte[] out = new byte[crop * crop * 3];
        int rowLen = crop * 3;
        float[] acc = new float[rowLen];
        for (int i = 0; i < crop; i++) {
            java.util.Arrays.fill(acc, 0f);
            int first = ky.first[i];
            int n = ky.count[i];
            int wk = i * ky.stride;
            for (int k = 0; k < n; k++) {
                float wt = ky.weights[wk + k];
                int t = (first + k - y0) * rowLen;
                for (int q = 0; q < rowLen; q++) {
                    acc[q] += wt * tmp[t + q];
                }
            }
            int o = i * rowLen;
            for (int q = 0; q < rowLen; q++) {
                out[o + q] = (byte) toByte(acc[q]);
            }
        }
        return out;
    }

    private static int toByte(float v) {
        int r = (int) (v + 0.5f);
        return r < 0 ? 0 : Math.min(r, 255);
    }

    /**
     * Normalised triangle weights of {@code count} consecutive output samples starting at
     * {@code from}, for resampling {@code inSize} samples to {@code outSize}.
     */
    static final class Kernel {
        final int[] first;
        final int[] count;
        final float[] weights;
        final int stride;

        private Kernel(int[] first, int[] count, float[] weights, int stride) {
            this.first = first;
            this.count = count;
            this.weights = weights;
            this.stride = stride;
        }

        static Kernel of(int inSize, int outSize, int from, int count) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's half-width, in input pixels
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[count];
            int[] n = new int[count];
            float[] weights = new float[count * stride];
            double[] k = new double[stride];
            for (int j = 0; j < count; j++) {
                double center = (from + j + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
                int hi = Math.min(inSize, (int) Math.floor(center + support + 0.5));
                double sum = 0;
                int taps = hi - lo;
                for (int i = 0; i < taps; i++) {
                    double wt = Math.max(0, 1 - Math.abs((lo + i + 0.5 - center) / filterScale));
                    k[i] = wt;
                    sum += wt;
                }
                first[j] = lo;
                n[j] = taps;
                for (int i = 0; i < taps; i++) {
                    weights[j * stride + i] = (float) (sum > 0 ? k[i] / sum : 0);
                }
            }
            return new Kernel(first, n, weights, stride);
        }
    }
}
