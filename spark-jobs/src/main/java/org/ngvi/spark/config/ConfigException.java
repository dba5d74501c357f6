package org.ngvi.spark.config;

/** A configuration error; the message names the source, the key and what was expected. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
