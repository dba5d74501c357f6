package org.ngvi.spark.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ngvi.args.ArgumentException;
import org.ngvi.data.augment.AugmentationSpec;
import org.ngvi.nn.arch.Architectures;
import org.ngvi.optim.OptimContext;
import org.ngvi.optim.OptimizerRegistry;
import org.ngvi.optim.schedule.GradualWarmupLr;
import org.ngvi.optim.schedule.LrRule;
import org.ngvi.optim.schedule.LrSchedule;

/**
 * A validated training configuration. Parse with {@link #load(Path, List)} (file plus {@code --set}
 * overrides) or {@link #fromJson(String, ObjectNode)}; {@link #json()} is the effective config
 * (after overrides) that provenance records.
 *
 * @param model           architecture name: {@code mlp} or one of {@link Architectures#names()} (arguments in {@link #modelArgs()})
 * @param hidden          MLP hidden widths ({@code model_args.hidden}; unused by other models)
 * @param activation      {@code relu} or {@code tanh} ({@code model_args.activation}; unused by other models)
 * @param optim           optimizer settings
 * @param epochs          passes over the training set
 * @param batchSize       examples per optimizer step, summed over all tasks of a round
 * @param valBatchSize    examples per evaluation batch
 * @param localSteps      K: optimizer steps each task runs between two aggregations
 * @param aggregation     {@code average} (natural-parameter averaging after K local steps) or {@code sync}
 *                        (K = 1, gradients and curvature aggregated, one step on the driver)
 * @param normalize       {@code scale} (pixels/255, as the reference) or {@code standardize} (manifest channel statistics)
 * @param augmentation    training-time augmentation of every example ({@code augmentation}, {@code augmentation_args.*});
 *                        evaluation never augments
 * @param seed            seed of initial weights, data order, MC noise and augmentation
 * @param datasetSize     N for VOGN; {@code null}: the training set's {@code rows}
 * @param partitions      Spark partitions (tasks) of the training set; {@code null}: the default parallelism
 * @param dtype           {@code float32} or {@code float64}
 * @param checkpointEvery   rounds between checkpoints ({@code checkpoint_every}; 0, the default: not by rounds)
 * @param checkpointSeconds seconds between checkpoints ({@code checkpoint_seconds}; default 600, 0: not by time);
 *                          epoch ends and the last round are always checkpointed
 * @param json            the effective configuration
 */
