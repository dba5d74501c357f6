package org.ngvi.spark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.ngvi.optim.Posteriors;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.train.RunDirectory;

/**
 * A finished training run as {@code evaluate} and {@code score} read it: the run folder's
 * checkpoint, the training config recorded in the checkpoint's metadata, and the predictive
 * posterior the checkpoint holds ({@link Posteriors#of}).
 *
 * @param checkpoint the checkpoint of the run folder
 * @param config     the training config (metadata {@code config})
 * @param posterior  the Gaussian posterior (VOGN) or point estimate (Adam, SGD), with the network's buffers
 */
public record TrainedRun(ModelCheckpoint checkpoint, TrainConfig config, GaussianPosterior posterior) {

    /**
     * Reads the checkpoint of the run folder {@code runDir} (the {@code --out} of {@code ngvi train}).
     *
     * @throws IOException not a run folder, an unreadable checkpoint, or metadata without the training config
     */
    public static TrainedRun open(Path runDir) throws IOException {
        RunDirectory run = RunDirectory.open(runDir);
        ModelCheckpoint c = CheckpointFile.read(run.checkpoint());
        JsonNode configJson = c.metadata().get("config");
        if (configJson == null || !configJson.isObject()) {
            throw new IOException(run.checkpoint() + ": metadata lacks the training 'config' (not written by ngvi train?)");
        }
        TrainConfig config = TrainConfig.fromJson(run.checkpoint() + " (config)", (ObjectNode) configJson);
        return new TrainedRun(c, config, Posteriors.of(c));
    }

    /**
     * The predictive for {@code --mc} / {@code --mc-dropout} ({@link Predictive#choose}), with the
     * run's {@code val_num_mc_samples} as the default K and its {@code seed}.
     *
     * @param mc        K, or {@code null} for the run's default
     * @param mcDropout K of explicit MC dropout, or {@code null}
     * @throws IllegalArgumentException an impossible combination, naming the option
     */
    public Predictive predictive(Integer mc, Integer mcDropout) {
        return Predictive.choose(posterior, checkpoint.dataType(), mc, mcDropout, config.optim().valNumMcSamples(),
                config.seed());
    }
}
