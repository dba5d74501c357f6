package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.ngvi.optim.StateSnapshot;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.tensor.FlatValues;

/**
 * The round's aggregate does not depend on the order tasks finish in: results are folded in
 * partition order ({@link InOrderFold}, {@link RoundJob}). Values span many orders of magnitude,
 * so sums in another order round differently; the test shows that too, so it can fail.
 */
class DeterministicAggregationTest {
    private static final int TASKS = 7;
    private static final int N = 4096;

    /** Values of many magnitudes and signs: their double sums depend on the order of addition. */
    private static float[] values(Random rng) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) ((rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextInt(16) - 8) * (1 + rng.nextDouble()));
        }
        return v;
    }

    static TaskResult.Gradients gradients(int p) {
        Random rng = new Random(100 + p);
        return new TaskResult.Gradients(p, 10 + p, 0.5 * p, new FlatValues.F32(values(rng)), new FlatValues.F32(values(rng)),
                new FlatValues.F32(values(rng)), 0);
    }

    static TaskResult.LocalSteps localSteps(int p) {
        Random rng = new Random(200 + p);
        Map<String, FlatValues> t = new LinkedHashMap<>();
        t.put("params", new FlatValues.F32(values(rng)));
        t.put("curvature", new FlatValues.F32(values(rng)));
        float[] precision = values(rng);
        for (int i = 0; i < N; i++) {
            precision[i] = Math.abs(precision[i]);
        }
        StateSnapshot s = new StateSnapshot(30, t, Map.of("prior_ema", new double[] {0.25, 0.5}));
        return new TaskResult.LocalSteps(p, 10 + 3 * p, 1.5 * p, s, new FlatValues.F32(precision), null, 0);
    }

    private static RoundAggregate inOrder(List<Integer> arrival, List<? extends TaskResult> results, boolean sync) {
        InOrderFold<TaskResult, RoundAggregate> fold = new InOrderFold<>(results.size(),
                RoundAggregate.forMode(sync, "params"), RoundAggregate::add);
        for (int p : arrival) {
            fold.accept(p, results.get(p));
        }
        return fold.result();
    }

    /** What treeAggregate-style folding in completion order would give. */
    private static RoundAggregate inArrivalOrder(List<Integer> arrival, List<? extends TaskResult> results, boolean sync) {
        RoundAggregate a = RoundAggregate.forMode(sync, "params");
        for (int p : arrival) {
            a.add(results.get(p));
        }
        return a;
    }

    private static double[] syncValues(RoundAggregate a) {
        RoundAggregate.Sync s = (RoundAggregate.Sync) a;
        double[] g = s.meanGradient();
        double[] h = s.meanCurvature();
        double[] r = s.meanRunningStats();
        double[] all = new double[g.length + h.length + r.length + 1];
        System.arraycopy(g, 0, all, 0, g.length);
        System.arraycopy(h, 0, all, g.length, h.length);
        System.arraycopy(r, 0, all, g.length + h.length, r.length);
        all[all.length - 1] = a.meanLoss();
        return all;
    }

    private static float[] averagedValues(RoundAggregate a) {
        StateSnapshot s = ((RoundAggregate.Averaging) a).averagedState();
        float[] mu = ((FlatValues.F32) s.tensors().get("params")).values();
        float[] c = ((FlatValues.F32) s.tensors().get("curvature")).values();
        float[] all = new float[mu.length + c.length];
        System.arraycopy(mu, 0, all, 0, mu.length);
        System.arraycopy(c, 0, all, mu.length, c.length);
        return all;
    }

    @Test
    void shuffledArrivalGivesBitIdenticalAggregates() {
        List<TaskResult.Gradients> grads = new ArrayList<>();
        List<TaskResult.LocalSteps> states = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < TASKS; p++) {
            grads.add(gradients(p));
            states.add(localSteps(p));
            order.add(p);
        }
        double[] syncRef = syncValues(inOrder(order, grads, true));
        float[] avgRef = averagedValues(inOrder(order, states, false));
        Random rng = new Random(7);
        boolean naiveDiffered = false;
        for (int trial = 0; trial < 30; trial++) {
            List<Integer> arrival = new ArrayList<>(order);
            Collections.shuffle(arrival, rng);
            assertArrayEquals(syncRef, syncValues(inOrder(arrival, grads, true)), 0.0, "sync, arrival " + arrival);
            assertArrayEquals(avgRef, averagedValues(inOrder(arrival, states, false)), 0.0f, "average, arrival " + arrival);
            naiveDiffered |= !java.util.Arrays.equals(syncRef, syncValues(inArrivalOrder(arrival, grads, true)));
        }
        assertTrue(naiveDiffered, "folding in arrival order should round differently for some order (else this test proves nothing)");
    }

    @Test
    void aSlowFirstPartitionOnLocal2ChangesNothing() throws Exception {
        SparkSession spark = SyntheticImages.spark("local[2]");
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Integer> ids = new ArrayList<>();
            for (int p = 0; p < TASKS; p++) {
                ids.add(p);
            }
            JavaRDD<TaskResult> results = jsc.parallelize(ids, TASKS).mapPartitionsWithIndex((p, it) -> {
                if (p == 0) {
                    Thread.sleep(1500); // partition 0 is slow: the others finish first
                }
                return List.<TaskResult>of(gradients(p)).iterator();
            }, true);
            List<Integer> arrival = new CopyOnWriteArrayList<>();
            RoundAggregate a = RoundJob.fold(results, RoundAggregate.forMode(true, null), RoundAggregate::add,
                    (p, r) -> arrival.add(p));
            assertEquals(TASKS, arrival.size());
            assertNotEquals(0, arrival.get(0), "partition 0 should arrive after others, arrival " + arrival);
            List<TaskResult.Gradients> grads = new ArrayList<>();
            for (int p = 0; p < TASKS; p++) {
                grads.add(gradients(p));
            }
            assertArrayEquals(syncValues(inOrder(ids, grads, true)), syncValues(a), 0.0, "arrival " + arrival);
            assertEquals(TASKS, a.tasks());
        } finally {
            spark.stop();
        }
    }

    @Test
    void inOrderFoldRejectsDuplicatesAndReportsMissingResults() {
        List<Integer> folded = new ArrayList<>();
        InOrderFold<Integer, List<Integer>> f = new InOrderFold<>(3, folded, (l, x) -> {
            l.add(x);
            return l;
        });
        f.accept(2, 20);
        f.accept(0, 0);
        assertEquals(List.of(0), folded, "2 waits for 1");
        assertTrue(assertThrowsIllegalState(() -> f.accept(2, 21)).contains("twice"));
        assertTrue(assertThrowsIllegalState(f::result).contains("1 of 3"));
        f.accept(1, 10);
        assertEquals(List.of(0, 10, 20), f.result());
    }

    private static String assertThrowsIllegalState(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, e).getMessage();
    }
}
