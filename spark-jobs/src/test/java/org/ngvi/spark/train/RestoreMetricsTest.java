package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunDirectory#restoreMetrics}: metrics.jsonl cut back to a checkpoint's round, its lines restored. */
class RestoreMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static ObjectNode line(int round, String split) {
        ObjectNode n = JSON.createObjectNode().put("round", round);
        return split == null ? n.put("train_loss", 1.0 / round) : n.put("split", split);
    }

    @Test
    void keepsEarlierRoundsReplacesTheCheckpointsRoundAndDropsLaterOnesAndACutLine() throws Exception {
        RunDirectory run = RunDirectory.create(dir, false);
        for (int r = 1; r <= 5; r++) {
            run.appendMetrics(line(r, null));
        }
        Files.writeString(dir.resolve(RunDirectory.METRICS), "{\"round\": 6, \"train_lo", java.nio.file.StandardOpenOption.APPEND);
        ResumePoint at = new ResumePoint(4, 10, 2, 0, List.of(line(4, null).put("restored", true), line(4, "val")));
        run.restoreMetrics(at);
        List<String> lines = Files.readAllLines(dir.resolve(RunDirectory.METRICS));
        assertEquals(5, lines.size(), String.join("\n", lines));
        for (int r = 1; r <= 3; r++) {
            assertEquals(line(r, null), JSON.readTree(lines.get(r - 1)));
        }
        assertEquals(line(4, null).put("restored", true), JSON.readTree(lines.get(3)));
        assertEquals(line(4, "val"), JSON.readTree(lines.get(4)));
    }

    @Test
    void aBrokenLineBeforeTheLastIsAnErrorNamingFileAndLine() throws Exception {
        RunDirectory run = RunDirectory.create(dir, false);
        Files.writeString(dir.resolve(RunDirectory.METRICS), "{\"round\": 1}\nnot json\n{\"round\": 2}\n");
        IOException e = assertThrows(IOException.class, () -> run.restoreMetrics(new ResumePoint(2, 3, 1, 0, List.of())));
        assertTrue(e.getMessage().startsWith(dir.resolve(RunDirectory.METRICS) + ": line 2 is not JSON"), e.getMessage());
    }
}
