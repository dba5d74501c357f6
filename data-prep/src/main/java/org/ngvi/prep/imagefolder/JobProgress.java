package org.ngvi.prep.imagefolder;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;

/**
 * Driver-side progress of the Spark jobs started by this thread while it is open: counts the
 * finished tasks of their stages (recognised by a local property set here) and logs
 * {@code label: done/total tasks, elapsed, estimated time left} at most every
 * {@value #INTERVAL_SECONDS} s and when all tasks are done. Closing it removes the listener
 * and restores the property.
 */
final class JobProgress extends SparkListener implements AutoCloseable {
    private static final String PROPERTY = "ngvi.progress";
    private static final int INTERVAL_SECONDS = 10;

    private final SparkContext sc;
    private final String label;
    private final Logger log;
    private final String id = UUID.randomUUID().toString();
    private final String previous;
    private final Map<Integer, Integer> stageTasks = new ConcurrentHashMap<>();
    private final AtomicInteger done = new AtomicInteger();
    private final long started = System.nanoTime();
    private volatile long lastLog = System.nanoTime();

    JobProgress(SparkContext sc, String label, Logger log) {
        this.sc = sc;
        this.label = label;
        this.log = log;
        this.previous = sc.getLocalProperty(PROPERTY);
        sc.setLocalProperty(PROPERTY, id);
        sc.addSparkListener(this);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        Properties p = e.properties();
        if (p != null && id.equals(p.getProperty(PROPERTY))) {
            stageTasks.put(e.stageInfo().stageId(), e.stageInfo().numTasks());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (!stageTasks.containsKey(e.stageId()) || !e.taskInfo().successful()) {
            return;
        }
        int d = done.incrementAndGet();
        int total = stageTasks.values().stream().mapToInt(Integer::intValue).sum();
        long now = System.nanoTime();
        if (now - lastLog >= INTERVAL_SECONDS * 1_000_000_000L || d >= total) {
            lastLog = now;
            double secs = (now - started) / 1e9;
            String left = d >= total ? "" : String.format(", about %.0f s left", secs * (total - d) / d);
            log.info("{}: {}/{} tasks done ({}%) in {} s{}", label, d, total, Math.round(100.0 * d / total),
                    String.format("%.1f", secs), left);
        }
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
        sc.setLocalProperty(PROPERTY, previous);
    }
}
