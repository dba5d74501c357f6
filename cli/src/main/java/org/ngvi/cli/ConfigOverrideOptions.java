package org.ngvi.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --set key=value}, repeatable: overrides of a training config's keys (a dotted path; the
 * value is JSON when it parses as JSON, else a string), applied in order after the file is read.
 */
public final class ConfigOverrideOptions {
    @Option(names = "--set", paramLabel = "key=value",
            description = "override a config key, e.g. --set optim_args.lr=0.01 --set epochs=3 (repeatable)")
    private List<String> overrides; // null until given, so the usage shows no default

    /** The overrides in the order given. */
    public List<String> overrides() {
        return overrides == null ? List.of() : List.copyOf(overrides);
    }
}
