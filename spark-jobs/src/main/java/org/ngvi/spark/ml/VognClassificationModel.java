package org.ngvi.spark.ml;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.PixelNormalization;
import org.ngvi.spark.eval.Predictive;
import org.ngvi.spark.eval.TrainedRun;
import org.ngvi.spark.score.RowScorer;
import org.ngvi.spark.score.ScoreColumns;
import org.ngvi.spark.train.TrainJob;

/**
 * A trained VOGN / Adam / MC-dropout classifier as a spark.ml {@link Model}: {@link #transform}
 * adds, per row of images, the MC predictive p̄(y | x) = (1/K) Σ_k p(y | x, θ_k) and its
 * uncertainties, computed on the executors exactly as {@code ngvi score} computes them (the same
 * {@link RowScorer} and {@link Predictive}: K weight samples θ_k ~ q(θ) for VOGN, K dropout masks
 * for an Adam run with dropout, the weights for other point estimates):
 * <ul>
 *   <li>{@code prediction} (double) argmax_c p̄_c; {@code probability} (ML vector) p̄;</li>
 *   <li>{@code confidence} max_c p̄_c; {@code entropy} H[p̄] = −Σ_c p̄_c log p̄_c (nats);</li>
 *   <li>{@code mutual_information} H[p̄] − (1/K) Σ_k H[p_k] (0 for K = 0).</li>
 * </ul>
 * K is {@code numMcSamples}, by default the run's {@code val_num_mc_samples}. Pixels are normalised
 * as in training, with the training rows' statistics. So {@code prediction} and {@code probability}
 * fit {@code MulticlassClassificationEvaluator} and the model fits a {@code Pipeline}.
 *
 * <p>{@code write().save(path)} writes a training run folder (the {@code checkpoint.ngvi} of
 * {@code org.ngvi.posterior}, {@code provenance.json}, {@code summary.json}) plus Spark's
 * {@code metadata/} and the training rows' manifest, atomically (a temporary sibling renamed into
 * place); {@link #load} reads it back, and {@code ngvi evaluate --run path} and
 * {@code ngvi score --run path} read it as the run it is. Paths are local (or {@code file:}).
 */
