package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average pooling as PyTorch's {@code nn.AvgPool2d(kernel, stride)} (no padding, floor mode; see
 * {@link Pool2d}), divisor k_h·k_w:
 * <pre>
 *   y[c, u, v] = (1/(k_h k_w)) Σ_{a &lt; k_h, b &lt; k_w} x[c, u·s_h + a, v·s_w + b]
 *   backward:  Δ_in[c, h, w] = (1/(k_h k_w)) Σ_{windows (u, v) containing (h, w)} Δ[c, u, v]
 * </pre>
 */
public final class AvgPool2d extends Pool2d {
    public static final String TYPE = "avgpool2d";

    public AvgPool2d(Window2d window) {
        super(window);
    }

    static AvgPool2d fromJson(JsonNode n, String where) {
        return new AvgPool2d(Window2d.fromJson(n, where, false));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        check(in, out);
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        int planes = Math.toIntExact(in.size(0) * in.size(1));
        int h = (int) in.size(2);
        int w = (int) in.size(3);
        int oh = (int) out.size(2);
        int ow = (int) out.size(3);
        double scale = 1.0 / (window.kh() * window.kw());
        int j = 0;
        for (int pl = 0; pl < planes; pl++) {
            int plane = pl * h * w;
            for (int u = 0; u < oh; u++) {
                for (int v = 0; v < ow; v++, j++) {
                    int top = plane + u * window.sh() * w + v * window.sw();
                    double sum = 0;
                    for (int a = 0; a < window.kh(); a++) {
                        for (int b = 0; b < window.kw(); b++) {
                            sum += x.get(top + a * w + b);
                        }
                    }
                    y.set(j, sum * scale);
                }
            }
        }
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        if (gradIn == null) {
            return;
        }
        check(gradIn, gradOut);
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess g = DenseAccess.of(gradIn);
        for (int i = 0; i < g.length(); i++) {
            g.set(i, 0.0);
        }
        int planes = Math.toIntExact(gradIn.size(0) * gradIn.size(1));
        int h = (int) gradIn.size(2);
        int w = (int) gradIn.size(3);
        int oh = (int) gradOut.size(2);
        int ow = (int) gradOut.size(3);
        double scale = 1.0 / (window.kh() * window.kw());
        int j = 0;
        for (int pl = 0; pl < planes; pl++) {
            int plane = pl * h * w;
            for (int u = 0; u < oh; u++) {
                for (int v = 0; v < ow; v++, j++) {
                    int top = plane + u * window.sh() * w + v * window.sw();
                    double share = d.get(j) * scale;
                    for (int a = 0; a < window.kh(); a++) {
                        for (int b = 0; b < window.kw(); b++) {
                            int idx = top + a * w + b;
                            g.set(idx, g.get(idx) + share);
                        }
                    }
                }
            }
        }
    }
}
