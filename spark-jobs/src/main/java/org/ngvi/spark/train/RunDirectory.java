package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ngvi.io.AtomicFiles;

/**
 * The output folder of a training run:
 * <pre>
 * RUNDIR/checkpoint.ngvi   the latest state (CheckpointFile format), replaced atomically per CheckpointPolicy
 * RUNDIR/metrics.jsonl     one JSON object per round (and per validation)
 * RUNDIR/provenance.json   config, data manifest digests, seed, versions, git revision
 * RUNDIR/summary.json      final metrics of the run
 * </pre>
 */
public final class RunDirectory {
    public static final String CHECKPOINT = "checkpoint.ngvi";
    public static final String METRICS = "metrics.jsonl";
    public static final String PROVENANCE = "provenance.json";
    public static final String SUMMARY = "summary.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates (or reuses an empty) run folder; a folder holding an earlier run is an error unless {@code overwrite}. */
    public static RunDirectory create(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir.resolve(CHECKPOINT)) || Files.exists(dir.resolve(METRICS))) {
            if (!overwrite) {
                throw new IOException(dir + ": holds an earlier run (" + CHECKPOINT + " or " + METRICS
                        + " exists); choose another --out or pass --overwrite");
            }
            for (String f : new String[] {CHECKPOINT, METRICS, PROVENANCE, SUMMARY}) {
                Files.deleteIfExists(dir.resolve(f));
            }
        }
        Files.createDirectories(dir);
        return new RunDirectory(dir);
    }

    /**
     * Rewrites metrics.jsonl for a run resumed from {@code from}: keeps the lines of the rounds before
     * the checkpoint's ({@code "round"} &lt; {@link ResumePoint#roundsDone()}), drops those of its round
     * and later ones (written before the kill, or lost with it), and appends the checkpoint's own
     * lines of its round; atomically ({@link AtomicFiles}). A line cut off by the kill (the last one,
     * without its newline) is dropped; any other unreadable line is an error naming the file and line.
     */
    public void restoreMetrics(ResumePoint from) throws IOException {
        Path file = dir.resolve(METRICS);
        StringBuilder kept = new StringBuilder();
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                boolean lastUnterminated = i == lines.length - 1;
                if (lines[i].isBlank()) {
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode line;
                try {
                    line = JSON.readTree(lines[i]);
                } catch (IOException e) {
                    if (lastUnterminated) {
                        continue; // the kill cut this line short
                    }
                    throw new IOException(file + ": line " + (i + 1) + " is not JSON: " + e.getMessage());
                }
                if (line == null || !line.path("round").canConvertToLong()) {
                    if (lastUnterminated) {
                        continue;
                    }
                    throw new IOException(file + ": line " + (i + 1) + ": expected a JSON object with a 'round' number");
                }
                if (!lastUnterminated && line.get("round").asLong() < from.roundsDone()) {
                    kept.append(lines[i]).append('\n');
                }
            }
        }
        for (ObjectNode l : from.roundMetrics()) {
            kept.append(JSON.writeValueAsString(l)).append('\n');
        }
        AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** An existing run folder, for evaluation. */
    public static RunDirectory open(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(CHECKPOINT))) {
            throw new IOException(dir + ": not a training run (no " + CHECKPOINT + "; expected the --out of 'ngvi train')");
        }
        return new RunDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    /**
     * Appends one line to metrics.jsonl and forces it to disk (the file's content, and the
     * directory entry when this call created the file), so a line that returned survives a crash.
     */
    public void appendMetrics(ObjectNode line) {
        Path file = dir.resolve(METRICS);
        try {
            boolean created = !Files.exists(file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                AtomicFiles.writeFully(ch, ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
            }
            if (created) {
                AtomicFiles.fsyncDirectory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot append metrics", e);
        }
    }

    /** Writes {@code RUNDIR/name} as pretty-printed JSON, atomically ({@link AtomicFiles}). */
    public void writeJson(String name, ObjectNode content) throws IOException {
        AtomicFiles.write(dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
    }
}
