package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.nn.DenseAccess;
import org.ngvi.optim.schedule.ExponentialLr;
import org.ngvi.optim.schedule.GradualWarmupLr;
import org.ngvi.optim.schedule.LrSchedule;
import org.ngvi.optim.schedule.MultiStepLr;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/**
 * VOGN on a quadratic objective: a step computed by hand, and several steps of every option
 * (KL warm-up, no init precision, raw momentum, preconditioned gradient EMA, parameters without
 * prior) against a plain scalar transcription of torchsso's update order.
 */
class VognTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {2, 3}), new ParamSpec("0.bias", new long[] {2})));
    private static final int N = 8;
    private static final double[] A = {1.0, 0.5, 2.0, 1.5, 0.8, 1.2, 0.3, 2.5};
    /** per-example targets b_ij, B = 2 examples */
    private static final double[][] TARGETS = {
            {0.3, -0.2, 0.5, 1.0, -0.7, 0.1, 0.4, -0.3},
            {-0.1, 0.6, 0.2, 0.4, -0.2, -0.5, 0.9, 0.2}};

    /** ℓᵢ(θ) = ½ Σⱼ aⱼ (θⱼ − bᵢⱼ)², L = mean ℓᵢ, ∇L, ĥ = mean (aⱼ (θⱼ − bᵢⱼ))²; allocation-free. */
    static final class Quadratic implements Objective {
        int calls;

        @Override
        public double evaluate(FlatTensor theta, FlatTensor grad, FlatTensor sqGrad) {
            calls++;
            DenseAccess th = DenseAccess.of(theta.flat());
            DenseAccess g = DenseAccess.of(grad.flat());
            DenseAccess h = sqGrad == null ? null : DenseAccess.of(sqGrad.flat());
            double loss = 0;
            for (int j = 0; j < N; j++) {
                double gs = 0;
                double hs = 0;
                for (double[] b : TARGETS) {
                    double gi = A[j] * (th.get(j) - b[j]);
                    loss += 0.5 * A[j] * (th.get(j) - b[j]) * (th.get(j) - b[j]) / TARGETS.length;
                    gs += gi / TARGETS.length;
                    hs += gi * gi / TARGETS.length;
                }
                g.set(j, gs);
                if (h != null) {
                    h.set(j, hs);
                }
            }
            return loss;
        }
    }

    private static FlatTensor vec(DataType dt, double... v) {
        return FlatTensor.wrap(LAYOUT, Nd4j.createFromArray(v).castTo(dt));
    }

    private static double[] values(FlatTensor t) {
        return t.flat().castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static final double[] MU0 = {0.5, -0.4, 0.2, 0.9, -1.1, 0.3, 0.05, -0.6};

    @Test
    void oneStepByHand() {
        // one scalar parameter: L = ½ θ², ∇L = θ, ĥ = θ²; ε = 1
        ParamLayout one = new ParamLayout(List.of(new ParamSpec("w", new long[] {1})));
        VognParams p = VognParams.builder(10).lr(0.1).klWeighting(1).priorVariance(1).initPrecision(1.0)
                .damping(0).curvatureEma(0.5).momentum(0, VognParams.Stage.PRECONDITIONED)
                .gradEma(1, VognParams.Stage.RAW).numMcSamples(1).build();
        Vogn vogn = new Vogn(p);
        VognState s = vogn.init(FlatTensor.wrap(one, Nd4j.createFromArray(1.0)));
        double[] seen = new double[1];
        Objective half = (theta, g, h) -> {
            double th = theta.flat().getDouble(0);
            seen[0] = th;
            g.flat().putScalar(0, th);
            h.flat().putScalar(0, th * th);
            return 0.5 * th * th;
        };
        NoiseSource ones = (step, sample, eps) -> eps.flat().assign(1.0);
        StepResult<VognState> r = vogn.step(half, s, ones);
        // λ = τ/(N σ₀²) = 0.1, c = √0.1, σ₀ = (1 + 0)^(−1/2) = 1: θ = 1 + √0.1
        double theta = 1 + Math.sqrt(0.1);
        assertEquals(theta, seen[0], 1e-15);
        assertEquals(0.5 * theta * theta, r.loss(), 1e-15);
        // s = ½ θ² + ½ · 1 = 1.3662277660168; λ̄ = ½ · 0.1 = 0.05
        VognState n = r.state();
        assertEquals(1.3662277660168379, n.curvature().flat().getDouble(0), 1e-14);
        assertEquals(0.05, n.priorEma()[0], 1e-17);
        // g = θ + λμ = 1.4162277660168; precision s + δ + λ̄ = 1.4162277660168: u = 1, μ = 1 − 0.1
        assertEquals(0.9, n.mean().flat().getDouble(0), 1e-14);
        assertEquals(1 / Math.sqrt(1.4162277660168379), n.sigma().flat().getDouble(0), 1e-14);
        // posterior std c·σ with the same c (no warm-up), precision s + δ + λ̄
        assertEquals(Math.sqrt(0.1 / 1.4162277660168379), vogn.std(n).flat().getDouble(0), 1e-14);
        assertEquals(1.4162277660168379, vogn.precision(n).flat().getDouble(0), 1e-14);
        assertEquals(1, n.step());
    }

    @Test
    void klWarmupRampsLinearlyAfterEachStep() {
        VognParams p = VognParams.builder(100).klWarmup(0.1, 3).klWeighting(1).priorVariance(2).build();
        assertArrayEquals(new double[] {0.1, 0.4, 0.7, 1.0, 1.0},
                new double[] {p.klWeightingAt(0), p.klWeightingAt(1), p.klWeightingAt(2), p.klWeightingAt(3), p.klWeightingAt(4)},
                1e-15);
        assertEquals(0.4 / 200, p.priorPrecisionAt(1), 1e-18);
        assertEquals(Math.sqrt(0.7 / 100), p.stdScaleAt(2), 1e-16);
        VognParams none = VognParams.builder(100).klWeighting(0.5).build();
        assertEquals(0.5, none.klWeightingAt(0));
        assertEquals(0.5, none.klWeightingAt(1000));
    }

    // ------------------------------------------------------------ scalar reference (torchsso order)

    /**
     * Plain per-element transcription of torchsso's VIOptimizer.step for diagonal curvature; the
     * learning rate and momentum of step t are {@code lrs[t]} and {@code betas[t]} when given (the
     * values a scheduler would have written into the param group), else the params' constants.
     */
    static final class Reference {
        final VognParams p;
        final double[] lrs;
        final double[] betas;
        final double[] mu = MU0.clone();
        final double[] s = new double[N];
        final double[] v = new double[N];
        final double[] m = new double[N];
        final double[] lbar = new double[2];
        double loss;
        long t;

        Reference(VognParams p) {
            this(p, null, null);
        }

        Reference(VognParams p, double[] lrs, double[] betas) {
            this.p = p;
            this.lrs = lrs;
            this.betas = betas;
            if (p.initPrecision() != null) {
                java.util.Arrays.fill(s, p.initPrecision());
            }
        }

        static int tensorOf(int j) {
            return j < 6 ? 0 : 1;
        }

        double tau() { // warm-up as torchsso's adjust_kl_weighting, written out
            if (p.warmupKlSteps() == 0 || t >= p.warmupKlSteps()) {
                return p.klWeighting();
            }
            return p.warmupKlInit() + (double) t / p.warmupKlSteps() * (p.klWeighting() - p.warmupKlInit());
        }

        boolean noPrior(int j) {
            return p.noPriorParams().contains(LAYOUT.spec(tensorOf(j)).name());
        }

        double sigma(int j) {
            return 1 / Math.sqrt(s[j] + p.damping() + lbar[tensorOf(j)]);
        }

        void step(double[][] eps) {
            boolean hasStd = p.initPrecision() != null || t > 0;
            double c = Math.sqrt(tau() / p.datasetSize());
            int mc = p.numMcSamples();
            double[] gbar = new double[N];
            double[] hbar = new double[N];
            loss = 0;
            for (int k = 0; k < mc; k++) {
                double[] th = new double[N];
                for (int j = 0; j < N; j++) {
                    th[j] = hasStd && !noPrior(j) ? mu[j] + c * sigma(j) * eps[k][j] : mu[j];
                }
                for (double[] b : TARGETS) {
                    for (int j = 0; j < N; j++) {
                        double gi = A[j] * (th[j] - b[j]);
                        loss += 0.5 * A[j] * (th[j] - b[j]) * (th[j] - b[j]) / TARGETS.length / mc;
                        gbar[j] += gi / TARGETS.length / mc;
                        hbar[j] += gi * gi / TARGETS.length / mc;
                    }
                }
            }
            double lam = tau() / p.datasetSize() / p.priorVariance();
            double rho = p.curvatureEma();
            double lr = lrs == null ? p.lr() : lrs[(int) t];
            double beta = betas == null ? p.momentum() : betas[(int) t];
            for (int i = 0; i < 2; i++) {
                double li = p.noPriorParams().contains(LAYOUT.spec(i).name()) ? 0 : lam;
                lbar[i] = hasStd ? rho * li + (1 - rho) * lbar[i] : li;
            }
            for (int j = 0; j < N; j++) {
                double g = gbar[j] + (noPrior(j) ? 0 : lam) * mu[j];
                if (p.momentum() != 0 && p.momentumType() == VognParams.Stage.RAW) {
                    v[j] = beta * v[j] + g;
                    g = v[j];
                }
                if (p.gradEma() != 1 && p.gradEmaType() == VognParams.Stage.RAW) {
                    m[j] = (1 - p.gradEma()) * m[j] + p.gradEma() * g;
                    g = m[j];
                }
                s[j] = hasStd ? rho * hbar[j] + (1 - rho) * s[j] : hbar[j];
                double u = g / (s[j] + p.damping() + lbar[tensorOf(j)]);
                if (p.momentum() != 0 && p.momentumType() == VognParams.Stage.PRECONDITIONED) {
                    v[j] = beta * v[j] + u;
                    u = v[j];
                }
                if (p.gradEma() != 1 && p.gradEmaType() == VognParams.Stage.PRECONDITIONED) {
                    m[j] = (1 - p.gradEma()) * m[j] + p.gradEma() * u;
                    u = m[j];
                }
                mu[j] -= lr * u;
            }
            t++;
        }
    }

    static Stream<Arguments> configs() {
        VognParams.Builder base = VognParams.builder(40).lr(0.05).klWeighting(0.8).priorVariance(1.5)
                .damping(0.01).curvatureEma(0.3).numMcSamples(2);
        // 2 steps per epoch; rates and momenta worked out by hand from the torch/torchsso formulas
        LrSchedule exponential = new LrSchedule(new ExponentialLr(0.5), null, 0, true, 0).forStepsPerEpoch(2);
        LrSchedule warmupThenMultiStep = new LrSchedule(new MultiStepLr(new long[] {2}, 0.1), new GradualWarmupLr(0.04, 2),
                1, true, 0).forStepsPerEpoch(2);
        return Stream.of(
                Arguments.of("ExponentialLR(0.5), momentum correction (β·α_e/α_{e−1} for the whole epoch)",
                        base.initPrecision(0.2).momentum(0.9, VognParams.Stage.PRECONDITIONED)
                                .gradEma(0.5, VognParams.Stage.RAW).schedule(exponential).build(),
                        new double[] {0.05, 0.05, 0.025, 0.025, 0.0125}, new double[] {0.9, 0.9, 0.45, 0.45, 0.45}),
                Arguments.of("GradualWarmupIterLR for 1 epoch, then MultiStepLR([2], 0.1), raw momentum corrected",
                        base.initPrecision(0.1).momentum(0.8, VognParams.Stage.RAW)
                                .gradEma(0.3, VognParams.Stage.RAW).schedule(warmupThenMultiStep).build(),
                        new double[] {0.04, 0.045, 0.05, 0.05, 0.005},
                        new double[] {0.8, 0.8 * 0.045 / 0.04, 0.8 * 0.05 / 0.045, 0.8 * 0.05 / 0.045, 0.8 * 0.005 / 0.05}),
                Arguments.of("init precision, preconditioned momentum, raw grad EMA",
                        base.initPrecision(0.2).momentum(0.9, VognParams.Stage.PRECONDITIONED)
                                .gradEma(0.5, VognParams.Stage.RAW).schedule(LrSchedule.constant()).build(), null, null),
                Arguments.of("raw momentum, preconditioned grad EMA",
                        base.initPrecision(0.1).momentum(0.8, VognParams.Stage.RAW)
                                .gradEma(0.3, VognParams.Stage.PRECONDITIONED).schedule(LrSchedule.constant()).build(), null, null),
                Arguments.of("no init precision, KL warm-up, M = 3",
                        base.initPrecision(null).klWarmup(0.2, 3).numMcSamples(3)
                                .momentum(0.5, VognParams.Stage.PRECONDITIONED).gradEma(0.1, VognParams.Stage.RAW)
                                .schedule(LrSchedule.constant()).build(), null, null),
                Arguments.of("bias without prior, no momentum, no grad EMA",
                        base.initPrecision(0.3).klWarmup(0, 0).numMcSamples(2).noPriorParams(Set.of("0.bias"))
                                .momentum(0, VognParams.Stage.PRECONDITIONED).gradEma(1, VognParams.Stage.RAW)
                                .schedule(LrSchedule.constant()).build(), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void stepsMatchTheScalarReference(String name, VognParams p, double[] lrs, double[] betas) {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = dt == DataType.DOUBLE ? 1e-12 : 2e-5;
            Vogn vogn = new Vogn(p);
            Reference ref = new Reference(p, lrs, betas);
            VognState s = vogn.init(vec(dt, MU0));
            Quadratic q = new Quadratic();
            try (GaussianNoise noise = new GaussianNoise(99, p.numMcSamples())) {
                for (int step = 0; step < 5; step++) {
                    double[][] eps = new double[p.numMcSamples()][];
                    for (int k = 0; k < eps.length; k++) {
                        FlatTensor e = FlatTensor.zeros(LAYOUT, dt);
                        noise.fill(step, k, e);
                        eps[k] = values(e);
                    }
                    q.calls = 0;
                    StepResult<VognState> r = vogn.step(q, s, noise);
                    ref.step(eps);
                    s = r.state();
                    String at = name + " " + dt + " step " + (step + 1);
                    boolean sampled = p.initPrecision() != null || step > 0;
                    assertEquals(sampled ? p.numMcSamples() : 1, q.calls, at + ": objective evaluations");
                    assertEquals(ref.loss, r.loss(), tol * Math.abs(ref.loss), at + ": loss");
                    assertClose(ref.mu, values(s.mean()), tol, at + ": mean");
                    assertClose(ref.s, values(s.curvature()), tol, at + ": curvature");
                    assertClose(ref.v, values(s.momentum()), tol, at + ": momentum");
                    assertClose(ref.m, values(s.gradEma()), tol, at + ": grad EMA");
                    assertArrayEquals(ref.lbar, s.priorEma(), 1e-15, at + ": prior EMA");
                    double[] sig = new double[N];
                    for (int j = 0; j < N; j++) {
                        sig[j] = ref.sigma(j);
                    }
                    assertClose(sig, values(s.sigma()), tol, at + ": sigma");
                    assertEquals(step + 1, s.step());
                }
            }
            if (p.momentum() == 0) {
                assertArrayEquals(new double[N], values(s.momentum()), 0, name + ": momentum buffer unused");
            }
            if (p.gradEma() == 1) {
                assertArrayEquals(new double[N], values(s.gradEma()), 0, name + ": grad EMA buffer unused");
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, double rtol, String what) {
        double max = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        if (!(diff <= rtol * Math.max(max, 1e-300))) {
            fail(what + ": max|a−e| = " + diff + " > " + rtol + " · " + max + "\nexpected " + java.util.Arrays.toString(expected)
                    + "\nactual   " + java.util.Arrays.toString(actual));
        }
    }

    @Test
    void firstStepWithoutInitPrecisionUsesTheMeanAndNoNoise() {
        VognParams p = VognParams.builder(40).initPrecision(null).damping(1e-3).numMcSamples(4).build();
        Vogn vogn = new Vogn(p);
        VognState s = vogn.init(vec(DataType.DOUBLE, MU0));
        assertArrayEquals(new double[N], values(vogn.std(s)), 0, "no posterior spread before the first estimate");
        NoiseSource forbidden = (step, sample, eps) -> fail("no noise must be drawn before the first curvature estimate");
        Quadratic q = new Quadratic();
        VognState n = vogn.step(q, s, forbidden).state();
        assertEquals(1, q.calls);
        FlatTensor h = FlatTensor.zeros(LAYOUT, DataType.DOUBLE);
        new Quadratic().evaluate(vec(DataType.DOUBLE, MU0), FlatTensor.zeros(LAYOUT, DataType.DOUBLE), h);
        assertArrayEquals(values(h), values(n.curvature()), 1e-15, "s = ĥ(μ) after the first step");
        assertEquals(p.priorPrecisionAt(0), n.priorEma()[0], 1e-18, "λ̄ = λ after the first step");
    }

    @Test
    void parametersWithoutPriorAreNeverSampled() {
        VognParams p = VognParams.builder(40).initPrecision(0.5).noPriorParams(Set.of("0.bias")).build();
        Vogn vogn = new Vogn(p);
        VognState s = vogn.init(vec(DataType.DOUBLE, MU0));
        FlatTensor eps = vec(DataType.DOUBLE, 1, 1, 1, 1, 1, 1, 1, 1);
        FlatTensor theta = FlatTensor.zeros(LAYOUT, DataType.DOUBLE);
        vogn.sample(s, eps, theta);
        double[] th = values(theta);
        double shift = p.stdScaleAt(0) / Math.sqrt(0.5 + p.damping());
        for (int j = 0; j < N; j++) {
            assertEquals(j < 6 ? MU0[j] + shift : MU0[j], th[j], 1e-15, "θ[" + j + "]");
        }
        double[] std = values(vogn.std(s));
        assertEquals(0, std[7]);
        assertEquals(shift, std[0], 1e-15);
        GaussianPosterior post = vogn.posterior(null, s);
        assertArrayEquals(MU0, values(post.mean()), 0);
        assertArrayEquals(std, values(post.std()), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Vogn(VognParams.builder(4).noPriorParams(Set.of("1.bias")).build()).init(vec(DataType.DOUBLE, MU0)));
        assertTrue(e.getMessage().contains("noPriorParams") && e.getMessage().contains("1.bias"), e.getMessage());
    }

    @Test
    void updateConsumesTheStateAndLeavesItsInputsAlone() {
        VognParams p = VognParams.builder(40).initPrecision(0.5).momentum(0.9, VognParams.Stage.PRECONDITIONED).build();
        Vogn vogn = new Vogn(p);
        VognState s = vogn.init(vec(DataType.FLOAT, MU0));
        FlatTensor g = vec(DataType.FLOAT, 1, 2, 3, 4, 5, 6, 7, 8);
        FlatTensor h = vec(DataType.FLOAT, 1, 1, 1, 1, 2, 2, 2, 2);
        VognState n = vogn.update(g, h, s);
        assertSame(s.mean(), n.mean());
        assertSame(s.curvature(), n.curvature());
        assertSame(s.sigma(), n.sigma());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, values(g), 0);
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2}, values(h), 0);
        VognState rebuilt = vogn.state(n.mean().copy(), n.curvature().copy(), n.momentum().copy(), n.gradEma().copy(),
                n.priorEma().clone(), n.step());
        assertArrayEquals(values(n.sigma()), values(rebuilt.sigma()), 0.0, "σ recomputed from s, δ, λ̄, rounded as update does");
    }

    @Test
    void warmStepAllocatesNoNd4jMemory() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            VognParams p = VognParams.builder(40).initPrecision(0.5).numMcSamples(2)
                    .momentum(0.9, VognParams.Stage.PRECONDITIONED).gradEma(0.1, VognParams.Stage.RAW).build();
            Vogn vogn = new Vogn(p);
            Quadratic q = new Quadratic();
            try (GaussianNoise noise = new GaussianNoise(3, 2)) {
                VognState[] s = {vogn.step(q, vogn.init(vec(dt, MU0)), noise).state()};
                long bytes = AllocationProbe.allocatedBytes(() -> {
                    for (int i = 0; i < 3; i++) {
                        s[0] = vogn.step(q, s[0], noise).state();
                    }
                });
                assertEquals(0, bytes, dt + ": ND4J bytes allocated by warm VOGN steps");
                assertTrue(AllocationProbe.allocatedBytes(() -> vogn.std(s[0])) > 0, "the probe sees allocations");
            }
        }
    }

    @Test
    void invalidParamsNameTheField() {
        Object[][] cases = {
                {"VognParams.lr", (Runnable) () -> VognParams.builder(10).lr(0).build()},
                {"VognParams.datasetSize", (Runnable) () -> VognParams.builder(0).build()},
                {"VognParams.numMcSamples", (Runnable) () -> VognParams.builder(10).numMcSamples(0).build()},
                {"VognParams.priorVariance", (Runnable) () -> VognParams.builder(10).priorVariance(-1).build()},
                {"VognParams.initPrecision", (Runnable) () -> VognParams.builder(10).initPrecision(-0.1).build()},
                {"VognParams.curvatureEma", (Runnable) () -> VognParams.builder(10).curvatureEma(1.5).build()},
                {"VognParams.momentum", (Runnable) () -> VognParams.builder(10).momentum(1, VognParams.Stage.RAW).build()},
                {"VognParams.momentumType", (Runnable) () -> VognParams.builder(10).momentum(0.5, null).build()},
                {"VognParams.gradEma", (Runnable) () -> VognParams.builder(10).gradEma(0, VognParams.Stage.RAW).build()},
                {"VognParams.warmupKlSteps", (Runnable) () -> VognParams.builder(10).klWarmup(0.1, -1).build()},
                {"VognParams.damping", (Runnable) () -> VognParams.builder(10).damping(0).initPrecision(null).build()},
        };
        for (Object[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ((Runnable) c[1])::run, (String) c[0]);
            assertTrue(e.getMessage().contains((String) c[0]), e.getMessage());
        }
        VognParams p = VognParams.builder(64).initPrecision(0.05).klWarmup(0.01, 100)
                .momentum(0.9, VognParams.Stage.RAW).noPriorParams(Set.of("1.weight", "1.bias")).build();
        assertEquals(p, VognParams.fromJson(p.toJson()));
        VognParams q = VognParams.builder(64).initPrecision(null).build();
        assertEquals(q, VognParams.fromJson(q.toJson()));
        assertTrue(!q.toJson().has("lr_schedule"), "a constant rate writes no schedule (files read by older versions)");
        VognParams r = p.toBuilder().schedule(new LrSchedule(new MultiStepLr(new long[] {30, 60}, 0.1),
                new GradualWarmupLr(1e-5, 100), 5, true, 0).forStepsPerEpoch(20)).build();
        assertEquals(r, VognParams.fromJson(r.toJson()));
        assertEquals(r.lr() * 0.1, r.lrAt(30 * 20), 1e-18);
    }
}
