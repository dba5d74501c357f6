package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.TreeSet;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * Every option of {@link Vogn}, immutable and validated (each error names the field). Names in
 * brackets are torchsso's ({@code torchsso.optim.VOGN}), see {@link #fromTorchssoJson}.
 *
 * @param lr              learning rate α &gt; 0 [{@code lr}]
 * @param datasetSize     N ≥ 1, the number of training examples [{@code dataset_size}]
 * @param numMcSamples    M ≥ 1 weight samples per step [{@code num_mc_samples}]
 * @param klWeighting     τ ≥ 0, the KL weight after warm-up [{@code kl_weighting}]
 * @param priorVariance   σ₀² &gt; 0; the prior precision term is λ = τ / (N σ₀²) [{@code prior_variance}]
 * @param initPrecision   s₀ ≥ 0, the initial curvature everywhere, or {@code null}: then the first
 *                        step evaluates at θ = μ (no sampling) and sets s = ĥ and λ̄ = λ instead of
 *                        averaging (torchsso's behaviour without {@code init_precision}) [{@code init_precision}]
 * @param damping         δ ≥ 0 added to the precision [{@code curv_kwargs.damping}]
 * @param curvatureEma    ρ ∈ (0, 1], weight of the NEW curvature estimate: s ← ρ ĥ + (1 − ρ) s
 *                        [{@code curv_kwargs.ema_decay}]
 * @param momentum        β ∈ [0, 1); 0 disables the buffer [{@code momentum}]
 * @param momentumType    where momentum is applied: on the raw gradient (before the gradient
 *                        EMA and preconditioning) or on the preconditioned direction [{@code momentum_type}]
 * @param gradEma         γ ∈ (0, 1], weight of the NEW gradient: m ← (1 − γ) m + γ g; 1 disables
 *                        the buffer [{@code grad_ema_decay}]
 * @param gradEmaType     where the gradient EMA is applied: raw (before preconditioning) or
 *                        preconditioned (after preconditioning and momentum) [{@code grad_ema_type}]
 * @param warmupKlInit    τ_init ≥ 0, the KL weight of the first step when warming up
 *                        [{@code warmup_kl_weighting_init}]; ignored when {@code warmupKlSteps} is 0
 * @param warmupKlSteps   T ≥ 0: τ ramps linearly from τ_init to τ over T steps, see
 *                        {@link #klWeightingAt}; 0 = no warm-up [{@code warmup_kl_weighting_steps}]
 * @param noPriorParams   names of parameters without prior (torchsso's {@code non_reg_for_bn}
 *                        for BatchNorm γ, β): λ = 0 for them and they are never sampled (θ = μ)
 * @param schedule        how α and β change with the step ({@link #lrAt}, {@link #momentumAt});
 *                        {@link LrSchedule#constant()} by default
 * @param perParameterPrior {@code false}: the isotropic prior N(0, σ₀² I) above. {@code true}: the
 *                        state carries a per-parameter prior N(m, diag(1/p)) ({@link VognState#priorMean},
 *                        {@link VognState#priorPrecision}, natural units), which replaces 1/σ₀² and 0 in
 *                        the update (see {@link Vogn}); how continual learning hands a posterior over
 *                        to the next task. {@code priorVariance} is then unused.
 */
public record VognParams(double lr, long datasetSize, int numMcSamples, double klWeighting, double priorVariance,
                         Double initPrecision, double damping, double curvatureEma, double momentum,
                         Stage momentumType, double gradEma, Stage gradEmaType, double warmupKlInit,
                         long warmupKlSteps, Set<String> noPriorParams, LrSchedule schedule,
                         boolean perParameterPrior) implements OptimizerParams {

    /** Where momentum or the gradient EMA is applied. */
    public enum Stage {
        /** on the gradient g = ĝ + λμ, before preconditioning */
        RAW,
        /** on the preconditioned direction u = g / (s + δ + λ̄) */
        PRECONDITIONED;

        String jsonName() {
            return this == RAW ? "raw" : "preconditioned";
        }

        static Stage fromJson(String s, String field) {
            return switch (s) {
                case "raw" -> RAW;
                case "preconditioned" -> PRECONDITIONED;
                default -> throw new IllegalArgumentException(field + " must be \"raw\" or \"preconditioned\" (got \"" + s + "\")");
            };
        }
    }

    public VognParams {
        OptimParamChecks.positive("VognParams.lr", lr);
        if (datasetSize < 1) {
            throw new IllegalArgumentException("VognParams.datasetSize must be >= 1 (got " + datasetSize + ")");
        }
        if (numMcSamples < 1) {
            throw new IllegalArgumentException("VognParams.numMcSamples must be >= 1 (got " + numMcSamples + ")");
        }
        OptimParamChecks.nonNegative("VognParams.klWeighting", klWeighting);
        OptimParamChecks.positive("VognParams.priorVariance", priorVariance);
        if (initPrecision != null) {
            OptimParamChecks.nonNegative("VognParams.initPrecision", initPrecision);
        }
        OptimParamChecks.nonNegative("VognParams.damping", damping);
        OptimParamChecks.inRange("VognParams.curvatureEma", curvatureEma, 0, false, 1, true);
        OptimParamChecks.inRange("VognParams.momentum", momentum, 0, true, 1, false);
        if (momentumType == null) {
            throw new IllegalArgumentException("VognParams.momentumType must be RAW or PRECONDITIONED (got null)");
        }
        OptimParamChecks.inRange("VognParams.gradEma", gradEma, 0, false, 1, true);
        if (gradEmaType == null) {
            throw new IllegalArgumentException("VognParams.gradEmaType must be RAW or PRECONDITIONED (got null)");
        }
        if (warmupKlSteps < 0) {
            throw new IllegalArgumentException("VognParams.warmupKlSteps must be >= 0 (got " + warmupKlSteps + ")");
        }
        if (warmupKlSteps > 0) {
            OptimParamChecks.nonNegative("VognParams.warmupKlInit", warmupKlInit);
        }
        if (initPrecision == null && damping == 0) {
            // first step sets s = ĥ, which may be exactly 0 (dead units): the precision must stay positive
            throw new IllegalArgumentException("VognParams.damping must be > 0 when initPrecision is null");
        }
        if (initPrecision != null && initPrecision + damping <= 0) {
            throw new IllegalArgumentException("VognParams.initPrecision + damping must be > 0 (got "
                    + initPrecision + " + " + damping + ")");
        }
        noPriorParams = noPriorParams == null ? Set.of() : Set.copyOf(noPriorParams);
        schedule = schedule == null ? LrSchedule.constant() : schedule;
    }

    /** Params with the isotropic prior N(0, σ₀² I). */
    public VognParams(double lr, long datasetSize, int numMcSamples, double klWeighting, double priorVariance,
                      Double initPrecision, double damping, double curvatureEma, double momentum,
                      Stage momentumType, double gradEma, Stage gradEmaType, double warmupKlInit,
                      long warmupKlSteps, Set<String> noPriorParams, LrSchedule schedule) {
        this(lr, datasetSize, numMcSamples, klWeighting, priorVariance, initPrecision, damping, curvatureEma, momentum,
                momentumType, gradEma, gradEmaType, warmupKlInit, warmupKlSteps, noPriorParams, schedule, false);
    }

    /** These params with the per-parameter prior of the state ({@code true}) or the isotropic one. */
    public VognParams withPerParameterPrior(boolean perParameter) {
        return new VognParams(lr, datasetSize, numMcSamples, klWeighting, priorVariance, initPrecision, damping, curvatureEma,
                momentum, momentumType, gradEma, gradEmaType, warmupKlInit, warmupKlSteps, noPriorParams, schedule, perParameter);
    }

    /** Params with a constant learning rate and momentum. */
    public VognParams(double lr, long datasetSize, int numMcSamples, double klWeighting, double priorVariance,
                      Double initPrecision, double damping, double curvatureEma, double momentum,
                      Stage momentumType, double gradEma, Stage gradEmaType, double warmupKlInit,
                      long warmupKlSteps, Set<String> noPriorParams) {
        this(lr, datasetSize, numMcSamples, klWeighting, priorVariance, initPrecision, damping, curvatureEma, momentum,
                momentumType, gradEma, gradEmaType, warmupKlInit, warmupKlSteps, noPriorParams, LrSchedule.constant());
    }

    @Override
    public String optimizerName() {
        return Vogn.NAME;
    }

    @Override
    public Vogn create() {
        return new Vogn(this);
    }

    /**
     * From a training config, with the reference's (torchsso's) keys and defaults:
     * {@code optim_args.lr} (0.01), {@code momentum} (0), {@code momentum_type} (preconditioned),
     * {@code grad_ema_decay} (1: no EMA), {@code grad_ema_type} (raw), {@code num_mc_samples} (1),
     * {@code kl_weighting} (1), {@code init_precision} (none), {@code prior_variance} (1),
     * {@code warmup_kl_weighting_init} / {@code warmup_kl_weighting_steps} (none), {@code non_reg_for_bn}
     * (false: then the context's BatchNorm parameters get no prior), {@code curv_args.damping} (0),
     * {@code curv_args.ema_decay} (1); N and the schedule from the context.
     */
    public static VognParams fromConfig(OptimArgs a, OptimContext ctx) {
        double lr = a.number("optim_args.lr", 1e-2, 0, true, 1e3);
        double momentum = a.number("optim_args.momentum", 0, 0, false, 0.999999);
        String momentumType = a.string("optim_args.momentum_type", "preconditioned", "preconditioned", "raw");
        double gradEma = a.number("optim_args.grad_ema_decay", 1.0, 0, true, 1);
        String gradEmaType = a.string("optim_args.grad_ema_type", "raw", "raw", "preconditioned");
        int mc = a.integer("optim_args.num_mc_samples", 1, 1, 10_000);
        double kl = a.number("optim_args.kl_weighting", 1, 0, true, 1e6);
        Double initPrecision = a.optionalNumber("optim_args.init_precision", 0, true, 1e12);
        // the continual-learning reference's names: init_prec_ema for init_precision, prior_precision = 1/prior_variance
        Double initPrecEma = a.optionalNumber("optim_args.init_prec_ema", 0, true, 1e12);
        if (initPrecEma != null) {
            if (initPrecision != null) {
                throw a.error("optim_args.init_prec_ema", "is the reference's name of init_precision: give one of the two");
            }
            initPrecision = initPrecEma;
        }
        Double priorVarianceKey = a.optionalNumber("optim_args.prior_variance", 0, true, 1e12);
        Double priorPrecisionKey = a.optionalNumber("optim_args.prior_precision", 0, true, 1e12);
        if (priorVarianceKey != null && priorPrecisionKey != null) {
            throw a.error("optim_args.prior_precision", "is 1/prior_variance: give one of the two");
        }
        double priorVariance = priorPrecisionKey != null ? 1 / priorPrecisionKey : priorVarianceKey != null ? priorVarianceKey : 1;
        double priorMean = a.number("optim_args.prior_mean", 0, -1e12, false, 1e12);
        if (priorMean != 0) {
            throw a.error("optim_args.prior_mean", "the isotropic prior is centred at 0 (got " + priorMean
                    + "); per-parameter prior means come from the previous task's posterior in 'ngvi continual'");
        }
        Double warmInit = a.optionalNumber("optim_args.warmup_kl_weighting_init", 0, true, 1e6);
        int warmSteps = a.integer("optim_args.warmup_kl_weighting_steps", 0, 0, Integer.MAX_VALUE);
        if ((warmInit == null) != (warmSteps == 0)) {
            throw a.error("optim_args.warmup_kl_weighting_steps",
                    "a KL warm-up needs both warmup_kl_weighting_init and warmup_kl_weighting_steps > 0");
        }
        boolean nonRegForBn = a.bool("optim_args.non_reg_for_bn", false);
        double damping = a.number("curv_args.damping", 0, 0, false, 1e12);
        double curvEma = a.number("curv_args.ema_decay", 1.0, 0, true, 1);
        Set<String> noPrior = Set.of();
        if (nonRegForBn && !ctx.validating()) {
            if (ctx.normalizationParams() == null) {
                throw new IllegalArgumentException("optim_args.non_reg_for_bn needs the network to find its BatchNorm parameters");
            }
            noPrior = ctx.normalizationParams();
        }
        Builder b = builder(ctx.datasetSize()).lr(lr).numMcSamples(mc).klWeighting(kl).priorVariance(priorVariance)
                .initPrecision(initPrecision).damping(damping).curvatureEma(curvEma)
                .momentum(momentum, momentumType.equals("raw") ? Stage.RAW : Stage.PRECONDITIONED)
                .gradEma(gradEma, gradEmaType.equals("raw") ? Stage.RAW : Stage.PRECONDITIONED)
                .noPriorParams(noPrior).schedule(ctx.schedule());
        if (warmInit != null) {
            b.klWarmup(warmInit, warmSteps);
        }
        return b.build();
    }

    /** α_t, the learning rate of step t + 1 (t = {@code stepsDone}): {@code lr} under the {@link #schedule}. */
    @Override
    public double lrAt(long stepsDone) {
        return schedule.lr(lr, stepsDone);
    }

    /** β_t, the momentum of step t + 1: {@code momentum}, momentum-corrected when the schedule says so. */
    public double momentumAt(long stepsDone) {
        return schedule.momentum(momentum, lr, stepsDone);
    }

    /**
     * The KL weight used by step t + 1, i.e. after {@code stepsDone} = t steps: τ without warm-up;
     * with warm-up over T steps τ_init + (min(t, T) / T)(τ − τ_init) (so step 1 uses τ_init and
     * every step after step T uses τ), as torchsso's {@code adjust_kl_weighting}.
     */
    public double klWeightingAt(long stepsDone) {
        if (warmupKlSteps == 0) {
            return klWeighting;
        }
        long t = Math.min(stepsDone, warmupKlSteps);
        return warmupKlInit + ((double) t / warmupKlSteps) * (klWeighting - warmupKlInit);
    }

    /** λ = τ_t / (N σ₀²), the prior precision term of step t + 1 (t = {@code stepsDone}). */
    public double priorPrecisionAt(long stepsDone) {
        return klWeightingAt(stepsDone) / ((double) datasetSize * priorVariance);
    }

    /** c = √(τ_t / N), the scale of the posterior standard deviation after t = {@code stepsDone} steps. */
    public double stdScaleAt(long stepsDone) {
        return Math.sqrt(klWeightingAt(stepsDone) / datasetSize);
    }

    /** A builder with torchsso's VOGN defaults except {@code numMcSamples} 1 and no KL warm-up. */
    public static Builder builder(long datasetSize) {
        return new Builder(datasetSize);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder(datasetSize);
        b.lr = lr;
        b.numMcSamples = numMcSamples;
        b.klWeighting = klWeighting;
        b.priorVariance = priorVariance;
        b.initPrecision = initPrecision;
        b.damping = damping;
        b.curvatureEma = curvatureEma;
        b.momentum = momentum;
        b.momentumType = momentumType;
        b.gradEma = gradEma;
        b.gradEmaType = gradEmaType;
        b.warmupKlInit = warmupKlInit;
        b.warmupKlSteps = warmupKlSteps;
        b.noPriorParams = noPriorParams;
        b.schedule = schedule;
        b.perParameterPrior = perParameterPrior;
        return b;
    }

    /** Mutable builder for {@link VognParams}; {@link #build()} validates. */
    public static final class Builder {
        private final long datasetSize;
        private double lr = 1e-3;
        private int numMcSamples = 1;
        private double klWeighting = 1;
        private double priorVariance = 1;
        private Double initPrecision;
        private double damping = 1e-7;
        private double curvatureEma = 0.01;
        private double momentum;
        private Stage momentumType = Stage.PRECONDITIONED;
        private double gradEma = 0.1;
        private Stage gradEmaType = Stage.RAW;
        private double warmupKlInit = 0.01;
        private long warmupKlSteps;
        private Set<String> noPriorParams = Set.of();
        private LrSchedule schedule = LrSchedule.constant();
        private boolean perParameterPrior;

        private Builder(long datasetSize) {
            this.datasetSize = datasetSize;
        }

        public Builder lr(double v) { lr = v; return this; }
        public Builder numMcSamples(int v) { numMcSamples = v; return this; }
        public Builder klWeighting(double v) { klWeighting = v; return this; }
        public Builder priorVariance(double v) { priorVariance = v; return this; }
        public Builder initPrecision(Double v) { initPrecision = v; return this; }
        public Builder damping(double v) { damping = v; return this; }
        public Builder curvatureEma(double v) { curvatureEma = v; return this; }
        public Builder momentum(double v, Stage type) { momentum = v; momentumType = type; return this; }
        public Builder gradEma(double v, Stage type) { gradEma = v; gradEmaType = type; return this; }
        public Builder klWarmup(double init, long steps) { warmupKlInit = init; warmupKlSteps = steps; return this; }
        public Builder noPriorParams(Set<String> names) { noPriorParams = names; return this; }
        public Builder schedule(LrSchedule s) { schedule = s; return this; }
        public Builder perParameterPrior(boolean v) { perParameterPrior = v; return this; }

        public VognParams build() {
            return new VognParams(lr, datasetSize, numMcSamples, klWeighting, priorVariance, initPrecision, damping,
                    curvatureEma, momentum, momentumType, gradEma, gradEmaType, warmupKlInit, warmupKlSteps,
                    noPriorParams, schedule, perParameterPrior);
        }
    }

    /** JSON for checkpoints (this class's own field names, snake case); {@link #fromJson} inverts it. */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("lr", lr);
        n.put("dataset_size", datasetSize);
        n.put("num_mc_samples", numMcSamples);
        n.put("kl_weighting", klWeighting);
        n.put("prior_variance", priorVariance);
        if (initPrecision == null) {
            n.putNull("init_precision");
        } else {
            n.put("init_precision", initPrecision);
        }
        n.put("damping", damping);
        n.put("curvature_ema", curvatureEma);
        n.put("momentum", momentum);
        n.put("momentum_type", momentumType.jsonName());
        n.put("grad_ema", gradEma);
        n.put("grad_ema_type", gradEmaType.jsonName());
        n.put("warmup_kl_init", warmupKlInit);
        n.put("warmup_kl_steps", warmupKlSteps);
        ArrayNode np = n.putArray("no_prior_params");
        new TreeSet<>(noPriorParams).forEach(np::add);
        if (!schedule.isConstant()) {
            n.set("lr_schedule", schedule.toJson());
        }
        if (perParameterPrior) {
            n.put("per_parameter_prior", true);
        }
        return n;
    }

    /** Inverse of {@link #toJson()} (no {@code lr_schedule}: constant); missing or mistyped fields are a clear error. */
    public static VognParams fromJson(JsonNode n) {
        String w = "vogn params";
        JsonNode np = n == null ? null : n.get("no_prior_params");
        if (np == null || !np.isArray()) {
            throw new IllegalArgumentException(w + ": field 'no_prior_params' must be an array of parameter names");
        }
        Set<String> names = new TreeSet<>();
        np.forEach(x -> names.add(x.asText()));
        return new VognParams(OptimParamChecks.number(n, "lr", w), OptimParamChecks.integer(n, "dataset_size", w),
                Math.toIntExact(OptimParamChecks.integer(n, "num_mc_samples", w)),
                OptimParamChecks.number(n, "kl_weighting", w), OptimParamChecks.number(n, "prior_variance", w),
                OptimParamChecks.optionalNumber(n, "init_precision", w), OptimParamChecks.number(n, "damping", w),
                OptimParamChecks.number(n, "curvature_ema", w), OptimParamChecks.number(n, "momentum", w),
                Stage.fromJson(OptimParamChecks.text(n, "momentum_type", w), w + ".momentum_type"),
                OptimParamChecks.number(n, "grad_ema", w),
                Stage.fromJson(OptimParamChecks.text(n, "grad_ema_type", w), w + ".grad_ema_type"),
                OptimParamChecks.number(n, "warmup_kl_init", w), OptimParamChecks.integer(n, "warmup_kl_steps", w),
                names, LrSchedule.fromJson(n.get("lr_schedule")), n.path("per_parameter_prior").asBoolean(false));
    }

    /**
     * Maps torchsso's VOGN arguments (the {@code "hyper"} object of the fixture files) to params.
     * Options this implementation does not have are rejected when set to a non-default value
     * ({@code weight_decay} ≠ 0, {@code bias_correction}, {@code lars}, {@code normalizing_weights},
     * {@code acc_steps} ≠ 1, {@code non_reg_for_bn} — pass the BatchNorm names via
     * {@code noPriorParams} instead).
     */
    public static VognParams fromTorchssoJson(JsonNode hyper) {
        String w = "torchsso hyper";
        if (hyper == null || !hyper.isObject()) {
            throw new IllegalArgumentException(w + ": expected an object of torchsso VOGN arguments");
        }
        rejectIfSet(hyper, "weight_decay", 0);
        rejectIfSet(hyper, "acc_steps", 1);
        for (String flag : new String[] {"bias_correction", "lars", "normalizing_weights", "non_reg_for_bn"}) {
            JsonNode f = hyper.get(flag);
            if (f != null && f.asBoolean(false)) {
                throw new IllegalArgumentException(w + ": option '" + flag + "' = true is not supported");
            }
        }
        JsonNode curv = hyper.get("curv_kwargs");
        Double warmInit = OptimParamChecks.optionalNumber(hyper, "warmup_kl_weighting_init", w);
        Double warmSteps = OptimParamChecks.optionalNumber(hyper, "warmup_kl_weighting_steps", w);
        long steps = warmSteps == null ? 0 : (long) warmSteps.doubleValue();
        if (warmSteps != null && steps != warmSteps) {
            throw new IllegalArgumentException(w + ": field 'warmup_kl_weighting_steps' must be an integer (got " + warmSteps + ")");
        }
        return new VognParams(OptimParamChecks.number(hyper, "lr", w),
                OptimParamChecks.integer(hyper, "dataset_size", w),
                Math.toIntExact(OptimParamChecks.integer(hyper, "num_mc_samples", w)),
                OptimParamChecks.number(hyper, "kl_weighting", w),
                OptimParamChecks.number(hyper, "prior_variance", w),
                OptimParamChecks.optionalNumber(hyper, "init_precision", w),
                OptimParamChecks.number(curv, "damping", w + ".curv_kwargs"),
                OptimParamChecks.number(curv, "ema_decay", w + ".curv_kwargs"),
                OptimParamChecks.number(hyper, "momentum", w),
                Stage.fromJson(OptimParamChecks.text(hyper, "momentum_type", w), w + ".momentum_type"),
                OptimParamChecks.number(hyper, "grad_ema_decay", w),
                Stage.fromJson(OptimParamChecks.text(hyper, "grad_ema_type", w), w + ".grad_ema_type"),
                warmInit == null ? 0 : warmInit, steps, Set.of());
    }

    private static void rejectIfSet(JsonNode hyper, String field, double dflt) {
        JsonNode f = hyper.get(field);
        if (f != null && !f.isNull() && f.asDouble() != dflt) {
            throw new IllegalArgumentException("torchsso hyper: option '" + field + "' = " + f + " is not supported (only " + dflt + ")");
        }
    }
}
