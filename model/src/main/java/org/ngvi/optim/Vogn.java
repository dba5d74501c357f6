package org.ngvi.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;

/**
 * Variational Online Gauss-Newton (Khan et al. 2018; Osawa et al., "Practical Deep Learning with
 * Bayesian Principles", NeurIPS 2019), exactly as torchsso's {@code VOGN} computes it (the update
 * stated in {@code fixtures/README.md}, which the fixture tests replay).
 *
 * <p>Notation: N dataset size, τ_t KL weight after t steps ({@link VognParams#klWeightingAt}),
 * σ₀² prior variance, λ = τ_t/(N σ₀²) (0 for {@link VognParams#noPriorParams}), c = √(τ_t/N),
 * δ damping, ρ curvature EMA weight, γ gradient EMA weight, β = β_t momentum and α = α_t learning
 * rate of step t + 1 ({@link VognParams#momentumAt}, {@link VognParams#lrAt}: constant unless the
 * params carry an {@link org.ngvi.optim.schedule.LrSchedule}).
 * One step t → t + 1 on a mini-batch:
 * <ol>
 * <li>for k = 0..M−1: θ_k = μ + c · σ ∘ ε_k ({@link #sample}); L_k, ĝ_k = ∇L_k and
 *     ĥ_k = (1/B) Σᵢ (∇ℓᵢ(θ_k))² from the {@link Objective};</li>
 * <li>ĝ = mean_k ĝ_k, ĥ = mean_k ĥ_k; then {@link #update}:</li>
 * <li>g = ĝ + λ μ; [raw momentum: v ← β v + g, g = v]; [raw gradient EMA: m ← (1−γ) m + γ g, g = m];</li>
 * <li>s ← ρ ĥ + (1−ρ) s; λ̄ ← ρ λ + (1−ρ) λ̄ (per tensor, λ̄ starts at 0);</li>
 * <li>u = g / (s + δ + λ̄); [preconditioned momentum: v ← β v + u, u = v];
 *     [preconditioned gradient EMA: m ← (1−γ) m + γ u, u = m];</li>
 * <li>μ ← μ − α u; σ = (s + δ + λ̄)^(−1/2).</li>
 * </ol>
 * Momentum is skipped when β = 0 and the gradient EMA when γ = 1 (their buffers stay 0), as in
 * the reference. Without an init precision, the first step evaluates the objective at θ = μ
 * (once: all M samples would be equal) and sets s = ĥ, λ̄ = λ instead of averaging.
 * Parameters without prior are never sampled (θ = μ) and have λ = λ̄ = 0.
 *
 * <p>The posterior is q(θ) = N(μ, diag(c² σ²)) = N(μ, diag(τ / (N (s + δ + λ̄)))).
 *
 * <p>Per-parameter prior ({@link VognParams#perParameterPrior()}; continual learning, where the
 * posterior of one task is the prior of the next, as the reference's {@code continual-learning}
 * example hands it over): the state carries a prior N(m, diag(1/p)) with p in natural units, and
 * with κ = τ_t/N the isotropic λ μ and λ̄ become per-parameter:
 * <ol>
 * <li>g = ĝ + κ p ⊙ (μ − m);</li>
 * <li>κ̄ ← ρ κ + (1−ρ) κ̄ per tensor (the state's {@code prior_ema} holds κ̄), and P = s + δ + κ̄ p;</li>
 * <li>u = g / P, the rest as above; σ = P^(−1/2).</li>
 * </ol>
 * With an init precision, κ̄ starts at κ₀ (the prior is known before any data, so the initial
 * posterior precision is s₀ + δ + κ₀ p, the prior's plus s₀), not at 0 as the isotropic λ̄ does.
 * With p = 1/σ₀² and m = 0 this is the isotropic update up to rounding and λ̄'s start; the
 * isotropic path itself is unchanged. {@link #posteriorPrecision} is the natural-unit precision
 * N P / τ of a posterior, the p of the next task's prior ({@link #init(FlatTensor, FlatTensor, FlatTensor)}).
 *
 * <p>Performance: {@link #sample} and {@link #update} are single fused Java passes over the flat
 * buffers (FLOAT and DOUBLE paths); {@link #step} holds its scratch tensors per layout and
 * allocates nothing in ND4J once warm. An instance is used by one thread at a time.
 */
public final class Vogn implements Optimizer<VognState> {
    /** Optimizer name in checkpoints. */
    public static final String NAME = "vogn";
    /** Name of the λ̄ scalars in {@link VognState#scalars()}, checkpoints and snapshots. */
    public static final String PRIOR_EMA = "prior_ema";
    /** Name of the per-parameter prior mean m in {@link VognState#tensors()}. */
    public static final String PRIOR_MEAN = "prior_mean";
    /** Name of the per-parameter prior precision p (natural units) in {@link VognState#tensors()}. */
    public static final String PRIOR_PRECISION = "prior_precision";

