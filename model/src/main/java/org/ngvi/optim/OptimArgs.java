package org.ngvi.optim;

/**
 * Typed reads of a training config's optimizer keys, for the {@link OptimizerRegistry}'s config
 * factories. Keys are dotted paths of the config ({@code optim_args.lr}, {@code curv_args.damping},
 * {@code momentum_correction}); an absent key gives the default, a bad value an exception naming
 * the config, the key and what was expected. The config reader remembers which keys were read,
 * so a key no factory reads is reported as unknown.
 */
public interface OptimArgs {
    /** A number in [min, max] (or (min, max] with {@code minExclusive}); {@code def} when absent. */
    double number(String key, double def, double min, boolean minExclusive, double max);

    /** As {@link #number}, or {@code null} when absent. */
    Double optionalNumber(String key, double min, boolean minExclusive, double max);

    /** An integer in [min, max]; {@code def} when absent. */
    int integer(String key, int def, int min, int max);

    /** A string (one of {@code allowed} when given); {@code def} when absent. */
    String string(String key, String def, String... allowed);

    /** An array of exactly {@code length} numbers; {@code def} when absent. */
    double[] doubleArray(String key, double[] def, int length);

    /** true or false; {@code def} when absent. */
    boolean bool(String key, boolean def);

    /** An exception naming the config and {@code key}, saying {@code message}. */
    IllegalArgumentException error(String key, String message);
}
