package org.ngvi.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's default initialisation of {@code nn.Linear} and {@code nn.Conv2d}
 * ({@code kaiming_uniform_} with a = √5 for the weight, the matching uniform for the bias): every
 * entry of every parameter ~ U(−1/√fan_in, 1/√fan_in), drawn in order from {@code rng}.
 */
final class PyTorchInit {
    private PyTorchInit() {
    }

    static void uniform(List<INDArray> params, long fanIn, SplittableRandom rng) {
        double bound = 1.0 / Math.sqrt(fanIn);
        for (INDArray p : params) {
            DenseAccess a = DenseAccess.of(p);
            for (int i = 0; i < a.length(); i++) {
                a.set(i, bound * (2 * rng.nextDouble() - 1));
            }
        }
    }
}
