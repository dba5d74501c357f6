package org.ngvi.curvature;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.BlockGemm;
import org.ngvi.nn.Chunks;
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
 * <p>Cost. The rule arms the layer's {@link Conv2d.WeightGradientTap} before its backward pass
 * ({@link #beforeBackward}); the pass then writes each G_i = Δ_i U_iᵀ into this rule's product
 * array and {@link Scratch#accept} squares it into ĥ's accumulator and sums it for ∂L/∂W in one
 * Java pass. On the {@link org.ngvi.nn.ConvEngine#IM2COL} engine G_i is the layer's own im2col
 * and one GEMM of O·K·P multiply-adds, replacing its ∂W product; on the
 * {@link org.ngvi.nn.ConvEngine#NATIVE} engine the layer runs {@code conv2d_bp} one example at a
 * time, which yields Δ_in,i and G_i together. So VOGN's extra cost over Adam is the squaring pass
 * (and, natively, per-example instead of batched calls). Without a {@code beforeBackward} call the
 * rule computes the same products itself after the pass: per example one im2col into its own
 * {@link Im2colBuffer} (created on first use) and one GEMM. The bias sums for the whole batch are
 * one product Δ {@code [B·O, P]} · 1. No per-example forward or backward pass is run.
 *
 * <p>Memory (independent of B except for the bias sums): O·K (product array) + O·K (heap copy) +
 * O·K (heap sum of the G_i) values in the layer's data type, O·K doubles (accumulator), B·O + P
 * values for the bias sums and a ones vector, and only on the fallback path K·P + K·P + C·H·W for
 * the columns — for LeNet-5's second conv (6→16, 5×5 on 14×14, B = 128) about 20 k values.
 */
public final class ConvCurvature implements CurvatureRule {

    /** Per-batch scratch, and the sink the layer's backward pass hands G_i to; see the class comment for the memory bound. */
    static final class Scratch implements Conv2d.WeightGradientSink {
        final ConvGeometry geometry;
        final DataType dtype;
        Im2colBuffer columns;        // fallback path only, created on first use
        final INDArray product;      // [O, K], g_i(W) of one example
        final double[] weightSum;    // Σᵢ g_i(W)², O·K
        final FloatBuffer productNioF;
        final DoubleBuffer productNioD;
        final float[] productF;      // heap copy of product (FLOAT)
        final double[] productD;     // heap copy of product (DOUBLE)
        final float[] gradSumF;      // Σᵢ g_i(W) (FLOAT), for the layer's ∂L/∂W
        final double[] gradSumD;     // Σᵢ g_i(W) (DOUBLE)
        final INDArray biasSums;     // [B·O], Σ_p Δ_i per example and channel
        final INDArray ones;         // [P]

        Scratch(Conv2d conv, ConvGeometry g, long batch, DataType dtype) {
            int ok = conv.outChannels() * g.patchSize();
            geometry = g;
            this.dtype = dtype;
            product = Nd4j.create(dtype, conv.outChannels(), g.patchSize());
            weightSum = new double[ok];
            boolean f = dtype == DataType.FLOAT;
            productF = f ? new float[ok] : null;
            productD = f ? null : new double[ok];
            gradSumF = f ? new float[ok] : null;
            gradSumD = f ? null : new double[ok];
            productNioF = f ? product.data().asNioFloat() : null;
            productNioD = f ? null : product.data().asNioDouble();
            biasSums = conv.hasBias() ? Nd4j.create(dtype, Math.multiplyExact(batch, (long) conv.outChannels())) : null;
            ones = conv.hasBias() ? Nd4j.ones(dtype, g.positions()) : null;
        }

        Im2colBuffer columns() {
            if (columns == null) {
                columns = Im2colBuffer.create(geometry, dtype);
            }
            return columns;
        }

        @Override
        public INDArray product() {
            return product;
        }

        /** weightSum += G_i ∘ G_i and gradSum += G_i (both reset at example 0). */
        @Override
        public void accept(int example) {
            if (example == 0) {
                Arrays.fill(weightSum, 0.0);
                if (gradSumF != null) {
                    Arrays.fill(gradSumF, 0f);
                } else {
                    Arrays.fill(gradSumD, 0.0);
                }
            }
            accumulate(true);
        }

        @Override
        public void writeMean(INDArray weightGrad, int batch) {
            DenseAccess w = DenseAccess.of(weightGrad);
            if (w.length() != weightSum.length) {
                throw new IllegalArgumentException("conv curvature: weight gradient has " + w.length() + " values, expected "
                        + weightSum.length);
            }
            double invB = 1.0 / batch;
            double[] chunk = Chunks.chunk(3);
            for (int from = 0; from < weightSum.length; from += Chunks.SIZE) {
                int len = Math.min(Chunks.SIZE, weightSum.length - from);
                if (gradSumF != null) {
                    for (int j = 0; j < len; j++) {
                        chunk[j] = gradSumF[from + j] * invB;
                    }
                } else {
                    for (int j = 0; j < len; j++) {
                        chunk[j] = gradSumD[from + j] * invB;
                    }
                }
                w.set(from, chunk, 0, len);
            }
        }

        /** weightSum += product ∘ product (and, with {@code sums}, gradSum += product), through one bulk copy to the heap. */
        void accumulate(boolean sums) {
            double[] acc = weightSum;
            int n = acc.length;
            if (productF != null) {
                productNioF.get(0, productF, 0, n);
                float[] v = productF;
                if (sums) {
                    float[] g = gradSumF;
                    for (int j = 0; j < n; j++) {
                        float x = v[j];
                        acc[j] += (double) x * x;
                        g[j] += x;
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        acc[j] += (double) v[j] * v[j];
                    }
                }
            } else {
                productNioD.get(0, productD, 0, n);
                double[] v = productD;
                if (sums) {
                    double[] g = gradSumD;
                    for (int j = 0; j < n; j++) {
                        double x = v[j];
                        acc[j] += x * x;
                        g[j] += x;
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        acc[j] += v[j] * v[j];
                    }
                }
            }
        }
    }

    /** Arms the layer's backward pass to hand its per-example weight gradients to this rule's scratch. */
    @Override
    public void beforeBackward(Layer layer, Object layerScratch, Object ruleScratch) {
        if (layerScratch instanceof Conv2d.Scratch cs) {
            cs.tap().arm((Scratch) ruleScratch);
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
        ConvGeometry g = s.geometry;
        int batch = Math.toIntExact(in.size(0));
        int o = conv.outChannels();
        int k = g.patchSize();
        int p = g.positions();
        if (gradOut.length() != (long) batch * o * p || !DenseAccess.supports(gradOut)) {
            throw new IllegalArgumentException(conv + ": deltas must be a dense [" + batch + ", " + o + ", " + g.outH() + ", "
                    + g.outW() + "] array, got " + Arrays.toString(gradOut.shape()));
        }
        double invB = 1.0 / batch;
        boolean delivered = layerScratch instanceof Conv2d.Scratch cs && cs.tap().delivered(s);
        if (!delivered) {
            Arrays.fill(s.weightSum, 0.0);
            Im2colBuffer columns = s.columns();
            INDArray cols = columns.columns();
            for (int i = 0; i < batch; i++) {
                columns.load(in, i);
                BlockGemm.gemm(false, true, o, k, p, 1.0, gradOut, (long) i * o * p, p, cols, 0, p, 0.0, s.product, 0, k);
                s.accumulate(false);
            }
        }
        DenseAccess w = DenseAccess.of(sqGrads.get(0));
        double[] chunk = Chunks.chunk(3);
        for (int from = 0; from < s.weightSum.length; from += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, s.weightSum.length - from);
            for (int j = 0; j < len; j++) {
                chunk[j] = s.weightSum[from + j] * invB;
            }
            w.set(from, chunk, 0, len);
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
}
