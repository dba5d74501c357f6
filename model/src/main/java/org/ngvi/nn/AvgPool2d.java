package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Average pooling as PyTorch's {@code nn.AvgPool2d(kernel, stride)} (no padding, floor mode; see
 * {@link Pool2d}), divisor k_h·k_w:
 * <pre>
 *   y[c, u, v] = (1/(k_h k_w)) Σ_{a &lt; k_h, b &lt; k_w} x[c, u·s_h + a, v·s_w + b]
 *   backward:  Δ_in[c, h, w] = (1/(k_h k_w)) Σ_{windows (u, v) containing (h, w)} Δ[c, u, v]
 * </pre>
 * The map is linear, y = P x, and the backward pass is its transpose, Δ_in = Pᵀ Δ: both run the
 * same loop over the windows ({@link #sweepPlane}).
 */
public final class AvgPool2d extends Pool2d {
    public static final String TYPE = "avgpool2d";

    public AvgPool2d(Window2d window) {
        super(TYPE, window);
    }

    @Override
    protected void poolPlane(double[] x, double[] y, int plane, int w, int oh, int ow, Object scratch) {
        sweepPlane(x, y, w, oh, ow, false);
    }

    @Override
    protected void unpoolPlane(double[] g, double[] d, int plane, int w, int oh, int ow, Object scratch) {
        sweepPlane(g, d, w, oh, ow, true);
    }

    /**
     * One pass over the windows of a plane (arguments as in {@link #poolPlane}): {@code pooled = P input}
     * (each window's mean), or with {@code transpose} {@code input += Pᵀ pooled} (each pooled value
     * over k_h·k_w added to its window).
     */
    private void sweepPlane(double[] input, double[] pooled, int w, int oh, int ow, boolean transpose) {
        double scale = 1.0 / (window.kh() * window.kw());
        int j = 0;
        for (int u = 0; u < oh; u++) {
            for (int v = 0; v < ow; v++, j++) {
                int top = u * window.sh() * w + v * window.sw();
                if (transpose) {
                    double share = pooled[j] * scale;
                    for (int a = 0; a < window.kh(); a++) {
                        for (int b = 0; b < window.kw(); b++) {
                            int idx = top + a * w + b;
                            input[idx] += share;
                        }
                    }
                } else {
                    double sum = 0;
                    for (int a = 0; a < window.kh(); a++) {
                        for (int b = 0; b < window.kw(); b++) {
                            sum += input[top + a * w + b];
                        }
                    }
                    pooled[j] = sum * scale;
                }
            }
        }
    }

    static AvgPool2d fromJson(JsonNode n, String where) {
        return new AvgPool2d(windowFromJson(n, where));
    }
}
