package org.ngvi.optim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ngvi.posterior.ModelCheckpoint;

/**
 * The one place optimizer names are resolved: name → params factories, used by config parsing
 * ({@code optim_name}, {@code optim_args.*}), training and checkpoint loading. Adding an
 * optimizer means one class in this package (with its params and state records) and one line
 * in {@link #ENTRIES}.
 */
public final class OptimizerRegistry {
    /** Params from a training config's keys; reads every key the optimizer takes. */
    @FunctionalInterface
    public interface ConfigFactory {
        OptimizerParams fromConfig(OptimArgs args, OptimContext context);
    }

    /** Params from the JSON a checkpoint stores ({@link OptimizerParams#toJson()}). */
    @FunctionalInterface
    public interface CheckpointFactory {
        OptimizerParams fromJson(JsonNode json);
    }

    /**
     * One optimizer.
     *
     * @param name       canonical name (configs, checkpoints)
     * @param aliases    other accepted spellings of {@code optim_name} (the reference's); names match ignoring case
     * @param config     params from a training config
     * @param checkpoint params from a checkpoint's {@code optimizer_params}
     */
    public record Entry(String name, List<String> aliases, ConfigFactory config, CheckpointFactory checkpoint) {
        public Entry {
            aliases = List.copyOf(aliases);
        }

        boolean matches(String s) {
            return name.equalsIgnoreCase(s) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(s));
        }

        String describe() {
            return aliases.isEmpty() ? name : name + " (" + String.join(", ", aliases) + ")";
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry(Vogn.NAME, List.of("VOGN", "VIOptimizer"), VognParams::fromConfig, VognParams::fromJson),
            new Entry(Adam.NAME, List.of("Adam"), AdamParams::fromConfig, AdamParams::fromJson),
            new Entry(Sgd.NAME, List.of("SGD"), SgdParams::fromConfig, SgdParams::fromJson),
            new Entry(Ewc.NAME, List.of("EWC"), EwcParams::fromConfig, EwcParams::fromJson));

    private OptimizerRegistry() {
    }

    /** Every registered optimizer. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry whose name or alias is {@code name} (ignoring case). */
    public static Optional<Entry> find(String name) {
        return ENTRIES.stream().filter(e -> name != null && e.matches(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The entry of {@code name}; a clear error listing the names otherwise. */
    public static Entry get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown optimizer \"" + name + "\": expected "
                + describeNames()));
    }

    /** "vogn (VOGN, VIOptimizer), adam (Adam) or sgd (SGD)", for messages. */
    public static String describeNames() {
        List<String> d = new ArrayList<>();
        ENTRIES.forEach(e -> d.add(e.describe()));
        return d.size() == 1 ? d.get(0) : String.join(", ", d.subList(0, d.size() - 1)) + " or " + d.get(d.size() - 1);
    }

    /** The optimizer that wrote checkpoint {@code c}, with its stored params. */
    public static Optimizer<?> fromCheckpoint(ModelCheckpoint c) {
        Entry e = find(c.optimizer()).orElseThrow(() -> new IllegalArgumentException("checkpoint of unknown optimizer '"
                + c.optimizer() + "' (expected " + describeNames() + ")"));
        return e.checkpoint().fromJson(c.optimizerParams()).create();
    }
}
