package org.ngvi.data.augment;

/**
 * torchvision's {@code RandomResizedCrop(size=(H, W), scale=(s₀, s₁), ratio=(r₀, r₁),
 * interpolation=BILINEAR)} with the output size equal to the stored image size {@code H × W}.
 *
 * <p><b>Window</b> ({@code RandomResizedCrop.get_params}), with {@code A = H·W}: up to
 * {@value #MAX_ATTEMPTS} attempts, each drawing, in this order,
 * <pre>
 *   a = A · U(s₀, s₁)              target area
 *   r = exp(U(ln r₀, ln r₁))       aspect ratio w/h, log-uniform
 *   w = round(√(a·r)),  h = round(√(a/r))      (round half to even, as Python's round)
 * </pre>
 * and accepting when {@code 0 < w ≤ W} and {@code 0 < h ≤ H}; then {@code top} uniform on
 * {@code {0..H−h}} and {@code left} uniform on {@code {0..W−w}}, in that order. When all attempts
 * fail, the fallback is a centred crop: with {@code q = W/H}, if {@code q < r₀} then
 * {@code w = W, h = round(W / r₀)}; if {@code q > r₁} then {@code h = H, w = round(H · r₁)};
 * otherwise the whole image; {@code top = ⌊(H − h)/2⌋}, {@code left = ⌊(W − w)/2⌋}.
 *
 * <p><b>Resampling</b> of the {@code h × w} window at {@code (top, left)} to {@code H × W}:
 * bilinear with half-pixel centres and edge clamping (torch's {@code interpolate(align_corners=False)}),
 * per axis {@code s = (o + ½)·(h/H) − ½}, clamped to {@code [0, h − 1]}, {@code i = ⌊s⌋},
 * {@code f = s − i}, taps {@code i} and {@code min(i + 1, h − 1)} with weights {@code 1 − f} and
 * {@code f}; the four-tap value is rounded half up to uint8. Since {@code h ≤ H} and {@code w ≤ W},
 * this is always an up-sampling (or the identity), where PIL's antialiased BILINEAR filter
 * reduces to exactly these weights; PIL rounds to uint8 after each of its two separable passes,
 * we round once, so a pixel may differ from PIL's by one level.
 *
 * <p>Computed separably: the window's rows are resampled along x into a double buffer, then pairs
 * of those rows are blended along y (the same value as the four-tap formula, up to double rounding).
 *
 * <p>Not thread-safe: the sampled window, the per-axis taps and the row buffer live in the instance.
 */
public final class RandomResizedCrop implements ImageTransform {
    /** Window attempts before the centre-crop fallback (torchvision: 10). */
    public static final int MAX_ATTEMPTS = 10;
    /** torchvision's default area fraction range. */
    public static final double[] DEFAULT_SCALE = {0.08, 1.0};
    /** torchvision's default aspect-ratio range. */
    public static final double[] DEFAULT_RATIO = {3.0 / 4.0, 4.0 / 3.0};

    private final ImageShape shape;
    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final int[] window = new int[4];
    private final int[] col0;
    private final int[] col1;
    private final double[] colF;
    private final int[] row0;
    private final int[] row1;
    private final double[] rowF;
    private final double[] rows;

