package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The output folder of a training run:
 * <pre>
 * RUNDIR/checkpoint.ngvi   the latest state (CheckpointFile format), replaced atomically every round
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

    /** Appends one line to metrics.jsonl and forces it to disk. */
    public void appendMetrics(ObjectNode line) {
        try (FileChannel ch = FileChannel.open(dir.resolve(METRICS), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(METRICS) + ": cannot append metrics", e);
        }
    }

    public void writeJson(String name, ObjectNode content) throws IOException {
        writeAtomically(dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
    }

    /** Writes {@code bytes} to a temporary sibling, fsyncs it and renames it over {@code target}. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
