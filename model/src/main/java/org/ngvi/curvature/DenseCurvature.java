package org.ngvi.curvature;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Linear;

/**
 * Exact per-example squared gradients of a {@link Linear} layer. Example i's gradients are
 * gᵢ(W) = Δᵢ Aᵢᵀ (an outer product) and gᵢ(b) = Δᵢ, hence
 * <pre>
 *   ĥ(W) = (1/B) Σᵢ (Δᵢ Aᵢᵀ)∘(Δᵢ Aᵢᵀ) = (1/B) (Δ∘Δ)ᵀ (A∘A)     [out, in]
 *   ĥ(b) = (1/B) Σᵢ Δᵢ∘Δᵢ = (1/B) 1ᵀ (Δ∘Δ)                      [out]
 * </pre>
 * (Goodfellow 2015; Osawa et al. 2019, the "Diag" Gauss-Newton of VOGN). The squares go into
 * preallocated scratch and each product is a single GEMM — one extra GEMM per layer on top of
 * the backward pass, and no per-example loop.
 */
public final class DenseCurvature implements CurvatureRule {

    /** Scratch: A∘A {@code [B, in]}, Δ∘Δ {@code [B, out]}, ones {@code [1, B]}. */
    record Scratch(INDArray inSq, INDArray deltaSq, INDArray ones) {
    }

    @Override
    public Object scratch(Layer layer, long batch, long[] inputShape, DataType dtype) {
        Linear l = (Linear) layer;
        return new Scratch(Nd4j.create(dtype, batch, l.in()), Nd4j.create(dtype, batch, l.out()),
                l.hasBias() ? Nd4j.ones(dtype, 1, batch) : null);
    }

    @Override
    public void squaredGradients(Layer layer, INDArray in, INDArray out, INDArray gradOut, List<INDArray> params,
                                 Object layerScratch, List<INDArray> sqGrads, Object ruleScratch) {
        Linear l = (Linear) layer;
        Scratch s = (Scratch) ruleScratch;
        double invB = 1.0 / in.size(0);
        in.mul(in, s.inSq());
        gradOut.mul(gradOut, s.deltaSq());
        Nd4j.gemm(s.deltaSq(), s.inSq(), sqGrads.get(0), true, false, invB, 0.0);
        if (l.hasBias()) {
            Nd4j.gemm(s.ones(), s.deltaSq(), sqGrads.get(1).reshape(1, l.out()), false, false, invB, 0.0);
        }
    }
}
