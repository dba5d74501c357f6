package org.ngvi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class CliTest {
    /** A job-like command: required and defaulted options, the shared mixins, failures on request. */
    @Command(name = "job", description = "a test job")
    static final class Job implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--in", required = true, paramLabel = "DIR", description = "input")
        String in;
        @Option(names = "--steps", paramLabel = "N", defaultValue = "500", converter = Converters.PositiveInt.class,
                description = "steps")
        int steps;
        @Option(names = "--fail", paramLabel = "KIND", description = "arg, io, missing, validation or bug")
        String fail;
        @Mixin
        SparkMasterOption master;
        @Mixin
        OverwriteOption overwrite;
        @Mixin
        PartitionsOption partitions;
        @Mixin
        ConfigOverrideOptions overrides;
        boolean ran;

        @Override
        public Integer call() throws IOException {
            if ("validation".equals(fail)) {
                Cli.validated(spec, () -> {
                    throw new IllegalArgumentException("--in " + in + " must differ from --out");
                });
            }
            if ("arg".equals(fail)) {
                throw new IllegalArgumentException(in + ": not a data set");
            }
            if ("io".equals(fail)) {
                throw new IOException(in + ": exists; pass --overwrite");
            }
            if ("missing".equals(fail)) {
                throw new java.nio.file.NoSuchFileException(in);
            }
            if ("bug".equals(fail)) {
                throw new IllegalStateException("a bug");
            }
            ran = true;
            return 0;
        }
    }

    @Command(name = "top")
    static final class Top {
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(cl, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Cli.commandLine(new Job()).setCommandName("ngvi job"), args);
    }

    @Test
    void parsesEveryOptionAndTheMixins() {
        Job j = Cli.parse(new Job(), "--in", "d", "--steps=7", "--master", "local[2]", "--overwrite", "--partitions", "3",
                "--set", "a=1", "--set=b.c=x");
        assertEquals("d", j.in);
        assertEquals(7, j.steps);
        assertEquals("local[2]", j.master.master());
        assertTrue(j.overwrite.overwrite());
        assertEquals(3, j.partitions.orAuto());
        assertEquals(List.of("a=1", "b.c=x"), j.overrides.overrides());
        Job d = Cli.parse(new Job(), "--in", "d");
        assertEquals(500, d.steps);
        assertEquals(null, d.master.master());
        assertFalse(d.overwrite.overwrite());
        assertEquals(0, d.partitions.orAuto());
        assertEquals(List.of(), d.overrides.overrides());
    }

    @Test
    void successRunsTheCommandWithExitCodeZero() {
        Job j = new Job();
        Run r = run(Cli.commandLine(j), "--in", "d");
        assertEquals(0, r.code(), r.err());
        assertTrue(j.ran);
    }

    @Test
    void unknownOptionIsExitCode2NamingTheOptionWithUsage() {
        Run r = run("--in", "d", "--stpes", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown options: '--stpes', '3'"), r.err());
        assertTrue(r.err().contains("Possible solutions: --steps"), r.err());
        assertTrue(r.err().contains("Usage: ngvi job"), r.err());
        Run misspeltRequired = run("--inn", "d");
        assertEquals(2, misspeltRequired.code());
        assertTrue(misspeltRequired.err().startsWith("Unknown options: '--inn', 'd'"), "the unknown name first: " + misspeltRequired.err());
        assertTrue(misspeltRequired.err().contains("Missing required option: '--in=DIR'"), misspeltRequired.err());
    }

    @Test
    void malformedOrOutOfRangeValueIsExitCode2NamingTheOption() {
        Run bad = run("--in", "d", "--steps", "many");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("Invalid value for option '--steps': expected a positive integer, found 'many'"), bad.err());
        Run zero = run("--in", "d", "--partitions", "0");
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("Invalid value for option '--partitions': expected a positive integer, found 0"), zero.err());
        Run missing = run("--steps", "3");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required option: '--in=DIR'"), missing.err());
        Run twice = run("--in", "a", "--in", "b");
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("option '--in' (DIR) should be specified only once"), twice.err());
        Run noValue = run("--in", "--overwrite");
        assertEquals(2, noValue.code());
        assertTrue(noValue.err().contains("Expected parameter for option '--in' but found '--overwrite'"), noValue.err());
    }

    @Test
    void validationFailureIsAUsageError() {
        Run r = run("--in", "d", "--fail", "validation");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("--in d must differ from --out"), r.err());
        assertTrue(r.err().contains("Usage: ngvi job"), r.err());
        ParameterException e = assertThrows(ParameterException.class, () -> Cli.parse(new Job(), "--in"));
        assertTrue(e.getMessage().contains("--in"), e.getMessage());
    }

    @Test
    void badInputFromTheJobIsOneLineNamingTheCommandWithExitCode2() {
        Run arg = run("--in", "d", "--fail", "arg");
        assertEquals(2, arg.code());
        assertEquals("ngvi job: d: not a data set", arg.err().strip());
        Run io = run("--in", "d", "--fail", "io");
        assertEquals(2, io.code());
        assertEquals("ngvi job: d: exists; pass --overwrite", io.err().strip());
        Run missing = run("--in", "config.json", "--fail", "missing");
        assertEquals(2, missing.code());
        assertEquals("ngvi job: config.json: no such file or directory", missing.err().strip(), "java.nio's bare path gets its reason");
        Run bug = run("--in", "d", "--fail", "bug");
        assertEquals(1, bug.code());
        assertTrue(bug.err().contains("IllegalStateException: a bug"), "a bug keeps its stack trace: " + bug.err());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        Run r = run("--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: ngvi job"), r.out());
        for (String option : List.of("--in=DIR", "--steps=N", "--master=URL", "--overwrite", "--partitions=N", "--set=key=value",
                "--help", "--version")) {
            assertTrue(r.out().contains(option), option + " in " + r.out());
        }
        assertTrue(r.out().contains("Default: 500"), r.out());
        assertFalse(r.out().contains("Default: null"), "options without a default show none: " + r.out());
    }

    @Test
    void versionShowsTheRevisionFromTheGeneratedProperties() throws IOException {
        Properties generated = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(BuildInfo.RESOURCE)) {
            generated.load(in);
        }
        String revision = generated.getProperty("revision");
        assertTrue(revision.matches("[0-9a-f]{40}") || revision.equals(BuildInfo.UNKNOWN), "a commit id or unknown: " + revision);
        Run r = run("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("ngvi " + generated.getProperty("version") + "\n"), r.out());
        assertTrue(r.out().contains("git revision " + revision), r.out());
        assertTrue(r.out().contains("built " + generated.getProperty("build.time")), r.out());

        CommandLine tree = new CommandLine(new Top()).addSubcommand("job", new Job());
        Run sub = run(Cli.configure(tree), "job", "--version");
        assertEquals(0, sub.code(), sub.err());
        assertTrue(sub.out().contains("git revision " + revision), "subcommands are configured too: " + sub.out());
        Run subError = run(Cli.configure(new CommandLine(new Top()).addSubcommand("job", new Job())), "job", "--in", "d",
                "--fail", "arg");
        assertEquals("top job: d: not a data set", subError.err().strip());
    }
}
