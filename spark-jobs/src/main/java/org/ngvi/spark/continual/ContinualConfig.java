package org.ngvi.spark.continual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ngvi.optim.OptimizerRegistry;
import org.ngvi.spark.config.ConfigException;
import org.ngvi.spark.config.ConfigOverrides;
import org.ngvi.spark.config.TrainConfig;

/**
 * One method's configuration for {@code ngvi continual}: a training config ({@link TrainConfig},
 * every key of {@code configs/README.md}; its epochs are the epochs per task) plus
 * <ul>
 * <li>{@code continual_method} (required): {@code vogn}, {@code vogn_coreset}, {@code ewc} or
 *     {@code adam} ({@link ContinualMethod}); {@code optim_name} must be the method's optimizer
 *     ({@code vogn}, {@code vogn}, {@code ewc}, {@code adam});</li>
 * <li>{@code coreset_size} ({@code vogn_coreset} only, default 200): examples drawn at random
 *     from each task's training set into its coreset;</li>
 * <li>{@code coreset_epochs} ({@code vogn_coreset} only, default {@code epochs}): epochs of the
 *     predictive's fine-tuning on the union of the coresets after each task.</li>
 * </ul>
 * Overrides ({@code --set key=value}) apply to every method's config; {@code --set METHOD:key=value}
 * only to that method's.
 *
 * @param method        the method
 * @param train         the training config (per task)
 * @param coresetSize   examples per task's coreset (0 unless {@code vogn_coreset})
 * @param coresetEpochs epochs of coreset fine-tuning (0 unless {@code vogn_coreset})
 * @param source        the file, in messages
 */
public record ContinualConfig(ContinualMethod method, TrainConfig train, int coresetSize, int coresetEpochs, String source) {

    /** Reads {@code file} and applies the overrides that concern its method. */
    public static ContinualConfig load(Path file, List<String> overrides) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such config file");
        }
        return parse(file.toString(), Files.readAllBytes(file), overrides);
    }

    /** Parses JSON {@code bytes} named {@code source} in errors. */
    public static ContinualConfig parse(String source, byte[] bytes, List<String> overrides) {
        ObjectNode obj = TrainConfig.readObject(source, bytes);
        JsonNode m = obj.get("continual_method");
        if (m == null || !m.isTextual()) {
            throw new ConfigException(source + ": continual_method: expected one of " + ContinualMethod.names()
                    + " (the method this config trains), got " + (m == null ? "nothing" : m));
        }
        ContinualMethod method;
        try {
            method = ContinualMethod.of(m.asText());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": continual_method: " + e.getMessage());
        }
        for (String o : overrides) {
            int colon = o.indexOf(':');
            int eq = o.indexOf('=');
            if (colon > 0 && (eq < 0 || colon < eq)) {
                String target = o.substring(0, colon);
                try {
                    ContinualMethod.of(target);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--set " + o + ": " + e.getMessage());
                }
                if (target.equals(method.configName())) {
                    ConfigOverrides.apply(obj, o.substring(colon + 1));
                }
            } else {
                ConfigOverrides.apply(obj, o);
            }
        }
        obj.remove("continual_method");
        int coresetSize = 0;
        int coresetEpochs = 0;
        boolean coreset = method == ContinualMethod.VOGN_CORESET;
        for (String k : List.of("coreset_size", "coreset_epochs")) {
            if (obj.has(k) && !coreset) {
                throw new ConfigException(source + ": " + k + ": applies to continual_method \"vogn_coreset\" only, this config is \""
                        + method.configName() + "\"");
            }
        }
        JsonNode cs = obj.remove("coreset_size");
        JsonNode ce = obj.remove("coreset_epochs");
        TrainConfig train = TrainConfig.fromJson(source, obj);
        if (coreset) {
            coresetSize = positiveInt(source, "coreset_size", cs, 200);
            coresetEpochs = positiveInt(source, "coreset_epochs", ce, train.epochs());
        }
        String want = method.optimizer();
        if (!OptimizerRegistry.get(train.optim().name()).name().equals(want)) {
            throw new ConfigException(source + ": optim_name: continual_method \"" + method.configName() + "\" trains with \""
                    + want + "\", got \"" + train.optim().name() + "\"");
        }
        return new ContinualConfig(method, train, coresetSize, coresetEpochs, source);
    }

    private static int positiveInt(String source, String key, JsonNode v, int def) {
        if (v == null) {
            return def;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw new ConfigException(source + ": " + key + ": expected an integer >= 1, got " + v);
        }
        return v.asInt();
    }
}
