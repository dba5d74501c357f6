package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * Where a round's time and bytes go, measured on the driver: copying the state out for the wire
 * ({@code snapshot}), {@code broadcast}, the {@code tasks} (submission to the last result folded;
 * the tasks' own compute time is reported beside it, so the difference is Spark's scheduling and
 * result transport), the driver's {@code fold} of results as they arrive (overlapping the
 * tasks), its {@code update} (sync step or restore of the averaged state) and {@code checkpoint}.
 * Bytes: state payload broadcast, and result payload fetched, per round. Keeps per-run totals.
 */
final class RoundTimer {
    /** The phases of a round, in order. */
    enum Phase {
        SNAPSHOT, BROADCAST, TASKS, UPDATE, CHECKPOINT;

        String key() {
            return name().toLowerCase(Locale.ROOT) + "_ms";
        }
    }

    private final long[] roundNanos = new long[Phase.values().length];
    private final long[] totalNanos = new long[Phase.values().length];
    private long mark;
    private long foldNanos;
    private long taskComputeNanos;
    private long broadcastBytes;
    private long resultBytes;
    private long totalFoldNanos;
    private long totalTaskComputeNanos;
    private long totalBroadcastBytes;
    private long totalResultBytes;
    private long rounds;

    /** Starts a round. */
    void start() {
        java.util.Arrays.fill(roundNanos, 0);
        foldNanos = 0;
        taskComputeNanos = 0;
        broadcastBytes = 0;
        resultBytes = 0;
        mark = System.nanoTime();
    }

    /** Ends {@code phase} now (it began when the previous phase ended). */
    void end(Phase phase) {
        long now = System.nanoTime();
        roundNanos[phase.ordinal()] += now - mark;
        mark = now;
    }

    /** Leaves the time since the previous phase ended out of the round (the epoch-end validation). */
    void skip() {
        mark = System.nanoTime();
    }

    void broadcast(long bytes) {
        broadcastBytes += bytes;
    }

    /** One task's result: its payload bytes and its own compute time (the slowest task's is reported). */
    void result(long bytes, long taskNanos) {
        resultBytes += bytes;
        taskComputeNanos = Math.max(taskComputeNanos, taskNanos);
    }

    void fold(long nanos) {
        foldNanos += nanos;
    }

    /** Ends the round: adds it to the totals. */
    void finish() {
        for (int i = 0; i < roundNanos.length; i++) {
            totalNanos[i] += roundNanos[i];
        }
        totalFoldNanos += foldNanos;
        totalTaskComputeNanos += taskComputeNanos;
        totalBroadcastBytes += broadcastBytes;
        totalResultBytes += resultBytes;
        rounds++;
    }

    /** Wall time of this round so far, seconds. */
    double roundSeconds() {
        long s = 0;
        for (long n : roundNanos) {
            s += n;
        }
        return s / 1e9;
    }

    /** This round's phases ({@code <phase>_ms}, {@code fold_ms}, {@code task_compute_ms}) and bytes into a metrics line. */
    ObjectNode into(ObjectNode line) {
        for (Phase p : Phase.values()) {
            line.put(p.key(), roundNanos[p.ordinal()] / 1e6);
        }
        line.put("fold_ms", foldNanos / 1e6).put("task_compute_ms", taskComputeNanos / 1e6)
                .put("broadcast_bytes", broadcastBytes).put("result_bytes", resultBytes);
        return line;
    }

    /** Per-round means over the run so far. */
    Summary summary() {
        double r = Math.max(rounds, 1);
        double[] ms = new double[totalNanos.length];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = totalNanos[i] / 1e6 / r;
        }
        return new Summary(rounds, ms, totalFoldNanos / 1e6 / r, totalTaskComputeNanos / 1e6 / r,
                totalBroadcastBytes / r, totalResultBytes / r);
    }

    /**
     * Mean per round over a run.
     *
     * @param phaseMs          milliseconds per {@link Phase}, in its order
     * @param foldMs           driver time folding results (inside {@code tasks}, overlapping them)
     * @param taskComputeMs    the slowest task's own time (restore, steps or gradients, result copy)
     * @param broadcastBytes   state bytes broadcast
     * @param resultBytes      result bytes fetched from the tasks
     */
    record Summary(long rounds, double[] phaseMs, double foldMs, double taskComputeMs, double broadcastBytes,
                   double resultBytes) {
        double ms(Phase p) {
            return phaseMs[p.ordinal()];
        }

        /** "snapshot 1.2 ms, broadcast ..., 3.8 MB broadcast + 7.7 MB results per round". */
        String describe() {
            StringBuilder b = new StringBuilder();
            for (Phase p : Phase.values()) {
                b.append(String.format(Locale.ROOT, "%s %.1f ms, ", p.name().toLowerCase(Locale.ROOT), ms(p)));
            }
            b.append(String.format(Locale.ROOT, "(slowest task computing %.1f ms, driver folding %.1f ms), "
                    + "%.2f MB broadcast + %.2f MB results per round", taskComputeMs, foldMs, broadcastBytes / 1e6, resultBytes / 1e6));
            return b.toString();
        }

        /** As JSON fields: {@code <phase>_ms}, {@code fold_ms}, {@code task_compute_ms}, bytes per round. */
        ObjectNode into(ObjectNode n) {
            for (Phase p : Phase.values()) {
                n.put(p.key(), ms(p));
            }
            return n.put("fold_ms", foldMs).put("task_compute_ms", taskComputeMs).put("broadcast_bytes", broadcastBytes)
                    .put("result_bytes", resultBytes).put("rounds", rounds);
        }
    }
}
