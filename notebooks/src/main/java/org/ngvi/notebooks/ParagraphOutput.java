package org.ngvi.notebooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits what a paragraph printed into Zeppelin's result messages, with Zeppelin's display rule: a
 * line that starts with {@code %html}, {@code %table}, {@code %text} (or {@code %img},
 * {@code %angular}, {@code %markdown}) begins a message of that type, which runs up to the next such
 * line; output before the first one is {@code TEXT}. Messages with only whitespace are dropped.
 */
public final class ParagraphOutput {
    /** The display types Zeppelin recognises at the start of a line. */
    static final Set<String> TYPES = Set.of("text", "html", "table", "img", "angular", "markdown");

    /**
     * One message of {@code results.msg}.
     *
     * @param type {@code TEXT}, {@code HTML}, {@code TABLE}, ...
     * @param data its content
     */
    public record Message(String type, String data) {
    }

    private ParagraphOutput() {
    }

    /** The messages of {@code output}. */
    public static List<Message> parse(String output) {
        List<Message> out = new ArrayList<>();
        String type = "TEXT";
        StringBuilder data = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            String magic = magic(line);
            if (magic != null) {
                add(out, type, data);
                type = magic.toUpperCase(java.util.Locale.ROOT);
                data.setLength(0);
                String rest = line.substring(1 + magic.length());
                data.append(rest.startsWith(" ") ? rest.substring(1) : rest).append('\n');
            } else {
                data.append(line).append('\n');
            }
        }
        if (data.length() > 0) {
            data.setLength(data.length() - 1); // the split added one newline too many
        }
        add(out, type, data);
        return out;
    }

    private static String magic(String line) {
        if (!line.startsWith("%")) {
            return null;
        }
        int end = 1;
        while (end < line.length() && Character.isLetter(line.charAt(end))) {
            end++;
        }
        String word = line.substring(1, end);
        boolean delimited = end == line.length() || Character.isWhitespace(line.charAt(end));
        return delimited && TYPES.contains(word) ? word : null;
    }

    private static void add(List<Message> out, String type, StringBuilder data) {
        if (!data.toString().isBlank()) {
            out.add(new Message(type, data.toString()));
        }
    }

    /**
     * A {@code TABLE} message as Zeppelin's SQL interpreter writes it: the header and then one line
     * per row, cells separated by tabs (tabs and newlines inside a cell become spaces).
     */
    public static Message table(List<String> header, List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join("\t", header.stream().map(ParagraphOutput::cell).toList())).append('\n');
        for (List<Object> r : rows) {
            sb.append(String.join("\t", r.stream().map(ParagraphOutput::cell).toList())).append('\n');
        }
        return new Message("TABLE", sb.toString());
    }

    private static String cell(Object v) {
        return String.valueOf(v).replace('\t', ' ').replace('\n', ' ');
    }
}
