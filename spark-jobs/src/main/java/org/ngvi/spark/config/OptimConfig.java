package org.ngvi.spark.config;

import java.io.Serializable;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * Optimizer settings, with the reference's names ({@code optim_args.*}, {@code curv_args.*}).
 *
 * @param name             {@code vogn} or {@code adam} ({@code optim_name}; the reference's
 *                         {@code VIOptimizer}/{@code VOGN} and {@code Adam} are accepted)
 * @param lr               learning rate α
 * @param betas            Adam's (β₁, β₂)
 * @param weightDecay      L2 term added to the gradient (Adam)
 * @param momentum         momentum β (VOGN)
 * @param momentumType     VOGN: {@code preconditioned} or {@code raw}
 * @param gradEmaDecay     VOGN: weight γ of the new gradient in the gradient EMA (1 = no EMA)
 * @param gradEmaType      VOGN: {@code raw} or {@code preconditioned}
 * @param numMcSamples     VOGN: MC samples M per training step
 * @param valNumMcSamples  MC samples for validation/evaluation (0 = mean weights)
 * @param klWeighting      VOGN: KL weight τ
 * @param initPrecision    VOGN: initial curvature s₀ ({@code null}: none, as torchsso)
 * @param priorVariance    VOGN: prior variance σ₀²
 * @param warmupKlInit     VOGN: τ at step 0 of a KL warm-up ({@code null}: no warm-up)
 * @param warmupKlSteps    VOGN: warm-up length T in steps (0: no warm-up)
 * @param damping          VOGN: δ ({@code curv_args.damping})
 * @param curvEmaDecay     VOGN: weight ρ of the new curvature estimate ({@code curv_args.ema_decay})
 * @param nonRegForBn      VOGN: BatchNorm γ and β get no prior and are not sampled ({@code optim_args.non_reg_for_bn},
 *                         torchsso's option of that name)
 * @param schedule         learning-rate schedule (top-level {@code scheduler_name}, {@code scheduler_args},
 *                         {@code warmup_*}, {@code momentum_correction}), not yet bound to the run's
 *                         steps per epoch
 */
public record OptimConfig(String name, double lr, double[] betas, double weightDecay, double momentum,
                          String momentumType, double gradEmaDecay, String gradEmaType, int numMcSamples,
                          int valNumMcSamples, double klWeighting, Double initPrecision, double priorVariance,
                          Double warmupKlInit, int warmupKlSteps, double damping, double curvEmaDecay, boolean nonRegForBn,
                          LrSchedule schedule)
        implements Serializable {
    public OptimConfig {
        betas = betas.clone();
    }

    @Override
    public double[] betas() {
        return betas.clone();
    }

    public boolean isVogn() {
        return name.equals("vogn");
    }
}
