package org.ngvi.nn;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.tensor.ParamSpec;

/**
 * Global average pooling {@code [B, C, H, W]} → {@code [B, C]} (PyTorch's
 * {@code nn.AdaptiveAvgPool2d(1)} followed by {@code flatten(1)}, the head of a ResNet), no
 * parameters. JSON: {@code {"type": "global_avgpool2d"}}.
 * <pre>
 *   y[c] = (1/(H W)) Σ_{h, w} x[c, h, w],     backward:  Δ_in[c, h, w] = Δ[c] / (H W)
 * </pre>
 */
public final class GlobalAvgPool2d implements Layer {
    public static final String TYPE = "global_avgpool2d";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        return new long[] {Window2d.chw(inputShape, 0, TYPE)[0]};
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        int area = check(in, out);
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        double scale = 1.0 / area;
        for (int j = 0, i = 0; j < y.length(); j++) {
            double sum = 0;
            for (int end = i + area; i < end; i++) {
                sum += x.get(i);
            }
            y.set(j, sum * scale);
        }
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        if (gradIn == null) {
            return;
        }
        int area = check(gradIn, gradOut);
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess g = DenseAccess.of(gradIn);
        double scale = 1.0 / area;
        for (int j = 0, i = 0; j < d.length(); j++) {
            double share = d.get(j) * scale;
            for (int end = i + area; i < end; i++) {
                g.set(i, share);
            }
        }
    }

    /** Checks dense {@code [B, C, H, W]} → {@code [B, C]}; returns H·W. */
    private static int check(INDArray in, INDArray out) {
        if (in.rank() != 4 || out.rank() != 2 || in.size(0) != out.size(0) || in.size(1) != out.size(1)
                || !DenseAccess.supports(in) || !DenseAccess.supports(out)) {
            throw new IllegalArgumentException(TYPE + ": expected dense [B, C, H, W] → [B, C] arrays, got "
                    + Arrays.toString(in.shape()) + " → " + Arrays.toString(out.shape()));
        }
        return Math.toIntExact(in.size(2) * in.size(3));
    }

    @Override
    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("type", TYPE);
    }

    @Override
    public String toString() {
        return TYPE;
    }
}
