package org.ngvi.spark.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A training driver (or any {@code main}) in its own JVM, on this test's classpath with the
 * {@code --add-opens} flags this JVM was started with (surefire's argLine); stdout and stderr go
 * to a log file. The test stops it by pid ({@link #kill}, {@link #close}).
 */
public final class DriverProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private DriverProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass args...}, logging to {@code log}. */
    public static DriverProcess start(Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        return new DriverProcess(pb.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL ({@code kill -9}) by pid, and waits for the process to end. */
    public void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** The exit code once the process ends within {@code seconds}, else it is killed and -1 is returned. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
            return -1;
        }
        return process.exitValue();
    }

    /** What the process wrote so far. */
    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
