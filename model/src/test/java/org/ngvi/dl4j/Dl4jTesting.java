package org.ngvi.dl4j;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.fixtures.TensorAssert;
import org.ngvi.nn.Network;
import org.ngvi.nn.SigmoidBinaryCrossEntropy;
import org.ngvi.tensor.FlatTensor;

/** Shared helpers of the DL4J interop tests: deterministic random tensors and output comparison. */
final class Dl4jTesting {
    private Dl4jTesting() {
    }

    /** Standard normal entries from {@code seed} (Box–Muller on SplittableRandom). */
    static INDArray normal(long seed, DataType dtype, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        SplittableRandom rng = new SplittableRandom(seed);
        for (long i = 0; i < a.length(); i++) {
            double u = 1.0 - rng.nextDouble();
            a.putScalar(i, Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble()));
        }
        return a.castTo(dtype);
    }

    /** Fills every tensor of {@code t} with N(0, scale²) entries. */
    static void randomize(FlatTensor t, long seed, double scale) {
        INDArray v = normal(seed, t.dataType(), t.flat().length()).muli(scale);
        t.flat().assign(v);
    }

    /** Our predictive probabilities: softmax of the logits (sigmoid for one binary logit). */
    static INDArray ourProbabilities(Network net, FlatTensor params, INDArray x) {
        INDArray z = net.forward(params, x, false).castTo(DataType.DOUBLE);
        if (SigmoidBinaryCrossEntropy.NAME.equals(net.spec().loss())) {
            INDArray p = z.dup();
            for (long i = 0; i < p.length(); i++) {
                p.putScalar(i, 1.0 / (1.0 + Math.exp(-z.getDouble(i))));
            }
            return p;
        }
        INDArray p = z.dup();
        for (long r = 0; r < z.size(0); r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (long c = 0; c < z.size(1); c++) {
                m = Math.max(m, z.getDouble(r, c));
            }
            double s = 0;
            for (long c = 0; c < z.size(1); c++) {
                s += Math.exp(z.getDouble(r, c) - m);
            }
            for (long c = 0; c < z.size(1); c++) {
                p.putScalar(new long[] {r, c}, Math.exp(z.getDouble(r, c) - m) / s);
            }
        }
        return p;
    }

    /**
     * Asserts DL4J's {@code output(x)} (inference mode) equals our probabilities, and returns the
     * largest absolute difference.
     *
     * @param dl4jInput the input as DL4J takes it (flat for convolutionalFlat configurations)
     */
    static double assertSameOutputs(MultiLayerNetwork dl4j, INDArray dl4jInput, Network net, FlatTensor params,
                                    INDArray ourInput, double tol, String what) {
        INDArray expected = ourProbabilities(net, params, ourInput);
        INDArray actual = dl4j.output(dl4jInput, false).castTo(DataType.DOUBLE);
        TensorAssert.assertClose(expected, actual, tol, what);
        return actual.sub(expected).amaxNumber().doubleValue();
    }

    /** Sum of |x| (to check a tensor is not trivially zero). */
    static double l1(INDArray a) {
        return a.castTo(DataType.DOUBLE).norm1Number().doubleValue();
    }
}
