package org.ngvi.spark.eval;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/** Test runs trained by the real {@link TrainJob}, for the jobs that read a run folder. */
public final class TrainedRuns {
    private TrainedRuns() {
    }

    /**
     * Writes {@code config} (train config JSON) to {@code dir/name.json}, trains on {@code data}
     * into the run folder {@code dir/name} (console output dropped) and returns that folder.
     */
    public static Path train(SparkSession spark, Path dir, Path data, String name, String config) throws Exception {
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, config);
        Path run = dir.resolve(name);
        TrainJob.run(spark, TrainConfig.load(file, List.of()), data, null, RunDirectory.create(run, false),
                new PrintStream(new ByteArrayOutputStream()));
        return run;
    }
}
