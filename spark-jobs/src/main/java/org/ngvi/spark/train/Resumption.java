package org.ngvi.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ngvi.data.DatasetManifest;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.ConfigDiff;
import org.ngvi.spark.config.TrainConfig;

/**
 * What {@code ngvi train --resume RUNDIR} continues, checked before any Spark work: the run
 * folder's last durable checkpoint and its {@link ResumePoint}, the run's own config (from the
 * checkpoint's provenance, or {@code --config}) with the {@code --set} overrides applied, which
 * must not change it, and the training (and validation) sets, by default the run's own folders,
 * whose manifests must have the digests the run recorded.
 *
 * @param run        the run folder
 * @param checkpoint its last checkpoint
 * @param at         the progress saved with it
 * @param config     the run's config
 * @param train      the training set folder
 * @param val        the validation set folder, or {@code null} when the run validates on none
 * @param provenance the run's provenance with this resumption appended to its {@code resumed} list
 */
public record Resumption(RunDirectory run, ModelCheckpoint checkpoint, ResumePoint at, TrainConfig config, Path train,
                         Path val, ObjectNode provenance) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads and checks what resuming {@code runDir} needs.
     *
     * @param configFile a config to compare with the run's, or {@code null}: the run's own
     * @param overrides  {@code --set key=value}s; one that changes the run's config is an error naming the keys
     * @param train      the training set, or {@code null}: the folder the run recorded
     * @param val        the validation set, or {@code null}: the folder the run recorded, if any
     * @throws IllegalArgumentException for a changed config or other data, naming the keys or the digests
     * @throws IOException              for a run folder without a readable checkpoint
     */
    public static Resumption load(Path runDir, Path configFile, List<String> overrides, Path train, Path val)
            throws IOException {
        Path file = runDir.resolve(RunDirectory.CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new IOException(runDir + ": nothing to resume: no " + RunDirectory.CHECKPOINT
                    + (Files.exists(runDir.resolve(RunDirectory.METRICS)) ? " (the run stopped before its first checkpoint: "
                    + "start it again with --out " + runDir + " --overwrite)" : " (expected the --out of 'ngvi train')"));
        }
        RunDirectory run = RunDirectory.open(runDir);
        ModelCheckpoint checkpoint = CheckpointFile.read(file);
        ResumePoint at = ResumePoint.of(checkpoint, file);
        ObjectNode provenance = ResumePoint.without(checkpoint.metadata());
        JsonNode stored = provenance.get("config");
        if (stored == null || !stored.isObject()) {
            throw new IllegalArgumentException(file + ": the checkpoint's provenance has no 'config' object");
        }
        TrainConfig config = configFile != null ? TrainConfig.load(configFile, overrides)
                : TrainConfig.parse(file + " (the run's config)", JSON.writeValueAsBytes(stored), overrides);
        JsonNode now = JSON.readTree(config.json());
        List<String> changed = ConfigDiff.differingKeys(stored, now);
        if (!changed.isEmpty()) {
            List<String> what = new ArrayList<>();
            for (String k : changed) {
                what.add(k + " (run: " + at(stored, k) + ", now: " + at(now, k) + ")");
            }
            throw new IllegalArgumentException(runDir + ": cannot resume with a config that differs from the run's in "
                    + String.join(", ", what) + "; resume without those changes, or train a new run");
        }
        JsonNode data = provenance.path("data");
        Path trainDir = dataDir(train, data, "train", runDir);
        checkDigest(trainDir, data, "train", runDir);
        Path valDir = val != null ? val : data.hasNonNull("val_dir") ? Path.of(data.get("val_dir").asText()) : null;
        if (valDir == null && data.has("val_manifest_sha256")) {
            throw new IllegalArgumentException(runDir + ": the run validated on a data set whose folder it did not record: pass --val DIR");
        }
        if (valDir != null) {
            if (!data.has("val_manifest_sha256")) {
                throw new IllegalArgumentException(runDir + ": the run had no validation set; resume without --val " + valDir);
            }
            checkDigest(valDir, data, "val", runDir);
        }
        ObjectNode resumed = provenance.withArray("resumed").addObject();
        resumed.put("at_round", at.roundsDone()).put("time", Instant.now().toString())
                .put("git_revision", org.ngvi.cli.BuildInfo.current().revisionLabel());
        return new Resumption(run, checkpoint, at, config, trainDir, valDir, provenance);
    }

    /** What {@code ngvi train --resume} prints for a finished run (and exits 0). */
    public String finishedMessage() {
        return "run " + run.dir() + " already finished at round " + at.roundsDone() + " of " + at.totalRounds();
    }

    private static Path dataDir(Path given, JsonNode data, String split, Path runDir) {
        if (given != null) {
            return given;
        }
        JsonNode d = data.get(split + "_dir");
        if (d == null || !d.isTextual()) {
            throw new IllegalArgumentException(runDir + ": the run did not record its --" + split + " folder: pass --" + split + " DIR");
        }
        return Path.of(d.asText());
    }

    private static void checkDigest(Path dir, JsonNode data, String split, Path runDir) throws IOException {
        String expected = data.path(split + "_manifest_sha256").asText(null);
        String actual = DatasetManifest.read(dir).digest();
        if (expected == null || !expected.equals(actual)) {
            throw new IllegalArgumentException(runDir + ": cannot resume on another data set: --" + split + " " + dir
                    + " has manifest digest " + actual + ", the run was trained on " + expected);
        }
    }

    private static String at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n == null ? "absent" : n.toString();
    }

}
