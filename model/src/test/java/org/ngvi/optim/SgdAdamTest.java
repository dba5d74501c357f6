package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.optim.schedule.ExponentialLr;
import org.ngvi.optim.schedule.LrSchedule;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/** SGD and Adam against steps computed by hand (PyTorch's formulas, see the class Javadocs). */
class SgdAdamTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {1}), new ParamSpec("0.bias", new long[] {1})));

    enum Precision {
        FLOAT(DataType.FLOAT, 1e-6), DOUBLE(DataType.DOUBLE, 1e-12);

        final DataType dt;
        final double tol;

        Precision(DataType dt, double tol) {
            this.dt = dt;
            this.tol = tol;
        }
    }

    private static FlatTensor vec(DataType dt, double... v) {
        return FlatTensor.wrap(LAYOUT, Nd4j.createFromArray(v).castTo(dt));
    }

    private static void assertVec(double[] expected, FlatTensor actual, double tol) {
        assertArrayEquals(expected, actual.flat().castTo(DataType.DOUBLE).toDoubleVector(), tol);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void sgdWithMomentumAndWeightDecay(Precision p) {
        Sgd sgd = new Sgd(new SgdParams(0.1, 0.9, 0.01));
        SgdState s = sgd.init(vec(p.dt, 1, -2));
        s = sgd.update(vec(p.dt, 0.5, 0.25), s);
        // g' = g + 0.01 θ = [0.51, 0.23]; v = g'; θ = θ − 0.1 v
        assertVec(new double[] {0.949, -2.023}, s.params(), p.tol);
        assertVec(new double[] {0.51, 0.23}, s.momentum(), p.tol);
        s = sgd.update(vec(p.dt, -1, 0.5), s);
        // g' = [−0.99051, 0.47977]; v = 0.9 [0.51, 0.23] + g' = [−0.53151, 0.68677]
        assertVec(new double[] {-0.53151, 0.68677}, s.momentum(), p.tol);
        assertVec(new double[] {1.002151, -2.091677}, s.params(), p.tol);
        assertEquals(2, s.step());
    }

    @Test
    void sgdWithoutMomentumLeavesTheBufferAtZero() {
        Sgd sgd = new Sgd(SgdParams.of(0.5));
        SgdState s = sgd.update(vec(DataType.DOUBLE, 2, -4), sgd.init(vec(DataType.DOUBLE, 1, 1)));
        assertVec(new double[] {0, 3}, s.params(), 0);
        assertVec(new double[] {0, 0}, s.momentum(), 0);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void adamWithBiasCorrection(Precision p) {
        Adam adam = new Adam(AdamParams.of(0.1));
        AdamState s = adam.init(vec(p.dt, 1, -2));
        s = adam.update(vec(p.dt, 0.5, -0.25), s);
        // m̂ = g, v̂ = g², so the first step moves each coordinate by lr · sign(g)
        assertVec(new double[] {0.9, -1.9}, s.params(), 1e-7);
        assertVec(new double[] {0.05, -0.025}, s.m(), p.tol);
        assertVec(new double[] {0.00025, 0.0000625}, s.v(), p.tol);
        s = adam.update(vec(p.dt, 0.1, 0.2), s);
        // m = [0.055, −0.0025], v = [0.00025975, 0.0001024375], 1 − β₁² = 0.19, 1 − β₂² = 0.001999
        assertVec(new double[] {0.055, -0.0025}, s.m(), p.tol);
        assertVec(new double[] {0.00025975, 0.0001024375}, s.v(), p.tol);
        double th0 = 1 - 0.1 * 0.5 / (0.5 + 1e-8) - 0.1 * (0.055 / 0.19) / (Math.sqrt(0.00025975 / 0.001999) + 1e-8);
        double th1 = -2 + 0.1 * 0.25 / (0.25 + 1e-8) - 0.1 * (-0.0025 / 0.19) / (Math.sqrt(0.0001024375 / 0.001999) + 1e-8);
        assertVec(new double[] {th0, th1}, s.params(), p.tol * 10);
        assertEquals(2, s.step());
    }

    @Test
    void adamAndSgdTakeTheScheduledRateOfEachStep() {
        // ExponentialLR(0.5) over epochs of 2 steps: rates 0.1, 0.1, 0.05; momentum corrected for SGD (0.9, 0.9, 0.45)
        LrSchedule exp = new LrSchedule(new ExponentialLr(0.5), null, 0, false, 0).forStepsPerEpoch(2);
        double[] lrs = {0.1, 0.1, 0.05};
        Adam scheduled = new Adam(new AdamParams(0.1, 0.9, 0.999, 1e-8, 0, exp));
        AdamState a = scheduled.init(vec(DataType.DOUBLE, 1, -2));
        AdamState b = a.copy();
        for (int t = 0; t < 3; t++) {
            FlatTensor g = vec(DataType.DOUBLE, 0.5 - t, 0.25 * t);
            a = scheduled.update(g, a);
            b = new Adam(new AdamParams(lrs[t], 0.9, 0.999, 1e-8, 0)).update(g, b);
            assertVec(values(b.params()), a.params(), 0);
        }
        LrSchedule corrected = new LrSchedule(new ExponentialLr(0.5), null, 0, true, 0).forStepsPerEpoch(2);
        double[] betas = {0.9, 0.9, 0.45};
        Sgd sgd = new Sgd(new SgdParams(0.1, 0.9, 0, corrected));
        SgdState x = sgd.init(vec(DataType.DOUBLE, 1, -2));
        SgdState y = x.copy();
        for (int t = 0; t < 3; t++) {
            FlatTensor g = vec(DataType.DOUBLE, 0.5 - t, 0.25 * t);
            x = sgd.update(g, x);
            y = new Sgd(new SgdParams(lrs[t], betas[t], 0)).update(g, y);
            assertVec(values(y.params()), x.params(), 0);
            assertVec(values(y.momentum()), x.momentum(), 0);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdamParams(0.1, 0.9, 0.999, 1e-8, 0, corrected));
        assertTrue(e.getMessage().contains("momentum correction"), e.getMessage());
        assertEquals(new AdamParams(0.1, 0.9, 0.999, 1e-8, 0, exp), AdamParams.fromJson(new AdamParams(0.1, 0.9, 0.999, 1e-8, 0, exp).toJson()));
        assertEquals(new SgdParams(0.1, 0.9, 0, corrected), SgdParams.fromJson(new SgdParams(0.1, 0.9, 0, corrected).toJson()));
    }

    private static double[] values(FlatTensor t) {
        return t.flat().castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        Adam adam = new Adam(new AdamParams(0.01, 0.9, 0.999, 1e-8, 0.5));
        AdamState s = adam.update(vec(DataType.DOUBLE, 0, 1), adam.init(vec(DataType.DOUBLE, 2, 0)));
        // g' = [0 + 0.5·2, 1 + 0] = [1, 1]: both move by lr
        assertVec(new double[] {1.99, -0.01}, s.params(), 1e-9);
    }

    @Test
    void stepEvaluatesTheObjectiveAndDonatesTheState() {
        // L(θ) = ½ Σ (θ − 3)², ∇L = θ − 3
        Objective quad = (theta, grad, sq) -> {
            grad.flat().assign(theta.flat()).subi(3);
            return 0.5 * grad.flat().mul(grad.flat()).sumNumber().doubleValue();
        };
        Sgd sgd = new Sgd(SgdParams.of(0.25));
        SgdState s0 = sgd.init(vec(DataType.DOUBLE, 1, 5));
        FlatTensor buffer = s0.params();
        StepResult<SgdState> r = sgd.step(quad, s0, null);
        assertEquals(0.5 * (4 + 4), r.loss(), 1e-15);
        assertVec(new double[] {1.5, 4.5}, r.state().params(), 1e-15);
        assertSame(buffer, r.state().params(), "update works in place on the donated buffers");
        Adam adam = new Adam(AdamParams.of(0.1));
        StepResult<AdamState> ra = adam.step(quad, adam.init(vec(DataType.DOUBLE, 1, 5)), null);
        assertVec(new double[] {1.1, 4.9}, ra.state().params(), 1e-7);
    }

    @Test
    void invalidParamsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SgdParams(-1, 0, 0));
        assertTrue(e.getMessage().contains("SgdParams.lr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdamParams(0.1, 1.0, 0.999, 1e-8, 0));
        assertTrue(e.getMessage().contains("AdamParams.beta1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AdamParams(0.1, 0.9, 0.999, 0, 0));
        assertTrue(e.getMessage().contains("AdamParams.eps"), e.getMessage());
        assertEquals(new AdamParams(0.1, 0.8, 0.99, 1e-6, 0.01),
                AdamParams.fromJson(new AdamParams(0.1, 0.8, 0.99, 1e-6, 0.01).toJson()));
        assertEquals(new SgdParams(0.1, 0.5, 0.01), SgdParams.fromJson(new SgdParams(0.1, 0.5, 0.01).toJson()));
        Sgd sgd = new Sgd(SgdParams.of(0.1));
        SgdState s = sgd.init(vec(DataType.DOUBLE, 1, 1));
        e = assertThrows(IllegalArgumentException.class, () -> sgd.update(vec(DataType.FLOAT, 1, 1), s));
        assertTrue(e.getMessage().contains("data type"), e.getMessage());
    }
}
