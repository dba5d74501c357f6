package org.ngvi.spark.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.optim.AdamParams;
import org.ngvi.optim.SgdParams;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.schedule.ExponentialLr;
import org.ngvi.optim.schedule.GradualWarmupLr;
import org.ngvi.optim.schedule.LrSchedule;
import org.ngvi.optim.schedule.MultiStepLr;

class TrainConfigTest {
    @TempDir
    Path tmp;

    private static TrainConfig parse(String json, String... sets) {
        return TrainConfig.parse("cfg.json", json.getBytes(StandardCharsets.UTF_8), List.of(sets));
    }

    private static String error(String json, String... sets) {
        return assertThrows(ConfigException.class, () -> parse(json, sets)).getMessage();
    }

    @Test
    void shippedVognConfigHasTheReferenceSettings() throws Exception {
        TrainConfig c = TrainConfig.load(Path.of("../configs/fmnist_mlp_vogn.json"), List.of());
        OptimConfig o = c.optim();
        assertEquals("vogn", o.name());
        VognParams v = (VognParams) o.params(60_000);
        assertEquals(0.01, v.lr());
        assertEquals(0.1, v.gradEma());
        assertEquals(VognParams.Stage.RAW, v.gradEmaType());
        assertEquals(0.001, v.curvatureEma());
        assertEquals(8e-3, v.initPrecision());
        assertEquals(1.0, v.priorVariance());
        assertEquals(1.0, v.klWeighting());
        assertEquals(0.0, v.damping());
        assertEquals(1, v.numMcSamples());
        assertEquals(10, o.valNumMcSamples());
        assertEquals(128, c.batchSize());
        assertEquals(3, c.epochs());
        assertArrayEquals(new int[] {400, 400}, c.hidden());
        assertNull(c.datasetSize(), "N defaults to the training set's rows");
        assertTrue(o.schedule().isConstant(), "the issue's reference settings: a constant rate");
        TrainConfig adam = TrainConfig.load(Path.of("../configs/fmnist_mlp_adam.json"), List.of());
        assertEquals("adam", adam.optim().name());
        assertEquals(1e-3, ((AdamParams) adam.optim().params(60_000)).lr());
    }

    @Test
    void dottedOverridesApply() {
        TrainConfig c = parse("{\"optim_name\": \"VOGN\", \"optim_args\": {\"lr\": 0.1}}",
                "optim_args.lr=0.01", "epochs=3", "model_args.hidden=[32,8]", "aggregation=sync", "curv_args.damping=1e-4");
        VognParams v = (VognParams) c.optim().params(100);
        assertEquals(0.01, v.lr());
        assertEquals(3, c.epochs());
        assertArrayEquals(new int[] {32, 8}, c.hidden());
        assertTrue(c.sync());
        assertEquals(1e-4, v.damping());
        assertTrue(c.json().contains("\"epochs\":3"), c.json());
    }

    @Test
    void sgdIsSelectableWithItsOwnKeys() {
        TrainConfig c = parse("{\"optim_name\": \"sgd\", \"optim_args\": {\"lr\": 0.05, \"momentum\": 0.9, \"weight_decay\": 1e-4}}");
        assertEquals("sgd", c.optim().name());
        assertEquals(new SgdParams(0.05, 0.9, 1e-4), c.optim().params(1000));
        assertEquals("sgd", parse("{\"optim_name\": \"SGD\"}").optim().name());
        assertEquals(0.01, ((SgdParams) parse("{\"optim_name\": \"SGD\"}").optim().params(10)).lr());
        // SGD reads only its own keys: VOGN's are unknown to it
        String m = error("{\"optim_name\": \"sgd\", \"optim_args\": {\"num_mc_samples\": 3}}");
        assertTrue(m.contains("'optim_args.num_mc_samples'"), m);
        assertTrue(error("{\"optim_name\": \"sgd\", \"optim_args\": {\"momentum\": 1.5}}").contains("key 'optim_args.momentum'"));
        // the registry's names are what an unknown optimizer's message lists
        m = error("{\"optim_name\": \"LBFGS\"}");
        assertTrue(m.contains("vogn") && m.contains("adam") && m.contains("sgd"), m);
    }

    @Test
    void unknownKeysAreNamed() {
        String m = error("{\"optim_args\": {\"lr\": 0.1, \"learning_rate\": 2}, \"epoch\": 3}");
        assertTrue(m.contains("'optim_args.learning_rate'") && m.contains("'epoch'") && m.contains("cfg.json"), m);
        assertTrue(error("{}", "optim_args.betaz=[0.9,0.99]").contains("'optim_args.betaz'"));
    }

