package org.ngvi.spark.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The console progress line of a training run: round, epoch, loss, learning rate, examples/s and ETA.
 * Printed every round, or at most every {@code minIntervalMillis} when rounds are fast.
 */
final class Progress {
    private final PrintStream out;
    private final long totalRounds;
    private final long start = System.nanoTime();
    private final long minIntervalNanos;
    private long lastPrint;

    Progress(PrintStream out, long totalRounds, long minIntervalMillis) {
        this.out = out;
        this.totalRounds = totalRounds;
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
    }

    void round(long round, int epoch, int epochs, double loss, double lr, double examplesPerSecond) {
        long now = System.nanoTime();
        boolean last = round + 1 == totalRounds;
        if (!last && now - lastPrint < minIntervalNanos) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - start) / 1e9;
        double eta = elapsed / (round + 1) * (totalRounds - round - 1);
        out.printf(Locale.ROOT, "round %d/%d  epoch %d/%d  loss %.4f  lr %.3g  %.0f examples/s  elapsed %s  ETA %s%n",
                round + 1, totalRounds, epoch + 1, epochs, loss, lr, examplesPerSecond, duration(elapsed), duration(eta));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
