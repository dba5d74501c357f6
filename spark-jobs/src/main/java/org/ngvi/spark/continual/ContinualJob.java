package org.ngvi.spark.continual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ngvi.cli.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Continual learning on permuted tasks ({@link ContinualRun}): each method's config trains T tasks
 * one after another and is tested on every task seen.
 * <pre>
 * spark-submit --class org.ngvi.spark.continual.ContinualJob ngvi-spark-jobs-0.1.0-SNAPSHOT-all.jar \
 *   --config configs/continual_pfmnist_vogn.json --config configs/continual_pfmnist_vogn_coreset.json \
 *   --config configs/continual_pfmnist_ewc.json --config configs/continual_pfmnist_adam.json \
 *   --train data/fashion-mnist/train --test data/fashion-mnist/test --tasks 10 --out runs/continual \
 *   [--methods vogn,ewc] [--set epochs=2] [--set ewc:optim_args.ewc_lambda=100] [--overwrite]
 * </pre>
 * Writes {@code OUT/continual.json} (after every task), {@code OUT/average_accuracy.png} and
 * {@code OUT/accuracy_METHOD.png}. Bad input (a config, a method, {@code --tasks}, the sets'
 * shapes) is an error before any training.
 */
@Command(name = "continual", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Continual learning on permuted tasks: every method trains tasks 1..T and is tested on all tasks seen.")
public final class ContinualJob implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "F",
            description = "a method's config (with continual_method); repeat for each method")
    private List<Path> configs = new ArrayList<>();

    @Option(names = "--train", required = true, paramLabel = "DIR", description = "prepared training set (one channel)")
    private Path train;

    @Option(names = "--test", required = true, paramLabel = "DIR", description = "prepared test set of the same shape")
    private Path test;

    @Option(names = "--tasks", required = true, paramLabel = "T", description = "number of tasks (>= 1)")
    private int tasks;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
    private Path out;

    @Option(names = "--methods", split = ",", paramLabel = "LIST",
            description = "methods to run, in this order (default: every method a --config gives): vogn, vogn_coreset, ewc, adam")
    private List<String> methods;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*])")
    private String master;

    @Option(names = "--set", paramLabel = "[METHOD:]key=value",
            description = "config override, for every method or only METHOD's")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--overwrite", description = "replace the results of an earlier run in --out")
    private boolean overwrite;

    /**
     * A validated command line.
     *
     * @param configs   the configs of the methods to run, in run order
     * @param train     prepared training set
     * @param test      prepared test set
     * @param tasks     T ≥ 1
     * @param out       output folder
     * @param master    Spark master, or {@code null}
     * @param overwrite replace an earlier {@code continual.json}
     */
    public record Params(List<ContinualConfig> configs, Path train, Path test, int tasks, Path out, String master,
                         boolean overwrite) {
        public Params {
            configs = List.copyOf(configs);
            if (configs.isEmpty()) {
                throw new IllegalArgumentException("--config: at least one method's config is needed");
            }
            if (tasks < 1) {
                throw new IllegalArgumentException("--tasks: expected a number of tasks >= 1, got " + tasks);
            }
            if (!overwrite && Files.exists(out.resolve(ContinualRun.RESULT))) {
                throw new IllegalArgumentException("--out " + out + ": holds " + ContinualRun.RESULT
                        + " of an earlier run (pass --overwrite to replace it)");
            }
        }
    }

    /** Parses and validates {@code args}: configs read and checked, methods resolved. */
    public static Params parse(String[] args) throws IOException {
        ContinualJob cmd = new ContinualJob();
        CommandLine cl = new CommandLine(cmd);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + cl.getUsageMessage());
        }
        if (cl.isUsageHelpRequested()) {
            return null;
        }
        return cmd.params();
    }

    private Params params() throws IOException {
        if (tasks < 1) {
            throw new IllegalArgumentException("--tasks: expected a number of tasks >= 1, got " + tasks);
        }
        Map<ContinualMethod, ContinualConfig> byMethod = new LinkedHashMap<>();
        for (Path f : configs) {
            ContinualConfig c = ContinualConfig.load(f, overrides);
            ContinualConfig earlier = byMethod.put(c.method(), c);
            if (earlier != null) {
                throw new IllegalArgumentException("--config " + f + ": continual_method \"" + c.method().configName()
                        + "\" is also the method of " + earlier.source() + " (one config per method)");
            }
        }
        List<ContinualConfig> run = new ArrayList<>();
        if (methods == null) {
            run.addAll(byMethod.values());
        } else {
            for (String name : methods) {
                ContinualMethod m = ContinualMethod.of(name.trim());
                ContinualConfig c = byMethod.get(m);
                if (c == null) {
                    throw new IllegalArgumentException("--methods: no --config has continual_method \"" + m.configName()
                            + "\" (the configs give " + byMethod.keySet().stream().map(ContinualMethod::configName).toList() + ")");
                }
                if (run.contains(c)) {
                    throw new IllegalArgumentException("--methods: \"" + m.configName() + "\" is listed twice");
                }
                run.add(c);
            }
        }
        long seed = run.get(0).train().seed();
        Integer partitions = run.get(0).train().partitions();
        for (ContinualConfig c : run) {
            if (c.train().seed() != seed || !java.util.Objects.equals(c.train().partitions(), partitions)) {
                throw new IllegalArgumentException(c.source() + ": seed " + c.train().seed() + " and partitions "
                        + c.train().partitions() + " differ from " + run.get(0).source() + "'s (" + seed + ", " + partitions
                        + "): every method must see the same tasks in the same partitions");
            }
        }
        return new Params(run, train, test, tasks, out, master, overwrite);
    }

    /** Runs the parsed command (picocli; {@code ngvi continual}). */
    @Override
    public Integer call() throws IOException {
        Params p = params();
        SparkSessions.run("ngvi-continual", p.master(), spark -> ContinualRun.run(spark, p, System.out));
        return 0;
    }

    /** spark-submit entry point: {@code ngvi continual}; bad input exits with code 2. */
    public static void main(String[] args) {
        org.ngvi.cli.Cli.main("ngvi continual", new ContinualJob(), args);
    }
}
