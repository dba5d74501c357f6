package org.ngvi.spark.train;

import java.io.Serializable;

/**
 * When the trainer writes RUNDIR/checkpoint.ngvi: after the last round and at the end of every
 * epoch always, and in between every {@code everyRounds} rounds and/or once {@code everySeconds}
 * have passed since the last write (config keys {@code checkpoint_every}, {@code checkpoint_seconds}).
 * Each write replaces the previous checkpoint only once the new one is complete and on disk
 * ({@link org.ngvi.io.AtomicFiles}), so a failed write (a full disk) leaves the previous one.
 *
 * @param everyRounds  rounds between checkpoints, 0: not by rounds
 * @param everySeconds seconds between checkpoints, 0: not by time
 */
public record CheckpointPolicy(int everyRounds, double everySeconds) implements Serializable {
    /** Epoch ends, the last round and every {@code checkpoint_seconds} (600 s by default). */
    public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(0, org.ngvi.spark.config.TrainConfig.DEFAULT_CHECKPOINT_SECONDS);
    /** Every round (tests that read the checkpoint of each round). */
    public static final CheckpointPolicy EVERY_ROUND = new CheckpointPolicy(1, 0);

    /** The policy of a config's {@code checkpoint_every} and {@code checkpoint_seconds}. */
    public static CheckpointPolicy of(org.ngvi.spark.config.TrainConfig c) {
        return new CheckpointPolicy(c.checkpointEvery(), c.checkpointSeconds());
    }

    public CheckpointPolicy {
        if (everyRounds < 0) {
            throw new IllegalArgumentException("checkpoint_every must be >= 0 rounds (got " + everyRounds + ")");
        }
        if (!(everySeconds >= 0) || Double.isInfinite(everySeconds)) {
            throw new IllegalArgumentException("checkpoint_seconds must be a finite number >= 0 (got " + everySeconds + ")");
        }
    }

    /**
     * Whether to write after a round.
     *
     * @param roundsSinceWrite rounds finished since the last write (1 for the round just finished when it wrote last)
     * @param secondsSinceWrite seconds since the last write (or since training started)
     * @param epochEnd         the round finished an epoch
     * @param lastRound        the round was the run's last
     */
    public boolean due(long roundsSinceWrite, double secondsSinceWrite, boolean epochEnd, boolean lastRound) {
        return lastRound || epochEnd
                || (everyRounds > 0 && roundsSinceWrite >= everyRounds)
                || (everySeconds > 0 && secondsSinceWrite >= everySeconds);
    }

    /** "every N rounds / T s, epoch ends and the last round", for the console. */
    public String describe() {
        String by = (everyRounds > 0 ? "every " + everyRounds + " rounds, " : "")
                + (everySeconds > 0 ? "every " + (long) everySeconds + " s, " : "");
        return by + "at epoch ends and after the last round";
    }
}
