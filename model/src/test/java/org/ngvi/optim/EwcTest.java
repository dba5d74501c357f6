package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/** EWC: the accumulated penalty's gradient against finite differences, and the first task equal to Adam. */
class EwcTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {3, 4}), new ParamSpec("0.bias", new long[] {3})));
    private static final int P = 15;

    private static FlatTensor random(SplittableRandom r, DataType dt, double lo, double hi) {
        FlatTensor t = FlatTensor.zeros(LAYOUT, dt);
        for (int i = 0; i < P; i++) {
            t.flat().putScalar(i, lo + (hi - lo) * r.nextDouble());
        }
        return t;
    }

    /** (λ/2) Σ_k Σ_j F_kj (θ_j − θ*_kj)², straight from the definition. */
    private static double penalty(double lambda, FlatTensor[] fishers, FlatTensor[] anchors, double[] theta) {
        double sum = 0;
        for (int k = 0; k < fishers.length; k++) {
            for (int j = 0; j < P; j++) {
                double d = theta[j] - anchors[k].flat().getDouble(j);
                sum += fishers[k].flat().getDouble(j) * d * d;
            }
        }
        return lambda / 2 * sum;
    }

    @Test
    void penaltyGradientOfTwoPastTasksEqualsFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        double lambda = 37.5;
        Ewc ewc = new EwcParams(AdamParams.of(1e-3), lambda).create();
        FlatTensor[] anchors = {random(r, DataType.DOUBLE, -1, 1), random(r, DataType.DOUBLE, -1, 1)};
        FlatTensor[] fishers = {random(r, DataType.DOUBLE, 0, 2), random(r, DataType.DOUBLE, 0, 2)};
        EwcState afterTask1 = ewc.nextTask(ewc.init(anchors[0]), fishers[0]);
        EwcState trainedTask2 = new EwcState(new AdamState(anchors[1].copy(), FlatTensor.zeros(LAYOUT, DataType.DOUBLE),
                FlatTensor.zeros(LAYOUT, DataType.DOUBLE), 9), afterTask1.fisher(), afterTask1.fisherAnchor());
        EwcState s = ewc.nextTask(trainedTask2, fishers[1]);
        assertEquals(0, s.step(), "Adam restarts each task");
        FlatTensor theta = random(r, DataType.DOUBLE, -2, 2);
        FlatTensor grad = FlatTensor.zeros(LAYOUT, DataType.DOUBLE);
        ewc.penaltyGradient(s, theta, grad);
        double[] th = new double[P];
        for (int j = 0; j < P; j++) {
            th[j] = theta.flat().getDouble(j);
        }
        double h = 1e-5;
        for (int j = 0; j < P; j++) {
            double[] plus = th.clone();
            double[] minus = th.clone();
            plus[j] += h;
            minus[j] -= h;
            double fd = (penalty(lambda, fishers, anchors, plus) - penalty(lambda, fishers, anchors, minus)) / (2 * h);
            assertEquals(fd, grad.flat().getDouble(j), 1e-7 * Math.max(1, Math.abs(fd)), "∂penalty/∂θ" + j);
        }
    }

    @Test
    void withoutPastTasksEveryStepIsAdamsBitForBit() {
        SplittableRandom r = new SplittableRandom(4);
        AdamParams ap = new AdamParams(3e-3, 0.9, 0.999, 1e-8, 0.01);
        Adam adam = ap.create();
        Ewc ewc = new EwcParams(ap, 250).create();
        FlatTensor init = random(r, DataType.FLOAT, -1, 1);
        AdamState a = adam.init(init);
        EwcState e = ewc.init(init);
        for (int step = 0; step < 5; step++) {
            FlatTensor g = random(r, DataType.FLOAT, -1, 1);
            a = adam.update(g, a);
            e = ewc.update(g, e);
        }
        for (int j = 0; j < P; j++) {
            assertEquals(a.params().flat().getFloat(j), e.params().flat().getFloat(j), 0, "θ" + j);
            assertEquals(a.v().flat().getFloat(j), e.adam().v().flat().getFloat(j), 0, "v" + j);
        }
    }
}
