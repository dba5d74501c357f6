package org.ngvi.nn;

import java.util.Arrays;

/**
 * Shapes of a 2-d convolution on one example and its im2col/col2im kernels on heap arrays.
 *
 * <p>For an image x {@code [C, H, W]} and a {@link Window2d} (k_h, k_w, s_h, s_w, p_h, p_w), the
 * column matrix U = im2col(x) has K = C·k_h·k_w rows and P = H_out·W_out columns,
 * <pre>
 *   U[(c·k_h + a)·k_w + b, y·W_out + x'] = x[c, y·s_h − p_h + a, x'·s_w − p_w + b]   (0 outside the image),
 * </pre>
 * so a cross-correlation with weights W {@code [O, C, k_h, k_w]} = {@code [O, K]} is the product
 * W·U {@code [O, P]} = the output {@code [O, H_out, W_out]} in row-major order. col2im is the
 * adjoint: it adds every entry of a {@code [K, P]} matrix into the image position it was read
 * from, so that ∂ℓ/∂x = col2im(Wᵀ·Δ) for output deltas Δ {@code [O, P]}.
 *
 * <p>The kernels work row by row: for each column-matrix row (c, a, b) the output columns whose
 * input column lies inside the image form one interval [x0, x1), copied with
 * {@link System#arraycopy} when s_w = 1; the rest are zeros.
 *
 * @param channels C
 * @param height   H
 * @param width    W
 * @param window   kernel, stride and padding
 * @param outH     H_out
 * @param outW     W_out
 */
public record ConvGeometry(int channels, int height, int width, Window2d window, int outH, int outW) {

    /** The geometry of {@code window} on a {@code [channels, height, width]} image. */
    public static ConvGeometry of(int channels, int height, int width, Window2d window) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("conv geometry: image [C, H, W] must be positive, got "
                    + Arrays.toString(new int[] {channels, height, width}));
        }
        ConvGeometry g = new ConvGeometry(channels, height, width, window, window.outH(height), window.outW(width));
        Math.multiplyExact(g.patchSize(), g.positions()); // K·P must fit an int (one example's columns)
        return g;
    }

    /** K = C·k_h·k_w, the rows of the column matrix (the length of one receptive field). */
    public int patchSize() {
        return channels * window.kh() * window.kw();
    }

    /** P = H_out·W_out, the output positions (columns of the column matrix). */
    public int positions() {
        return outH * outW;
    }

    /** C·H·W, the elements of one input image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** First output column whose input column x'·s_w − p_w + b is ≥ 0. */
    private int firstInside(int b) {
        return Math.min(outW, Math.max(0, -Math.floorDiv(b - window.pw(), window.sw())));
    }

    /** One past the last output column whose input column is &lt; W (at least {@link #firstInside}). */
    private int endInside(int b) {
        return Math.max(firstInside(b), Math.min(outW, Math.floorDiv(width - 1 + window.pw() - b, window.sw()) + 1));
    }

    /**
     * Image index of x[c, y·s_h − p_h + a, 0], the start of the input row that output row y reads
     * through kernel row a; −1 when that row is padding.
     */
    private int inputRowStart(int c, int a, int y) {
        int iy = y * window.sh() - window.ph() + a;
        return iy < 0 || iy >= height ? -1 : (c * height + iy) * width;
    }

    /** U = im2col(x): {@code x} holds one image (C·H·W), {@code cols} receives K·P values. */
    public void im2col(float[] x, float[] cols) {
        int sw = window.sw();
        int j = 0;
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < window.kh(); a++) {
                for (int b = 0; b < window.kw(); b++) {
                    int x0 = firstInside(b);
                    int x1 = endInside(b);
                    int col0 = x0 * sw - window.pw() + b; // input column read at output column x0
                    for (int y = 0; y < outH; y++, j += outW) {
                        int row = inputRowStart(c, a, y);
                        if (row < 0) {
                            Arrays.fill(cols, j, j + outW, 0f);
                            continue;
                        }
                        int src = row + col0;
                        Arrays.fill(cols, j, j + x0, 0f);
                        if (sw == 1 && x1 > x0) {
                            System.arraycopy(x, src, cols, j + x0, x1 - x0);
                        } else if (sw > 1) {
                            for (int o = x0; o < x1; o++, src += sw) {
                                cols[j + o] = x[src];
                            }
                        }
                        Arrays.fill(cols, j + x1, j + outW, 0f);
                    }
                }
            }
        }
    }

    /** U = im2col(x) in double precision; see {@link #im2col(float[], float[])}. */
    public void im2col(double[] x, double[] cols) {
        int sw = window.sw();
        int j = 0;
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < window.kh(); a++) {
                for (int b = 0; b < window.kw(); b++) {
                    int x0 = firstInside(b);
                    int x1 = endInside(b);
                    int col0 = x0 * sw - window.pw() + b; // input column read at output column x0
                    for (int y = 0; y < outH; y++, j += outW) {
                        int row = inputRowStart(c, a, y);
                        if (row < 0) {
                            Arrays.fill(cols, j, j + outW, 0.0);
                            continue;
                        }
                        int src = row + col0;
                        Arrays.fill(cols, j, j + x0, 0.0);
                        if (sw == 1 && x1 > x0) {
                            System.arraycopy(x, src, cols, j + x0, x1 - x0);
                        } else if (sw > 1) {
                            for (int o = x0; o < x1; o++, src += sw) {
                                cols[j + o] = x[src];
                            }
                        }
                        Arrays.fill(cols, j + x1, j + outW, 0.0);
                    }
                }
            }
        }
    }

    /** x = col2im(cols): {@code x} (C·H·W) is overwritten with the sum of the K·P entries at their image positions. */
    public void col2im(float[] cols, float[] x) {
        Arrays.fill(x, 0, imageSize(), 0f);
        int sw = window.sw();
        int j = 0;
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < window.kh(); a++) {
                for (int b = 0; b < window.kw(); b++) {
                    int x0 = firstInside(b);
                    int x1 = endInside(b);
                    int col0 = x0 * sw - window.pw() + b; // input column read at output column x0
                    for (int y = 0; y < outH; y++, j += outW) {
                        int row = inputRowStart(c, a, y);
                        if (row < 0) {
                            continue;
                        }
                        int dst = row + col0;
                        for (int o = x0; o < x1; o++, dst += sw) {
                            x[dst] += cols[j + o];
                        }
                    }
                }
            }
        }
    }

    /** x = col2im(cols) in double precision; see {@link #col2im(float[], float[])}. */
    public void col2im(double[] cols, double[] x) {
        Arrays.fill(x, 0, imageSize(), 0.0);
        int sw = window.sw();
        int j = 0;
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < window.kh(); a++) {
                for (int b = 0; b < window.kw(); b++) {
                    int x0 = firstInside(b);
                    int x1 = endInside(b);
                    int col0 = x0 * sw - window.pw() + b; // input column read at output column x0
                    for (int y = 0; y < outH; y++, j += outW) {
                        int row = inputRowStart(c, a, y);
                        if (row < 0) {
                            continue;
                        }
                        int dst = row + col0;
                        for (int o = x0; o < x1; o++, dst += sw) {
                            x[dst] += cols[j + o];
                        }
                    }
                }
            }
        }
    }
}