public record TrainConfig(String model, int[] hidden, String activation, OptimConfig optim, int epochs, int batchSize,
                          int valBatchSize, int localSteps, String aggregation, String normalize, AugmentationSpec augmentation, long seed,
                          Long datasetSize, Integer partitions, String dtype, int checkpointEvery,
                          double checkpointSeconds, String json) implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Default of {@code checkpoint_seconds}: a long run loses at most ten minutes, a short one checkpoints per epoch. */
    public static final double DEFAULT_CHECKPOINT_SECONDS = 600;
    /** Values of {@code model}: the MLP and the convolutional architectures of {@link Architectures}. */
    public static final List<String> MODELS = java.util.stream.Stream.concat(java.util.stream.Stream.of("mlp"),
            Architectures.names().stream()).toList();

    public TrainConfig {
        hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * The {@code model_args} object of the effective config (validated for {@link #model()}), or an
     * empty object when absent; what {@link Architectures#spec} takes.
     */
    public ObjectNode modelArgs() {
        try {
            JsonNode args = JSON.readTree(json).get("model_args");
            return args != null && args.isObject() ? (ObjectNode) args : JSON.createObjectNode();
        } catch (IOException e) {
            throw new IllegalStateException("effective config is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Dropout probability p ({@code model_args.dropout}; default 0: no dropout layers) of the MLP
     * (a dropout layer after every hidden activation) and of LeNet-5 (after both hidden fully
     * connected layers); 0 for models without the option.
     */
    public double dropout() {
        return modelArgs().path("dropout").asDouble(0);
    }

    /** {@code max_bad_rounds} when the config does not set it. */
    public static final int DEFAULT_MAX_BAD_ROUNDS = 3;

    /**
     * Consecutive rounds with a dropped (non-finite) partition after which the run stops
     * ({@code max_bad_rounds}, default {@value #DEFAULT_MAX_BAD_ROUNDS}; {@code org.ngvi.spark.train.NonFinitePolicy}).
     */
    public int maxBadRounds() {
        try {
            return JSON.readTree(json).path("max_bad_rounds").asInt(DEFAULT_MAX_BAD_ROUNDS);
        } catch (IOException e) {
            throw new IllegalStateException("effective config is not JSON: " + e.getMessage(), e);
        }
    }

    public boolean sync() {
        return aggregation.equals("sync");
    }

    /** Reads {@code file}, applies {@code --set key=value} overrides, validates. */
    public static TrainConfig load(Path file, List<String> overrides) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file), overrides);
    }

    /** The JSON object in {@code bytes}; a config error naming {@code source} when it is not one. */
    public static ObjectNode readObject(String source, byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ConfigException(source + ": not readable as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": expected a JSON object at the top level");
        }
        ObjectNode obj = (ObjectNode) root;
        return obj;
    }

    /** Parses JSON {@code bytes} named {@code source} in errors, applies overrides, validates. */
    public static TrainConfig parse(String source, byte[] bytes, List<String> overrides) {
        ObjectNode obj = readObject(source, bytes);
        for (String o : overrides) {
            ConfigOverrides.apply(obj, o);
        }
        return fromJson(source, obj);
    }

    /** Validates a config object; {@code source} names it in errors. */
    public static TrainConfig fromJson(String source, ObjectNode obj) {
        ConfigReader r = new ConfigReader(source, obj);
        String model = r.string("model", "mlp", MODELS.toArray(new String[0]));
        int[] hidden = new int[] {400, 400};
        String activation = "relu";
        if (model.equals("mlp")) {
            hidden = r.intArray("model_args.hidden", hidden, 1);
            activation = r.string("model_args.activation", activation, "relu", "tanh");
            r.number("model_args.dropout", 0, 0, false, 0.99); // validated here, read by dropout()
        } else {
            try {
                Architectures.checkArgs(model, r.object("model_args"));
            } catch (ArgumentException e) {
                throw r.error(e.field() == null ? "model_args" : "model_args." + e.field(), e.reason());
            }
        }

        String rawName = r.string("optim_name", "vogn");
        OptimizerRegistry.Entry optimizer = OptimizerRegistry.find(rawName).orElseThrow(() ->
                r.error("optim_name", "expected one of " + OptimizerRegistry.describeNames() + ", got \"" + rawName + "\""));
        int valMc = r.integer("optim_args.val_num_mc_samples", 10, 0, 100_000);
        // accepted for reference configs (torchsso's options): only these values are supported
        r.integer("optim_args.acc_steps", 1, 1, 1);
        r.string("optim_args.curv_type", "Cov", "Cov");
        JsonNode shapes = r.object("optim_args.curv_shapes");
        if (shapes != null) {
            shapes.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual() || !e.getValue().asText().equals("Diag")) {
                    throw r.error("optim_args.curv_shapes." + e.getKey(), "only \"Diag\" curvature is supported, got " + e.getValue());
                }
            });
        }
        LrSchedule schedule = schedule(r);
        try {
            // reads and checks every key of the optimizer; checks that need the run's data wait for it
            optimizer.config().fromConfig(r, OptimContext.validation(schedule));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException deferred) {
            // e.g. VOGN without init_precision needs damping > 0: reported by OptimConfig#params when the run starts
        }
        OptimConfig optim = new OptimConfig(optimizer.name(), valMc, schedule, source, obj.toString());

        int epochs = r.integer("epochs", 1, 1, 100_000);
        int batch = r.integer("batch_size", 128, 1, 1 << 20);
        int valBatch = r.integer("val_batch_size", 1000, 1, 1 << 20);
        int localSteps = r.integer("local_steps", 1, 1, 1 << 20);
        String aggregation = r.string("aggregation", "average", "average", "sync");
        if (aggregation.equals("sync") && localSteps != 1) {
            throw r.error("local_steps", "aggregation \"sync\" takes one step per round: local_steps must be 1, got " + localSteps);
        }
        String normalize = r.string("normalize", "scale", "scale", "standardize");
        AugmentationSpec augmentation = augmentation(r);
        long seed = r.longValue("seed", 1);
        Long datasetSize = r.has("dataset_size") ? (long) r.integer("dataset_size", 1, 1, Integer.MAX_VALUE) : null;
        Integer partitions = r.has("partitions") ? r.integer("partitions", 1, 1, 1 << 16) : null;
        String dtype = r.string("dtype", "float32", "float32", "float64");
        int checkpointEvery = r.integer("checkpoint_every", 0, 0, Integer.MAX_VALUE);
        double checkpointSeconds = r.number("checkpoint_seconds", DEFAULT_CHECKPOINT_SECONDS, 0, false, 1e9);
        r.integer("max_bad_rounds", DEFAULT_MAX_BAD_ROUNDS, 1, 1 << 20); // validated here, read by maxBadRounds()
        r.rejectUnknown();
        return new TrainConfig(model, hidden, activation, optim, epochs, batch, valBatch, localSteps, aggregation,
                normalize, augmentation, seed, datasetSize, partitions, dtype, checkpointEvery, checkpointSeconds, obj.toString());
    }

    /**
     * The learning-rate schedule, with the reference's keys: {@code scheduler_name} and
     * {@code scheduler_args} (the main scheduler), {@code warmup_epochs}, {@code warmup_scheduler_name}
     * and {@code warmup_scheduler_args} (the scheduler of the first epochs), {@code momentum_correction};
     * not yet bound to the run's steps per epoch.
     */
    private static LrSchedule schedule(ConfigReader r) {
        LrRule main = rule(r, "scheduler_name", "scheduler_args");
        LrRule warmup = rule(r, "warmup_scheduler_name", "warmup_scheduler_args");
        int warmupEpochs = r.integer("warmup_epochs", 0, 0, 1_000_000);
        if (warmup != null && warmupEpochs == 0) {
            throw r.error("warmup_epochs", "warmup_scheduler_name needs warmup_epochs >= 1 (the epochs it runs for)");
        }
        if (warmup == null && warmupEpochs > 0) {
            throw r.error("warmup_epochs", "needs a warmup_scheduler_name (e.g. \"" + GradualWarmupLr.NAME + "\")");
        }
        boolean correction = r.bool("momentum_correction", false);
        return new LrSchedule(main, warmup, warmupEpochs, correction, 0);
    }

    private static LrRule rule(ConfigReader r, String nameKey, String argsKey) {
        JsonNode args = r.object(argsKey);
        if (!r.has(nameKey)) {
            if (args != null) {
                throw r.error(argsKey, "given without " + nameKey);
            }
            return null;
        }
        String name = r.string(nameKey, null, LrRule.NAMES.toArray(new String[0]));
        try {
            return LrRule.of(name, args);
        } catch (ArgumentException e) {
            throw r.error(e.field() == null ? argsKey : argsKey + "." + e.field(), e.reason());
        }
    }

    /**
     * {@code augmentation} ({@code none}, {@code flip}, {@code cifar}, {@code imagenet}) with its
     * {@code augmentation_args}: {@code padding} (cifar, default 4), {@code scale} and {@code ratio}
     * (imagenet, default [0.08, 1] and [3/4, 4/3]); an argument of another pipeline is an error.
     */
    private static AugmentationSpec augmentation(ConfigReader r) {
        AugmentationSpec.Kind kind = AugmentationSpec.Kind.of(r.string("augmentation", "none", "none", "flip", "cifar", "imagenet"));
        for (String[] arg : new String[][] {{"padding", "cifar"}, {"scale", "imagenet"}, {"ratio", "imagenet"}}) {
            if (r.has("augmentation_args." + arg[0]) && !kind.configName().equals(arg[1])) {
                throw r.error("augmentation_args." + arg[0], "applies to augmentation \"" + arg[1] + "\" only, but augmentation is \""
                        + kind.configName() + "\"");
            }
        }
        return switch (kind) {
            case NONE, FLIP -> AugmentationSpec.of(kind);
            case CIFAR -> AugmentationSpec.cifar(r.integer("augmentation_args.padding", AugmentationSpec.DEFAULT_PADDING, 0, 4096));
            case IMAGENET -> {
                double[] scale = r.doubleArray("augmentation_args.scale", new double[] {0.08, 1.0}, 2);
                if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1)) {
                    throw r.error("augmentation_args.scale", "expected [min, max] with 0 < min ≤ max ≤ 1, got "
                            + java.util.Arrays.toString(scale));
                }
                double[] ratio = r.doubleArray("augmentation_args.ratio", new double[] {3.0 / 4.0, 4.0 / 3.0}, 2);
                if (!(ratio[0] > 0 && ratio[0] <= ratio[1] && ratio[1] <= 1e6)) {
                    throw r.error("augmentation_args.ratio", "expected [min, max] aspect ratios (width/height) with 0 < min ≤ max ≤ 1e6, got "
                            + java.util.Arrays.toString(ratio));
                }
                yield AugmentationSpec.imagenet(scale[0], scale[1], ratio[0], ratio[1]);
            }
        };
    }
}
