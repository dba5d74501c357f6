package org.ngvi.dl4j;

import java.util.function.Function;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.ngvi.nn.SigmoidBinaryCrossEntropy;
import org.ngvi.nn.SoftmaxCrossEntropy;

/**
 * DL4J output layers ↔ our losses. Our networks end in logits z and apply the link inside the
 * loss; DL4J's OutputLayer applies it as its activation:
 * <ul>
 *   <li>softmax + MCXENT or NEGATIVELOGLIKELIHOOD (−log softmax(z)_y) ↔ {@code cross_entropy};</li>
 *   <li>sigmoid + XENT with one output (−y log σ(z) − (1 − y) log(1 − σ(z))) ↔ {@code bce_with_logits}.</li>
 * </ul>
 * Per-class loss weights are not supported. DL4J clips probabilities at 1e-10 (MCXENT) or 1e-5
 * (XENT) when computing its loss; ours is the exact log-sum-exp form.
 */
final class Dl4jLosses {
    static final String SUPPORTED = "softmax + MCXENT or NEGATIVELOGLIKELIHOOD (-> cross_entropy), "
            + "sigmoid + XENT with nOut 1 (-> bce_with_logits)";

    private Dl4jLosses() {
    }

    /**
     * Our loss name for DL4J output layer {@code o}.
     *
     * @param error turns a message into the exception to throw (adds the layer context)
     */
    static String ourLoss(OutputLayer o, Function<String, IllegalArgumentException> error) {
        ILossFunction lf = o.getLossFn();
        IActivation a = o.getActivationFn();
        boolean mcxent = lf != null && (lf.getClass() == LossMCXENT.class || lf.getClass() == LossNegativeLogLikelihood.class);
        if (mcxent && a != null && a.getClass() == ActivationSoftmax.class) {
            if (((LossMCXENT) lf).getWeights() != null) {
                throw error.apply("per-class loss weights are not supported");
            }
            if (o.getNOut() < 2) {
                throw error.apply("softmax cross-entropy needs nOut >= 2, got " + o.getNOut());
            }
            return SoftmaxCrossEntropy.NAME;
        }
        if (lf != null && lf.getClass() == LossBinaryXENT.class && a != null && a.getClass() == ActivationSigmoid.class) {
            if (((LossBinaryXENT) lf).getWeights() != null) {
                throw error.apply("per-output loss weights are not supported");
            }
            if (o.getNOut() != 1) {
                throw error.apply("sigmoid + XENT is supported with nOut 1 (one binary label), got nOut " + o.getNOut());
            }
            return SigmoidBinaryCrossEntropy.NAME;
        }
        throw error.apply("activation " + a + " with loss " + lf + " is not supported (supported: " + SUPPORTED + ")");
    }

    /** DL4J's loss function for our loss name. */
    static LossFunctions.LossFunction dl4jLoss(String loss) {
        return switch (loss) {
            case SoftmaxCrossEntropy.NAME -> LossFunctions.LossFunction.MCXENT;
            case SigmoidBinaryCrossEntropy.NAME -> LossFunctions.LossFunction.XENT;
            default -> throw new IllegalArgumentException("no DL4J loss for '" + loss + "'");
        };
    }

    /** DL4J's output activation for our loss name. */
    static Activation dl4jActivation(String loss) {
        return switch (loss) {
            case SoftmaxCrossEntropy.NAME -> Activation.SOFTMAX;
            case SigmoidBinaryCrossEntropy.NAME -> Activation.SIGMOID;
            default -> throw new IllegalArgumentException("no DL4J output activation for '" + loss + "'");
        };
    }
}
