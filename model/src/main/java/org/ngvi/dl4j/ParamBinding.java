package org.ngvi.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Where one of our tensors lives in a DL4J {@code MultiLayerNetwork} and how the two layouts
 * relate. Our tensor is a parameter ({@code "<i>.weight"}, {@code "<i>.bias"}) or, with
 * {@code buffer}, a layer buffer ({@code "<i>.running_mean"}, {@code "<i>.running_var"}); the DL4J
 * side is parameter {@code dl4jKey} of layer {@code dl4jLayer} (the key {@code "<layer>_<key>"}
 * of {@code MultiLayerNetwork#getParam}).
 *
 * @param name       our tensor's name
 * @param buffer     whether it is a buffer of the {@link org.ngvi.nn.Network} rather than a parameter
 * @param dl4jLayer  DL4J layer index
 * @param dl4jKey    DL4J parameter key ({@code W}, {@code b}, {@code gamma}, {@code beta}, {@code mean},
 *                   {@code var}, {@code log10stdev})
 * @param conversion layout/value relation between the two
 */
record ParamBinding(String name, boolean buffer, int dl4jLayer, String dl4jKey, Conversion conversion) {

    /** How a DL4J parameter relates to ours. */
    enum Conversion {
        /** same values in the same row-major order (shapes may differ only by unit axes, e.g. bias [1, n] vs [n]) */
        SAME,
        /** dense weight: ours W [out, in] (PyTorch), DL4J W [in, out]: w_dl4j = Wᵀ */
        TRANSPOSE,
        /** running variance v stored by DL4J (useLogStd) as log₁₀ √v: ℓ = ½ log₁₀ v, v = 10^(2ℓ) */
        LOG10_STD
    }

    /** DL4J's parameter name in {@code MultiLayerNetwork#getParam}. */
    String dl4jParamName() {
        return dl4jLayer + "_" + dl4jKey;
    }

    /** Writes our tensor {@code ours} into the DL4J view {@code dl4j} (any float types). */
    void toDl4j(INDArray ours, INDArray dl4j) {
        checkLength(ours, dl4j);
        INDArray src = ours.castTo(dl4j.dataType());
        switch (conversion) {
            case SAME -> dl4j.assign(src.reshape('c', dl4j.shape()));
            case TRANSPOSE -> dl4j.assign(src.transpose());
            case LOG10_STD -> dl4j.assign(Transforms.log(src, true).muli(0.5 / Math.log(10.0)).reshape('c', dl4j.shape()));
        }
    }

    /** Writes the DL4J view {@code dl4j} into our tensor {@code ours} (any float types). */
    void fromDl4j(INDArray dl4j, INDArray ours) {
        checkLength(ours, dl4j);
        INDArray src = dl4j.castTo(ours.dataType());
        switch (conversion) {
            case SAME -> ours.assign(src.reshape('c', ours.shape()));
            case TRANSPOSE -> ours.assign(src.transpose());
            case LOG10_STD -> ours.assign(Transforms.exp(src.mul(2.0 * Math.log(10.0)), false).reshape('c', ours.shape()));
        }
    }

    private void checkLength(INDArray ours, INDArray dl4j) {
        boolean ok = ours.length() == dl4j.length()
                && (conversion != Conversion.TRANSPOSE
                    || (ours.rank() == 2 && dl4j.rank() == 2 && ours.size(0) == dl4j.size(1) && ours.size(1) == dl4j.size(0)));
        if (!ok) {
            throw new IllegalArgumentException("parameter " + name + " " + Arrays.toString(ours.shape()) + " does not fit DL4J "
                    + dl4jParamName() + " " + Arrays.toString(dl4j.shape()) + " (" + conversion + ")");
        }
    }
}
