package org.ngvi.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.cli.BuildInfo;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.prep.cifar.CifarLabel;
import org.ngvi.prep.cifar.PrepareCifarParams;
import org.ngvi.prep.imagefolder.ImageStore;
import org.ngvi.prep.imagefolder.PrepareImageFolderParams;
import org.ngvi.spark.demo.DemoJob;
import org.ngvi.spark.eval.EvaluateJob;
import org.ngvi.spark.interop.ExportDl4jJob;
import org.ngvi.spark.score.ScoreJob;
import org.ngvi.spark.toy.ToyJob;
import org.ngvi.spark.train.TrainJob;
import org.ngvi.spark.transform.PixelTransform;
import org.ngvi.spark.transform.TransformJob;
import picocli.CommandLine;

/** The {@code ngvi} command tree: every README command line parses into its job's params; help, version, exit codes. */
class NgviTest {
    /** The command object {@code ngvi args...} selects, its options parsed (nothing runs). */
    private static Object parsed(String... args) {
        CommandLine.ParseResult r = Ngvi.commandLine().parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec().userObject();
    }

    @Test
    void everyReadmeCommandLineParsesIntoItsParams() {
        assertEquals(new PrepareIdxParams("i.gz", "l.gz", "data/fmnist/train", true, 3),
                ((org.ngvi.prep.PrepareIdxJob.Command) parsed("prepare", "idx", "--images", "i.gz", "--labels", "l.gz",
                        "--out", "data/fmnist/train", "--overwrite", "--partitions", "3")).params());
        assertEquals(new PrepareCifarParams("c", "o", CifarLabel.COARSE, true, 2),
                ((org.ngvi.prep.cifar.PrepareCifarJob.Command) parsed("prepare", "cifar", "--in", "c", "--out", "o", "--labels",
                        "coarse", "--overwrite", "--partitions", "2")).params());
        assertEquals(new PrepareImageFolderParams("t", "o", 256, 224, ImageStore.ENCODED, "v.txt", true, 4, null),
                ((org.ngvi.prep.imagefolder.PrepareImageFolderJob.Command) parsed("prepare", "imagefolder", "--in", "t", "--out", "o",
                        "--resize", "256", "--crop", "224", "--store", "encoded", "--val-labels", "v.txt", "--overwrite",
                        "--partitions", "4")).params());
        assertEquals(new TransformJob.Params(Path.of("a"), Path.of("b"), new PixelTransform(true, true, true), true, null),
                ((TransformJob.Command) parsed("prepare", "transform", "--in", "a", "--out", "b", "--flip-vertical",
                        "--flip-horizontal", "--invert", "--overwrite")).params());
        assertEquals(new TrainJob.Params(Path.of("c.json"), Path.of("tr"), Path.of("va"), Path.of("runs/vogn"), "local[2]",
                        List.of("epochs=3", "optim_args.lr=0.01"), true, null),
                ((TrainJob.Command) parsed("train", "--config", "c.json", "--train", "tr", "--val", "va", "--out", "runs/vogn",
                        "--master", "local[2]", "--set", "epochs=3", "--set", "optim_args.lr=0.01", "--overwrite")).params());
        assertEquals(new TrainJob.Params(Path.of("c.json"), Path.of("tr"), null, Path.of("r"), null, List.of(), false, null),
                ((TrainJob.Command) parsed("train", "--config", "c.json", "--train", "tr", "--out", "r")).params());
        assertEquals(new TrainJob.Params(null, null, null, null, "local[2]", List.of(), false, Path.of("runs/vogn")),
                ((TrainJob.Command) parsed("train", "--resume", "runs/vogn", "--master", "local[2]")).params());
        assertEquals(new EvaluateJob.Params(Path.of("r"), Path.of("d"), 10, Path.of("e.json"), "local[2]", Path.of("o"),
                        Path.of("p"), null),
                ((EvaluateJob.Command) parsed("evaluate", "--run", "r", "--data", "d", "--ood", "o", "--mc", "10", "--plots", "p",
                        "--out", "e.json", "--master", "local[2]")).params());
        assertEquals(new EvaluateJob.Params(Path.of("r"), Path.of("d"), null, null, null, null, null, 7),
                ((EvaluateJob.Command) parsed("evaluate", "--run", "r", "--data", "d", "--mc-dropout", "7")).params());
        assertEquals(new ScoreJob.Params(Path.of("r"), Path.of("d"), Path.of("s"), 0, null, 100, 3, null, true),
                ((ScoreJob.Command) parsed("score", "--run", "r", "--data", "d", "--out", "s", "--mc", "0", "--batch", "100",
                        "--partitions", "3", "--overwrite")).params());
        assertEquals(new ScoreJob.Params(Path.of("r"), Path.of("d"), Path.of("s"), null, 5, null, null, null, false),
                ((ScoreJob.Command) parsed("score", "--run", "r", "--data", "d", "--out", "s", "--mc-dropout", "5")).params());
        assertEquals(new ExportDl4jJob.Params(Path.of("r"), Path.of("m.zip"), DataType.DOUBLE, true),
                ((ExportDl4jJob.Command) parsed("export-dl4j", "--run", "r", "--out", "m.zip", "--dtype", "double", "--overwrite"))
                        .params());
        assertEquals(new ExportDl4jJob.Params(Path.of("r"), Path.of("m.zip"), null, false),
                ((ExportDl4jJob.Command) parsed("export-dl4j", "--run", "r", "--out", "m.zip")).params());
        assertEquals(new ToyJob.Params(Path.of("t"), 100, 0.25),
                ((ToyJob.Command) parsed("toy", "--out", "t", "--steps", "100", "--grid-step", "0.25")).params());
        assertEquals(ToyJob.Params.defaults(Path.of("runs/toy")), ((ToyJob.Command) parsed("toy")).params());
        assertEquals(new DemoJob.Params(Path.of("d"), Path.of("data"), Path.of("src"), 1, "local[2]", Path.of("v.json"),
                        Path.of("a.json"), List.of("seed=2")),
                ((DemoJob.Command) parsed("demo", "--out", "d", "--data", "data", "--source", "src", "--epochs", "1", "--master",
                        "local[2]", "--vogn-config", "v.json", "--adam-config", "a.json", "--set", "seed=2")).params());
        assertEquals(new DemoJob.Params(Path.of("runs/demo"), Path.of("data/fashion-mnist"),
                        Path.of("/usr/share/datasets/fashion-mnist"), null, null, null, null, List.of()),
                ((DemoJob.Command) parsed("demo")).params());
    }

