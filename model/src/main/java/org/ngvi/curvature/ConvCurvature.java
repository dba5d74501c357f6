package org.ngvi.curvature;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.BlockGemm;
import org.ngvi.nn.Conv2d;
import org.ngvi.nn.ConvGeometry;
import org.ngvi.nn.DenseAccess;
import org.ngvi.nn.Im2colBuffer;
import org.ngvi.nn.Layer;

/**
 * Exact per-example squared gradients of a {@link Conv2d} layer. With U_i = im2col(A_i)
 * {@code [K, P]} (K = C·k_h·k_w, P = H_out·W_out) and the per-example output deltas Δ_i
 * {@code [O, P]}, example i's gradients are
 * <pre>
 *   g_i(W) = Δ_i U_iᵀ   [O, K] = [O, C, k_h, k_w],       g_i(b) = Δ_i 1 = Σ_positions Δ_i   [O]
 * </pre>
 * and the rule writes
 * <pre>
 *   ĥ(W) = (1/B) Σᵢ g_i(W) ∘ g_i(W),       ĥ(b) = (1/B) Σᵢ (Σ_p Δ_i[·, p])².
 * </pre>
 * The bias entry is the square of the summed gradient, not the sum of squares over positions
 * (the approximation of the reference implementation). Unlike the dense case, ĥ(W) does not
 * factor into one product of squares: each g_i(W) sums over positions before squaring.
 *
 * <p>Cost: per example one im2col into the rule's {@link Im2colBuffer} and one GEMM
 * Δ_i U_iᵀ ({@link BlockGemm}, O·K·P multiply-adds — the same as the layer's ∂W product) into a
 * {@code [O, K]} buffer, squared and summed into a double accumulator in one Java pass; the bias
 * sums for the whole batch are one product Δ {@code [B·O, P]} · 1. No per-example forward or
 * backward pass is run.
 *
 * <p>Memory (independent of B except for the bias sums): K·P (column array) + K·P + C·H·W (heap
 * staging) + O·K (product array) + O·K (heap copy) values in the layer's data type, O·K doubles
 * (accumulator), and B·O + P values for the bias sums and a ones vector — for LeNet-5's second
 * conv (6→16, 5×5 on 14×14, B = 128) about 40 k values (≈ 170 kB in float32).
 */
public final class ConvCurvature implements CurvatureRule {

    /** Per-batch scratch; see the class comment for the memory bound. */
    static final class Scratch {
        final Im2colBuffer columns;
        final INDArray product;      // [O, K], g_i(W) of one example
        final double[] weightSum;    // Σᵢ g_i(W)², O·K
        final FloatBuffer productNioF;
        final DoubleBuffer productNioD;
        final float[] productF;      // heap copy of product (FLOAT)
        final double[] productD;     // heap copy of product (DOUBLE)
        final INDArray biasSums;     // [B·O], Σ_p Δ_i per example and channel
        final INDArray ones;         // [P]

        Scratch(Conv2d conv, ConvGeometry g, long batch, DataType dtype) {
            int ok = conv.outChannels() * g.patchSize();
            columns = Im2colBuffer.create(g, dtype);
            product = Nd4j.create(dtype, conv.outChannels(), g.patchSize());
            weightSum = new double[ok];
            productF = dtype == DataType.FLOAT ? new float[ok] : null;
            productD = dtype == DataType.DOUBLE ? new double[ok] : null;
            productNioF = dtype == DataType.FLOAT ? product.data().asNioFloat() : null;
            productNioD = dtype == DataType.DOUBLE ? product.data().asNioDouble() : null;
            biasSums = conv.hasBias() ? Nd4j.create(dtype, Math.multiplyExact(batch, (long) conv.outChannels())) : null;
            ones = conv.hasBias() ? Nd4j.ones(dtype, g.positions()) : null;
        }
    }

    @Override
    public Object scratch(Layer layer, long batch, long[] inputShape, DataType dtype) {
        Conv2d conv = (Conv2d) layer;
        return new Scratch(conv, conv.geometry(inputShape), batch, dtype);
    }

    @Override
    public void squaredGradients(Layer layer, INDArray in, INDArray out, INDArray gradOut, List<INDArray> params,
                                 Object layerScratch, List<INDArray> sqGrads, Object ruleScratch) {
        Conv2d conv = (Conv2d) layer;
        Scratch s = (Scratch) ruleScratch;
        ConvGeometry g = s.columns.geometry();
        int batch = Math.toIntExact(in.size(0));
        int o = conv.outChannels();
        int k = g.patchSize();
        int p = g.positions();
        if (gradOut.length() != (long) batch * o * p || !DenseAccess.supports(gradOut)) {
            throw new IllegalArgumentException(conv + ": deltas must be a dense [" + batch + ", " + o + ", " + g.outH() + ", "
                    + g.outW() + "] array, got " + Arrays.toString(gradOut.shape()));
        }
        double invB = 1.0 / batch;
        Arrays.fill(s.weightSum, 0.0);
        INDArray cols = s.columns.columns();
        for (int i = 0; i < batch; i++) {
            s.columns.load(in, i);
            BlockGemm.gemm(false, true, o, k, p, 1.0, gradOut, (long) i * o * p, p, cols, 0, p, 0.0, s.product, 0, k);
            accumulateSquares(s);
        }
        DenseAccess w = DenseAccess.of(sqGrads.get(0));
        for (int j = 0; j < s.weightSum.length; j++) {
            w.set(j, s.weightSum[j] * invB);
        }
        if (conv.hasBias()) {
            if (s.biasSums.length() < (long) batch * o) {
                throw new IllegalArgumentException(conv + ": curvature scratch for fewer than " + batch + " examples");
            }
            // Σ_p Δ_i[c, p] for all (i, c) at once: Δ viewed as [B·O, P] times a ones column
            BlockGemm.gemm(false, false, batch * o, 1, p, 1.0, gradOut, 0, p, s.ones, 0, 1, 0.0, s.biasSums, 0, 1);
            DenseAccess sums = DenseAccess.of(s.biasSums);
            DenseAccess b = DenseAccess.of(sqGrads.get(1));
            for (int c = 0; c < o; c++) {
                double acc = 0;
                for (int i = 0; i < batch; i++) {
                    double v = sums.get(i * o + c);
                    acc += v * v;
                }
                b.set(c, acc * invB);
            }
        }
    }

    /** weightSum += product ∘ product, through one bulk copy of the product to the heap. */
    private static void accumulateSquares(Scratch s) {
        double[] acc = s.weightSum;
        int n = acc.length;
        if (s.productF != null) {
            s.productNioF.get(0, s.productF, 0, n);
            float[] v = s.productF;
            for (int j = 0; j < n; j++) {
                acc[j] += (double) v[j] * v[j];
            }
        } else {
            s.productNioD.get(0, s.productD, 0, n);
            double[] v = s.productD;
            for (int j = 0; j < n; j++) {
                acc[j] += v[j] * v[j];
            }
        }
    }
}
