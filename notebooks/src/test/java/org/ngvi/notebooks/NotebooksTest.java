package org.ngvi.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every shipped note ({@code notebooks/*.zpln}) as Zeppelin's Spark interpreter would, on a
 * 2,000 / 500-image subset of Fashion-MNIST, 1 epoch (2 permuted tasks, VOGN and Adam, in the
 * continual note), and a coarse 100-step toy; each executed note is written to
 * {@code target/notebooks/} with its results. Then checks that the results hold what the note is
 * for: inline plots, SQL tables, the toy's animation, the continual runs' accuracies.
 */
@ExtendWith(SharedRunner.class)
class NotebooksTest {
    static final Path EXECUTED = Path.of("target/notebooks");
    static final Path WORK = Path.of("target/notebooks-work");

    @BeforeAll
    static void start() throws Exception {
        Path subset = FashionMnistSubset.write(FashionMnistSubset.INSTALLED, WORK.resolve("fashion-mnist-idx"), 2000, 500);
        System.setProperty("ngvi.fashion", subset.toAbsolutePath().toString());
        System.setProperty("ngvi.work", WORK.toAbsolutePath().toString());
        System.setProperty("ngvi.epochs", "1");
        System.setProperty("ngvi.toy.steps", "100");
        System.setProperty("ngvi.toy.gridStep", "0.25");
        System.setProperty("ngvi.continual.tasks", "2");
        System.setProperty("ngvi.continual.methods", "vogn,adam");
        System.setProperty("ngvi.continual.set", "local_steps=4"); // a round of 13 batches of 256 needs 3,328 images
        System.setProperty("java.awt.headless", "true");
    }

    static Stream<Path> notes() throws Exception {
        return NotebookRunner.notesIn(Path.of(".")).stream();
    }

    /** Paragraph title → a string one of its result messages must contain. */
    static final Map<String, Map<String, String>> EXPECTED = Map.of(
            "1-quick-start.zpln", Map.of(
                    "Evaluate", "VOGN accuracy",
                    "Reliability diagrams and entropy histograms", "data:image/png;base64,",
                    "Per class, in SQL", "label\timages\taccuracy\tmean_confidence\tmean_entropy\tmean_mutual_information\n",
                    "VOGN against Adam", "model\taccuracy"),
            "2-uncertainty-pipeline.zpln", Map.of(
                    "Fit, save and reload a pipeline", "steps, predicting with 10 weight samples",
                    "Route unsure rows to review", "data_set\troute\timages",
                    "The most uncertain test images", "index\tlabel\tprediction",
                    "Out-of-distribution detection", "AUROC, flipped vs test"),
            "3-toy-2d.zpln", Map.of(
                    "Train both and show the animation", "data:image/gif;base64,"),
            "4-continual-learning.zpln", Map.of(
                    "Train every method on the tasks in turn", "average accuracy after task 2",
                    "continual.json as SQL views", "2 methods, 6 accuracies, 4 averages",
                    "Average accuracy per method", "method\ttasks_seen\taverage_accuracy\ttrain_seconds\n",
                    "How much of task 1 each method keeps", "method\tafter_task\ttask_1_accuracy\n",
                    "Average accuracy and accuracy matrices", "data:image/png;base64,"));

    @ParameterizedTest
    @MethodSource("notes")
    void noteRunsAndKeepsItsResults(Path file) throws Exception {
        ZeppelinNote note = SharedRunner.runner.run(ZeppelinNote.read(file), EXECUTED);
        JsonNode written = ZeppelinNote.read(EXECUTED.resolve(file.getFileName())).json();
        Map<String, String> expected = EXPECTED.get(file.getFileName().toString());
        assertTrue(expected != null, "every shipped note has expectations here: " + file);
        int checked = 0;
        for (JsonNode p : written.get("paragraphs")) {
            assertEquals("SUCCESS", p.at("/results/code").asText(), p.path("title").asText());
            String want = expected.get(p.path("title").asText());
            if (want != null) {
                boolean found = false;
                for (JsonNode m : p.at("/results/msg")) {
                    found |= m.get("data").asText().contains(want);
                }
                assertTrue(found, note.name() + ", " + p.path("title").asText() + ": no result contains '" + want + "': "
                        + p.at("/results/msg").toString().substring(0, Math.min(2000, p.at("/results/msg").toString().length())));
                checked++;
            }
        }
        assertEquals(expected.size(), checked, "paragraphs checked in " + file);
    }

    @Test
    void theNotesAreTheOnesTheReadmeNames() throws Exception {
        assertEquals(List.of("1-quick-start.zpln", "2-uncertainty-pipeline.zpln", "3-toy-2d.zpln",
                        "4-continual-learning.zpln"),
                notes().map(p -> p.getFileName().toString()).toList());
        for (Path n : notes().toList()) {
            for (JsonNode p : ZeppelinNote.read(n).json().get("paragraphs")) {
                assertFalse(p.has("results"), n + ": the shipped note carries no results (the executed copy in target/ does)");
            }
        }
    }
}
