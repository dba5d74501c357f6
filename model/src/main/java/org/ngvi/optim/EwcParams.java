package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hyper-parameters of {@link Ewc}: Adam's and the penalty strength.
 *
 * @param adam   the Adam optimizer the penalized gradient goes to
 * @param lambda λ_EWC ≥ 0, the weight of the penalty (λ_EWC/2) Σ_k F_k ⊙ (θ − θ*_k)²
 */
public record EwcParams(AdamParams adam, double lambda) implements OptimizerParams {
    public EwcParams {
        if (adam == null) {
            throw new IllegalArgumentException("EwcParams.adam is required");
        }
        OptimParamChecks.nonNegative("EwcParams.lambda", lambda);
    }

    @Override
    public String optimizerName() {
        return Ewc.NAME;
    }

    @Override
    public Ewc create() {
        return new Ewc(this);
    }

    @Override
    public double lrAt(long stepsDone) {
        return adam.lrAt(stepsDone);
    }

    /** From a training config: Adam's keys ({@link AdamParams#fromConfig}) and {@code optim_args.ewc_lambda} (default 100). */
    public static EwcParams fromConfig(OptimArgs a, OptimContext ctx) {
        AdamParams adam = AdamParams.fromConfig(a, ctx);
        return new EwcParams(adam, a.number("optim_args.ewc_lambda", 100, 0, false, 1e12));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = adam.toJson();
        n.put("ewc_lambda", lambda);
        return n;
    }

    /** Inverse of {@link #toJson()}. */
    public static EwcParams fromJson(JsonNode n) {
        return new EwcParams(AdamParams.fromJson(n), OptimParamChecks.number(n, "ewc_lambda", "ewc params"));
    }
}
