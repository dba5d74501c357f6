package org.ngvi.spark.toy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Mlp;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.Adam;
import org.ngvi.optim.AdamParams;
import org.ngvi.optim.AdamState;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.StepResult;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.cli.Cli;
import org.ngvi.cli.Converters;
import org.ngvi.io.AtomicFiles;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.plot.GifWriter;
import org.ngvi.spark.plot.RegularGrid;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The 2D toy of the paper's headline figure (Osawa et al. 2019, Fig. 1; the reference's
 * {@code toy_example/main.py}): Adam and VOGN train the MLP 2-128-1 (ReLU, sigmoid BCE) from the
 * same initial weights on 100 points from 5 Gaussian blobs (std 1, centres uniform in [−10, 10]²;
 * blobs 0–2 are class 0, blobs 3–4 class 1), batch 10 in a fixed order, 500 steps (50 epochs).
 * A plain process, no Spark context:
 * <pre>
 * java -cp ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar org.ngvi.spark.toy.ToyJob [--out runs/toy] [--steps 500] [--grid-step 0.05]
 * spark-submit --class org.ngvi.spark.toy.ToyJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar [--out DIR]
 * </pre>
 * The plotting grid spans the data's range ±1 with step 0.05 (every node is evaluated, in
 * batches); a frame evaluates 122 networks on it (Adam, VOGN's mean, 20 boundary samples, the
 * 100-sample predictive), about 15 s on one core, so the default run takes about 3 minutes.
 * Every {@value #FRAME_EVERY} steps (and after the last step) a {@link ToyFrame} is rendered;
 * outputs in OUT: {@code toy.gif} (one frame per second, looping), {@code toy_final.png} (the
 * last frame) and {@code toy.json} (final train accuracies; mean predictive entropy near the data
 * — grid nodes within distance 1 of a training point — and far from it — distance &gt; 3 — for
 * both optimizers; the settings). Every file is written to a temporary sibling and renamed.
 *
 * <p>VOGN: N = 100, α = 10⁻³, M = 50 MC samples per step, curvature EMA ρ = 0.01, raw gradient
 * EMA γ = 0.1, KL weight τ = 1 warmed up linearly from 0.01 over 1,000 steps (so τ reaches only
 * ≈ 0.5 in 500 steps), prior variance σ₀² = 1, no init precision (the first step sets s = ĥ, as
 * torchsso does by default) and damping δ = 10⁻⁷: exactly the reference toy's
 * {@code VIOptimizer} arguments (its defaults {@code prior_variance=1}, {@code init_precision=None}
 * and {@code curv_kwargs.damping=1e-7}). Adam: α = 10⁻³, PyTorch defaults otherwise. Float32, as
 * the reference.
 */
public final class ToyJob {
    /** Steps between frames. */
    public static final int FRAME_EVERY = 50;
    static final int BLOBS = 5;
    static final int PER_BLOB = 20;
    static final double BLOB_STD = 1;
    static final double BOX = 10;
    static final long DATA_SEED = 19;
    static final long INIT_SEED = 1;
    static final long TRAIN_NOISE_SEED = 2;
    static final long PREDICT_NOISE_SEED = 3;
    static final int BATCH = 10;
    static final int HIDDEN = 128;
    /** Default spacing of the plotting grid (the reference's {@code h = 0.05}). */
    public static final double GRID_STEP = 0.05;
    static final double GRID_MARGIN = 1;
    static final int PREDICTIVE_SAMPLES = 100;
    static final int BOUNDARY_SAMPLES = 20;
    static final double NEAR = 1;
    static final double FAR = 3;
    static final int GRID_BATCH = 8192;
    static final DataType DTYPE = DataType.FLOAT;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ToyJob() {
    }

    /**
     * @param out   output folder (created)
     * @param steps    optimizer steps (500 = 50 epochs of the 100 points)
     * @param gridStep spacing h of the plotting grid (0.05; a coarser grid makes frames faster, for tests)
     */
    public record Params(Path out, int steps, double gridStep) {
        public Params {
            if (out == null) {
                throw new IllegalArgumentException("ToyJob.Params.out must be a folder, got null");
            }
            if (steps < 1) {
                throw new IllegalArgumentException("ToyJob.Params.steps must be >= 1, got " + steps);
            }
            if (!(gridStep > 0 && gridStep <= 1)) {
                throw new IllegalArgumentException("ToyJob.Params.gridStep must be in (0, 1], got " + gridStep);
            }
        }

        /** The toy as specified: 500 steps, grid step 0.05. */
        public static Params defaults(Path out) {
            return new Params(out, 500, GRID_STEP);
        }

        /** Parses {@code ngvi toy} arguments ({@link Command}); a usage error is a {@link CommandLine.ParameterException}. */
        static Params parse(String... args) {
            return Cli.parse(new Command(), args).params();
        }
    }

    /** {@code ngvi toy}: parses into {@link Params} and runs the toy (no Spark). */
    @CommandLine.Command(name = "toy", description = "the paper's 2D toy: decision boundaries and predictive entropy of Adam vs VOGN, "
            + "as GIF/PNG/JSON")
    public static final class Command implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/toy", description = "output folder (created)")
        private Path out;
        @Option(names = "--steps", paramLabel = "N", defaultValue = "500", converter = Converters.PositiveInt.class,
                description = "optimizer steps (500 = 50 epochs of the 100 points)")
        private int steps;
        @Option(names = "--grid-step", paramLabel = "H", defaultValue = "" + GRID_STEP, converter = GridStepConverter.class,
                description = "spacing of the plotting grid, in (0, 1]; coarser is faster")
        private double gridStep;

        /** The parsed options as the job's params. */
        public Params params() {
            return new Params(out, steps, gridStep);
        }

        @Override
        public Integer call() throws IOException {
            System.setProperty("java.awt.headless", "true");
            ToyJob.run(params(), System.out);
            return 0;
        }
    }

    /** {@code --grid-step}: a number in (0, 1]. */
    static final class GridStepConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double h;
            try {
                h = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number in (0, 1], found '" + value + "'");
            }
            if (!(h > 0 && h <= 1)) {
                throw new TypeConversionException("expected a number in (0, 1], found " + value);
            }
            return h;
        }
    }

    /** Measures of one optimizer after the last step. */
    public record Summary(double trainAccuracy, double entropyNearData, double entropyFarFromData) {
        ObjectNode toJson() {
            return JSON.createObjectNode().put("train_accuracy", trainAccuracy).put("entropy_near_data", entropyNearData)
                    .put("entropy_far_from_data", entropyFarFromData);
        }
    }

    /**
     * @param adam   Adam's final measures
     * @param vogn   VOGN's final measures (accuracy and entropies of the 100-sample MC predictive)
     * @param frames frames written to the GIF
     */
    public record Result(Path gif, Path png, Path json, int frames, Summary adam, Summary vogn) {
    }

    /** Entry point (no Spark): {@link Command} as {@code ngvi toy}; bad input exits with code 2. */
    public static void main(String[] args) {
        Cli.main("ngvi toy", new Command(), args);
    }

    /** The VOGN settings of the toy (see the class comment). */
    public static VognParams vognParams() {
        return VognParams.builder(BLOBS * PER_BLOB).lr(1e-3).numMcSamples(50).curvatureEma(0.01)
                .gradEma(0.1, VognParams.Stage.RAW).klWarmup(0.01, 1000).klWeighting(1).priorVariance(1)
                .initPrecision(null).damping(1e-7).build();
    }

    public static Result run(Params p, PrintStream console) throws IOException {
        Blobs data = Blobs.generate(BLOBS, PER_BLOB, BLOB_STD, BOX, DATA_SEED);
        double[] b = data.bounds();
        RegularGrid grid = RegularGrid.covering(b[0] - GRID_MARGIN, b[1] + GRID_MARGIN, b[2] - GRID_MARGIN,
                b[3] + GRID_MARGIN, p.gridStep());
        double[] gx = new double[grid.size()];
        double[] gy = new double[grid.size()];
        for (int j = 0; j < grid.ny(); j++) {
            for (int i = 0; i < grid.nx(); i++) {
                gx[j * grid.nx() + i] = grid.x(i);
                gy[j * grid.nx() + i] = grid.y(j);
            }
        }
        double[] distance = DataDistance.toNearest(data, gx, gy);

        NetworkSpec spec = Mlp.binarySpec(2, new int[] {HIDDEN}, "relu");
        Network trainNet = Network.build(spec, DTYPE);
        PointPredictor onGrid = new PointPredictor(Network.build(spec, DTYPE), gx, gy, GRID_BATCH);
        PointPredictor onData = new PointPredictor(Network.build(spec, DTYPE), data.coordinate(0), data.coordinate(1),
                data.size());
        INDArray[] bx = new INDArray[data.size() / BATCH];
        int[][] by = new int[bx.length][];
        for (int k = 0; k < bx.length; k++) {
            double[][] rows = new double[BATCH][];
            by[k] = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                rows[i] = data.x()[k * BATCH + i];
                by[k][i] = data.labels()[k * BATCH + i];
            }
            bx[k] = Nd4j.createFromArray(rows).castTo(DTYPE);
        }

        var init = trainNet.initParams(INIT_SEED);
        AdamParams adamParams = AdamParams.of(1e-3);
        Adam adam = new Adam(adamParams);
        AdamState adamState = adam.init(init);
        VognParams vognParams = vognParams();
        Vogn vogn = new Vogn(vognParams);
        VognState vognState = vogn.init(init);
        NetworkObjective objective = new NetworkObjective(trainNet);

        Path out = p.out();
        Files.createDirectories(out);
        Path gifPath = out.resolve("toy.gif");
        Path pngPath = out.resolve("toy_final.png");
        Path jsonPath = out.resolve("toy.json");
        console.printf(Locale.ROOT, "toy: %d points, grid %dx%d (step %.2f), %d steps, a frame every %d -> %s%n",
                data.size(), grid.nx(), grid.ny(), p.gridStep(), p.steps(), FRAME_EVERY, out);
        BufferedImage last = null;
        Summary adamSummary = null;
        Summary vognSummary = null;
        int frames = 0;
        long started = System.nanoTime();
        try (GifWriter gif = new GifWriter(gifPath, 1000, 0);
             GaussianNoise noise = new GaussianNoise(TRAIN_NOISE_SEED, vognParams.numMcSamples())) {
            double adamLoss = Double.NaN;
            double vognLoss = Double.NaN;
            for (int t = 1; t <= p.steps(); t++) {
                int k = (t - 1) % bx.length;
                objective.setBatch(bx[k], by[k]);
                StepResult<AdamState> ra = adam.step(objective, adamState, null);
                adamState = ra.state();
                adamLoss = ra.loss();
                StepResult<VognState> rv = vogn.step(objective, vognState, noise);
                vognState = rv.state();
                vognLoss = rv.loss();
                if (t % FRAME_EVERY != 0 && t != p.steps()) {
                    continue;
                }
                GaussianPosterior posterior = vogn.posterior(spec, vognState);
                double[] adamP = onGrid.probability(adamState.params());
                double[] adamH = entropies(adamP);
                PointPredictor.Predictive vognPred = onGrid.predictive(posterior, PREDICTIVE_SAMPLES, PREDICT_NOISE_SEED);
                double[] vognMeanP = onGrid.probability(posterior.mean());
                double[][] samples = onGrid.sampledProbabilities(posterior, BOUNDARY_SAMPLES, PREDICT_NOISE_SEED);
                adamSummary = new Summary(accuracy(onData.probability(adamState.params()), data.labels()),
                        meanWhere(adamH, distance, 0, NEAR), meanWhere(adamH, distance, FAR, Double.POSITIVE_INFINITY));
                vognSummary = new Summary(
                        accuracy(onData.predictive(posterior, PREDICTIVE_SAMPLES, PREDICT_NOISE_SEED).probability(), data.labels()),
                        meanWhere(vognPred.entropy(), distance, 0, NEAR),
                        meanWhere(vognPred.entropy(), distance, FAR, Double.POSITIVE_INFINITY));
                ToyFrame frame = new ToyFrame(t, data, grid, adamP, vognMeanP, samples, adamH, vognPred.entropy(),
                        PREDICTIVE_SAMPLES);
                last = frame.render();
                gif.addFrame(last);
                frames++;
                console.printf(Locale.ROOT, "step %4d/%d  loss adam %.4f vogn %.4f  train acc adam %.3f vogn %.3f  "
                                + "entropy near/far adam %.3f/%.3f vogn %.3f/%.3f  %.1f s%n",
                        t, p.steps(), adamLoss, vognLoss, adamSummary.trainAccuracy(), vognSummary.trainAccuracy(),
                        adamSummary.entropyNearData(), adamSummary.entropyFarFromData(), vognSummary.entropyNearData(),
                        vognSummary.entropyFarFromData(), (System.nanoTime() - started) / 1e9);
            }
            gif.finish();
        }
        ChartPng.write(last, pngPath);

        ObjectNode json = JSON.createObjectNode();
        json.put("steps", p.steps()).put("frames", frames);
        json.set("adam", adamSummary.toJson());
        json.set("vogn", vognSummary.toJson());
        json.put("near_data_grid_points", countWhere(distance, 0, NEAR))
                .put("far_from_data_grid_points", countWhere(distance, FAR, Double.POSITIVE_INFINITY));
        ObjectNode settings = json.putObject("settings");
        settings.putObject("data").put("blobs", BLOBS).put("points_per_blob", PER_BLOB).put("blob_std", BLOB_STD)
                .put("centre_box", BOX).put("seed", DATA_SEED).put("class_1_blobs", "3-4").put("batch_size", BATCH)
                .put("batch_order", "fixed");
        settings.set("model", spec.toJson());
        settings.put("dtype", DTYPE.toString()).put("init_seed", INIT_SEED).put("train_noise_seed", TRAIN_NOISE_SEED)
                .put("predict_noise_seed", PREDICT_NOISE_SEED);
        settings.set("adam", adamParams.toJson());
        settings.set("vogn", vognParams.toJson());
        settings.putObject("plot").put("grid_step", p.gridStep()).put("grid_margin", GRID_MARGIN).put("grid_nx", grid.nx())
                .put("grid_ny", grid.ny()).put("vogn_predictive_mc_samples", PREDICTIVE_SAMPLES)
                .put("vogn_boundary_samples", BOUNDARY_SAMPLES).put("near_distance", NEAR).put("far_distance", FAR)
                .put("frame_every_steps", FRAME_EVERY).put("gif_frame_delay_ms", 1000);
        settings.put("entropy_unit", "nats");
        AtomicFiles.write(jsonPath, temp -> JSON.writeValue(temp.toFile(), json));
        console.printf(Locale.ROOT, "toy: wrote %s, %s, %s%n", gifPath, pngPath, jsonPath);
        return new Result(gifPath, pngPath, jsonPath, frames, adamSummary, vognSummary);
    }

    static double[] entropies(double[] p) {
        double[] h = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            h[i] = PointPredictor.entropy(p[i]);
        }
        return h;
    }

    /** Fraction of points with (p ≥ 0.5) == (label == 1). */
    static double accuracy(double[] p, int[] labels) {
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            if ((p[i] >= 0.5) == (labels[i] == 1)) {
                right++;
            }
        }
        return (double) right / p.length;
    }

    /** Mean of values[i] over the i with lo ≤ distance[i] ≤ hi (lo &gt; 0: strictly above lo); NaN when there are none. */
    static double meanWhere(double[] values, double[] distance, double lo, double hi) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (inBand(distance[i], lo, hi)) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static int countWhere(double[] distance, double lo, double hi) {
        int n = 0;
        for (double d : distance) {
            if (inBand(d, lo, hi)) {
                n++;
            }
        }
        return n;
    }

    private static boolean inBand(double d, double lo, double hi) {
        return (lo == 0 ? d >= 0 : d > lo) && d <= hi;
    }
}