public final class VognClassificationModel extends Model<VognClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String NAME = "VognClassificationModel";

    private final String uid;
    // transient: a closure that captures the model by accident (a notebook's line object) still serializes;
    // the executors get the posterior through transform's broadcast
    private final transient TrainedRun run;
    private final DatasetManifest trainManifest;
    private final transient ObjectNode summary;
    private final IntParam numMcSamples;
    private final Param<String> imageCol;
    private final Param<String> heightCol;
    private final Param<String> widthCol;
    private final Param<String> channelsCol;
    private final Param<String> labelCol;
    private final Param<String> indexCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> confidenceCol;
    private final Param<String> entropyCol;
    private final Param<String> mutualInformationCol;

    /**
     * @param run           the trained run (checkpoint, config, posterior)
     * @param trainManifest the training rows' manifest: image shape, classes and channel statistics
     * @param summary       the run's {@code summary.json}, or {@code null}
     */
    VognClassificationModel(String uid, TrainedRun run, DatasetManifest trainManifest, ObjectNode summary) {
        this.uid = uid;
        this.run = run;
        this.trainManifest = trainManifest;
        this.summary = summary;
        numMcSamples = new IntParam(this, "numMcSamples", "K, the MC samples per row at test time: weight samples (VOGN) "
                + "or dropout masks (Adam with dropout); 0: the mean weights (default: the run's val_num_mc_samples)");
        imageCol = ColumnParams.column(this, "imageCol");
        heightCol = ColumnParams.column(this, "heightCol");
        widthCol = ColumnParams.column(this, "widthCol");
        channelsCol = ColumnParams.column(this, "channelsCol");
        labelCol = ColumnParams.column(this, "labelCol");
        indexCol = ColumnParams.column(this, "indexCol");
        predictionCol = ColumnParams.column(this, "predictionCol");
        probabilityCol = ColumnParams.column(this, "probabilityCol");
        confidenceCol = ColumnParams.column(this, "confidenceCol");
        entropyCol = ColumnParams.column(this, "entropyCol");
        mutualInformationCol = ColumnParams.column(this, "mutualInformationCol");
        ColumnParams.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    public IntParam numMcSamples() { return numMcSamples; }
    public Param<String> imageCol() { return imageCol; }
    public Param<String> heightCol() { return heightCol; }
    public Param<String> widthCol() { return widthCol; }
    public Param<String> channelsCol() { return channelsCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> indexCol() { return indexCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> confidenceCol() { return confidenceCol; }
    public Param<String> entropyCol() { return entropyCol; }
    public Param<String> mutualInformationCol() { return mutualInformationCol; }

    /** Sets K; a negative K is an error naming the param. */
    public VognClassificationModel setNumMcSamples(int value) {
        if (value < 0) {
            throw new IllegalArgumentException(NAME + " param 'numMcSamples': expected an integer >= 0 (0: the mean weights), got "
                    + value);
        }
        set(numMcSamples, value);
        return this;
    }

    public VognClassificationModel setImageCol(String value) { set(imageCol, value); return this; }
    public VognClassificationModel setHeightCol(String value) { set(heightCol, value); return this; }
    public VognClassificationModel setWidthCol(String value) { set(widthCol, value); return this; }
    public VognClassificationModel setChannelsCol(String value) { set(channelsCol, value); return this; }
    public VognClassificationModel setLabelCol(String value) { set(labelCol, value); return this; }
    public VognClassificationModel setIndexCol(String value) { set(indexCol, value); return this; }
    public VognClassificationModel setPredictionCol(String value) { set(predictionCol, value); return this; }
    public VognClassificationModel setProbabilityCol(String value) { set(probabilityCol, value); return this; }
    public VognClassificationModel setConfidenceCol(String value) { set(confidenceCol, value); return this; }
    public VognClassificationModel setEntropyCol(String value) { set(entropyCol, value); return this; }
    public VognClassificationModel setMutualInformationCol(String value) { set(mutualInformationCol, value); return this; }

    /** K at test time: {@code numMcSamples} when set, else the run's {@code val_num_mc_samples}. */
    public int getNumMcSamples() {
        return isSet(numMcSamples) ? (Integer) getOrDefault(numMcSamples) : run.config().optim().valNumMcSamples();
    }

    /** The predictive distribution {@link #transform} uses. */
    public Predictive predictive() {
        return run.predictive(isSet(numMcSamples) ? (Integer) getOrDefault(numMcSamples) : null, null);
    }

    /** The trained run: checkpoint (with provenance in its metadata), training config and posterior. */
    public TrainedRun trainedRun() {
        return run;
    }

    /** The training rows' manifest (shape, class counts, channel statistics). */
    public DatasetManifest trainManifest() {
        return trainManifest;
    }

    /** Number of classes C. */
    public int numClasses() {
        return trainManifest.numClasses();
    }

    /** The run's {@code summary.json} (optimizer, epochs, steps, seconds, examples/s), or {@code null}. */
    public ObjectNode summary() {
        return summary == null ? null : summary.deepCopy();
    }

    /**
     * The input rows with the five prediction columns added. Lazy, as every transform: the posterior
     * is broadcast once per call and each task opens one predictor; Spark's cleaner drops the
     * broadcast when the result is no longer referenced.
     *
     * @throws IllegalArgumentException a missing or mistyped input column, or an output column that exists (naming the param)
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Dataset<Row> frame = dataset.toDF();
        StructType in = frame.schema();
        List<String> names = Arrays.asList(in.fieldNames());
        String index = ColumnParams.name(this, "indexCol");
        int[] columns = {names.indexOf(ColumnParams.name(this, "imageCol")), names.indexOf(ColumnParams.name(this, "heightCol")),
                names.indexOf(ColumnParams.name(this, "widthCol")), names.indexOf(ColumnParams.name(this, "channelsCol")),
                names.indexOf(index)};
        Predictive predictive = predictive();
        PixelNormalization normalization = TrainJob.normalization(run.config(), trainManifest);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        Broadcast<RowScorer.Setup> setup = jsc.broadcast(new RowScorer.Setup(predictive, normalization,
                run.config().valBatchSize(), trainManifest.shape(), columns, NAME + " " + uid + ".transform input"));

        // the scorer appends ScoreColumns.ADDED; give them names no input column has, then rename
        String tmp = "__" + uid + "_";
        StructType scoredSchema = ScoreColumns.output(in, predictive.dataType() == DataType.DOUBLE);
        List<StructField> fields = new ArrayList<>(Arrays.asList(scoredSchema.fields()));
        for (int i = in.fields().length; i < fields.size(); i++) {
            StructField f = fields.get(i);
            fields.set(i, new StructField(tmp + f.name(), f.dataType(), f.nullable(), f.metadata()));
        }
        Dataset<Row> scored = frame.mapPartitions(new RowScorer(setup), Encoders.row(new StructType(fields.toArray(new StructField[0]))));
        return scored
                .withColumn(tmp + ScoreColumns.PREDICTION, col(tmp + ScoreColumns.PREDICTION).cast("double"))
                .withColumn(tmp + ScoreColumns.PROBABILITIES, functions.array_to_vector(col(tmp + ScoreColumns.PROBABILITIES)
                        .cast("array<double>")))
                .withColumnRenamed(tmp + ScoreColumns.PREDICTION, ColumnParams.name(this, "predictionCol"))
                .withColumnRenamed(tmp + ScoreColumns.PROBABILITIES, ColumnParams.name(this, "probabilityCol"))
                .withColumnRenamed(tmp + ScoreColumns.CONFIDENCE, ColumnParams.name(this, "confidenceCol"))
                .withColumnRenamed(tmp + ScoreColumns.ENTROPY, ColumnParams.name(this, "entropyCol"))
                .withColumnRenamed(tmp + ScoreColumns.MUTUAL_INFORMATION, ColumnParams.name(this, "mutualInformationCol"));
    }

    /** Checks the pixel columns and that no output column exists; returns the output schema. */
    @Override
    public StructType transformSchema(StructType schema) {
        ColumnParams.checkInput(NAME + ".transform", this, schema, false);
        return ColumnParams.output(NAME, this, schema);
    }

    @Override
    public VognClassificationModel copy(ParamMap extra) {
        VognClassificationModel m = copyValues(new VognClassificationModel(uid, run, trainManifest, summary), extra);
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new ModelFiles.Writer(this);
    }

    /** Reads a model saved with {@code write().save(path)}. */
    public static MLReader<VognClassificationModel> read() {
        return new ModelFiles.Reader();
    }

    public static VognClassificationModel load(String path) {
        return read().load(path);
    }

    /** For {@link ModelFiles.Reader}: a model with the saved uid, params set afterwards. */
    static VognClassificationModel restored(String uid, TrainedRun run, DatasetManifest trainManifest, ObjectNode summary) {
        return new VognClassificationModel(uid, run, trainManifest, summary);
    }
}
