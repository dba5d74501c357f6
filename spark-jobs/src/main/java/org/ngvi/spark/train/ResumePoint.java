package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ngvi.posterior.ModelCheckpoint;

/**
 * Where a run stands after a round: written with every checkpoint (its metadata's
 * {@value #KEY} object) and read by {@code ngvi train --resume}. With the checkpoint's optimizer
 * state (tensors, scalars, step) and BatchNorm running statistics it is everything the next round
 * depends on, because every other input of a round is a pure function of counters it has:
 * <ul>
 * <li>epoch and position in it: {@link BatchPlan#epochOf}{@code (roundsDone)} and
 *     {@link BatchPlan#firstStep}, the plan a pure function of (seed, partition sizes, batch, K),
 *     the partition contents of (data, seed, {@link #partitions()});</li>
 * <li>learning rate: the schedule is a function of the optimizer step;</li>
 * <li>MC noise: seeded per (seed, partition) and indexed by (step, sample); dropout masks by
 *     (seed, partition, step); augmentation by (seed, epoch, partition, position): no stream
 *     advances in a worker between rounds.</li>
 * </ul>
 *
 * @param roundsDone           rounds completed; the next round to run has this (0-based) index
 * @param totalRounds          rounds of the whole run (epochs × rounds per epoch)
 * @param partitions           tasks per round; a resumed run uses the same number whatever its master
 * @param consecutiveBadRounds rounds in a row, ending with this one, that dropped a partition ({@link NonFinitePolicy})
 * @param roundMetrics         the metrics.jsonl lines of round {@code roundsDone} (training, and validation at
 *                             an epoch end) as the run wrote them, without {@code checkpoint_ms}; a resumed run
 *                             cuts metrics.jsonl back to the rounds before and appends these
 */
public record ResumePoint(long roundsDone, long totalRounds, int partitions, int consecutiveBadRounds,
                          List<ObjectNode> roundMetrics) {
    /** The key of this record in a checkpoint's metadata. */
    public static final String KEY = "progress";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ResumePoint {
        List<ObjectNode> copy = new ArrayList<>();
        roundMetrics.forEach(l -> copy.add(l.deepCopy()));
        roundMetrics = List.copyOf(copy);
    }

    /** Whether every round of the run is done. */
    public boolean finished() {
        return roundsDone >= totalRounds;
    }

    /** {@code metadata} with this record under {@value #KEY} (a copy; {@code metadata} may be {@code null}). */
    public ObjectNode into(ObjectNode metadata) {
        ObjectNode m = metadata == null ? JSON.createObjectNode() : metadata.deepCopy();
        ObjectNode p = m.putObject(KEY);
        p.put("rounds_done", roundsDone).put("total_rounds", totalRounds).put("partitions", partitions)
                .put("consecutive_bad_rounds", consecutiveBadRounds);
        ArrayNode lines = p.putArray("round_metrics");
        roundMetrics.forEach(lines::add);
        return m;
    }

    /**
     * The progress saved in checkpoint {@code c} read from {@code file}.
     *
     * @throws IllegalArgumentException naming the file and field when it is missing or malformed
     */
    public static ResumePoint of(ModelCheckpoint c, Path file) {
        JsonNode p = c.metadata().get(KEY);
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException(file + ": the checkpoint's metadata has no '" + KEY
                    + "' object (written by an ngvi without --resume support): this run cannot be resumed");
        }
        long done = longField(p, "rounds_done", file);
        long total = longField(p, "total_rounds", file);
        long parts = longField(p, "partitions", file);
        long bad = longField(p, "consecutive_bad_rounds", file);
        JsonNode lines = p.get("round_metrics");
        if (lines == null || !lines.isArray()) {
            throw new IllegalArgumentException(file + ": " + KEY + ".round_metrics: expected an array of metrics lines");
        }
        List<ObjectNode> metrics = new ArrayList<>();
        for (JsonNode l : lines) {
            if (!l.isObject()) {
                throw new IllegalArgumentException(file + ": " + KEY + ".round_metrics: expected JSON objects, got " + l);
            }
            metrics.add((ObjectNode) l);
        }
        if (done < 1 || done > total || parts < 1 || parts > Integer.MAX_VALUE || bad > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": " + KEY + ": inconsistent rounds_done " + done + ", total_rounds "
                    + total + ", partitions " + parts + ", consecutive_bad_rounds " + bad);
        }
        return new ResumePoint(done, total, (int) parts, (int) bad, metrics);
    }

    /** {@code metadata} without this record (the run's provenance). */
    public static ObjectNode without(ObjectNode metadata) {
        ObjectNode m = metadata.deepCopy();
        m.remove(KEY);
        return m;
    }

    private static long longField(JsonNode p, String name, Path file) {
        JsonNode v = p.get(name);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(file + ": " + KEY + "." + name + ": expected a non-negative integer, got " + v);
        }
        return v.asLong();
    }
}
