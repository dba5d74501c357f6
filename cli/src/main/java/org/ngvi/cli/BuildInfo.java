package org.ngvi.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build of ngvi is, as recorded when it was built (not asked of git at run time, which
 * would describe whatever directory the driver happens to run in): the Maven version, the git
 * commit, whether the working tree had uncommitted changes, the commit's and the build's time.
 * The values come from {@value #RESOURCE}, filled in by Maven from git-commit-id-maven-plugin's
 * properties; a build without a git repository (a source tarball) records {@value #UNKNOWN}.
 *
 * @param version    the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param revision   the full commit id, or {@value #UNKNOWN}
 * @param dirty      the working tree had uncommitted changes to tracked files when it was built
 * @param commitTime ISO-8601 time of the commit, or {@value #UNKNOWN}
 * @param buildTime  ISO-8601 time of the build, or {@value #UNKNOWN}
 */
public record BuildInfo(String version, String revision, boolean dirty, String commitTime, String buildTime) {
    /** The class-path resource the build writes. */
    public static final String RESOURCE = "/org/ngvi/cli/build.properties";
    /** The value of a field the build could not determine. */
    public static final String UNKNOWN = "unknown";

    private static final class Holder {
        static final BuildInfo CURRENT = load();
    }

    /** The build this class was compiled in (read once). */
    public static BuildInfo current() {
        return Holder.CURRENT;
    }

    /**
     * The revision with {@code -dirty} appended when the tree had uncommitted changes, e.g.
     * {@code 7ca0a9f…-dirty}; {@value #UNKNOWN} without git.
     */
    public String revisionLabel() {
        return dirty && !UNKNOWN.equals(revision) ? revision + "-dirty" : revision;
    }

    /**
     * Reads the fields from build properties.
     *
     * @param source names the properties in error messages
     * @throws IllegalStateException a key is missing or was never filled in by the build ({@code ${...}})
     */
    public static BuildInfo from(Properties p, String source) {
        return new BuildInfo(field(p, source, "version"), field(p, source, "revision"),
                Boolean.parseBoolean(field(p, source, "dirty")), field(p, source, "commit.time"), field(p, source, "build.time"));
    }

    private static String field(Properties p, String source, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(source + ": no '" + key + "'; expected the build to write it");
        }
        if (v.contains("${")) {
            throw new IllegalStateException(source + ": '" + key + "' is '" + v + "', not filled in by the build "
                    + "(Maven resource filtering of the cli module)");
        }
        return v.trim();
    }

    private static BuildInfo load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + ": missing from the class path; expected the ngvi-cli jar to hold it");
            }
            Properties p = new Properties();
            p.load(in);
            return from(p, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": unreadable", e);
        }
    }
}
