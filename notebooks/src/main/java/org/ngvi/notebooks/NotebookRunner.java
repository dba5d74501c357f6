package org.ngvi.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Runs Zeppelin notes in order, paragraph by paragraph, as Zeppelin's Spark interpreter group would:
 * <ul>
 *   <li>{@code %spark} (and {@code %spark.spark}): Scala, through one {@link ScalaInterpreter} for all notes the
 *       runner runs, as Zeppelin's default "globally shared" binding of the Spark interpreter has it (one
 *       SparkContext, one REPL; the REPL's line classes then never collide in the executors' class loader).
 *       Each shipped note defines everything it uses, so it also runs alone;</li>
 *   <li>{@code %spark.sql}: each {@code ;}-separated statement through {@code spark.sql}, its rows (at
 *       most {@value #MAX_RESULT}) as a {@code TABLE} message;</li>
 *   <li>{@code %md}: Markdown rendered to an {@code HTML} message (a {@code markdown-body} div).</li>
 * </ul>
 * A paragraph that fails stops the note with a {@link ParagraphFailure} naming the note, the
 * paragraph and the interpreter's message; the note is still written with the results so far.
 * Every executed note is written to the output folder under its file name with Zeppelin's
 * {@code results} filled in, so it imports into Zeppelin showing its outputs.
 * <pre>
 * notebooks/run [--out DIR] [NOTE.zpln ...]     (default: every note in notebooks/, written to notebooks/target/notebooks)
 * </pre>
 */
public final class NotebookRunner implements AutoCloseable {
    /** Rows a {@code %spark.sql} paragraph shows, as Zeppelin's {@code zeppelin.spark.maxResult}. */
    public static final int MAX_RESULT = 1000;
    private static final DateTimeFormatter ZEPPELIN_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final SparkSession spark;
    private final Path classDir;
    private final java.io.PrintStream progress;
    private ScalaInterpreter scala; // started at the first %spark paragraph
    private final Parser markdown = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private final HtmlRenderer html = HtmlRenderer.builder().extensions(List.of(TablesExtension.create())).build();

    /**
     * @param spark    the session the notes use; its {@code spark.repl.class.outputDir} must be {@code classDir}
     * @param classDir where the REPL writes the classes it compiles
     */
    public NotebookRunner(SparkSession spark, Path classDir) {
        this(spark, classDir, null);
    }

    /** As above, printing one line per paragraph run (note, paragraph, seconds) to {@code progress}. */
    public NotebookRunner(SparkSession spark, Path classDir, java.io.PrintStream progress) {
        this.spark = spark;
        this.classDir = classDir;
        this.progress = progress;
    }

    /** The session builder a runner needs: {@code master}, no UI, and the REPL's class folder for the executors. */
    public static SparkSession.Builder session(String master, Path classDir) {
        return SparkSession.builder().master(master).appName("ngvi-notebooks")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.repl.class.outputDir", classDir.toAbsolutePath().toString());
    }

    /**
     * Runs every paragraph of {@code note} in order and writes the executed note into {@code outDir}
     * under the note's file name; returns it.
     *
     * @throws ParagraphFailure the first paragraph that failed
     */
    public ZeppelinNote run(ZeppelinNote note, Path outDir) throws IOException {
        Path written = outDir.resolve(note.file().getFileName());
        for (ZeppelinNote.Paragraph p : note.paragraphs()) {
            String started = LocalDateTime.now().format(ZEPPELIN_DATE);
            long t0 = System.nanoTime();
            List<ParagraphOutput.Message> messages = new ArrayList<>();
            String failure = null;
            Throwable cause = null;
            try {
                switch (p.interpreter()) {
                    case "%spark", "%spark.spark" -> {
                        if (scala == null) {
                            scala = new ScalaInterpreter(spark, classDir);
                        }
                        ScalaInterpreter.Outcome o = scala.interpret(p.code());
                        messages.addAll(ParagraphOutput.parse(o.output()));
                        if (!o.success()) {
                            failure = o.output();
                        }
                    }
                    case "%spark.sql", "%sql" -> messages.addAll(sql(p.code()));
                    case "%md", "%markdown" -> messages.add(new ParagraphOutput.Message("HTML",
                            "<div class=\"markdown-body\">\n" + html.render(markdown.parse(p.code())) + "</div>"));
                    default -> failure = "interpreter " + p.interpreter() + " is not supported here (only %spark, %spark.sql, %md)";
                }
            } catch (RuntimeException e) {
                failure = e.toString();
                cause = e;
                messages.add(new ParagraphOutput.Message("TEXT", e.toString()));
            }
            note.setResult(p.index(), failure == null, messages, started, LocalDateTime.now().format(ZEPPELIN_DATE));
            if (progress != null) {
                progress.printf(java.util.Locale.ROOT, "%s: %s %s in %.1f s%n", note.name(), p.describe(),
                        failure == null ? "ran" : "FAILED", (System.nanoTime() - t0) / 1e9);
            }
            if (failure != null) {
                note.write(written);
                throw new ParagraphFailure(note.name(), p, failure, cause);
            }
        }
        note.write(written);
        return note;
    }

    /** The statements of a {@code %spark.sql} paragraph, each one's rows as a TABLE message. */
    List<ParagraphOutput.Message> sql(String code) {
        List<ParagraphOutput.Message> out = new ArrayList<>();
        for (String statement : SqlStatements.split(code)) {
            Dataset<Row> df = spark.sql(statement);
            List<String> header = Arrays.asList(df.columns());
            if (header.isEmpty()) {
                continue; // DDL: no result table
            }
            List<Row> rows = df.limit(MAX_RESULT + 1).collectAsList();
            List<List<Object>> cells = new ArrayList<>();
            for (Row r : rows.subList(0, Math.min(rows.size(), MAX_RESULT))) {
                List<Object> c = new ArrayList<>();
                for (int i = 0; i < r.length(); i++) {
                    c.add(r.get(i));
                }
                cells.add(c);
            }
            out.add(ParagraphOutput.table(header, cells));
            if (rows.size() > MAX_RESULT) {
                out.add(new ParagraphOutput.Message("HTML", "<font color=red>Results are limited by " + MAX_RESULT + ".</font>"));
            }
        }
        return out;
    }

    /** Stops the REPL (the session stays with its owner). */
    @Override
    public void close() {
        if (scala != null) {
            scala.close();
            scala = null;
        }
    }

    /** Runs {@code notes} in order, stopping at the first failure. */
    public List<ZeppelinNote> runAll(List<Path> notes, Path outDir) throws IOException {
        List<ZeppelinNote> out = new ArrayList<>();
        for (Path n : notes) {
            out.add(run(ZeppelinNote.read(n), outDir));
        }
        return out;
    }

    /** The {@code .zpln} files of {@code dir}, sorted by name (the order they are meant to be read in). */
    public static List<Path> notesIn(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".zpln")).sorted().toList();
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("notebooks/target/notebooks");
        List<Path> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + args[i] + "\nusage: notebooks/run [--out DIR] [NOTE.zpln ...]");
            } else {
                notes.add(Path.of(args[i]));
            }
        }
        if (notes.isEmpty()) {
            notes = notesIn(Path.of("notebooks"));
        }
        Path classDir = Files.createTempDirectory("ngvi-repl-classes-");
        SparkSession spark = session(System.getProperty("spark.master", "local[*]"), classDir).getOrCreate();
        try (NotebookRunner runner = new NotebookRunner(spark, classDir, System.out)) {
            for (ZeppelinNote n : runner.runAll(notes, out)) {
                System.out.println("ran " + n.file() + ": " + n.paragraphs().size() + " paragraphs; wrote " + out.resolve(n.file().getFileName()));
            }
        } finally {
            spark.stop();
            try (var files = Files.walk(classDir)) { // the REPL's compiled classes
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
