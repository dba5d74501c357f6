package org.ngvi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {
    private static Properties props(String revision, String dirty) {
        Properties p = new Properties();
        p.setProperty("version", "1.2.3");
        p.setProperty("revision", revision);
        p.setProperty("dirty", dirty);
        p.setProperty("commit.time", "2026-12-01T10:00:00Z");
        p.setProperty("build.time", "2026-12-02T10:00:00Z");
        return p;
    }

    @Test
    void readsTheBuildsFieldsAndMarksADirtyTree() {
        String rev = "7ca0a9fede6d8c8cddfe8c0e79a7352babcb5645";
        BuildInfo clean = BuildInfo.from(props(rev, "false"), "b.properties");
        assertEquals(new BuildInfo("1.2.3", rev, false, "2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z"), clean);
        assertEquals(rev, clean.revisionLabel());
        assertEquals(rev + "-dirty", BuildInfo.from(props(rev, "true"), "b.properties").revisionLabel());
        assertEquals("unknown", BuildInfo.from(props("unknown", "true"), "b.properties").revisionLabel());
    }

    @Test
    void missingOrUnfilledFieldsAreErrorsNamingTheFileAndKey() {
        Properties p = props("abc", "false");
        p.remove("build.time");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BuildInfo.from(p, "b.properties"));
        assertTrue(e.getMessage().contains("b.properties: no 'build.time'"), e.getMessage());
        IllegalStateException u = assertThrows(IllegalStateException.class,
                () -> BuildInfo.from(props("${git.commit.id.full}", "false"), "b.properties"));
        assertTrue(u.getMessage().contains("'revision' is '${git.commit.id.full}', not filled in"), u.getMessage());
    }

    @Test
    void theGeneratedResourceIsComplete() {
        BuildInfo b = BuildInfo.current();
        assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+.*"), b.version());
        assertTrue(b.revision().matches("[0-9a-f]{40}") || b.revision().equals(BuildInfo.UNKNOWN), b.revision());
        assertTrue(!b.buildTime().isBlank());
    }
}
