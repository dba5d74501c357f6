package org.ngvi.curvature;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.BatchNorm;
import org.ngvi.nn.DenseAccess;
import org.ngvi.nn.Layer;

/**
 * Exact per-example squared gradients of a {@link BatchNorm} layer (1d and 2d). With x̂ the
 * normalised input of the forward pass (kept in the layer's {@link BatchNorm.Scratch}, never
 * recovered by dividing by γ) and Δᵢ the per-example output deltas, example i's gradients are
 * <pre>
 *   gᵢ(γ_c) = Σ_p x̂_icp Δ_icp,    gᵢ(β_c) = Σ_p Δ_icp
 *   ĥ(γ_c) = (1/B) Σᵢ gᵢ(γ_c)²,   ĥ(β_c) = (1/B) Σᵢ gᵢ(β_c)²
 * </pre>
 * summing over the H·W positions p of channel c (a single position for batchnorm1d). The square
 * is taken after the sum over positions: exact, unlike the reference's Σ_p Δ² and (Σ x̂²)(Σ Δ²).
 * With batch statistics they are held constant (DESIGN.md): gᵢ is then example i's share of the
 * batch gradient, the definition of the fixture files. One fused pass over x̂ and Δ, no allocation.
 */
public final class BatchNormCurvature implements CurvatureRule {

    @Override
    public void squaredGradients(Layer layer, INDArray in, INDArray out, INDArray gradOut, List<INDArray> params,
                                 Object layerScratch, List<INDArray> sqGrads, Object ruleScratch) {
        BatchNorm bn = (BatchNorm) layer;
        BatchNorm.Scratch s = (BatchNorm.Scratch) layerScratch;
        int b = Math.toIntExact(gradOut.size(0));
        int c = bn.features();
        int p = Math.toIntExact(gradOut.length() / ((long) b * c));
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess xh = DenseAccess.of(s.normalized());
        DenseAccess hGamma = DenseAccess.of(sqGrads.get(0));
        DenseAccess hBeta = DenseAccess.of(sqGrads.get(1));
        int stride = c * p;
        for (int ch = 0; ch < c; ch++) {
            double accGamma = 0;
            double accBeta = 0;
            for (int i = 0; i < b; i++) {
                int base = i * stride + ch * p;
                double gGamma = 0;
                double gBeta = 0;
                for (int j = 0; j < p; j++) {
                    double dv = d.get(base + j);
                    gGamma += dv * xh.get(base + j);
                    gBeta += dv;
                }
                accGamma += gGamma * gGamma;
                accBeta += gBeta * gBeta;
            }
            hGamma.set(ch, accGamma / b);
            hBeta.set(ch, accBeta / b);
        }
    }
}
