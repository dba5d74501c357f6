package org.ngvi.spark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * {@code ngvi ARGS...} run as {@code bin/ngvi} runs it ({@link Ngvi#execute}), with the exit code and
 * the output returned instead of ending the JVM.
 *
 * @param code the exit code
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record NgviRun(int code, String out, String err) {
    public static NgviRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ngvi.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new NgviRun(code, out.toString(), err.toString());
    }
}
