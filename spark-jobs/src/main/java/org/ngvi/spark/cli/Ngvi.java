package org.ngvi.spark.cli;

import java.io.PrintWriter;
import org.ngvi.cli.Cli;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.cifar.PrepareCifarJob;
import org.ngvi.prep.imagefolder.PrepareImageFolderJob;
import org.ngvi.spark.demo.DemoJob;
import org.ngvi.spark.eval.EvaluateJob;
import org.ngvi.spark.interop.ExportDl4jJob;
import org.ngvi.spark.score.ScoreJob;
import org.ngvi.spark.toy.ToyJob;
import org.ngvi.spark.train.TrainJob;
import org.ngvi.spark.transform.TransformJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ngvi SUBCOMMAND ARGS...} ({@code bin/ngvi}): the picocli top command whose subcommands are
 * the jobs' commands, run in this JVM. Each job is also a spark-submit {@code --class}:
 * <pre>
 * ngvi prepare idx ...          org.ngvi.prep.PrepareIdxJob
 * ngvi prepare cifar ...        org.ngvi.prep.cifar.PrepareCifarJob
 * ngvi prepare imagefolder ...  org.ngvi.prep.imagefolder.PrepareImageFolderJob
 * ngvi prepare transform ...    org.ngvi.spark.transform.TransformJob
 * ngvi train ...                org.ngvi.spark.train.TrainJob
 * ngvi evaluate ...             org.ngvi.spark.eval.EvaluateJob
 * ngvi score ...                org.ngvi.spark.score.ScoreJob
 * ngvi export-dl4j ...          org.ngvi.spark.interop.ExportDl4jJob
 * ngvi toy ...                  org.ngvi.spark.toy.ToyJob
 * ngvi demo ...                 org.ngvi.spark.demo.DemoJob
 * ngvi continual ...            org.ngvi.spark.continual.ContinualJob
 * </pre>
 * {@code ngvi --help} lists the commands, {@code ngvi CMD --help} a command's options with their
 * defaults, {@code --version} (anywhere) the build's version and git revision. Bad input (usage,
 * config, data files, a bad data row) ends with the message on stderr and exit code 2
 * ({@link Cli}); a training run stopped by non-finite numbers
 * ({@link org.ngvi.spark.train.NonFiniteException}) with its message and exit code 3.
 */
@Command(name = "ngvi", description = "Bayesian deep learning with VOGN on Spark: prepare data, train, evaluate, score, export.")
public final class Ngvi implements Runnable {
    @Spec
    private CommandSpec spec;

    /** {@code ngvi prepare SUBCOMMAND}: the data preparation jobs. */
    @Command(name = "prepare",
            description = "raw image data (IDX, CIFAR binary, image folders) or a prepared set -> Parquet + _manifest.json")
    static final class Prepare {
    }

    /** Without a subcommand: the list of commands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The whole command tree, configured by {@link Cli#configure}. */
    public static CommandLine commandLine() {
        CommandLine prepare = new CommandLine(new Prepare())
                .addSubcommand(new PrepareIdxJob.Command())
                .addSubcommand(new PrepareCifarJob.Command())
                .addSubcommand(new PrepareImageFolderJob.Command())
                .addSubcommand(new TransformJob.Command());
        CommandLine ngvi = new CommandLine(new Ngvi())
                .addSubcommand(prepare)
                .addSubcommand(new TrainJob.Command())
                .addSubcommand(new EvaluateJob.Command())
                .addSubcommand(new ScoreJob.Command())
                .addSubcommand(new ExportDl4jJob.Command())
                .addSubcommand(new ToyJob.Command())
                .addSubcommand(new DemoJob.Command())
                .addSubcommand(new org.ngvi.spark.continual.ContinualJob());
        return Cli.configure(ngvi);
    }

    /**
     * Runs {@code ngvi args...} with the given output streams.
     *
     * @return the exit code: 0, 2 for bad input, 1 for other failures
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return Cli.execute(commandLine(), out, err, args);
    }

    public static void main(String[] args) {
        Cli.exitUnlessZero(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