    private final VognParams params;
    private ParamLayout flagsLayout;
    private boolean[] noPrior;
    private final Scratch epsScratch = new Scratch();
    private final Scratch thetaScratch = new Scratch();
    private final Scratch gradScratch = new Scratch();
    private final Scratch curvScratch = new Scratch();
    private final Scratch gradMeanScratch = new Scratch();
    private final Scratch curvMeanScratch = new Scratch();
    private FloatChunks chunks;

    public Vogn(VognParams params) {
        this.params = Objects.requireNonNull(params, "params");
    }

    @Override
    public VognParams params() {
        return params;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int mcSamples() {
        return params.numMcSamples();
    }

    /**
     * The initial state around {@code initial} (copied into μ): s = s₀ everywhere (0 without an
     * init precision), v = m = 0, λ̄ = 0, σ = (s₀ + δ)^(−1/2) (0 without an init precision), t = 0.
     */
    @Override
    public VognState init(FlatTensor initial) {
        if (params.perParameterPrior()) {
            FlatTensor m = FlatTensor.zeros(initial.layout(), initial.dataType());
            FlatTensor p = FlatTensor.zeros(initial.layout(), initial.dataType());
            p.flat().assign(1 / params.priorVariance());
            return init(initial, m, p);
        }
        NioBuffers.requireFloatingPoint(initial.dataType(), "Vogn.init");
        ParamLayout layout = initial.layout();
        DataType dt = initial.dataType();
        noPriorFlags(layout);
        FlatTensor curvature = FlatTensor.zeros(layout, dt);
        FlatTensor sigma = FlatTensor.zeros(layout, dt);
        if (params.initPrecision() != null) {
            curvature.flat().assign(params.initPrecision());
            sigma.flat().assign(1 / Math.sqrt(params.initPrecision() + params.damping()));
        }
        return new VognState(initial.copy(), curvature, FlatTensor.zeros(layout, dt), FlatTensor.zeros(layout, dt),
                sigma, new double[layout.size()], 0);
    }

    /**
     * The initial state of a run with the per-parameter prior N(m, diag(1/p)) ({@link
     * VognParams#perParameterPrior()} must be set): μ = {@code initial}, s = s₀ (0 without an init
     * precision), v = m = 0, κ̄ = τ₀/N per tensor with an init precision (0 without: the first
     * step sets it), σ = (s₀ + δ + κ̄ p)^(−1/2), t = 0. All three tensors are copied.
     */
    public VognState init(FlatTensor initial, FlatTensor priorMean, FlatTensor priorPrecision) {
        if (!params.perParameterPrior()) {
            throw new IllegalArgumentException("Vogn.init(initial, priorMean, priorPrecision) needs params with perParameterPrior");
        }
        NioBuffers.requireFloatingPoint(initial.dataType(), "Vogn.init");
        ParamLayout layout = initial.layout();
        DataType dt = initial.dataType();
        NioBuffers.requireSame(layout, dt, "Vogn.init(priorMean, priorPrecision)", priorMean, priorPrecision);
        boolean[] np = noPriorFlags(layout);
        FlatTensor curvature = FlatTensor.zeros(layout, dt);
        double[] kappa = new double[layout.size()];
        if (params.initPrecision() != null) {
            curvature.flat().assign(params.initPrecision());
            for (int i = 0; i < kappa.length; i++) {
                kappa[i] = np[i] ? 0 : params.klWeightingAt(0) / params.datasetSize();
            }
        }
        return state(initial.copy(), curvature, FlatTensor.zeros(layout, dt), FlatTensor.zeros(layout, dt),
                FlatTensor.zeros(layout, dt), kappa, 0, priorMean.copy(), priorPrecision.copy());
    }

    /**
     * The posterior precision of {@code s} in natural units, N (s + δ + λ̄) / τ_t = 1/(c σ)² (the
     * precision of q(θ), with per-parameter prior N (s + δ + κ̄ p) / τ_t), newly allocated; 0 for
     * parameters without prior. The p of the next task's prior in continual learning.
     */
    public FlatTensor posteriorPrecision(VognState s) {
        FlatTensor out = precision(s);
        double scale = params.datasetSize() / params.klWeightingAt(s.step());
        boolean[] np = noPriorFlags(s.mean().layout());
        for (int i = 0; i < np.length; i++) {
            out.view(i).muli(np[i] ? 0 : scale);
        }
        return out;
    }

    /**
     * Assembles a state from its primary fields (e.g. after aggregation or from a checkpoint),
     * computing σ = (s + δ + λ̄)^(−1/2) (0 when there is no curvature estimate yet). The buffers
     * are used as given (not copied); σ is newly allocated.
     */
    public VognState state(FlatTensor mean, FlatTensor curvature, FlatTensor momentum, FlatTensor gradEma,
                           double[] priorEma, long step) {
        return state(mean, curvature, momentum, gradEma, FlatTensor.zeros(mean.layout(), mean.dataType()), priorEma, step);
    }

    /**
     * As {@link #state(FlatTensor, FlatTensor, FlatTensor, FlatTensor, double[], long)}, with σ
     * written into the given {@code sigma} buffer (a worker restoring a state every round reuses it).
     */
    public VognState state(FlatTensor mean, FlatTensor curvature, FlatTensor momentum, FlatTensor gradEma,
                           FlatTensor sigma, double[] priorEma, long step) {
        return state(mean, curvature, momentum, gradEma, sigma, priorEma, step, null, null);
    }

    /**
     * As {@link #state(FlatTensor, FlatTensor, FlatTensor, FlatTensor, FlatTensor, double[], long)}
     * with the per-parameter prior (m, p) ({@code null}, {@code null}: isotropic), which must match
     * {@link VognParams#perParameterPrior()}.
     */
    public VognState state(FlatTensor mean, FlatTensor curvature, FlatTensor momentum, FlatTensor gradEma,
                           FlatTensor sigma, double[] priorEma, long step, FlatTensor priorMean, FlatTensor priorPrecision) {
        if (params.perParameterPrior() != (priorPrecision != null)) {
            throw new IllegalArgumentException("VOGN params " + (params.perParameterPrior() ? "with" : "without")
                    + " a per-parameter prior, but the state has " + (priorPrecision != null ? "one" : "none"));
        }
        VognState s = new VognState(mean, curvature, momentum, gradEma, sigma, priorEma, step, priorMean, priorPrecision);
        noPriorFlags(mean.layout());
        if (hasCurvatureEstimate(s)) {
            computeSigma(s);
        } else {
            sigma.flat().assign(0);
        }
        return s;
    }

    /** σ = (s + δ + λ̄)^(−1/2) into {@code s.sigma()}, rounded exactly as {@link #update} rounds it. */
    private void computeSigma(VognState s) {
        if (s.hasPerParameterPrior()) {
            PerParameter.sigma(s, params.damping(), s.sigma());
            return;
        }
        ParamLayout layout = s.mean().layout();
        boolean dbl = s.mean().dataType() == DataType.DOUBLE;
        int bs = NioBuffers.base(s.curvature());
        int bsig = NioBuffers.base(s.sigma());
        double[] lbar = s.priorEma();
        for (int i = 0; i < layout.size(); i++) {
            int off = Math.toIntExact(layout.offset(i));
            int end = off + Math.toIntExact(layout.spec(i).size());
            double add = params.damping() + lbar[i];
            if (dbl) {
                DoubleBuffer S = NioBuffers.d(s.curvature());
                DoubleBuffer SIG = NioBuffers.d(s.sigma());
                for (int j = off; j < end; j++) {
                    SIG.put(bsig + j, 1 / Math.sqrt(S.get(bs + j) + add));
                }
            } else {
                FloatBuffer S = NioBuffers.f(s.curvature());
                FloatBuffer SIG = NioBuffers.f(s.sigma());
                float addF = (float) add;
                for (int j = off; j < end; j++) {
                    SIG.put(bsig + j, 1f / (float) Math.sqrt(S.get(bs + j) + addF));
                }
            }
        }
    }

    /** Whether s holds a curvature estimate: always with an init precision, else after the first step. */
    public boolean hasCurvatureEstimate(VognState s) {
        return params.initPrecision() != null || s.step() > 0;
    }

    /**
     * Writes a weight sample θ = μ + c · σ ∘ ε into {@code theta}, with c = √(τ_t/N) for the
     * state's step t; θ = μ for parameters without prior and before the first curvature estimate.
     * One fused pass; allocation-free.
     */
    public void sample(VognState s, FlatTensor eps, FlatTensor theta) {
        FlatTensor mu = s.mean();
        ParamLayout layout = mu.layout();
        NioBuffers.requireSame(layout, mu.dataType(), "Vogn.sample(eps, theta)", eps, theta);
        boolean[] np = noPriorFlags(layout);
        double c = hasCurvatureEstimate(s) ? params.stdScaleAt(s.step()) : 0;
        int bm = NioBuffers.base(mu);
        int bs = NioBuffers.base(s.sigma());
        int be = NioBuffers.base(eps);
        int bt = NioBuffers.base(theta);
        boolean dbl = mu.dataType() == DataType.DOUBLE;
        DoubleBuffer Md = dbl ? NioBuffers.d(mu) : null;
        DoubleBuffer Sd = dbl ? NioBuffers.d(s.sigma()) : null;
        DoubleBuffer Ed = dbl ? NioBuffers.d(eps) : null;
        DoubleBuffer Td = dbl ? NioBuffers.d(theta) : null;
        FloatBuffer Mf = dbl ? null : NioBuffers.f(mu);
        FloatBuffer Sf = dbl ? null : NioBuffers.f(s.sigma());
        FloatBuffer Ef = dbl ? null : NioBuffers.f(eps);
        FloatBuffer Tf = dbl ? null : NioBuffers.f(theta);
        for (int i = 0; i < layout.size(); i++) {
            int off = Math.toIntExact(layout.offset(i));
            int end = off + Math.toIntExact(layout.spec(i).size());
            double ci = np[i] ? 0 : c;
            if (dbl) {
                for (int j = off; j < end; j++) {
                    Td.put(bt + j, Md.get(bm + j) + ci * Sd.get(bs + j) * Ed.get(be + j));
                }
            } else {
                float cf = (float) ci;
                FloatChunks ch = chunks();
                float[] cmu = ch.mu;
                float[] csig = ch.sig;
                float[] ceps = ch.g;
                for (int start = off; start < end; start += FloatChunks.SIZE) {
                    int n = Math.min(FloatChunks.SIZE, end - start);
                    Mf.get(bm + start, cmu, 0, n);
                    if (cf != 0) {
                        Sf.get(bs + start, csig, 0, n);
                        Ef.get(be + start, ceps, 0, n);
                        for (int j = 0; j < n; j++) {
                            cmu[j] = cmu[j] + cf * csig[j] * ceps[j];
                        }
                    }
                    Tf.put(bt + start, cmu, 0, n);
                }
            }
        }
    }

    /**
     * Steps 4–10 of the README update on the MC means ĝ ({@code gradMcMean}, the mean loss
     * gradient before the prior term) and ĥ ({@code curvMcMean}), as ONE fused Java pass over
     * the flat buffers (FLOAT: streamed in L1-sized chunks through heap arrays so the JIT emits
     * SIMD code; each element is read and written once), allocation-free in ND4J. Consumes {@code s}: its
     * tensors μ, s, v, m and σ are updated in place and handed to the returned state, whose step is
     * t + 1 and whose λ̄ is a new array (the input state's λ̄ is not written). The inputs ĝ, ĥ are not modified.
     */
    @Override
    public VognState update(FlatTensor gradMcMean, FlatTensor curvMcMean, VognState s) {
        ParamLayout layout = s.mean().layout();
        DataType dt = s.mean().dataType();
        NioBuffers.requireSame(layout, dt, "Vogn.update(gradMcMean, curvMcMean)", gradMcMean, curvMcMean);
        boolean[] np = noPriorFlags(layout);
        boolean first = !hasCurvatureEstimate(s);
        double rho = params.curvatureEma();
        double[] lbar = s.priorEma();
        if (s.hasPerParameterPrior()) {
            double kappa = params.klWeightingAt(s.step()) / params.datasetSize();
            for (int i = 0; i < layout.size(); i++) {
                double k = np[i] ? 0 : kappa;
                lbar[i] = first ? k : rho * k + (1 - rho) * lbar[i];
            }
            PerParameter.update(new Pass(params, first, s.step()), layout, np, kappa, lbar, gradMcMean, curvMcMean, s);
            return new VognState(s.mean(), s.curvature(), s.momentum(), s.gradEma(), s.sigma(), lbar, s.step() + 1,
                    s.priorMean(), s.priorPrecision());
        }
        double lambda = params.priorPrecisionAt(s.step());
        for (int i = 0; i < layout.size(); i++) {
            double lam = np[i] ? 0 : lambda;
            lbar[i] = first ? lam : rho * lam + (1 - rho) * lbar[i];
        }
        Pass pass = new Pass(params, first, s.step());
        if (dt == DataType.DOUBLE) {
            pass.runDouble(layout, np, lambda, lbar, gradMcMean, curvMcMean, s);
        } else {
            pass.runFloat(layout, np, lambda, lbar, gradMcMean, curvMcMean, s, chunks());
        }
        return new VognState(s.mean(), s.curvature(), s.momentum(), s.gradEma(), s.sigma(), lbar, s.step() + 1);
    }

    /** The loop-invariant scalars of one update pass. */
    private static final class Pass {
        final double lr;
        final double rho;
        final double delta;
        final double beta;
        final double gamma;
        final boolean rawMom;
        final boolean preMom;
        final boolean rawEma;
        final boolean preEma;
        final boolean first;

        Pass(VognParams p, boolean first, long stepsDone) {
            lr = p.lrAt(stepsDone);
            rho = p.curvatureEma();
            delta = p.damping();
            beta = p.momentumAt(stepsDone);
            gamma = p.gradEma();
            rawMom = p.momentum() != 0 && p.momentumType() == VognParams.Stage.RAW;
            preMom = p.momentum() != 0 && p.momentumType() == VognParams.Stage.PRECONDITIONED;
            rawEma = gamma != 1 && p.gradEmaType() == VognParams.Stage.RAW;
            preEma = gamma != 1 && p.gradEmaType() == VognParams.Stage.PRECONDITIONED;
            this.first = first;
        }

        void runDouble(ParamLayout layout, boolean[] np, double lambda, double[] lbar, FlatTensor gIn,
                       FlatTensor hIn, VognState s) {
            DoubleBuffer G = NioBuffers.d(gIn);
            DoubleBuffer H = NioBuffers.d(hIn);
            DoubleBuffer MU = NioBuffers.d(s.mean());
            DoubleBuffer S = NioBuffers.d(s.curvature());
            DoubleBuffer V = NioBuffers.d(s.momentum());
            DoubleBuffer M = NioBuffers.d(s.gradEma());
            DoubleBuffer SIG = NioBuffers.d(s.sigma());
            int bg = NioBuffers.base(gIn);
            int bh = NioBuffers.base(hIn);
            int bmu = NioBuffers.base(s.mean());
            int bs = NioBuffers.base(s.curvature());
            int bv = NioBuffers.base(s.momentum());
            int bm = NioBuffers.base(s.gradEma());
            int bsig = NioBuffers.base(s.sigma());
            double keep = first ? 0 : 1 - rho;
            double take = first ? 1 : rho;
            for (int i = 0; i < layout.size(); i++) {
                int off = Math.toIntExact(layout.offset(i));
                int end = off + Math.toIntExact(layout.spec(i).size());
                double lam = np[i] ? 0 : lambda;
                double add = delta + lbar[i];
                for (int j = off; j < end; j++) {
                    double mu = MU.get(bmu + j);
                    double g = G.get(bg + j) + lam * mu;
                    if (rawMom) {
                        g = beta * V.get(bv + j) + g;
                        V.put(bv + j, g);
                    }
                    if (rawEma) {
                        g = (1 - gamma) * M.get(bm + j) + gamma * g;
                        M.put(bm + j, g);
                    }
                    double sNew = take * H.get(bh + j) + keep * S.get(bs + j);
                    S.put(bs + j, sNew);
                    double prec = sNew + add;
                    double u = g / prec;
                    if (preMom) {
                        u = beta * V.get(bv + j) + u;
                        V.put(bv + j, u);
                    }
                    if (preEma) {
                        u = (1 - gamma) * M.get(bm + j) + gamma * u;
                        M.put(bm + j, u);
                    }
                    MU.put(bmu + j, mu - lr * u);
                    SIG.put(bsig + j, 1 / Math.sqrt(prec));
                }
            }
        }

        /**
         * FLOAT path: the flat buffers are streamed once, in chunks of {@link FloatChunks#SIZE}
         * elements copied to heap arrays (bulk NIO copies), where each stage is a simple loop the
         * JIT vectorizes (SIMD sqrt, division, fma-able arithmetic); results are copied back.
         */
        void runFloat(ParamLayout layout, boolean[] np, double lambda, double[] lbar, FlatTensor gIn,
                      FlatTensor hIn, VognState s, FloatChunks c) {
            FloatBuffer G = NioBuffers.f(gIn);
            FloatBuffer H = NioBuffers.f(hIn);
            FloatBuffer MU = NioBuffers.f(s.mean());
            FloatBuffer S = NioBuffers.f(s.curvature());
            FloatBuffer V = NioBuffers.f(s.momentum());
            FloatBuffer M = NioBuffers.f(s.gradEma());
            FloatBuffer SIG = NioBuffers.f(s.sigma());
            int bg = NioBuffers.base(gIn);
            int bh = NioBuffers.base(hIn);
            int bmu = NioBuffers.base(s.mean());
            int bs = NioBuffers.base(s.curvature());
            int bv = NioBuffers.base(s.momentum());
            int bm = NioBuffers.base(s.gradEma());
            int bsig = NioBuffers.base(s.sigma());
            float keep = (float) (first ? 0 : 1 - rho);
            float take = (float) (first ? 1 : rho);
            float b = (float) beta;
            float gm = (float) gamma;
            float gk = (float) (1 - gamma);
            float a = (float) lr;
            boolean useV = rawMom || preMom;
            boolean useM = rawEma || preEma;
            float[] cg = c.g;
            float[] ch = c.h;
            float[] cmu = c.mu;
            float[] cs = c.s;
            float[] cv = c.v;
            float[] cm = c.m;
            float[] csig = c.sig;
            float[] cu = c.u;
            for (int i = 0; i < layout.size(); i++) {
                int off = Math.toIntExact(layout.offset(i));
                int end = off + Math.toIntExact(layout.spec(i).size());
                float lam = (float) (np[i] ? 0 : lambda);
                float add = (float) (delta + lbar[i]);
                for (int start = off; start < end; start += FloatChunks.SIZE) {
                    int n = Math.min(FloatChunks.SIZE, end - start);
                    G.get(bg + start, cg, 0, n);
                    H.get(bh + start, ch, 0, n);
                    MU.get(bmu + start, cmu, 0, n);
                    S.get(bs + start, cs, 0, n);
                    if (useV) {
                        V.get(bv + start, cv, 0, n);
                    }
                    if (useM) {
                        M.get(bm + start, cm, 0, n);
                    }
                    for (int j = 0; j < n; j++) {
                        cg[j] = cg[j] + lam * cmu[j];
                    }
                    float[] g = cg;
                    if (rawMom) {
                        for (int j = 0; j < n; j++) {
                            cv[j] = b * cv[j] + g[j];
                        }
                        g = cv;
                    }
                    if (rawEma) {
                        for (int j = 0; j < n; j++) {
                            cm[j] = gk * cm[j] + gm * g[j];
                        }
                        g = cm;
                    }
                    for (int j = 0; j < n; j++) {
                        float sNew = take * ch[j] + keep * cs[j];
                        cs[j] = sNew;
                        float r = 1f / (float) Math.sqrt(sNew + add);
                        csig[j] = r;
                        cu[j] = g[j] * (r * r);
                    }
                    float[] u = cu;
                    if (preMom) {
                        for (int j = 0; j < n; j++) {
                            cv[j] = b * cv[j] + u[j];
                        }
                        u = cv;
                    }
                    if (preEma) {
                        for (int j = 0; j < n; j++) {
                            cm[j] = gk * cm[j] + gm * u[j];
                        }
                        u = cm;
                    }
                    for (int j = 0; j < n; j++) {
                        cmu[j] = cmu[j] - a * u[j];
                    }
                    MU.put(bmu + start, cmu, 0, n);
                    S.put(bs + start, cs, 0, n);
                    SIG.put(bsig + start, csig, 0, n);
                    if (useV) {
                        V.put(bv + start, cv, 0, n);
                    }
                    if (useM) {
                        M.put(bm + start, cm, 0, n);
                    }
                }
            }
        }
    }

    /**
     * The per-parameter-prior passes, element by element in double arithmetic over either storage
     * type (the isotropic FLOAT pass above is the tuned one; these run once per step on the driver
     * or task and cost about a millisecond per 100k parameters).
     */
    private static final class PerParameter {
        /** A float or double flat buffer read and written as doubles. */
        private record Buf(FloatBuffer f, DoubleBuffer d, int base) {
            static Buf of(FlatTensor t) {
                boolean dbl = t.dataType() == DataType.DOUBLE;
                return new Buf(dbl ? null : NioBuffers.f(t), dbl ? NioBuffers.d(t) : null, NioBuffers.base(t));
            }

            double get(int j) {
                return d != null ? d.get(base + j) : f.get(base + j);
            }

            void put(int j, double v) {
                if (d != null) {
                    d.put(base + j, v);
                } else {
                    f.put(base + j, (float) v);
                }
            }
        }

        /** σ = (s + δ + κ̄ p)^(−1/2) into {@code out}. */
        static void sigma(VognState s, double damping, FlatTensor out) {
            Buf S = Buf.of(s.curvature());
            Buf P = Buf.of(s.priorPrecision());
            Buf SIG = Buf.of(out);
            double[] kbar = s.priorEma();
            ParamLayout layout = s.mean().layout();
            for (int i = 0; i < layout.size(); i++) {
                int off = Math.toIntExact(layout.offset(i));
                int end = off + Math.toIntExact(layout.spec(i).size());
                for (int j = off; j < end; j++) {
                    SIG.put(j, 1 / Math.sqrt(S.get(j) + damping + kbar[i] * P.get(j)));
                }
            }
        }

        /** P = s + δ + κ̄ p into {@code out}. */
        static void precision(VognState s, double damping, FlatTensor out) {
            Buf S = Buf.of(s.curvature());
            Buf P = Buf.of(s.priorPrecision());
            Buf O = Buf.of(out);
            double[] kbar = s.priorEma();
            ParamLayout layout = s.mean().layout();
            for (int i = 0; i < layout.size(); i++) {
                int off = Math.toIntExact(layout.offset(i));
                int end = off + Math.toIntExact(layout.spec(i).size());
                for (int j = off; j < end; j++) {
                    O.put(j, S.get(j) + damping + kbar[i] * P.get(j));
                }
            }
        }

        /** The class comment's per-parameter update, in place; {@code kbar} is the new κ̄. */
        static void update(Pass c, ParamLayout layout, boolean[] np, double kappa, double[] kbar, FlatTensor gIn,
                           FlatTensor hIn, VognState s) {
            Buf G = Buf.of(gIn);
            Buf H = Buf.of(hIn);
            Buf MU = Buf.of(s.mean());
            Buf S = Buf.of(s.curvature());
            Buf V = Buf.of(s.momentum());
            Buf M = Buf.of(s.gradEma());
            Buf SIG = Buf.of(s.sigma());
            Buf PM = Buf.of(s.priorMean());
            Buf PP = Buf.of(s.priorPrecision());
            double keep = c.first ? 0 : 1 - c.rho;
            double take = c.first ? 1 : c.rho;
            for (int i = 0; i < layout.size(); i++) {
                int off = Math.toIntExact(layout.offset(i));
                int end = off + Math.toIntExact(layout.spec(i).size());
                double k = np[i] ? 0 : kappa;
                double kb = np[i] ? 0 : kbar[i];
                for (int j = off; j < end; j++) {
                    double mu = MU.get(j);
                    double p = PP.get(j);
                    double g = G.get(j) + k * p * (mu - PM.get(j));
                    if (c.rawMom) {
                        g = c.beta * V.get(j) + g;
                        V.put(j, g);
                    }
                    if (c.rawEma) {
                        g = (1 - c.gamma) * M.get(j) + c.gamma * g;
                        M.put(j, g);
                    }
                    double sNew = take * H.get(j) + keep * S.get(j);
                    S.put(j, sNew);
                    double prec = sNew + c.delta + kb * p;
                    double u = g / prec;
                    if (c.preMom) {
                        u = c.beta * V.get(j) + u;
                        V.put(j, u);
                    }
                    if (c.preEma) {
                        u = (1 - c.gamma) * M.get(j) + c.gamma * u;
                        M.put(j, u);
                    }
                    MU.put(j, mu - c.lr * u);
                    SIG.put(j, 1 / Math.sqrt(prec));
                }
            }
        }
    }

    /** Heap scratch arrays for the chunked FLOAT passes (Java heap, allocated once per optimizer). */
    static final class FloatChunks {
        static final int SIZE = 1024;
        final float[] g = new float[SIZE];
        final float[] h = new float[SIZE];
        final float[] mu = new float[SIZE];
        final float[] s = new float[SIZE];
        final float[] v = new float[SIZE];
        final float[] m = new float[SIZE];
        final float[] sig = new float[SIZE];
        final float[] u = new float[SIZE];
    }

    /**
     * One VOGN step: for k &lt; M, ε_k from {@code noise.fill(t, k, ε)} (t = {@code s.step()}),
     * θ_k by {@link #sample}, {@code objective.evaluate(θ_k, ĝ_k, ĥ_k)}; the MC means then go to
     * {@link #update}. Consumes {@code s}. The loss is the mean over the MC samples. No ND4J
     * allocation once the scratch tensors for the layout exist.
     */
    @Override
    public StepResult<VognState> step(Objective objective, VognState s, NoiseSource noise) {
        ParamLayout layout = s.mean().layout();
        DataType dt = s.mean().dataType();
        FlatTensor gMean = gradMeanScratch.get(layout, dt);
        FlatTensor hMean = curvMeanScratch.get(layout, dt);
        double loss = gradients(objective, s, noise, gMean, hMean);
        return new StepResult<>(update(gMean, hMean, s), loss);
    }

    /**
     * Steps 1–3 of a VOGN step without the update: ĝ = (1/M) Σ_k ∇L(θ_k) and
     * ĥ = (1/M) Σ_k (1/B) Σᵢ (∇ℓᵢ(θ_k))² at the M weight samples θ_k of {@code s} (ε_k from
     * {@code noise.fill(t, k, ε)}), written into {@code gradOut} and {@code curvOut}; returns the
     * mean loss over the samples. Does not change {@code s}. This is what a task of synchronous
     * data-parallel VOGN computes on its share of the batch; {@link #update} then applies the
     * example-weighted mean over tasks. Allocation-free once warm.
     */
    @Override
    public double gradients(Objective objective, VognState s, NoiseSource noise, FlatTensor gradOut, FlatTensor curvOut) {
        FlatTensor mu = s.mean();
        ParamLayout layout = mu.layout();
        DataType dt = mu.dataType();
        NioBuffers.requireSame(layout, dt, "Vogn.mcGradients(gradOut, curvOut)", gradOut, curvOut);
        boolean[] np = noPriorFlags(layout);
        int m = params.numMcSamples();
        boolean sampling = hasCurvatureEstimate(s) && params.stdScaleAt(s.step()) > 0 && !allTrue(np);
        int evaluations = sampling ? m : 1; // without sampling every θ_k = μ: evaluate once
        FlatTensor eps = sampling ? epsScratch.get(layout, dt) : null;
        FlatTensor theta = sampling ? thetaScratch.get(layout, dt) : mu;
        FlatTensor g = evaluations > 1 ? gradScratch.get(layout, dt) : gradOut;
        FlatTensor h = evaluations > 1 ? curvScratch.get(layout, dt) : curvOut;
        double lossSum = 0;
        for (int k = 0; k < evaluations; k++) {
            if (sampling) {
                noise.fill(s.step(), k, eps);
                sample(s, eps, theta);
            }
            lossSum += objective.evaluate(theta, g, h);
            if (evaluations > 1) {
                NioBuffers.accumulateMean(gradOut, g, evaluations, k == 0);
                NioBuffers.accumulateMean(curvOut, h, evaluations, k == 0);
            }
        }
        return lossSum / evaluations;
    }

    @Override
    public boolean needsCurvature() {
        return true;
    }

    /**
     * The posterior standard deviation c · σ = √(τ_t / (N (s + δ + λ̄))) (0 for parameters without
     * prior and before the first curvature estimate), newly allocated.
     */
    public FlatTensor std(VognState s) {
        FlatTensor out = FlatTensor.zeros(s.mean().layout(), s.mean().dataType());
        std(s, out);
        return out;
    }

    /** {@link #std(VognState)} into {@code out}. */
    public void std(VognState s, FlatTensor out) {
        ParamLayout layout = s.mean().layout();
        NioBuffers.requireSame(layout, s.mean().dataType(), "Vogn.std(out)", out);
        boolean[] np = noPriorFlags(layout);
        double c = hasCurvatureEstimate(s) ? params.stdScaleAt(s.step()) : 0;
        for (int i = 0; i < layout.size(); i++) {
            out.view(i).assign(s.sigma().view(i)).muli(np[i] ? 0 : c);
        }
    }

    /**
     * The posterior precision up to the factor N/τ: P = s + δ + λ̄ (per tensor λ̄), newly
     * allocated. This is what natural-parameter averaging across Spark tasks weights μ with:
     * μ = Σ n_k P_k μ_k / Σ n_k P_k.
     */
    public FlatTensor precision(VognState s) {
        FlatTensor out = FlatTensor.zeros(s.mean().layout(), s.mean().dataType());
        precision(s, out);
        return out;
    }

    /** {@link #precision(VognState)} into {@code out}. */
    @Override
    public void precision(VognState s, FlatTensor out) {
        ParamLayout layout = s.mean().layout();
        NioBuffers.requireSame(layout, s.mean().dataType(), "Vogn.precision(out)", out);
        if (s.hasPerParameterPrior()) {
            PerParameter.precision(s, params.damping(), out);
            return;
        }
        double[] lbar = s.priorEma();
        for (int i = 0; i < layout.size(); i++) {
            out.view(i).assign(s.curvature().view(i)).addi(params.damping() + lbar[i]);
        }
    }

    /** μ is combined as a natural parameter, weighted by P = s + δ + λ̄. */
    @Override
    public String precisionWeightedTensor() {
        return "params";
    }

    /** The Gaussian posterior N(μ, diag(std²)) of {@code s}, with μ copied and std = {@link #std}. */
    @Override
    public GaussianPosterior posterior(NetworkSpec spec, VognState s) {
        return new GaussianPosterior(spec, s.mean().copy(), std(s));
    }

    /** The optimizer a checkpoint was written by; a clear error for another optimizer's checkpoint. */
    public static Vogn fromCheckpoint(ModelCheckpoint c) {
        c.requireOptimizer(NAME);
        return new Vogn(VognParams.fromJson(c.optimizerParams()));
    }

    /** {@code params} (μ), {@code curvature} (s), {@code momentum} (v), {@code grad_ema} (m). */
    @Override
    public List<String> tensorNames() {
        return params.perParameterPrior() ? List.of("params", "curvature", "momentum", "grad_ema", PRIOR_MEAN, PRIOR_PRECISION)
                : List.of("params", "curvature", "momentum", "grad_ema");
    }

    /** {@code prior_ema} (λ̄). */
    @Override
    public List<String> scalarNames() {
        return List.of(PRIOR_EMA);
    }

    /** v when momentum β = 0 and m when the gradient EMA weight γ = 1: the update never writes them. */
    @Override
    public Set<String> constantZeroTensors() {
        Set<String> zero = new java.util.HashSet<>();
        if (params.momentum() == 0) {
            zero.add("momentum");
        }
        if (params.gradEma() == 1) {
            zero.add("grad_ema");
        }
        return zero;
    }

    /** μ and s (with λ̄ and t, and with a per-parameter prior p) determine the weight samples. */
    @Override
    public Set<String> samplingTensors() {
        return params.perParameterPrior() ? Set.of("params", "curvature", PRIOR_PRECISION) : Set.of("params", "curvature");
    }

    /** {@link #state} of the named tensors; σ recomputed into {@code reuse}'s σ when given. */
    @Override
    public VognState assemble(Map<String, FlatTensor> t, long step, Map<String, double[]> scalars, VognState reuse) {
        FlatTensor mu = t.get("params");
        FlatTensor sigma = reuse != null ? reuse.sigma() : FlatTensor.zeros(mu.layout(), mu.dataType());
        double[] lbar = scalars.get(PRIOR_EMA);
        if (lbar == null) {
            throw new IllegalArgumentException("VOGN state without scalars '" + PRIOR_EMA + "' (has " + scalars.keySet() + ")");
        }
        return state(mu, t.get("curvature"), t.get("momentum"), t.get("grad_ema"), sigma, lbar, step,
                t.get(PRIOR_MEAN), t.get(PRIOR_PRECISION));
    }

    private FloatChunks chunks() {
        if (chunks == null) {
            chunks = new FloatChunks();
        }
        return chunks;
    }

    private boolean[] noPriorFlags(ParamLayout layout) {
        if (layout.equals(flagsLayout)) {
            return noPrior;
        }
        for (String name : params.noPriorParams()) {
            if (!layout.contains(name)) {
                throw new IllegalArgumentException("VognParams.noPriorParams names '" + name
                        + "', which is not a parameter of the layout " + layout);
            }
        }
        boolean[] flags = new boolean[layout.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = params.noPriorParams().contains(layout.spec(i).name());
        }
        flagsLayout = layout;
        noPrior = flags;
        return flags;
    }

    private static boolean allTrue(boolean[] a) {
        for (boolean b : a) {
            if (!b) {
                return false;
            }
        }
        return true;
    }
}
