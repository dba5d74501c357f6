package org.ngvi.spark.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.ngvi.spark.config.ConfigException;
import org.ngvi.spark.config.ConfigOverrides;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.eval.TrainedRun;
import org.ngvi.spark.train.RunDirectory;
import org.ngvi.spark.train.TrainJob;

/**
 * VOGN (and the Adam and MC-dropout baselines) as a spark.ml {@link Estimator}: {@link #fit} trains
 * on a DataFrame of images with the parameter-averaging trainer of {@code ngvi train} and returns a
 * {@link VognClassificationModel} that adds predictions and uncertainties to any DataFrame of images.
 *
 * <p>Training settings come from a JSON config ({@link #setConfig}, the keys of
 * {@code configs/README.md}; a shipped config by name, e.g. {@code configs/fmnist_mlp_vogn.json}),
 * then {@code --set}-style {@link #setOverrides}, then the typed params ({@link #setEpochs},
 * {@link #setLr}, ...), each of which sets one config key (the table in {@code ConfigParams}); a
 * param that is not set leaves its key to the config. VOGN (Osawa et al., "Practical Deep Learning
 * with Bayesian Principles", NeurIPS 2019) learns q(θ) = N(μ, diag(τ / (N (s + λ̄ + δ)))) with
 * λ = τ/(N σ₀²) (σ₀² = {@code priorVariance}, τ = {@code klWeighting}, N the number of rows).
 *
 * <p>Input columns (names are params): {@code image} (binary, uint8 HWC), {@code height},
 * {@code width}, {@code channels}, {@code label} (int), optionally {@code index} (long). A
 * DataFrame read from a prepared directory ({@code spark.read.parquet(dir)}) fits to the same model,
 * bit for bit, as {@code ngvi train} on {@code dir} with the same config: its manifest is recomputed
 * exactly from the rows and the rows are spread over the tasks by their index.
 * <pre>
 * val vogn = new VognClassifier().setConfig("configs/fmnist_mlp_vogn.json").setEpochs(1)
 * val model = vogn.fit(spark.read.parquet("data/fashion-mnist/train"))
 * model.transform(test).select("prediction", "confidence", "entropy")
 * </pre>
 */
