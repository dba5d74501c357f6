package org.ngvi.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault: SIGKILL ({@code kill -9}) of one executor JVM while it runs a task of a training round. It waits until
 * the run's {@code metrics.jsonl} shows round {@code afterRound} done, then until an executor's log shows a task
 * it started and has not finished ("Running task 1.0 in stage 7.0 (TID 15)" without its "Finished task"), and kills
 * that executor at once. A task can still finish between the look at the log and the signal; then the driver logs
 * it finished, and the next running task is killed instead (a few tries).
 *
 * @param executor the executor killed
 * @param taskId   the task (TID) it was running
 * @param round    the last round in metrics.jsonl when it was killed
 * @param attempt  1 when the first executor killed was inside its task, 2 or 3 when earlier tries came too late
 */
record MidRoundKill(StandaloneCluster.Executor executor, long taskId, int round, int attempt) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TASK = Pattern.compile("(Running|Finished) task \\S+ in stage \\S+ \\(TID (\\d+)\\)");

    /**
     * Kills an executor mid-task after round {@code afterRound}; fails if the driver ends first or nothing is
     * running within {@code timeout}.
     */
    static MidRoundKill inject(StandaloneCluster cluster, JvmProcess driver, Path metrics, int afterRound, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long after = -1;
        for (int attempt = 1; attempt <= 3; attempt++) {
            MidRoundKill k = killRunningTask(cluster, driver, metrics, afterRound, after, attempt, deadline);
            if (k.driverSawLost(driver, deadline)) {
                return k;
            }
            after = k.taskId();
        }
        throw new AssertionError("three times the killed executor's task finished before the signal: the tasks are too "
                + "short to be killed inside one; make them longer (driver log " + driver.log() + ")");
    }

    /** Kills the first executor found running a task with id above {@code after}, once round {@code afterRound} is done. */
    private static MidRoundKill killRunningTask(StandaloneCluster cluster, JvmProcess driver, Path metrics, int afterRound,
                                                long after, int attempt, long deadline) throws IOException, InterruptedException, TimeoutException {
        while (System.nanoTime() < deadline) {
            if (!driver.isAlive()) {
                throw new AssertionError(driver.name() + " ended before an executor could be killed mid-round after round "
                        + afterRound + " (last round " + lastRound(metrics) + "); make the run longer. Driver log:\n"
                        + StandaloneCluster.tail(driver.logText(), 30));
            }
            int round = lastRound(metrics);
            if (round >= afterRound) {
                for (StandaloneCluster.Executor e : cluster.executors()) {
                    Long tid = runningTask(e.stderr());
                    if (tid != null && tid > after && e.handle().destroyForcibly()) {
                        e.handle().onExit().join();
                        return new MidRoundKill(e, tid, round, attempt);
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new TimeoutException("no executor ran a task after round " + afterRound + " in time (last round "
                + lastRound(metrics) + ")");
    }

    /** Waits until the driver's log says the killed task was lost (true) or finished (false). */
    private boolean driverSawLost(JvmProcess driver, long deadline) throws InterruptedException, TimeoutException {
        Pattern lost = lostPattern();
        Pattern finished = Pattern.compile("Finished task \\S+ in stage \\S+ \\(TID " + taskId + "\\)");
        while (System.nanoTime() < deadline) {
            String log = driver.logText();
            if (lost.matcher(log).find()) {
                return true;
            }
            if (finished.matcher(log).find()) {
                return false;
            }
            if (!driver.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("the driver's log " + driver.log() + " says nothing of task " + taskId
                + " after its executor " + executor.executorId() + " was killed");
    }

    /** "(TID n) ... ExecutorLostFailure" or "(TID n) failed because ... its executor exited". */
    private Pattern lostPattern() {
        return Pattern.compile("\\(TID " + taskId + "\\)[^\\n]*(ExecutorLostFailure|its executor exited)");
    }

    /**
     * Asserts from the driver's log that Spark saw the killed task fail with its executor and that a later task of
     * the same partition in the same stage finished: "Starting task 0.0 in stage 8.0 (TID 10) (127.0.0.1,
     * executor 1, partition 0, ...)", then "(TID 10) ... ExecutorLostFailure" or "(TID 10) failed because ... its
     * executor exited" (whichever of the driver and the Worker noticed first), then "Finished task 0.1 in stage 8.0",
     * or, when the kill also lost shuffle output the stage reads and Spark resubmitted it, the partition's task in
     * "stage 8.1".
     */
    void assertRetried(JvmProcess driver) {
        String log = driver.logText();
        Matcher start = Pattern.compile("Starting task (\\d+)\\.(\\d+) in stage (\\d+)\\.(\\d+) \\(TID " + taskId + "\\) \\([^,]+, executor "
                + Pattern.quote(executor.executorId()) + ", partition (\\d+),").matcher(log);
        if (!start.find()) {
            throw new AssertionError("the driver's log " + driver.log() + " does not show task " + taskId + " started on executor "
                    + executor.executorId());
        }
        String stage = start.group(3);
        String partition = start.group(5);
        if (!lostPattern().matcher(log).find()) {
            throw new AssertionError("the driver's log " + driver.log() + " does not show task " + taskId + " lost with executor "
                    + executor.executorId());
        }
        // the retry: a later task of the same partition in the same stage, in this attempt of the stage or, when the
        // kill also lost shuffle output the stage reads (a fetch failure), in a resubmitted attempt (stage S.1, ...)
        Matcher retry = Pattern.compile("Starting task \\d+\\.\\d+ in stage " + stage + "\\.\\d+ \\(TID (\\d+)\\) \\([^,]+, executor [^,]+, "
                + "partition " + partition + ",").matcher(log);
        while (retry.find()) {
            long tid = Long.parseLong(retry.group(1));
            if (tid > taskId && Pattern.compile("Finished task \\d+\\.\\d+ in stage " + stage + "\\.\\d+ \\(TID " + tid + "\\)")
                    .matcher(log).find()) {
                return;
            }
        }
        throw new AssertionError("the driver's log " + driver.log() + " shows no later attempt of partition " + partition
                + " in stage " + stage + " finished");
    }

    /** The highest task id the executor's log shows started and not finished, or {@code null}. */
    static Long runningTask(Path executorLog) throws IOException {
        if (!Files.isRegularFile(executorLog)) {
            return null;
        }
        Set<Long> running = new LinkedHashSet<>();
        Matcher m = TASK.matcher(Files.readString(executorLog));
        while (m.find()) {
            long tid = Long.parseLong(m.group(2));
            if (m.group(1).equals("Running")) {
                running.add(tid);
            } else {
                running.remove(tid);
            }
        }
        return running.stream().max(Long::compare).orElse(null);
    }

    /** The highest {@code round} of a training line in metrics.jsonl so far (0 before the first). */
    static int lastRound(Path metrics) throws IOException {
        if (!Files.isRegularFile(metrics)) {
            return 0;
        }
        int last = 0;
        List<String> lines = Files.readAllLines(metrics);
        for (String line : lines) {
            if (!line.endsWith("}")) {
                continue; // being appended
            }
            JsonNode n = JSON.readTree(line);
            if (!n.has("split")) {
                last = Math.max(last, n.path("round").asInt());
            }
        }
        return last;
    }
}
