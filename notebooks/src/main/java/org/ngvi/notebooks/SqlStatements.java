package org.ngvi.notebooks;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code %spark.sql} paragraph into statements at {@code ;}, outside quotes
 * ({@code '...'}, {@code "..."}, {@code `...`}) and outside {@code --} line comments, as Zeppelin's
 * SQL splitter does; blank statements are dropped.
 */
final class SqlStatements {
    private SqlStatements() {
    }

    static List<String> split(String code) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean comment = false;
        for (int i = 0; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (comment) {
                if (ch == '\n') {
                    comment = false;
                    cur.append(ch);
                }
                continue;
            }
            if (quote != 0) {
                cur.append(ch);
                if (ch == quote) {
                    quote = 0;
                }
                continue;
            }
            if (ch == '-' && i + 1 < code.length() && code.charAt(i + 1) == '-') {
                comment = true;
                continue;
            }
            if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
                cur.append(ch);
            } else if (ch == ';') {
                add(out, cur);
            } else {
                cur.append(ch);
            }
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        cur.setLength(0);
    }
}