public final class VognClassifier extends Estimator<VognClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String NAME = "VognClassifier";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final String uid;
    private final Param<String> config;
    private final StringArrayParam overrides;
    private final Param<String> runDir;
    private final BooleanParam verbose;
    private final Param<String> model;
    private final IntArrayParam hidden;
    private final DoubleParam dropout;
    private final Param<String> optimizer;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam valBatchSize;
    private final DoubleParam lr;
    private final DoubleParam weightDecay;
    private final IntParam numMcSamples;
    private final IntParam valNumMcSamples;
    private final DoubleParam priorVariance;
    private final DoubleParam initPrecision;
    private final DoubleParam klWeighting;
    private final IntParam localSteps;
    private final Param<String> aggregation;
    private final Param<String> normalize;
    private final IntParam partitions;
    private final Param<String> dtype;
    private final LongParam seed;
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

    public VognClassifier() {
        this(Identifiable$.MODULE$.randomUID("vognClassifier"));
    }

    /** With a given uid (what {@link #load} and {@link #copy} use). */
    public VognClassifier(String uid) {
        this.uid = uid;
        config = new Param<>(this, "config", "JSON training config: a file, or a shipped config by name "
                + "(configs/fmnist_mlp_vogn.json); default: every key at its default");
        overrides = new StringArrayParam(this, "overrides", "--set-style key=value config overrides, applied after the config");
        runDir = new Param<>(this, "runDir", "folder fit writes the training run to (checkpoint.ngvi, metrics.jsonl, "
                + "provenance.json, summary.json) and keeps; default: a temporary folder removed after fit");
        verbose = new BooleanParam(this, "verbose", "print the trainer's progress lines (to the notebook's or console's output)");
        model = ConfigParams.stringParam(this, "model");
        hidden = ConfigParams.intArrayParam(this, "hidden");
        dropout = ConfigParams.doubleParam(this, "dropout");
        optimizer = ConfigParams.stringParam(this, "optimizer");
        epochs = ConfigParams.intParam(this, "epochs");
        batchSize = ConfigParams.intParam(this, "batchSize");
        valBatchSize = ConfigParams.intParam(this, "valBatchSize");
        lr = ConfigParams.doubleParam(this, "lr");
        weightDecay = ConfigParams.doubleParam(this, "weightDecay");
        numMcSamples = ConfigParams.intParam(this, "numMcSamples");
        valNumMcSamples = ConfigParams.intParam(this, "valNumMcSamples");
        priorVariance = ConfigParams.doubleParam(this, "priorVariance");
        initPrecision = ConfigParams.doubleParam(this, "initPrecision");
        klWeighting = ConfigParams.doubleParam(this, "klWeighting");
        localSteps = ConfigParams.intParam(this, "localSteps");
        aggregation = ConfigParams.stringParam(this, "aggregation");
        normalize = ConfigParams.stringParam(this, "normalize");
        partitions = ConfigParams.intParam(this, "partitions");
        dtype = ConfigParams.stringParam(this, "dtype");
        seed = ConfigParams.longParam(this, "seed");
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
        setDefault(overrides, new String[0]);
        setDefault(verbose, true);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- params (Spark finds them through these accessors) ----
    public Param<String> config() { return config; }
    public StringArrayParam overrides() { return overrides; }
    public Param<String> runDir() { return runDir; }
    public BooleanParam verbose() { return verbose; }
    public Param<String> model() { return model; }
    public IntArrayParam hidden() { return hidden; }
    public DoubleParam dropout() { return dropout; }
    public Param<String> optimizer() { return optimizer; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSize() { return batchSize; }
    public IntParam valBatchSize() { return valBatchSize; }
    public DoubleParam lr() { return lr; }
    public DoubleParam weightDecay() { return weightDecay; }
    public IntParam numMcSamples() { return numMcSamples; }
    public IntParam valNumMcSamples() { return valNumMcSamples; }
    public DoubleParam priorVariance() { return priorVariance; }
    public DoubleParam initPrecision() { return initPrecision; }
    public DoubleParam klWeighting() { return klWeighting; }
    public IntParam localSteps() { return localSteps; }
    public Param<String> aggregation() { return aggregation; }
    public Param<String> normalize() { return normalize; }
    public IntParam partitions() { return partitions; }
    public Param<String> dtype() { return dtype; }
    public LongParam seed() { return seed; }
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

    // ---- setters: config params are checked as their config key is, when set ----
    public VognClassifier setConfig(String value) {
        configSource(value); // fails now on a missing file
        set(config, value);
        return this;
    }

    /** {@code key=value} config overrides as {@code ngvi train --set} takes them; checked with the whole config by {@link #fit}. */
    public VognClassifier setOverrides(String... value) {
        for (String o : value) {
            try {
                ConfigOverrides.apply(JSON.createObjectNode(), o);
            } catch (ConfigException e) {
                throw new ConfigException(NAME + " param 'overrides': " + e.getMessage());
            }
        }
        set(overrides, value.clone());
        return this;
    }

    public VognClassifier setRunDir(String value) { set(runDir, value); return this; }
    public VognClassifier setVerbose(boolean value) { set(verbose, value); return this; }
    public VognClassifier setModel(String value) { return checked(model, value); }
    public VognClassifier setHidden(int... value) { return checked(hidden, value.clone()); }
    public VognClassifier setDropout(double value) { return checked(dropout, value); }
    public VognClassifier setOptimizer(String value) { return checked(optimizer, value); }
    public VognClassifier setEpochs(int value) { return checked(epochs, value); }
    public VognClassifier setBatchSize(int value) { return checked(batchSize, value); }
    public VognClassifier setValBatchSize(int value) { return checked(valBatchSize, value); }
    public VognClassifier setLr(double value) { return checked(lr, value); }
    public VognClassifier setWeightDecay(double value) { return checked(weightDecay, value); }
    public VognClassifier setNumMcSamples(int value) { return checked(numMcSamples, value); }
    public VognClassifier setValNumMcSamples(int value) { return checked(valNumMcSamples, value); }
    public VognClassifier setPriorVariance(double value) { return checked(priorVariance, value); }
    public VognClassifier setInitPrecision(double value) { return checked(initPrecision, value); }
    public VognClassifier setKlWeighting(double value) { return checked(klWeighting, value); }
    public VognClassifier setLocalSteps(int value) { return checked(localSteps, value); }
    public VognClassifier setAggregation(String value) { return checked(aggregation, value); }
    public VognClassifier setNormalize(String value) { return checked(normalize, value); }
    public VognClassifier setPartitions(int value) { return checked(partitions, value); }
    public VognClassifier setDtype(String value) { return checked(dtype, value); }
    public VognClassifier setSeed(long value) { return checked(seed, value); }
    public VognClassifier setImageCol(String value) { set(imageCol, value); return this; }
    public VognClassifier setHeightCol(String value) { set(heightCol, value); return this; }
    public VognClassifier setWidthCol(String value) { set(widthCol, value); return this; }
    public VognClassifier setChannelsCol(String value) { set(channelsCol, value); return this; }
    public VognClassifier setLabelCol(String value) { set(labelCol, value); return this; }
    public VognClassifier setIndexCol(String value) { set(indexCol, value); return this; }
    public VognClassifier setPredictionCol(String value) { set(predictionCol, value); return this; }
    public VognClassifier setProbabilityCol(String value) { set(probabilityCol, value); return this; }
    public VognClassifier setConfidenceCol(String value) { set(confidenceCol, value); return this; }
    public VognClassifier setEntropyCol(String value) { set(entropyCol, value); return this; }
    public VognClassifier setMutualInformationCol(String value) { set(mutualInformationCol, value); return this; }

    private <T> VognClassifier checked(Param<T> p, T value) {
        ConfigParams.validate(NAME, p.name(), value);
        set(p, value);
        return this;
    }

    /**
     * The training config {@link #fit} uses: the config (or {}), then {@code overrides}, then every
     * set config param, validated.
     *
     * @throws ConfigException naming the config, the key and the params that set it
     */
    public TrainConfig effectiveConfig() {
        List<String> all = new ArrayList<>(List.of(getOrDefault(overrides)));
        all.addAll(ConfigParams.overrides(this));
        String source = isSet(config) ? getOrDefault(config) : NAME + " params";
        try {
            return TrainConfig.parse(source, isSet(config) ? configSource(getOrDefault(config)) : "{}".getBytes(), all);
        } catch (ConfigException e) {
            throw ConfigParams.withParams(e, this);
        }
    }

    /** The bytes of a config file, or of a shipped config ({@code configs/NAME.json} inside the jar) when no such file exists. */
    private static byte[] configSource(String value) {
        Path file = Paths.get(value);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readAllBytes(file);
            }
            String resource = "/configs/" + file.getFileName();
            try (InputStream in = VognClassifier.class.getResourceAsStream(resource)) {
                if (in != null && (file.getParent() == null || file.getParent().toString().equals("configs"))) {
                    return in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(NAME + " param 'config': cannot read " + value, e);
        }
        throw new ConfigException(NAME + " param 'config': " + value + " is neither a file nor a shipped config "
                + "(configs/fmnist_mlp_vogn.json, configs/fmnist_mlp_adam.json, ... inside the jar)");
    }

    /**
     * Trains on {@code dataset} and returns the fitted model. The rows are spread over
     * {@code partitions} tasks by a seeded hash of their index, as {@code ngvi train} spreads a
     * prepared directory; the run goes to {@code runDir} (or a temporary folder) and the model holds
     * its final checkpoint.
     *
     * @throws IllegalArgumentException a missing or mistyped input column (naming the column's param),
     *                                  an invalid config (naming the key and param), or rows of mixed shapes
     */
    @Override
    public VognClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        TrainConfig cfg = effectiveConfig();
        SparkSession spark = dataset.sparkSession();
        Dataset<Row> frame = dataset.toDF();
        boolean hasIndex = ColumnParams.has(frame.schema(), ColumnParams.name(this, "indexCol"));
        String[] columns = Stream.of("imageCol", "heightCol", "widthCol", "channelsCol", "labelCol", "indexCol")
                .map(c -> ColumnParams.name(this, c)).toArray(String[]::new);
        PrintStream console = (Boolean) getOrDefault(verbose) ? scala.Console.out() : new PrintStream(java.io.OutputStream.nullOutputStream());
        boolean temporary = !isSet(runDir);
        try {
            Path dir = temporary ? Files.createTempDirectory("ngvi-fit-") : Paths.get(getOrDefault(runDir));
            try {
                TrainingFrame data = TrainingFrame.of(NAME + ".fit input", frame, columns, hasIndex);
                try (ImageDataset train = ImageDataset.of(data.source(), data.manifest(), data.examples(),
                        TrainJob.partitions(spark, cfg), cfg.seed())) {
                    TrainJob.run(spark, cfg, train, null, RunDirectory.create(dir, false), console);
                }
                VognClassificationModel m = new VognClassificationModel(uid + "_model", TrainedRun.open(dir), data.manifest(),
                        ModelFiles.readSummary(dir));
                ColumnParams.copySet(this, m);
                return m.setParent(this);
            } finally {
                if (temporary) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(NAME + ".fit: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Checks the input columns; the output is the schema the fitted model's {@code transform} gives. */
    @Override
    public StructType transformSchema(StructType schema) {
        ColumnParams.checkInput(NAME + ".fit", this, schema, true);
        return ColumnParams.output(NAME, this, schema);
    }

    @Override
    public VognClassifier copy(ParamMap extra) {
        return (VognClassifier) defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** Reads an estimator saved with {@code write().save(path)} (its params). */
    public static MLReader<VognClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static VognClassifier load(String path) {
        return read().load(path);
    }
}
