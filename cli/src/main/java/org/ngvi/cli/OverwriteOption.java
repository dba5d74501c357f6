package org.ngvi.cli;

import picocli.CommandLine.Option;

/** {@code --overwrite}: a job may replace an existing {@code --out}, and does so only once the new one is complete. */
public final class OverwriteOption {
    @Option(names = "--overwrite", description = "replace an existing --out (only once the new one is complete)")
    private boolean overwrite;

    public boolean overwrite() {
        return overwrite;
    }
}