    /**
     * @throws IllegalArgumentException unless {@code 0 < s₀ ≤ s₁ ≤ 1} and {@code 0 < r₀ ≤ r₁} (finite)
     */
    public RandomResizedCrop(ImageShape shape, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("scale must satisfy 0 < min ≤ max ≤ 1, got (" + scaleMin + ", " + scaleMax + ")");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
            throw new IllegalArgumentException("ratio must satisfy 0 < min ≤ max < ∞, got (" + ratioMin + ", " + ratioMax + ")");
        }
        this.shape = shape;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
        this.col0 = new int[shape.width()];
        this.col1 = new int[shape.width()];
        this.colF = new double[shape.width()];
        this.row0 = new int[shape.height()];
        this.row1 = new int[shape.height()];
        this.rowF = new double[shape.height()];
        this.rows = new double[shape.size()];
    }

    @Override
    public boolean apply(byte[] src, byte[] dst, AugmentationRandom rng) {
        sampleWindow(rng, window);
        if (window[2] == shape.height() && window[3] == shape.width()) {
            return false; // the whole image resampled to its own size is the image itself
        }
        resizedCrop(src, dst, window[0], window[1], window[2], window[3]);
        return true;
    }

    /**
     * Draws a window as torchvision does (see the class comment) into
     * {@code box = [top, left, height, width]}.
     */
    public void sampleWindow(AugmentationRandom rng, int[] box) {
        final int height = shape.height();
        final int width = shape.width();
        final double area = (double) height * width;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            double target = area * rng.uniform(scaleMin, scaleMax);
            double aspect = Math.exp(rng.uniform(logRatioMin, logRatioMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                box[0] = rng.nextInt(height - h + 1);
                box[1] = rng.nextInt(width - w + 1);
                box[2] = h;
                box[3] = w;
                return;
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = width;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = height;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = width;
            h = height;
        }
        h = Math.max(1, Math.min(h, height));
        w = Math.max(1, Math.min(w, width));
        box[0] = (height - h) / 2;
        box[1] = (width - w) / 2;
        box[2] = h;
        box[3] = w;
    }

    /**
     * Resamples the {@code cropH × cropW} window at {@code (top, left)} of {@code src} bilinearly
     * to the full {@code H × W} into {@code dst}.
     *
     * @throws IllegalArgumentException a window that does not lie inside the image
     */
    public void resizedCrop(byte[] src, byte[] dst, int top, int left, int cropH, int cropW) {
        shape.check(src, "source image");
        shape.check(dst, "destination image");
        final int height = shape.height();
        final int width = shape.width();
        final int c = shape.channels();
        if (cropH <= 0 || cropW <= 0 || top < 0 || left < 0 || top + cropH > height || left + cropW > width) {
            throw new IllegalArgumentException("window top=" + top + " left=" + left + " height=" + cropH + " width=" + cropW
                    + " does not lie inside a " + height + "×" + width + " image");
        }
        taps(width, cropW, left, col0, col1, colF);
        taps(height, cropH, top, row0, row1, rowF);
        final int rowLen = width * c;
        // pass 1, along x: the window's rows resampled to full width, in double (no rounding yet)
        final double[] t = rows;
        for (int r = 0; r < cropH; r++) {
            final int s = (top + r) * rowLen;
            int o = r * rowLen;
            for (int x = 0; x < width; x++) {
                final int c0 = s + col0[x] * c;
                final int c1 = s + col1[x] * c;
                final double fx = colF[x];
                final double gx = 1 - fx;
                if (c == 3) {
                    t[o] = gx * (src[c0] & 0xff) + fx * (src[c1] & 0xff);
                    t[o + 1] = gx * (src[c0 + 1] & 0xff) + fx * (src[c1 + 1] & 0xff);
                    t[o + 2] = gx * (src[c0 + 2] & 0xff) + fx * (src[c1 + 2] & 0xff);
                    o += 3;
                    continue;
                }
                for (int k = 0; k < c; k++) {
                    t[o++] = gx * (src[c0 + k] & 0xff) + fx * (src[c1 + k] & 0xff);
                }
            }
        }
        // pass 2, along y: blend two resampled rows and round once, half up
        for (int y = 0; y < height; y++) {
            final int a = (row0[y] - top) * rowLen;
            final int b = (row1[y] - top) * rowLen;
            final double fy = rowF[y];
            final double gy = 1 - fy;
            final int o = y * rowLen;
            for (int i = 0; i < rowLen; i++) {
                int v = (int) (gy * t[a + i] + fy * t[b + i] + 0.5);
                dst[o + i] = (byte) (v > 255 ? 255 : v);
            }
        }
    }

    /** Source indices and weights of {@code out} outputs sampling {@code in} inputs starting at {@code start}. */
    private static void taps(int out, int in, int start, int[] i0, int[] i1, double[] frac) {
        final double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = (o + 0.5) * scale - 0.5;
            if (s < 0) {
                s = 0;
            }
            int i = (int) s;
            if (i >= in - 1) {
                i0[o] = start + in - 1;
                i1[o] = start + in - 1;
                frac[o] = 0;
            } else {
                i0[o] = start + i;
                i1[o] = start + i + 1;
                frac[o] = s - i;
            }
        }
    }
}