    @Test
    void helpListsTheCommandsAndEachCommandsDefaults() {
        NgviRun top = NgviRun.of("--help");
        assertEquals(0, top.code(), top.err());
        for (String c : List.of("prepare", "train", "evaluate", "score", "export-dl4j", "toy", "demo")) {
            assertTrue(top.out().contains("  " + c + " "), c + " in " + top.out());
        }
        NgviRun bare = NgviRun.of();
        assertEquals(0, bare.code(), bare.err());
        assertEquals(top.out(), bare.out(), "ngvi alone prints the same list");
        NgviRun prepare = NgviRun.of("prepare", "--help");
        for (String c : List.of("idx", "cifar", "imagefolder", "transform")) {
            assertTrue(prepare.out().contains("  " + c + " "), c + " in " + prepare.out());
        }
        NgviRun toy = NgviRun.of("toy", "--help");
        assertEquals(0, toy.code(), toy.err());
        assertTrue(toy.out().startsWith("Usage: ngvi toy"), toy.out());
        assertTrue(toy.out().contains("Default: runs/toy") && toy.out().contains("Default: 500") && toy.out().contains("Default: 0.05"),
                toy.out());
        NgviRun demo = NgviRun.of("demo", "--help");
        assertTrue(demo.out().contains("Default: /usr/share/datasets/fashion-mnist"), demo.out());
    }

