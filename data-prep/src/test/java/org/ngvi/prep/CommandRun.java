package org.ngvi.prep;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.ngvi.cli.Cli;

/**
 * A command run as its spark-submit {@code main} runs it ({@link Cli#main}), with the exit code and
 * the output returned instead of ending the JVM.
 *
 * @param code the exit code
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record CommandRun(int code, String out, String err) {
    /** Runs {@code command} named {@code name} (e.g. {@code "ngvi prepare idx"}) on {@code args}. */
    public static CommandRun of(String name, Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(Cli.commandLine(command).setCommandName(name), new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRun(code, out.toString(), err.toString());
    }
}
