package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.ngvi.data.DatasetManifest;
import org.ngvi.optim.OptimizerState;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/** Shared pieces of the trainer tests: a small VOGN config and tensor comparison. */
final class TrainerTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainerTestSupport() {
    }

    /** A VOGN MLP config (hidden 16) with overrides {@code key=value}. */
    static TrainConfig config(String... overrides) {
        ObjectNode base;
        try {
            base = (ObjectNode) JSON.readTree("""
                    {"model": "mlp", "model_args": {"hidden": [16], "activation": "relu"},
                     "optim_name": "VOGN",
                     "optim_args": {"lr": 0.02, "grad_ema_decay": 0.1, "num_mc_samples": 2, "val_num_mc_samples": 4,
                                    "init_precision": 0.05, "prior_variance": 1, "kl_weighting": 1},
                     "curv_args": {"damping": 0.001, "ema_decay": 0.05},
                     "epochs": 1, "batch_size": 16, "seed": 7}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return TrainConfig.fromJson("test config", applied(base, List.of(overrides)));
    }

    private static ObjectNode applied(ObjectNode n, List<String> overrides) {
        overrides.forEach(o -> org.ngvi.spark.config.ConfigOverrides.apply(n, o));
        return n;
    }

    static RunSetup setup(TrainConfig c, DatasetManifest m, long[] partitionCounts) {
        BatchPlan plan = new BatchPlan(c.seed(), partitionCounts, c.batchSize(), c.localSteps());
        return new RunSetup(TrainJob.network(c, m), c.dtype(), TrainJob.normalization(c, m), plan,
                c.optim().params(m.rows(), null, plan.stepsPerEpoch()), c.sync(), c.seed());
    }

    /** Every buffer of {@code actual} within {@code rtol} × (max |expected|) of {@code expected}. */
    static void assertStatesClose(OptimizerState expected, OptimizerState actual, double rtol) {
        assertEquals(expected.step(), actual.step(), "step");
        for (var e : expected.tensors().entrySet()) {
            FlatTensor a = actual.tensors().get(e.getKey());
            FlatValues x = FlatValues.of(e.getValue());
            FlatValues y = FlatValues.of(a);
            double scale = 0;
            double err = 0;
            for (int i = 0; i < x.length(); i++) {
                scale = Math.max(scale, Math.abs(x.get(i)));
                err = Math.max(err, Math.abs(x.get(i) - y.get(i)));
            }
            assertTrue(err <= rtol * Math.max(scale, 1e-30),
                    e.getKey() + ": max |difference| " + err + " exceeds " + rtol + " × max |expected| " + scale);
        }
    }
}
