package org.ngvi.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner itself, on small notes: each interpreter's output becomes Zeppelin's results, REPL
 * classes reach the executors, and a failing paragraph names the note, the paragraph and the
 * interpreter's message.
 */
@ExtendWith(SharedRunner.class)
class NotebookRunnerTest {
    @TempDir
    static Path tmp;

    static ZeppelinNote run(String note) throws Exception {
        return SharedRunner.runner.run(ZeppelinNote.read(note(note)), tmp.resolve("executed"));
    }

    static Path note(String name) {
        return Path.of("src/test/resources", name);
    }

    static JsonNode written(String file) throws Exception {
        return new ObjectMapper().readTree(tmp.resolve("executed").resolve(file).toFile());
    }

    @Test
    void everyInterpreterWritesZeppelinResults() throws Exception {
        run("runner-check.zpln");
        JsonNode ps = written("runner-check.zpln").get("paragraphs");
        for (JsonNode p : ps) {
            assertEquals("SUCCESS", p.at("/results/code").asText(), p.toString());
            assertEquals("FINISHED", p.get("status").asText());
            assertTrue(p.get("dateFinished").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"));
        }
        JsonNode md = ps.get(0).at("/results/msg/0");
        assertEquals("HTML", md.get("type").asText());
        assertTrue(md.get("data").asText().contains("<h1>Heading</h1>") && md.get("data").asText().contains("<table>"), md.toString());
        JsonNode sum = ps.get(1).at("/results/msg/0");
        assertEquals("TEXT", sum.get("type").asText());
        assertTrue(sum.get("data").asText().contains("sum 10100"), sum.toString());
        JsonNode mixed = ps.get(2).at("/results/msg");
        assertEquals(2, mixed.size(), mixed.toString());
        assertEquals("TEXT", mixed.get(0).get("type").asText());
        assertEquals("before", mixed.get(0).get("data").asText().strip());
        assertEquals("HTML", mixed.get(1).get("type").asText());
        assertEquals("<b>bold</b>", mixed.get(1).get("data").asText().strip());
        JsonNode tables = ps.get(4).at("/results/msg");
        assertEquals(2, tables.size(), tables.toString());
        assertEquals("TABLE", tables.get(0).get("type").asText());
        assertEquals("s\tone\na;b\t1\n", tables.get(0).get("data").asText());
        assertEquals("id\tsq\n0\t0\n1\t1\n2\t4\n3\t9\n4\t16\n", tables.get(1).get("data").asText());
    }

    @Test
    void aFailingParagraphNamesTheNoteTheParagraphAndTheError() throws Exception {
        // (the REPL is shared between notes, as in Zeppelin: 'one' is this note's own, defined in paragraph 0)
        ParagraphFailure f = assertThrows(ParagraphFailure.class, () -> run("failing.zpln"));
        assertTrue(f.getMessage().startsWith("note \"failing\", paragraph 1 \"Divide\" (%spark) failed"), f.getMessage());
        assertTrue(f.getMessage().contains("java.lang.ArithmeticException: / by zero"), f.getMessage());
        JsonNode ps = written("failing.zpln").get("paragraphs");
        assertEquals("SUCCESS", ps.get(0).at("/results/code").asText());
        assertEquals("ERROR", ps.get(1).at("/results/code").asText());
        assertTrue(ps.get(2).path("results").isMissingNode(), "paragraphs after the failure are not run");

        ParagraphFailure c = assertThrows(ParagraphFailure.class, () -> run("not-compiling.zpln"));
        assertTrue(c.getMessage().contains("note \"not compiling\", paragraph 0 (%spark)") && c.getMessage().contains("type mismatch"),
                c.getMessage());
    }

    @Test
    void outputRulesAndBadNotes() throws Exception {
        List<ParagraphOutput.Message> m = ParagraphOutput.parse("a\n%table x\ty\n1\t2\n%htmlish not magic\n%text done");
        assertEquals(List.of(new ParagraphOutput.Message("TEXT", "a\n"), new ParagraphOutput.Message("TABLE", "x\ty\n1\t2\n%htmlish not magic\n"),
                new ParagraphOutput.Message("TEXT", "done")), m);
        assertEquals(List.of("SELECT ';'", "SELECT 2"), SqlStatements.split("SELECT ';'; -- a comment; here\nSELECT 2;\n"));
        Path bad = tmp.resolve("bad.zpln");
        Files.writeString(bad, "{\"paragraphs\": []}");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> ZeppelinNote.read(bad));
        assertTrue(e.getMessage().contains("bad.zpln") && e.getMessage().contains("'name'"), e.getMessage());
        Path unsupported = tmp.resolve("python.zpln");
        Files.writeString(unsupported, "{\"name\": \"py\", \"paragraphs\": [{\"title\": \"P\", \"text\": \"%python\\nprint(1)\"}]}");
        ParagraphFailure p = assertThrows(ParagraphFailure.class, () -> SharedRunner.runner.run(ZeppelinNote.read(unsupported), tmp.resolve("executed")));
        assertTrue(p.getMessage().contains("%python is not supported"), p.getMessage());
        assertFalse(Files.exists(tmp.resolve("executed").resolve(".python.zpln.tmp")));
    }
}
