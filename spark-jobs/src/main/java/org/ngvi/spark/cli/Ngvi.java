package org.ngvi.spark.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.cifar.PrepareCifarJob;
import org.ngvi.prep.imagefolder.PrepareImageFolderJob;
import org.ngvi.spark.demo.DemoJob;
import org.ngvi.spark.eval.EvaluateJob;
import org.ngvi.spark.score.ScoreJob;
import org.ngvi.spark.transform.TransformJob;
import org.ngvi.spark.toy.ToyJob;
import org.ngvi.spark.train.TrainJob;

/**
 * {@code ngvi SUBCOMMAND ARGS...}: runs the main class of a subcommand in this JVM. Each of
 * them is also a spark-submit {@code --class}:
 * <pre>
 * ngvi prepare idx ...    org.ngvi.prep.PrepareIdxJob
 * ngvi prepare cifar ...  org.ngvi.prep.cifar.PrepareCifarJob
 * ngvi prepare imagefolder ...  org.ngvi.prep.imagefolder.PrepareImageFolderJob
 * ngvi train ...        org.ngvi.spark.train.TrainJob
 * ngvi evaluate ...     org.ngvi.spark.eval.EvaluateJob
 * ngvi score ...        org.ngvi.spark.score.ScoreJob
 * ngvi prepare transform ...  org.ngvi.spark.transform.TransformJob
 * ngvi demo ...         org.ngvi.spark.demo.DemoJob
 * ngvi toy ...          org.ngvi.spark.toy.ToyJob
 * ngvi export-dl4j ...  org.ngvi.spark.interop.ExportDl4jJob
 * </pre>
 * Bad input (usage, config, data files) ends with the error's message on stderr and exit code 2.
 */
public final class Ngvi {
    private Ngvi() {
    }

    @FunctionalInterface
    private interface Main {
        void run(String[] args) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Main> commands = new LinkedHashMap<>();
        commands.put("prepare idx", PrepareIdxJob::main);
        commands.put("prepare cifar", PrepareCifarJob::main);
        commands.put("prepare imagefolder", PrepareImageFolderJob::main);
        commands.put("train", TrainJob::main);
        commands.put("evaluate", EvaluateJob::main);
        commands.put("score", ScoreJob::main);
        commands.put("prepare transform", TransformJob::main);
        commands.put("demo", DemoJob::main);
        commands.put("toy", ToyJob::main);
        commands.put("export-dl4j", org.ngvi.spark.interop.ExportDl4jJob::main);
        commands.put("continual", org.ngvi.spark.continual.ContinualJob::main);
        for (Map.Entry<String, Main> c : commands.entrySet()) {
            String[] words = c.getKey().split(" ");
            if (args.length >= words.length && Arrays.equals(Arrays.copyOf(args, words.length), words)) {
                try {
                    c.getValue().run(Arrays.copyOfRange(args, words.length, args.length));
                } catch (IllegalArgumentException | java.io.IOException e) {
                    // bad input (usage, config, data files): the message names what and where; no stack trace
                    System.err.println("ngvi " + c.getKey() + ": " + e.getMessage());
                    System.exit(2);
                }
                return;
            }
        }
        System.err.println("usage: ngvi <command> [options]\ncommands:\n"
                + "  prepare idx --images F --labels F --out DIR [--overwrite]   IDX (MNIST format) -> Parquet\n"
                + "  prepare cifar --in DIR --out DIR [--labels fine|coarse] [--overwrite]   CIFAR-10/100 binary -> Parquet\n"
                + "  prepare imagefolder --in DIR --out DIR [--resize 256] [--crop 224] [--store pixels|encoded] [--overwrite]"
                + "   ImageNet-style folders -> Parquet\n"
                + "  prepare transform --in DIR --out DIR [--flip-vertical] [--flip-horizontal] [--invert] [--overwrite]   "
                + "flipped/inverted copy (OOD sets)\n"
                + "  train --config F --train DIR [--val DIR] --out RUNDIR [--master URL] [--set key=value]...\n"
                + "  evaluate --run RUNDIR --data DIR [--ood DIR] [--mc K | --mc-dropout K] [--plots DIR] [--out FILE] [--master URL]\n"
                + "  score --run RUNDIR --data DIR --out DIR [--mc K | --mc-dropout K] [--overwrite]   per-row predictions and uncertainty\n"
                + "  demo [--out DIR] [--epochs N] [--master URL]   Fashion-MNIST: VOGN vs Adam, end to end\n"
                + "  toy [--out DIR] [--steps N] [--grid-step H]   2D toy: VOGN vs Adam boundaries and uncertainty (GIF)\n"
                + "  continual --config F... --train DIR --test DIR --tasks T --out DIR [--methods LIST]   permuted-task continual learning\n"
                + "  export-dl4j --run RUNDIR --out FILE.zip [--dtype float|double] [--overwrite]   posterior mean as a DL4J model");
        System.exit(args.length == 0 || args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
    }
}
