package org.ngvi.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every ngvi command: the version, git revision and build time of this build ({@link BuildInfo}). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo b = BuildInfo.current();
        return new String[] {
            "ngvi " + b.version(),
            "git revision " + b.revisionLabel() + (BuildInfo.UNKNOWN.equals(b.commitTime()) ? "" : " (committed " + b.commitTime() + ")"),
            "built " + b.buildTime(),
        };
    }
}
