package org.ngvi.spark.eval;

import org.ngvi.cli.Converters;
import picocli.CommandLine.Option;

/**
 * {@code --mc K} and {@code --mc-dropout K} of {@code evaluate} and {@code score}: how many MC
 * samples the predictive p̄(y | x) = (1/K) Σ_k p_k(y | x) averages, and whether they are dropout
 * masks ({@link Predictive#choose}).
 */
public final class PredictiveOptions {
    @Option(names = "--mc", paramLabel = "K", converter = Converters.NonNegativeInt.class,
            description = "MC samples K (default: the run's val_num_mc_samples; 0: the deterministic network)")
    private Integer mc;
    @Option(names = "--mc-dropout", paramLabel = "K", converter = Converters.PositiveInt.class,
            description = "MC dropout with K passes, dropout kept on (point-estimate runs with dropout layers)")
    private Integer mcDropout;

    /** K, or {@code null} for the run's default. */
    public Integer mc() {
        return mc;
    }

    /** K of an explicit MC-dropout predictive, or {@code null}. */
    public Integer mcDropout() {
        return mcDropout;
    }
}
