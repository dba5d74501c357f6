package org.ngvi.optim.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ngvi.args.ArgumentException;

/**
 * The schedulers against values worked out by hand from torch's closed forms and torchsso's
 * iteration schedulers, the warm-up/main hand-over of the reference's training loop, torchsso's
 * momentum correction, JSON round trips and argument errors.
 */
class LrScheduleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void epochRulesFollowTorchsClosedForms() {
        ExponentialLr exp = new ExponentialLr(0.9);
        assertEquals(0.01, exp.lr(0.01, 0), 0);
        assertEquals(0.009, exp.lr(0.01, 1), 1e-17);
        assertEquals(0.0081, exp.lr(0.01, 2), 1e-17);
        StepLr step = new StepLr(3, 0.5);
        assertEquals(List.of(1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25),
                java.util.stream.LongStream.range(0, 7).mapToObj(e -> step.lr(1, e)).toList());
        MultiStepLr multi = new MultiStepLr(new long[] {30, 60, 80}, 0.1);
        assertEquals(1.6e-3, multi.lr(1.6e-3, 29), 0);
        assertEquals(1.6e-4, multi.lr(1.6e-3, 30), 1e-19);
        assertEquals(1.6e-5, multi.lr(1.6e-3, 60), 1e-20);
        assertEquals(1.6e-6, multi.lr(1.6e-3, 90), 1e-21);
        CosineAnnealingLr cos = new CosineAnnealingLr(4, 0.001);
        assertEquals(0.1, cos.lr(0.1, 0), 1e-17);
        assertEquals(0.001 + 0.099 * (1 + Math.sqrt(0.5)) / 2, cos.lr(0.1, 1), 1e-17);
        assertEquals(0.0505, cos.lr(0.1, 2), 1e-16);
        assertEquals(0.001, cos.lr(0.1, 4), 1e-17);
        assertTrue(exp.perEpoch() && step.perEpoch() && multi.perEpoch() && cos.perEpoch());
    }

    @Test
    void iterationRulesFollowTorchsso() {
        GradualWarmupLr warm = new GradualWarmupLr(1.25e-5, 4);
        assertEquals(1.25e-5, warm.lr(1.6e-3, 0), 0);
        assertEquals(1.25e-5 * 0.75 + 1.6e-3 * 0.25, warm.lr(1.6e-3, 1), 1e-18);
        assertEquals(1.6e-3, warm.lr(1.6e-3, 4), 0);
        assertEquals(1.6e-3, warm.lr(1.6e-3, 100), 0);
        PolynomialDecayLr poly = new PolynomialDecayLr(2, 12, null, 2);
        assertEquals(0.5, poly.lr(0.5, 1), 0); // before start_iter
        assertEquals(0.5, poly.lr(0.5, 2), 0);
        assertEquals(0.5 * 0.25, poly.lr(0.5, 7), 1e-17); // d = 1 − 5/10
        assertEquals(0, poly.lr(0.5, 12), 0);
        assertEquals(0, poly.lr(0.5, 50), 0);
        PolynomialDecayLr floored = new PolynomialDecayLr(1, 10, 0.1, 0);
        assertEquals(0.5, floored.lr(1, 5), 1e-17);
        assertEquals(0.1, floored.lr(1, 9), 1e-16); // 0.1 by the decay and by the floor
        assertEquals(0.1, floored.lr(1, 10), 0);
        PolynomialDecayLr growing = new PolynomialDecayLr(-1, 10, 3.0, 0);
        assertEquals(2, growing.lr(1, 5), 1e-15);
        assertEquals(3, growing.lr(1, 8), 0); // 1/0.2 = 5, capped at the target
        assertTrue(!warm.perEpoch() && !poly.perEpoch());
    }

    @Test
    void warmupHandsOverToTheMainRuleAtAbsoluteEpochs() {
        // 3 steps per epoch, 2 warm-up epochs: steps 0..5 warm up over 6 steps, then MultiStepLR([3], 0.1)
        LrSchedule s = new LrSchedule(new MultiStepLr(new long[] {3}, 0.1), new GradualWarmupLr(0.1, 6), 2, false, 0)
                .forStepsPerEpoch(3);
        double[] expected = {0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1};
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], s.lr(1.0, t), 1e-15, "step " + t);
        }
        assertEquals(0.9, s.momentum(0.9, 1.0, 10), 0, "no momentum correction asked for");
    }

    @Test
    void anIterationMainRuleCountsFromTheEndOfWarmup() {
        LrSchedule s = new LrSchedule(new PolynomialDecayLr(1, 4, null, 0), new GradualWarmupLr(0.5, 2), 1, false, 0)
                .forStepsPerEpoch(2);
        assertEquals(List.of(0.5, 0.75, 1.0, 0.75, 0.5, 0.25, 0.0),
                java.util.stream.LongStream.range(0, 7).mapToObj(t -> s.lr(1.0, t)).toList());
        // no epoch rule and no warm-up: the steps per epoch are never needed
        LrSchedule poly = new LrSchedule(new PolynomialDecayLr(1, 4, null, 0), null, 0, false, 0);
        assertEquals(0.75, poly.lr(1.0, 1), 0);
    }

    @Test
    void withoutAMainRuleEverythingStaysAsAtTheLastWarmupStep() {
        LrSchedule s = new LrSchedule(null, new GradualWarmupLr(0.2, 10), 1, true, 0).forStepsPerEpoch(4);
        double last = 0.2 + 0.8 * 3 / 10;
        assertEquals(last, s.lr(1.0, 3), 1e-15);
        assertEquals(last, s.lr(1.0, 4), 1e-15);
        assertEquals(last, s.lr(1.0, 1000), 1e-15);
        double beta = 0.9 * last / (0.2 + 0.8 * 2 / 10);
        assertEquals(beta, s.momentum(0.9, 1.0, 3), 1e-15);
        assertEquals(beta, s.momentum(0.9, 1.0, 1000), 1e-15);
    }

    @Test
    void momentumCorrectionScalesByTheRateChangeOfTheLastTick() {
        LrSchedule s = new LrSchedule(new ExponentialLr(0.5), new GradualWarmupLr(0.25, 2), 1, true, 0).forStepsPerEpoch(2);
        // rates 0.25, 0.625 | 0.5, 0.5 (epoch 1: 0.5¹) | 0.25, 0.25
        assertEquals(0.9, s.momentum(0.9, 1.0, 0), 0, "the first tick has no previous rate");
        assertEquals(0.9 * 0.625 / 0.25, s.momentum(0.9, 1.0, 1), 1e-15);
        assertEquals(0.9 * 0.5 / 0.625, s.momentum(0.9, 1.0, 2), 1e-15, "hand-over: previous rate is the last warm-up rate");
        assertEquals(0.9 * 0.5 / 0.625, s.momentum(0.9, 1.0, 3), 1e-15, "an epoch rule's factor lasts the epoch");
        assertEquals(0.9 * 0.5, s.momentum(0.9, 1.0, 4), 1e-15);
        assertEquals(0, s.momentum(0, 1.0, 4), 0);
    }

    @Test
    void constantScheduleAndBinding() {
        LrSchedule c = LrSchedule.constant();
        assertTrue(c.isConstant());
        assertEquals(0.3, c.lr(0.3, 123_456), 0);
        assertEquals(0.9, c.momentum(0.9, 0.3, 7), 0);
        LrSchedule unbound = new LrSchedule(new ExponentialLr(0.9), null, 0, false, 0);
        assertTrue(unbound.needsStepsPerEpoch());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> unbound.lr(0.1, 5));
        assertTrue(e.getMessage().contains("forStepsPerEpoch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> unbound.forStepsPerEpoch(0));
        assertThrows(IllegalArgumentException.class, () -> unbound.forStepsPerEpoch(3).lr(0.1, -1));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(null, new GradualWarmupLr(0.1, 5), 0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(new ExponentialLr(0.9), null, 2, false, 0));
    }

    @Test
    void jsonRoundTripsWithTheReferenceNames() throws Exception {
        List<LrSchedule> all = List.of(
                new LrSchedule(new ExponentialLr(0.9), null, 0, false, 0).forStepsPerEpoch(468),
                new LrSchedule(new StepLr(30, 0.1), null, 0, false, 0).forStepsPerEpoch(10),
                new LrSchedule(new MultiStepLr(new long[] {30, 60, 80}, 0.1), new GradualWarmupLr(1.25e-5, 1565), 5, true, 313),
                new LrSchedule(new CosineAnnealingLr(200, 1e-4), null, 0, false, 7),
                new LrSchedule(new PolynomialDecayLr(2, 1000, 1e-4, 10), null, 0, false, 0),
                LrSchedule.constant());
        for (LrSchedule s : all) {
            assertEquals(s, LrSchedule.fromJson(json(s.toJson().toString())), s.describe());
        }
        JsonNode n = all.get(2).toJson();
        assertEquals("MultiStepLR", n.get("scheduler_name").asText());
        assertEquals("[30,60,80]", n.get("scheduler_args").get("milestones").toString());
        assertEquals("GradualWarmupIterLR", n.get("warmup_scheduler_name").asText());
        assertEquals(5, n.get("warmup_epochs").asInt());
        assertSame(LrSchedule.constant(), LrSchedule.fromJson(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LrSchedule.fromJson(json("{\"scheduler_name\": \"ExponentialLR\", \"scheduler_args\": {\"gamma\": 0.9, \"gama\": 0.9}}")));
        assertTrue(e.getMessage().startsWith("lr_schedule.scheduler_args.gama"), e.getMessage());
    }

    @Test
    void badNamesAndArgumentsNameTheField() throws Exception {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> LrRule.of("ExponentialLr", null));
        assertTrue(unknown.getMessage().contains("ExponentialLR"), unknown.getMessage());
        ArgumentException e = assertThrows(ArgumentException.class, () -> LrRule.of("ExponentialLR", null));
        assertEquals("gamma", e.field());
        e = assertThrows(ArgumentException.class, () -> LrRule.of("ExponentialLR", json("{\"gamma\": 0.9, \"last_epoch\": 3}")));
        assertEquals("last_epoch", e.field());
        assertTrue(e.reason().contains("[gamma]") && e.getMessage().startsWith("ExponentialLR.last_epoch"), e.getMessage());
        e = assertThrows(ArgumentException.class, () -> LrRule.of("MultiStepLR", json("{\"milestones\": [60, 30]}")));
        assertEquals("milestones", e.field());
        e = assertThrows(ArgumentException.class, () -> LrRule.of("StepLR", json("{\"step_size\": 2.5}")));
        assertEquals("step_size", e.field());
        e = assertThrows(ArgumentException.class, () -> LrRule.of("PolynomialDecayIterLR", json("{\"rate\": -1, \"max_count\": 10}")));
        assertEquals("target", e.field());
        e = assertThrows(ArgumentException.class,
                () -> LrRule.of("PolynomialDecayIterLR", json("{\"rate\": 1, \"max_count\": 10, \"start_iter\": 10}")));
        assertEquals("start_iter", e.field());
        e = assertThrows(ArgumentException.class, () -> LrRule.of("GradualWarmupIterLR", json("{\"initial_lr\": 0, \"max_count\": 3}")));
        assertEquals("initial_lr", e.field());
        e = assertThrows(ArgumentException.class, () -> LrRule.of("CosineAnnealingLR", json("[1]")));
        assertNull(e.field());
        assertEquals(new MultiStepLr(new long[] {2, 5}, 0.1), LrRule.of("MultiStepLR", json("{\"milestones\": [2, 5]}")));
        assertEquals(new StepLr(4, 0.1), LrRule.of("StepLR", json("{\"step_size\": 4}")));
    }
}