    @Test
    void everyCommandsHelpRenders() {
        List<List<String>> commands = List.of(List.of(), List.of("prepare"), List.of("prepare", "idx"), List.of("prepare", "cifar"),
                List.of("prepare", "imagefolder"), List.of("prepare", "transform"), List.of("train"), List.of("evaluate"),
                List.of("score"), List.of("export-dl4j"), List.of("toy"), List.of("demo"));
        for (List<String> c : commands) {
            String[] args = java.util.stream.Stream.concat(c.stream(), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            NgviRun r = NgviRun.of(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Usage: ngvi" + (c.isEmpty() ? "" : " " + String.join(" ", c))), r.out());
        }
    }

    @Test
    void versionShowsTheRevisionFromTheGeneratedProperties() throws IOException {
        Properties generated = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(BuildInfo.RESOURCE)) {
            generated.load(in);
        }
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"train", "--version"},
                new String[] {"prepare", "idx", "-V"})) {
            NgviRun r = NgviRun.of(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("ngvi " + generated.getProperty("version")), r.out());
            assertTrue(r.out().contains("git revision " + generated.getProperty("revision")), r.out());
        }
    }

    @Test
    void usageErrorsNameTheOptionAndExitWith2() {
        NgviRun unknown = NgviRun.of("evaluate", "--run", "r", "--data", "d", "--mcc", "3");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unknown options: '--mcc', '3'"), unknown.err());
        assertTrue(unknown.err().contains("Possible solutions: --mc"), unknown.err());
        assertTrue(unknown.err().contains("Usage: ngvi evaluate"), unknown.err());
        NgviRun malformed = NgviRun.of("score", "--run", "r", "--data", "d", "--out", "o", "--batch", "ten");
        assertEquals(2, malformed.code());
        assertTrue(malformed.err().contains("Invalid value for option '--batch': expected a positive integer, found 'ten'"),
                malformed.err());
        NgviRun negative = NgviRun.of("evaluate", "--run", "r", "--data", "d", "--mc", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("Invalid value for option '--mc': expected an integer ≥ 0, found -1"), negative.err());
        NgviRun dtype = NgviRun.of("export-dl4j", "--run", "r", "--out", "m.zip", "--dtype", "half");
        assertEquals(2, dtype.code());
        assertTrue(dtype.err().contains("Invalid value for option '--dtype': --dtype must be float or double, got 'half'"), dtype.err());
        NgviRun grid = NgviRun.of("toy", "--grid-step", "2");
        assertEquals(2, grid.code());
        assertTrue(grid.err().contains("Invalid value for option '--grid-step': expected a number in (0, 1], found 2"), grid.err());
        NgviRun noCommand = NgviRun.of("trian");
        assertEquals(2, noCommand.code());
        assertTrue(noCommand.err().contains("Unmatched argument at index 0: 'trian'"), noCommand.err());
        NgviRun noSub = NgviRun.of("prepare");
        assertEquals(2, noSub.code());
        assertTrue(noSub.err().contains("Missing required subcommand"), noSub.err());
    }

    @Test
    void badInputFromAJobIsOneLineWithExitCode2(@TempDir Path tmp) throws IOException {
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, "{\"optim_name\": \"RMSprop\"}");
        NgviRun r = NgviRun.of("train", "--config", config.toString(), "--train", tmp.resolve("d").toString(), "--out",
                tmp.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("ngvi train: "), r.err());
        assertTrue(r.err().contains("RMSprop"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        NgviRun missing = NgviRun.of("train", "--config", tmp.resolve("none.json").toString(), "--train", "d", "--out", "r");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("ngvi train: ") && missing.err().contains("none.json"), missing.err());
    }
}
