package org.ngvi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds and runs ngvi's picocli commands, one way for all of them.
 * <ul>
 *   <li>Every command gets {@code -h/--help} (usage with each option's default) and
 *       {@code -V/--version} ({@link VersionProvider}).</li>
 *   <li>A usage error (unknown option, missing or malformed value, a value the command rejects
 *       through {@link #validated}) prints the message, which names the option, then the command's
 *       usage, to stderr: exit code {@value #EXIT_BAD_INPUT}.</li>
 *   <li>Bad input the job finds while running, an {@link IllegalArgumentException} or an
 *       {@link IOException} (a config, a data file, an existing output), prints
 *       {@code ngvi <command>: message} without a stack trace: exit code {@value #EXIT_BAD_INPUT}.
 *       An exception that is a picocli {@code IExitCodeGenerator} prints the same way and exits
 *       with its own code. Anything else is a bug and keeps its stack trace (exit code 1).</li>
 * </ul>
 * Job classes keep {@code public static void main} for spark-submit and call {@link #main}.
 */
public final class Cli {
    /** Exit code of bad input: usage errors and input the job rejects. */
    public static final int EXIT_BAD_INPUT = 2;

    private Cli() {
    }

    /** A command line for {@code command} (an object with picocli annotations), configured as above. */
    public static CommandLine commandLine(Object command) {
        return configure(new CommandLine(command));
    }

    /**
     * Configures {@code cl} and, recursively, the subcommands it has now: standard help and version
     * options, defaults shown in the usage, bad input handled as in the class comment.
     *
     * @return {@code cl}
     */
    public static CommandLine configure(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        spec.versionProvider(new VersionProvider());
        spec.usageMessage().showDefaultValues(true);
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            // picocli reports a missing required option before an unknown one; a misspelt required
            // option (--imgs for --images) is both, and the unknown name is what the user needs to see
            List<String> unmatched = failed.getUnmatchedArguments();
            if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
                UnmatchedArgumentException unknown = new UnmatchedArgumentException(failed, unmatched);
                err.println(unknown.getMessage());
                UnmatchedArgumentException.printSuggestions(unknown, err);
            }
            err.println(e.getMessage());
            UnmatchedArgumentException.printSuggestions(e, err);
            failed.usage(err);
            err.flush();
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof CommandLine.IExitCodeGenerator code) { // a failure with an exit code of its own
                failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + message(e));
                failed.getErr().flush();
                return code.getExitCode();
            }
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof UncheckedIOException) {
                failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + message(e));
                failed.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            throw e;
        });
        for (CommandLine sub : cl.getSubcommands().values()) {
            configure(sub);
        }
        return cl;
    }

    /**
     * The message of a bad-input exception; java.nio's file exceptions carry only the path, so
     * they get what went wrong with it.
     */
    static String message(Exception e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    /**
     * Parses {@code args} into {@code command} and runs it.
     *
     * @return the exit code: 0, {@value #EXIT_BAD_INPUT} for bad input, 1 for other failures
     */
    public static int execute(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * A spark-submit {@code main}: runs {@code command} as {@code name} (how usage and errors call it,
     * e.g. {@code "ngvi prepare idx"}) on stdout/stderr; exits the JVM only when the code is not 0,
     * so that a cluster-mode driver ends as Spark expects after success.
     */
    public static void main(String name, Object command, String[] args) {
        CommandLine cl = commandLine(command).setCommandName(name);
        exitUnlessZero(execute(cl, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Ends the JVM with {@code code} unless it is 0. */
    public static void exitUnlessZero(int code) {
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Parses {@code args} into {@code command} without running it (tests, and callers that build
     * params records from arguments).
     *
     * @return {@code command}, its options set
     * @throws ParameterException a usage error naming the option
     */
    public static <T> T parse(T command, String... args) {
        commandLine(command).parseArgs(args);
        return command;
    }

    /**
     * Builds a command's params (typically a record whose constructor or {@code validate()} checks
     * the values together), turning an {@link IllegalArgumentException} into a usage error of the
     * command, so that it is reported with the usage and exit code {@value #EXIT_BAD_INPUT}.
     *
     * @param spec the command's {@code @Spec}
     */
    public static <T> T validated(CommandSpec spec, Supplier<T> params) {
        try {
            return params.get();
        } catch (ParameterException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
