package org.ngvi.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A Zeppelin note as its {@code .zpln} JSON holds it (Zeppelin 0.10+: {@code name}, {@code id},
 * {@code defaultInterpreterGroup}, {@code paragraphs[]} with {@code title}, {@code text},
 * {@code config}, {@code results}, ...). The JSON is kept whole, so an executed copy differs from
 * the note only in the paragraphs' {@code results}, {@code status} and dates.
 *
 * @param file the note's file
 * @param json the whole note
 */
public record ZeppelinNote(Path file, ObjectNode json) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One paragraph.
     *
     * @param index       position in the note, from 0
     * @param title       its title, or {@code null}
     * @param interpreter {@code %spark}, {@code %spark.sql}, {@code %md}, ... (the note's default group when the text names none)
     * @param code        the text after the interpreter line
     */
    public record Paragraph(int index, String title, String interpreter, String code) {
        /** {@code paragraph 3 "Fit VOGN"} or {@code paragraph 3}, for messages. */
        public String describe() {
            return "paragraph " + index + (title == null ? "" : " \"" + title + "\"");
        }
    }

    /**
     * Reads and checks a note.
     *
     * @throws IOException unreadable JSON, or a note without {@code name} or {@code paragraphs} (naming the file and field)
     */
    public static ZeppelinNote read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a Zeppelin note (unreadable JSON: " + e.getMessage() + ")", e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException(file + ": not a Zeppelin note (expected a JSON object)");
        }
        if (!n.path("name").isTextual()) {
            throw new IOException(file + ": field 'name' must be the note's name (a string)");
        }
        if (!n.path("paragraphs").isArray()) {
            throw new IOException(file + ": field 'paragraphs' must be an array of paragraphs");
        }
        for (int i = 0; i < n.get("paragraphs").size(); i++) {
            JsonNode p = n.get("paragraphs").get(i);
            if (!p.isObject() || !(p.path("text").isTextual() || p.path("text").isMissingNode())) {
                throw new IOException(file + ": field 'paragraphs[" + i + "].text' must be a string");
            }
        }
        return new ZeppelinNote(file, (ObjectNode) n);
    }

    public String name() {
        return json.get("name").asText();
    }

    /** The note's paragraphs; the interpreter is the text's first {@code %name} or {@code %} + the default group. */
    public List<Paragraph> paragraphs() {
        String group = json.path("defaultInterpreterGroup").asText("spark");
        List<Paragraph> out = new ArrayList<>();
        ArrayNode ps = (ArrayNode) json.get("paragraphs");
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            String text = p.path("text").asText("");
            String title = p.path("title").isTextual() ? p.get("title").asText() : null;
            String trimmed = text.stripLeading();
            String interpreter = "%" + group;
            String code = text;
            if (trimmed.startsWith("%")) {
                int end = 0;
                while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
                    end++;
                }
                interpreter = trimmed.substring(0, end);
                code = trimmed.substring(end);
                if (code.startsWith("\n")) {
                    code = code.substring(1);
                }
            }
            out.add(new Paragraph(i, title, interpreter, code));
        }
        return out;
    }

    /**
     * Records a paragraph's outcome as Zeppelin does: {@code results} {@code {code, msg: [{type, data}]}},
     * {@code status}, {@code dateStarted}, {@code dateFinished}.
     */
    public void setResult(int index, boolean success, List<ParagraphOutput.Message> messages, String started, String finished) {
        ObjectNode p = (ObjectNode) json.get("paragraphs").get(index);
        ObjectNode results = p.putObject("results");
        results.put("code", success ? "SUCCESS" : "ERROR");
        ArrayNode msg = results.putArray("msg");
        for (ParagraphOutput.Message m : messages) {
            msg.addObject().put("type", m.type()).put("data", m.data());
        }
        p.put("status", success ? "FINISHED" : "ERROR");
        p.put("dateStarted", started);
        p.put("dateFinished", finished);
    }

    /** Writes the note (with its results) to {@code target}: a temporary sibling, then renamed into place. */
    public void write(Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(temp, JSON.writeValueAsBytes(json));
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
