package org.ngvi.spark.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.ngvi.spark.config.ConfigException;
import org.ngvi.spark.config.TrainConfig;

/**
 * The one table from {@link VognClassifier}'s training params to the config keys of
 * {@code configs/README.md}: every param here is a {@code --set key=value} override of the
 * estimator's config ({@link VognClassifier#setConfig}), applied after the file and the
 * {@code overrides} param, so a param always wins. A param that is not set leaves the key to the
 * config file or to {@link TrainConfig}'s default. Validation is {@link TrainConfig}'s own: a bad
 * value fails when it is set ({@link #validate}), naming the param and the key.
 */
final class ConfigParams {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** JSON type of a param's value. */
    enum Kind { STRING, INT, LONG, DOUBLE, INT_ARRAY }

    /**
     * One row of the table.
     *
     * @param param the spark.ml param name
     * @param key   the dotted config key it sets
     * @param kind  the value's type
     * @param doc   what it means
     */
    record Entry(String param, String key, Kind kind, String doc) {
    }

    /** Param name → config key (with type and meaning). */
    static final List<Entry> TABLE = List.of(
            new Entry("model", "model", Kind.STRING, "architecture: " + String.join(", ", TrainConfig.MODELS)),
            new Entry("hidden", "model_args.hidden", Kind.INT_ARRAY, "hidden layer widths of the MLP"),
            new Entry("dropout", "model_args.dropout", Kind.DOUBLE,
                    "dropout probability after the hidden layers of the MLP and LeNet-5 (the MC-dropout baseline)"),
            new Entry("optimizer", "optim_name", Kind.STRING, "VOGN or Adam"),
            new Entry("epochs", "epochs", Kind.INT, "passes over the training data"),
            new Entry("batchSize", "batch_size", Kind.INT, "examples per optimizer step, over all tasks"),
            new Entry("valBatchSize", "val_batch_size", Kind.INT, "examples per forward pass when the model scores rows"),
            new Entry("lr", "optim_args.lr", Kind.DOUBLE, "learning rate"),
            new Entry("weightDecay", "optim_args.weight_decay", Kind.DOUBLE, "Adam's weight decay"),
            new Entry("numMcSamples", "optim_args.num_mc_samples", Kind.INT, "VOGN weight samples per training step"),
            new Entry("valNumMcSamples", "optim_args.val_num_mc_samples", Kind.INT,
                    "MC samples the fitted model predicts with by default (0: the mean weights)"),
            new Entry("priorVariance", "optim_args.prior_variance", Kind.DOUBLE, "σ₀², the variance of VOGN's Gaussian prior"),
            new Entry("initPrecision", "optim_args.init_precision", Kind.DOUBLE, "VOGN's initial precision"),
            new Entry("klWeighting", "optim_args.kl_weighting", Kind.DOUBLE, "τ, the weight of the KL term"),
            new Entry("localSteps", "local_steps", Kind.INT, "K: steps each task runs between two aggregations"),
            new Entry("aggregation", "aggregation", Kind.STRING,
                    "average (natural-parameter averaging after K local steps) or sync (gradients aggregated, K = 1)"),
            new Entry("normalize", "normalize", Kind.STRING, "scale (pixels/255) or standardize (the data's channel statistics)"),
            new Entry("partitions", "partitions", Kind.INT, "training tasks (default: the session's default parallelism)"),
            new Entry("dtype", "dtype", Kind.STRING, "float32 or float64"),
            new Entry("seed", "seed", Kind.LONG, "seed of initial weights, data order, MC noise and augmentation"));

    private static final Map<String, Entry> BY_PARAM = TABLE.stream().collect(Collectors.toMap(Entry::param, Function.identity()));

    private ConfigParams() {
    }

    static Entry entry(String param) {
        Entry e = BY_PARAM.get(param);
        if (e == null) {
            throw new IllegalArgumentException("no config param named '" + param + "'");
        }
        return e;
    }

    private static String doc(Entry e) {
        return e.doc() + " (config key " + e.key() + ")";
    }

    private static Entry entry(String param, Kind kind) {
        Entry e = entry(param);
        if (e.kind() != kind) {
            throw new IllegalArgumentException("config param '" + param + "' is of kind " + e.kind() + ", not " + kind);
        }
        return e;
    }

    static Param<String> stringParam(Params owner, String name) {
        return new Param<>(owner, name, doc(entry(name, Kind.STRING)));
    }

    static IntParam intParam(Params owner, String name) {
        return new IntParam(owner, name, doc(entry(name, Kind.INT)));
    }

    static LongParam longParam(Params owner, String name) {
        return new LongParam(owner, name, doc(entry(name, Kind.LONG)));
    }

    static DoubleParam doubleParam(Params owner, String name) {
        return new DoubleParam(owner, name, doc(entry(name, Kind.DOUBLE)));
    }

    static IntArrayParam intArrayParam(Params owner, String name) {
        return new IntArrayParam(owner, name, doc(entry(name, Kind.INT_ARRAY)));
    }

    /** {@code key=value} with the value as JSON, the form {@code --set} and {@link TrainConfig#parse} take. */
    static String override(Entry e, Object value) {
        try {
            return e.key() + "=" + JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalArgumentException("param '" + e.param() + "': value " + value + " is not representable as JSON", ex);
        }
    }

    /** The overrides of every table param that {@code owner} has set, in table order. */
    static List<String> overrides(Params owner) {
        List<String> out = new ArrayList<>();
        for (Entry e : TABLE) {
            Param<Object> p = owner.getParam(e.param());
            if (owner.isSet(p)) {
                out.add(override(e, owner.getOrDefault(p)));
            }
        }
        return out;
    }

    /**
     * Checks one param value as {@link TrainConfig} checks its key, alone in an otherwise default config.
     *
     * @throws ConfigException naming the owner's param and the key, and what was expected
     */
    static void validate(String owner, String param, Object value) {
        Entry e = entry(param);
        TrainConfig.parse(owner + " param '" + param + "'", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                List.of(override(e, value)));
    }

    /**
     * {@code e}'s message with the params that set the keys it names: a config error from
     * several keys together (e.g. {@code local_steps} with {@code aggregation: sync}) then says which
     * params to change.
     */
    static ConfigException withParams(ConfigException e, Params owner) {
        List<String> named = new ArrayList<>();
        for (Entry entry : TABLE) {
            if (owner.isSet(owner.getParam(entry.param())) && e.getMessage().contains("'" + entry.key() + "'")) {
                named.add("'" + entry.param() + "' sets " + entry.key());
            }
        }
        return named.isEmpty() ? e : new ConfigException(e.getMessage() + " (param " + String.join(", param ", named) + ")");
    }
}
