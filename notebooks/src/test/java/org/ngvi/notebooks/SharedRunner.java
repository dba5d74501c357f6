package org.ngvi.notebooks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One SparkSession and one {@link NotebookRunner} (one Scala REPL, whose start-up is the slow part)
 * for every test class of the module, as one Zeppelin server shares its Spark interpreter between
 * notes; stopped when the test run ends.
 */
final class SharedRunner implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    static SparkSession spark;
    static NotebookRunner runner;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedRunner.class.getName(), k -> {
            try {
                Path work = Files.createDirectories(Path.of("target"));
                Path classes = Files.createTempDirectory(work, "repl-classes-");
                spark = NotebookRunner.session("local[2]", classes).getOrCreate();
                runner = new NotebookRunner(spark, classes);
                return this;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        runner.close();
        spark.stop();
    }
}
