package org.ngvi.optim;

import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;

/**
 * The predictive posterior a checkpoint holds: the state restored by the optimizer that wrote it
 * ({@link OptimizerRegistry#fromCheckpoint}) and that optimizer's {@link Optimizer#posterior}
 * (VOGN's Gaussian, a point estimate for Adam and SGD), with the network's BatchNorm running
 * statistics when the checkpoint has them.
 */
public final class Posteriors {
    private Posteriors() {
    }

    public static GaussianPosterior of(ModelCheckpoint c) {
        return of(OptimizerRegistry.fromCheckpoint(c), c).withRunningStats(c.runningStats());
    }

    private static <S extends OptimizerState> GaussianPosterior of(Optimizer<S> o, ModelCheckpoint c) {
        return o.posterior(c.spec(), o.restore(c));
    }
}
