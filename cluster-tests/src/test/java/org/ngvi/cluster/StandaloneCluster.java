package org.ngvi.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A Spark standalone cluster on 127.0.0.1 made of JVMs this class starts and stops: one
 * {@code org.apache.spark.deploy.master.Master} and {@code workers} {@code org.apache.spark.deploy.worker.Worker}s,
 * each run with {@code java <Java 17 --add-opens> -cp 'SPARK_HOME/jars/*'} and {@code SPARK_HOME},
 * {@code SPARK_SCALA_VERSION=2.12}, {@code SPARK_LOCAL_IP=127.0.0.1} (without the Scala version the Workers'
 * executors die with "Cannot find any build directories"). Every port (Master, web UIs, Workers, driver) is picked
 * free at run time. Applications go in with {@link #submit}: a driver JVM running
 * {@code org.apache.spark.deploy.SparkSubmit} in client mode on the shaded jar, which executors fetch from the driver.
 *
 * <p>{@link #close} stops, by pid, every driver, the Workers with the executor JVMs they spawned, and the Master;
 * a shutdown hook does the same if the test JVM exits without closing. Each JVM's output is in
 * {@code work/logs/NAME.log}, the executors' in {@code work/worker-I/APP/EXECUTOR/stderr}.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private final ClusterSettings settings;
    private final Path work;
    private final Map<String, String> env;
    private final int masterPort;
    private final int masterWebUiPort;
    private final List<JvmProcess> daemons = new ArrayList<>();
    private final List<JvmProcess> drivers = new ArrayList<>();
    private final List<Path> workerDirs = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "stop-standalone-cluster");
    private int submissions;

    /**
     * An executor JVM a Worker spawned.
     *
     * @param handle     its process
     * @param appId      the application it runs for
     * @param executorId its id within the application
     * @param stderr     its log (Spark's log4j output goes to stderr)
     */
    record Executor(ProcessHandle handle, String appId, String executorId, Path stderr) {
    }

    private StandaloneCluster(ClusterSettings settings, Path work) {
        this.settings = settings;
        this.work = work;
        this.masterPort = FreePorts.pick();
        this.masterWebUiPort = FreePorts.pick();
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SPARK_HOME", settings.sparkHome().toString());
        e.put("SPARK_SCALA_VERSION", "2.12");
        e.put("SPARK_LOCAL_IP", "127.0.0.1");
        e.put("SPARK_CONF_DIR", work.resolve("conf").toString());
        e.put("JAVA_HOME", ClusterSettings.javaHome());
        e.put("OMP_NUM_THREADS", "1");
        e.put("OPENBLAS_NUM_THREADS", "1");
        this.env = Map.copyOf(e);
    }

    /**
     * Starts the Master and {@code workers} Workers ({@code coresPerWorker} cores and {@code workerMemory}, e.g.
     * {@code "1g"}, each) and waits until the Master lists every Worker ALIVE.
     *
     * @param work an empty (or new) folder for logs and the Workers' directories
     */
    static StandaloneCluster start(ClusterSettings settings, Path work, int workers, int coresPerWorker, String workerMemory)
            throws IOException, InterruptedException, TimeoutException {
        StandaloneCluster c = new StandaloneCluster(settings, work);
        Runtime.getRuntime().addShutdownHook(c.shutdownHook);
        try {
            Files.createDirectories(work.resolve("conf"));
            c.daemons.add(c.startDaemon("master", "org.apache.spark.deploy.master.Master", List.of(
                    "--host", "127.0.0.1", "--port", Integer.toString(c.masterPort),
                    "--webui-port", Integer.toString(c.masterWebUiPort))));
            c.awaitAliveWorkers(0, Duration.ofSeconds(180));
            for (int i = 0; i < workers; i++) {
                Path dir = work.resolve("worker-" + i);
                Files.createDirectories(dir);
                c.workerDirs.add(dir);
                c.daemons.add(c.startDaemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", List.of(
                        "--host", "127.0.0.1", "--port", Integer.toString(FreePorts.pick()),
                        "--webui-port", Integer.toString(FreePorts.pick()),
                        "--cores", Integer.toString(coresPerWorker), "--memory", workerMemory,
                        "--work-dir", dir.toString(), c.masterUrl())));
            }
            c.awaitAliveWorkers(workers, Duration.ofSeconds(180));
            return c;
        } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** {@code spark://127.0.0.1:PORT}. */
    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    private JvmProcess startDaemon(String name, String mainClass, List<String> args) throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        jvm.addAll(settings.javaOpens());
        return JvmProcess.start(name, jvm, settings.sparkClassPath(), mainClass, args, env, work,
                work.resolve("logs").resolve(name + ".log"));
    }

    /**
     * Starts a driver JVM: {@code SparkSubmit --master spark://... --deploy-mode client --class mainClass APPJAR args},
     * with the UI off, a free driver port, one-core executors of {@code executorMemory}, the Java 17 flags and one
     * ND4J thread on the executors, and {@code spark.task.maxFailures=4}; {@code conf} adds to or overrides these.
     * The driver waits until every core has an executor before it starts a job, so the tasks spread over the Workers.
     */
    JvmProcess submit(String name, String mainClass, List<String> args, Map<String, String> conf) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.ui.enabled", "false");
        c.put("spark.driver.host", "127.0.0.1");
        c.put("spark.driver.bindAddress", "127.0.0.1");
        c.put("spark.driver.port", Integer.toString(FreePorts.pick()));
        c.put("spark.executor.cores", "1");
        c.put("spark.executor.memory", "512m");
        c.put("spark.executor.extraJavaOptions", String.join(" ", settings.javaOpens()));
        c.put("spark.executorEnv.OMP_NUM_THREADS", "1");
        c.put("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        c.put("spark.task.maxFailures", "4");
        c.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        c.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
        c.putAll(conf);
        List<String> submitArgs = new ArrayList<>(List.of("--master", masterUrl(), "--deploy-mode", "client",
                "--name", name, "--class", mainClass));
        c.forEach((k, v) -> {
            submitArgs.add("--conf");
            submitArgs.add(k + "=" + v);
        });
        submitArgs.add(settings.appJar().toString());
        submitArgs.addAll(args);
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        jvm.addAll(settings.javaOpens());
        JvmProcess driver = JvmProcess.start(name, jvm, settings.sparkClassPath(), "org.apache.spark.deploy.SparkSubmit",
                submitArgs, env, work, work.resolve("logs").resolve(String.format("driver-%02d-%s.log", ++submissions, name)));
        synchronized (drivers) {
            drivers.add(driver);
        }
        return driver;
    }

    /**
     * Submits and waits for the application to end; a non-zero exit is an assertion error with the driver's log.
     *
     * @return the driver (exited), for its log
     */
    JvmProcess run(String name, String mainClass, List<String> args, Map<String, String> conf, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        JvmProcess driver = submit(name, mainClass, args, conf);
        int code;
        try {
            code = driver.waitFor(timeout);
        } catch (TimeoutException e) {
            driver.stop();
            throw e;
        }
        if (code != 0) {
            throw new AssertionError(name + ": spark-submit exited with " + code + "; driver log " + driver.log() + ":\n"
                    + tail(driver.logText(), 60));
        }
        return driver;
    }

    /** The Workers' work directories ({@code --work-dir}), where each keeps APP/EXECUTOR/stderr. */
    List<Path> workerDirs() {
        return List.copyOf(workerDirs);
    }

    /** The live executor JVMs the Workers spawned, in Worker order. */
    List<Executor> executors() {
        List<Executor> out = new ArrayList<>();
        for (int i = 0; i < workerDirs.size(); i++) {
            JvmProcess worker = daemons.get(i + 1);
            for (ProcessHandle p : worker.descendants()) {
                List<String> args = List.of(p.info().arguments().orElse(new String[0]));
                if (!args.contains(EXECUTOR_MAIN)) {
                    continue;
                }
                String app = after(args, "--app-id");
                String id = after(args, "--executor-id");
                out.add(new Executor(p, app, id, workerDirs.get(i).resolve(app).resolve(id).resolve("stderr")));
            }
        }
        return out;
    }

    private static String after(List<String> args, String flag) {
        int i = args.indexOf(flag);
        if (i < 0 || i + 1 >= args.size()) {
            throw new IllegalStateException("executor command line without " + flag + ": " + args);
        }
        return args.get(i + 1);
    }

    /** Polls the Master's JSON status until it lists {@code n} ALIVE Workers. */
    private void awaitAliveWorkers(int n, Duration timeout) throws InterruptedException, TimeoutException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterWebUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (JvmProcess d : daemons) {
                if (!d.isAlive()) {
                    throw new IllegalStateException(d + " exited while the cluster started:\n" + tail(d.logText(), 40));
                }
            }
            try {
                JsonNode status = JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
                int alive = 0;
                for (JsonNode w : status.path("workers")) {
                    if ("ALIVE".equals(w.path("state").asText())) {
                        alive++;
                    }
                }
                if (alive >= n) {
                    return;
                }
                last = alive + " ALIVE workers";
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new TimeoutException("the Master (" + masterUrl() + ") did not list " + n + " ALIVE workers within "
                + timeout.toSeconds() + " s (last: " + last + "); logs in " + work.resolve("logs"));
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** Stops drivers, Workers (with their executors) and the Master, by pid. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) stopAll
        }
    }

    private void stopAll() {
        List<JvmProcess> all;
        synchronized (drivers) {
            all = new ArrayList<>(drivers);
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            all.add(daemons.get(i));
        }
        List<ProcessHandle> handles = new ArrayList<>();
        for (JvmProcess p : all) {
            handles.addAll(p.descendants());
            handles.add(p.handle());
        }
        JvmProcess.stopAll(handles);
    }
}
