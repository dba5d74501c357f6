package org.ngvi.spark.eval;

import org.ngvi.optim.Adam;
import org.ngvi.optim.Sgd;
import org.ngvi.optim.Vogn;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;

/**
 * The predictive posterior a checkpoint holds: VOGN's Gaussian, or a point estimate for Adam/SGD,
 * with the network's buffers (BatchNorm running statistics) when the checkpoint has them.
 */
public final class Posteriors {
    private Posteriors() {
    }

    public static GaussianPosterior of(ModelCheckpoint c) {
        return weights(c).withNetworkBuffers(c.networkBuffers());
    }

    private static GaussianPosterior weights(ModelCheckpoint c) {
        return switch (c.optimizer()) {
            case Vogn.NAME -> {
                Vogn vogn = Vogn.fromCheckpoint(c);
                yield vogn.posterior(c.spec(), vogn.restore(c));
            }
            case Adam.NAME, Sgd.NAME -> GaussianPosterior.pointEstimate(c.spec(), c.buffer("params"));
            default -> throw new IllegalArgumentException("checkpoint of unknown optimizer '" + c.optimizer()
                    + "' (expected vogn, adam or sgd)");
        };
    }
}