    @Test
    void badValuesNameTheKeyAndWhatWasExpected() {
        assertTrue(error("{\"optim_args\": {\"lr\": -1}}").contains("key 'optim_args.lr': expected a number in (0.0"));
        assertTrue(error("{\"optim_args\": {\"lr\": \"fast\"}}").contains("'optim_args.lr'"));
        assertTrue(error("{\"epochs\": 2.5}").contains("key 'epochs': expected an integer"));
        assertTrue(error("{\"aggregation\": \"mean\"}").contains("one of [average, sync]"));
        assertTrue(error("{\"optim_name\": \"LBFGS\"}").contains("'optim_name'"));
        assertTrue(error("{\"aggregation\": \"sync\", \"local_steps\": 4}").contains("local_steps must be 1"));
        assertTrue(error("{\"optim_args\": {\"curv_shapes\": {\"Linear\": \"Kron\"}}}").contains("optim_args.curv_shapes.Linear"));
        assertTrue(error("[1, 2]").contains("expected a JSON object"));
        assertTrue(error("{", "epochs=1").contains("not readable as JSON"));
        assertTrue(error("{}", "epochs").contains("expected key=value"));
    }

    @Test
    void learningRateSchedulesUseTheReferenceKeys() {
        TrainConfig c = parse("""
                {"optim_args": {"lr": 1.6e-3, "momentum": 0.9, "momentum_type": "raw"},
                 "scheduler_name": "MultiStepLR", "scheduler_args": {"milestones": [30, 60, 80], "gamma": 0.1},
                 "warmup_epochs": 5, "warmup_scheduler_name": "GradualWarmupIterLR",
                 "warmup_scheduler_args": {"initial_lr": 1.25e-5, "max_count": 1565}, "momentum_correction": true}""");
        LrSchedule s = c.optim().schedule();
        assertEquals(new MultiStepLr(new long[] {30, 60, 80}, 0.1), s.main());
        assertEquals(new GradualWarmupLr(1.25e-5, 1565), s.warmup());
        assertEquals(5, s.warmupEpochs());
        assertTrue(s.momentumCorrection());
        assertEquals(0, s.stepsPerEpoch(), "bound to the run by the trainer");
        assertTrue(parse("{}").optim().schedule().isConstant());
        assertEquals(new ExponentialLr(0.9),
                parse("{}", "scheduler_name=ExponentialLR", "scheduler_args.gamma=0.9").optim().schedule().main());
    }

    @Test
    void badSchedulesNameTheKey() {
        String m = error("{\"scheduler_name\": \"ExponentialLr\"}");
        assertTrue(m.contains("key 'scheduler_name'") && m.contains("ExponentialLR"), m);
        m = error("{\"scheduler_name\": \"ExponentialLR\"}");
        assertTrue(m.contains("key 'scheduler_args.gamma': expected a number"), m);
        m = error("{\"scheduler_name\": \"StepLR\", \"scheduler_args\": {\"step_size\": 3, \"stepsize\": 3}}");
        assertTrue(m.contains("key 'scheduler_args.stepsize': not an argument of scheduler StepLR"), m);
        m = error("{\"scheduler_args\": {\"gamma\": 0.9}}");
        assertTrue(m.contains("key 'scheduler_args': given without scheduler_name"), m);
        m = error("{\"warmup_epochs\": 5}");
        assertTrue(m.contains("key 'warmup_epochs': needs a warmup_scheduler_name"), m);
        m = error("{\"warmup_scheduler_name\": \"GradualWarmupIterLR\", \"warmup_scheduler_args\": {\"initial_lr\": 0.001, \"max_count\": 10}}");
        assertTrue(m.contains("key 'warmup_epochs'"), m);
        m = error("{\"optim_name\": \"Adam\", \"scheduler_name\": \"ExponentialLR\", \"scheduler_args\": {\"gamma\": 0.9}, \"momentum_correction\": true}");
        assertTrue(m.contains("key 'momentum_correction'") && m.contains("adam has no momentum"), m);
        m = error("{\"scheduler_name\": \"MultiStepLR\", \"scheduler_args\": {\"milestones\": [3, 3]}}");
        assertTrue(m.contains("key 'scheduler_args.milestones'"), m);
    }

    @Test
    void unreadableFileIsAnError() throws Exception {
        Path f = tmp.resolve("c.json");
        Files.writeString(f, "{\"epochs\": 0}");
        assertTrue(assertThrows(ConfigException.class, () -> TrainConfig.load(f, List.of())).getMessage()
                .startsWith(f + ": key 'epochs'"));
    }
}
