package org.ngvi.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.ngvi.data.DatasetManifest;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.spark.eval.TrainedRun;
import org.ngvi.spark.train.RunDirectory;
import scala.Option;

/**
 * The saved form of a {@link VognClassificationModel}: a training run folder that spark.ml can
 * also read.
 * <pre>
 * PATH/metadata/            spark.ml's params metadata (DefaultParamsWriter: class, uid, params)
 * PATH/checkpoint.ngvi      the posterior (org.ngvi.posterior.CheckpointFile), its metadata the run's provenance
 * PATH/provenance.json      config, data digests, seed, versions, git revision
 * PATH/summary.json         the training run's summary, when known
 * PATH/train_manifest.json  the training rows' manifest: shape, class counts, channel statistics
 * </pre>
 * Everything is written into a hidden temporary sibling, which is then renamed to PATH.
 */
final class ModelFiles {
    static final String TRAIN_MANIFEST = "train_manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFiles() {
    }

    /** A local folder from a path or {@code file:} URI; other file systems are an error naming the path. */
    static Path localPath(String path) {
        if (!path.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) { // no scheme: a plain path
            return Paths.get(path).toAbsolutePath();
        }
        if (path.startsWith("file:")) {
            return Paths.get(URI.create(path));
        }
        throw new IllegalArgumentException(VognClassificationModel.NAME + ": path " + path + ": only local folders (or file: URIs) "
                + "hold models, because the checkpoint is written with java.nio; save to a local or mounted folder");
    }

    /** The run's {@code summary.json}, or {@code null} when the folder has none. */
    static ObjectNode readSummary(Path dir) throws IOException {
        Path f = dir.resolve(RunDirectory.SUMMARY);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonNode n = JSON.readTree(f.toFile());
        if (n == null || !n.isObject()) {
            throw new IOException(f + ": expected a JSON object (the training run's summary)");
        }
        return (ObjectNode) n;
    }

    /** Writes a model as above. */
    static final class Writer extends MLWriter {
        private final VognClassificationModel model;

        Writer(VognClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            Path target = localPath(path);
            Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
            boolean moved = false;
            try {
                DefaultParamsWriter.saveMetadata(model, temp.toUri().toString(), sparkSession().sparkContext(), Option.empty(),
                        Option.empty());
                RunDirectory run = RunDirectory.create(temp, false);
                CheckpointFile.write(run.checkpoint(), model.trainedRun().checkpoint());
                run.writeJson(RunDirectory.PROVENANCE, model.trainedRun().checkpoint().metadata());
                if (model.summary() != null) {
                    run.writeJson(RunDirectory.SUMMARY, model.summary());
                }
                org.ngvi.io.AtomicFiles.write(temp.resolve(TRAIN_MANIFEST),
                        model.trainManifest().toPrettyJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            } catch (IOException e) {
                throw new UncheckedIOException(VognClassificationModel.NAME + ": cannot save to " + path + ": " + e.getMessage(), e);
            } finally {
                if (!moved) {
                    deleteQuietly(temp);
                }
            }
        }
    }

    /** Reads a model written by {@link Writer}. */
    static final class Reader extends MLReader<VognClassificationModel> {
        @Override
        public VognClassificationModel load(String path) {
            Path dir = localPath(path);
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(dir.toUri().toString(),
                    sparkSession().sparkContext(), VognClassificationModel.class.getName());
            try {
                DatasetManifest manifest = DatasetManifest.read(dir.resolve(TRAIN_MANIFEST));
                VognClassificationModel m = VognClassificationModel.restored(metadata.uid(), TrainedRun.open(dir), manifest,
                        readSummary(dir));
                metadata.getAndSetParams(m, Option.empty());
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException(VognClassificationModel.NAME + ": cannot load " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary folder does not affect the target
        }
    }
}
