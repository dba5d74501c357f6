package org.ngvi.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM this test started, with its output (stdout and stderr) in one log file. {@link #stop} ends it by pid, and
 * every process it spawned with it (a Worker's executors): the descendants are listed while the JVM still lives,
 * each gets SIGTERM, and whatever has not exited a few seconds later gets SIGKILL.
 */
final class JvmProcess {
    private static final Duration GRACE = Duration.ofSeconds(8);

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java jvmArgs -cp classPath mainClass args} in {@code dir} with {@code env} added to this JVM's
     * environment.
     *
     * @param log the file that receives the JVM's stdout and stderr (replaced); beside it, {@code LOG.cmd} holds the
     *            command line
     */
    static JvmProcess start(String name, List<String> jvmArgs, String classPath, String mainClass, List<String> args,
                            Map<String, String> env, Path dir, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(ClusterSettings.javaHome(), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        Files.writeString(log.resolveSibling(log.getFileName() + ".cmd"), String.join(" ", cmd) + "\n");
        return new JvmProcess(name, b.start(), log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The log so far (for assertions and failure messages). */
    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The live processes this JVM spawned (children, theirs, ...). */
    List<ProcessHandle> descendants() {
        return process.toHandle().descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Waits until the JVM exits; returns its exit code. */
    int waitFor(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name + " (pid " + pid() + ") still runs after " + timeout.toSeconds() + " s; log " + log);
        }
        return process.exitValue();
    }

    /** Ends the JVM and its descendants, by pid: SIGTERM, then SIGKILL for any still alive after a grace period. */
    void stop() {
        List<ProcessHandle> all = new ArrayList<>(descendants());
        all.add(process.toHandle());
        stopAll(all);
    }

    /** SIGTERM to each, then SIGKILL to those still alive after the grace period. */
    static void stopAll(List<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            p.destroy();
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // SIGKILL cannot be refused; a zombie is reaped by its parent
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}
