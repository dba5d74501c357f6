package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/**
 * VOGN with a per-parameter prior N(m, diag(1/p)): one update against the Javadoc's formulas
 * computed by hand, the posterior-to-prior hand-over of continual learning on a tiny two-tensor
 * net, the reduction to the isotropic update when m = 0 and p = 1/σ₀², and the state on the wire.
 */
class VognPerParameterPriorTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {2, 3}), new ParamSpec("0.bias", new long[] {2})));
    private static final int P = 8;
    private static final long N = 100;

    private static VognParams.Builder base() {
        return VognParams.builder(N).lr(0.1).numMcSamples(1).klWeighting(0.7).priorVariance(2.0).initPrecision(0.5)
                .damping(0.01).curvatureEma(0.2).gradEma(1, VognParams.Stage.RAW).momentum(0, VognParams.Stage.PRECONDITIONED);
    }

    private static FlatTensor tensor(double... v) {
        FlatTensor t = FlatTensor.zeros(LAYOUT, DataType.DOUBLE);
        for (int i = 0; i < v.length; i++) {
            t.flat().putScalar(i, v[i]);
        }
        return t;
    }

    private static double[] values(FlatTensor t) {
        double[] v = new double[P];
        for (int i = 0; i < P; i++) {
            v[i] = t.flat().getDouble(i);
        }
        return v;
    }

    private static double[] random(SplittableRandom r, double lo, double hi) {
        double[] v = new double[P];
        for (int i = 0; i < P; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    private static void assertClose(double[] expected, double[] actual, double rtol, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = rtol * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    @Test
    void oneUpdateEqualsTheFormulasByHand() {
        SplittableRandom r = new SplittableRandom(5);
        double[] mu0 = random(r, -1, 1);
        double[] m = random(r, -1, 1);
        double[] p = random(r, 10, 500);
        double[] g = random(r, -0.5, 0.5);
        double[] h = random(r, 0, 0.3);
        VognParams params = base().perParameterPrior(true).build();
        Vogn vogn = params.create();
        VognState s = vogn.init(tensor(mu0), tensor(m), tensor(p));
        double kappa = 0.7 / N; // τ/N
        double[] sig0 = values(s.sigma());
        for (int j = 0; j < P; j++) {
            assertEquals(1 / Math.sqrt(0.5 + 0.01 + kappa * p[j]), sig0[j], 1e-15, "initial σ");
        }
        VognState next = vogn.update(tensor(g), tensor(h), s);
        double[] mu1 = new double[P];
        double[] sig1 = new double[P];
        double[] prec1 = new double[P];
        for (int j = 0; j < P; j++) {
            double kbar = 0.2 * kappa + 0.8 * kappa; // κ̄ starts at κ and stays there
            double gj = g[j] + kappa * p[j] * (mu0[j] - m[j]);
            double sj = 0.2 * h[j] + 0.8 * 0.5;
            prec1[j] = sj + 0.01 + kbar * p[j];
            mu1[j] = mu0[j] - 0.1 * gj / prec1[j];
            sig1[j] = 1 / Math.sqrt(prec1[j]);
        }
        assertClose(mu1, values(next.mean()), 1e-14, "μ");
        assertClose(sig1, values(next.sigma()), 1e-14, "σ");
        assertClose(prec1, values(vogn.precision(next)), 1e-14, "P");
        double[] natural = new double[P];
        for (int j = 0; j < P; j++) {
            natural[j] = N * prec1[j] / 0.7;
        }
        assertClose(natural, values(vogn.posteriorPrecision(next)), 1e-13, "N P / τ");
        assertClose(m, values(next.priorMean()), 0, "prior mean unchanged");
        assertClose(p, values(next.priorPrecision()), 0, "prior precision unchanged");
        assertEquals(1, next.step());
    }

    /**
     * Task 1 trains the isotropic prior; its posterior N(μ₁, diag(τ/(N P₁))) becomes task 2's
     * prior: m = μ₁, p = N P₁/τ with P₁ = s₁ + δ + λ̄₁, all computed here by hand; task 2's first
     * step sees no prior pull (μ = m), its second step the pull κ p (μ − m).
     */
    @Test
    void posteriorOfOneTaskIsThePriorOfTheNext() {
        SplittableRandom r = new SplittableRandom(9);
        double[] mu0 = random(r, -1, 1);
        double[] g1 = random(r, -0.5, 0.5);
        double[] h1 = random(r, 0, 0.3);
        VognParams iso = base().build();
        Vogn task1 = iso.create();
        VognState after1 = task1.update(tensor(g1), tensor(h1), task1.init(tensor(mu0)));
        double lambda = 0.7 / (N * 2.0);
        double lbar = 0.2 * lambda; // λ̄ starts at 0 with an init precision
        double[] mu1 = new double[P];
        double[] p1 = new double[P];
        for (int j = 0; j < P; j++) {
            double s1 = 0.2 * h1[j] + 0.8 * 0.5;
            double prec = s1 + 0.01 + lbar;
            mu1[j] = mu0[j] - 0.1 * (g1[j] + lambda * mu0[j]) / prec;
            p1[j] = N * prec / 0.7;
        }
        VognParams perParam = iso.withPerParameterPrior(true);
        Vogn task2 = perParam.create();
        VognState start = task2.init(after1.mean(), after1.mean(), task1.posteriorPrecision(after1));
        assertClose(mu1, values(start.priorMean()), 1e-14, "prior mean = posterior mean");
        assertClose(p1, values(start.priorPrecision()), 1e-13, "prior precision = posterior precision");
        assertClose(mu1, values(start.mean()), 1e-14, "task 2 starts at the posterior mean");

        double[] g2 = random(r, -0.5, 0.5);
        double[] h2 = random(r, 0, 0.3);
        double kappa = 0.7 / N;
        VognState a = task2.update(tensor(g2), tensor(h2), start);
        double[] muA = new double[P];
        double[] sA = new double[P];
        for (int j = 0; j < P; j++) {
            sA[j] = 0.2 * h2[j] + 0.8 * 0.5;
            muA[j] = mu1[j] - 0.1 * g2[j] / (sA[j] + 0.01 + kappa * p1[j]); // μ = m: no pull yet
        }
        assertClose(muA, values(a.mean()), 1e-13, "first step of task 2");
        VognState b = task2.update(tensor(g2), tensor(h2), a);
        double[] muB = new double[P];
        for (int j = 0; j < P; j++) {
            double s = 0.2 * h2[j] + 0.8 * sA[j];
            muB[j] = muA[j] - 0.1 * (g2[j] + kappa * p1[j] * (muA[j] - mu1[j])) / (s + 0.01 + kappa * p1[j]);
        }
        assertClose(muB, values(b.mean()), 1e-13, "second step: pulled towards the prior mean");
    }

    /** m = 0, p = 1/σ₀²: the per-parameter path is the isotropic one (without init precision both EMAs start at λ). */
    @Test
    void zeroMeanAndIsotropicPrecisionReduceToTheIsotropicUpdate() {
        SplittableRandom r = new SplittableRandom(13);
        double[] mu0 = random(r, -1, 1);
        VognParams iso = base().initPrecision(null).damping(0.02).gradEma(0.3, VognParams.Stage.RAW).build();
        VognParams per = iso.withPerParameterPrior(true);
        Vogn a = iso.create();
        Vogn b = per.create();
        VognState sa = a.init(tensor(mu0));
        VognState sb = b.init(tensor(mu0));
        assertEquals(0.5, values(sb.priorPrecision())[3], 0, "p = 1/σ₀² by default");
        for (int step = 0; step < 4; step++) {
            double[] g = random(r, -0.5, 0.5);
            double[] h = random(r, 0, 0.3);
            sa = a.update(tensor(g), tensor(h), sa);
            sb = b.update(tensor(g), tensor(h), sb);
        }
        assertClose(values(sa.mean()), values(sb.mean()), 1e-14, "μ");
        assertClose(values(sa.sigma()), values(sb.sigma()), 1e-14, "σ");
        assertClose(values(a.precision(sa)), values(b.precision(sb)), 1e-14, "P");
    }

    @Test
    void thePriorTravelsWithTheStateAndIsChecked() {
        VognParams per = base().perParameterPrior(true).build();
        Vogn v = per.create();
        VognState s = v.init(tensor(1, 2, 3, 4, 5, 6, 7, 8), tensor(0, 0, 0, 0, 1, 1, 1, 1), tensor(9, 9, 9, 9, 3, 3, 3, 3));
        assertEquals(List.of("params", "curvature", "momentum", "grad_ema", Vogn.PRIOR_MEAN, Vogn.PRIOR_PRECISION), v.tensorNames());
        assertEquals(Set.of("params", "curvature", Vogn.PRIOR_PRECISION), v.samplingTensors());
        VognState back = v.fromSnapshot(v.snapshot(s, false), null, LAYOUT, DataType.DOUBLE);
        assertClose(values(s.priorPrecision()), values(back.priorPrecision()), 0, "p");
        assertClose(values(s.sigma()), values(back.sigma()), 0, "σ recomputed with p");
        VognState restored = v.restore(v.toCheckpoint(null, s, null));
        assertClose(values(s.priorMean()), values(restored.priorMean()), 0, "m from a checkpoint");
        assertTrue(VognParams.fromJson(per.toJson()).perParameterPrior(), "checkpoint params keep the flag");
        Vogn iso = base().build().create();
        assertThrows(IllegalArgumentException.class, () -> iso.init(s.mean(), s.priorMean(), s.priorPrecision()));
        assertThrows(IllegalArgumentException.class, () -> iso.assemble(s.tensors(), 0, s.scalars(), null));
    }
}
