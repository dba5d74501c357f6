package org.ngvi.spark.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.OptimContext;
import org.ngvi.optim.OptimizerParams;
import org.ngvi.optim.OptimizerRegistry;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * The optimizer a config asks for: {@code optim_name} resolved by the {@link OptimizerRegistry},
 * whose config factory reads that optimizer's keys ({@code optim_args.*}, {@code curv_args.*},
 * with the reference's names; validated when the config is parsed) once the run's facts are
 * known ({@link #params(long, NetworkSpec, int)}).
 *
 * @param name            canonical registry name ({@code vogn}, {@code adam}, {@code sgd})
 * @param valNumMcSamples MC samples for validation/evaluation ({@code optim_args.val_num_mc_samples}; 0 = mean weights)
 * @param schedule        learning-rate schedule (top-level {@code scheduler_name}, {@code scheduler_args},
 *                        {@code warmup_*}, {@code momentum_correction}), not yet bound to the run's steps per epoch
 * @param source          the config's name in messages
 * @param configJson      the effective config, from which the factory reads the optimizer's keys
 */
public record OptimConfig(String name, int valNumMcSamples, LrSchedule schedule, String source, String configJson)
        implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean isVogn() {
        return name.equals(org.ngvi.optim.Vogn.NAME);
    }

    /**
     * The params for a run with {@code datasetSize} training examples, a network without
     * normalisation layers and a schedule that needs no steps per epoch (constant or per-iteration).
     */
    public OptimizerParams params(long datasetSize) {
        return params(datasetSize, null, 0);
    }

    /**
     * The params for a run with {@code datasetSize} examples (VOGN's N) on the network {@code spec}
     * (its BatchNorm γ and β get no prior under VOGN's {@code optim_args.non_reg_for_bn}), the
     * schedule bound to {@code stepsPerEpoch}.
     *
     * @param spec          the network, or {@code null} (only without {@code non_reg_for_bn})
     * @param stepsPerEpoch optimizer steps per epoch, or 0 when unknown (only for schedules that do not count epochs)
     */
    public OptimizerParams params(long datasetSize, NetworkSpec spec, int stepsPerEpoch) {
        LrSchedule bound = schedule;
        if (bound.needsStepsPerEpoch()) {
            if (stepsPerEpoch < 1) {
                throw new IllegalArgumentException("the learning-rate schedule (" + bound.describe()
                        + ") counts epochs: the run's steps per epoch are needed");
            }
            bound = bound.forStepsPerEpoch(stepsPerEpoch);
        }
        Set<String> normalization = spec == null ? null : Network.build(spec, DataType.FLOAT).normalizationParamNames();
        return OptimizerRegistry.get(name).config().fromConfig(reader(), OptimContext.of(datasetSize, normalization, bound));
    }

    private ConfigReader reader() {
        try {
            JsonNode root = JSON.readTree(configJson);
            return new ConfigReader(source, (ObjectNode) root);
        } catch (IOException e) {
            throw new IllegalStateException(source + ": effective config is not JSON: " + e.getMessage(), e);
        }
    }
}
