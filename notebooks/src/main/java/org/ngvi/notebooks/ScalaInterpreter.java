package org.ngvi.notebooks;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * A Scala 2.12 REPL as Zeppelin's Spark interpreter sets it up: {@code IMain} with
 * {@code -usejavacp -Yrepl-class-based -Yrepl-outdir DIR} (DIR must be the session's
 * {@code spark.repl.class.outputDir}, so executors load the classes each paragraph compiles), and
 * {@code spark}, {@code sc} and {@code sqlContext} bound as {@code @transient} values, and Zeppelin's
 * imports ({@link #ZEPPELIN_IMPORTS}: {@code spark.implicits._}, {@code spark.sql}, the SQL
 * functions). Zeppelin's {@code z} (ZeppelinContext) is not bound: the notes print {@code %html}
 * and use {@code %spark.sql} paragraphs for tables instead. Everything a paragraph prints,
 * through Scala's {@code Console} and the REPL's own echo, is captured in order.
 */
public final class ScalaInterpreter implements AutoCloseable {
    /** What Zeppelin's Spark interpreter imports before the first paragraph. */
    static final List<String> ZEPPELIN_IMPORTS = List.of("import org.apache.spark.SparkContext._", "import spark.implicits._",
            "import spark.sql", "import org.apache.spark.sql.functions._");

    private final IMain repl;
    private final Switch sink = new Switch();

    /**
     * One paragraph's outcome.
     *
     * @param success the REPL's result was {@code Success}
     * @param output  what it printed
     */
    public record Outcome(boolean success, String output) {
    }

    /**
     * Starts a REPL that compiles into {@code classDir} against the JVM's class path, with
     * {@code spark} and {@code sc} bound.
     *
     * @throws IllegalStateException the session's {@code spark.repl.class.outputDir} is not {@code classDir},
     *                               or the REPL could not bind them
     */
    public ScalaInterpreter(SparkSession spark, Path classDir) {
        String outDir = spark.sparkContext().getConf().get("spark.repl.class.outputDir", null);
        if (outDir == null || !Path.of(outDir).toAbsolutePath().equals(classDir.toAbsolutePath())) {
            throw new IllegalStateException("the SparkSession's spark.repl.class.outputDir is " + outDir + ", expected " + classDir
                    + ": executors could not load the classes the notes compile");
        }
        Settings settings = new Settings();
        settings.processArguments(JavaConverters.asScalaBuffer(List.of("-usejavacp", "-Yrepl-class-based", "-Yrepl-outdir",
                classDir.toAbsolutePath().toString())).toList(), true);
        repl = new IMain(settings, new PrintWriter(new java.io.OutputStreamWriter(sink, StandardCharsets.UTF_8), true));
        repl.initializeSynchronous();
        bind("spark", SparkSession.class.getName(), spark);
        bind("sc", SparkContext.class.getName(), spark.sparkContext());
        bind("sqlContext", org.apache.spark.sql.SQLContext.class.getName(), spark.sqlContext());
        for (String imports : ZEPPELIN_IMPORTS) {
            Outcome o = interpret(imports);
            if (!o.success()) {
                throw new IllegalStateException("the Scala REPL could not run '" + imports + "': " + o.output());
            }
        }
    }

    private void bind(String name, String type, Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sink.to(out);
        Results.Result r = repl.bind(name, type, value, JavaConverters.asScalaBuffer(List.of("@transient")).toList());
        sink.to(OutputStream.nullOutputStream());
        if (!(r instanceof Results.Success$)) {
            throw new IllegalStateException("the Scala REPL could not bind " + name + ": " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** Interprets one paragraph's code; fails (not throws) on compile errors, exceptions and incomplete input. */
    public Outcome interpret(String code) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sink.to(out);
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        Results.Result r;
        try (PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            t.setContextClassLoader(repl.classLoader());
            r = scala.Console$.MODULE$.withOut(console, () -> repl.interpret(code));
            console.flush();
        } finally {
            t.setContextClassLoader(previous);
            sink.to(OutputStream.nullOutputStream());
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (r instanceof Results.Incomplete$) {
            return new Outcome(false, text + "\nincomplete input: the paragraph ends inside an expression or block");
        }
        return new Outcome(r instanceof Results.Success$, text);
    }

    @Override
    public void close() {
        repl.close();
    }

    /** An output stream whose target changes per paragraph. */
    private static final class Switch extends OutputStream {
        private volatile OutputStream target = OutputStream.nullOutputStream();

        void to(OutputStream t) {
            target = t;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            target.write(b, off, len);
        }
    }
}
