package org.ngvi.prep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --name value} (or {@code --name=value}) options and {@code --name} switches against
 * a declared set; an unknown option, a missing value, a repeated single-valued option or a missing
 * required option is a {@link UsageException} whose message ends with the command's usage text.
 */
public final class Flags {
    private final String usage;
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> switches;

    private Flags(String usage, Set<String> switches) {
        this.usage = usage;
        this.switches = switches;
    }

    /** A command-line usage error; its message ends with the usage line. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param usage    the usage text, starting with {@code "usage: "}
     * @param options  names (without {@code --}) that take a value; may repeat
     * @param switches names that take none
     */
    public static Flags parse(String[] args, String usage, Set<String> options, Set<String> switches) {
        Flags f = new Flags(usage, switches);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw f.error("unknown option '" + a + "'");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && switches.contains(name.substring(0, eq))) {
                throw f.error("option --" + name.substring(0, eq) + " takes no value");
            }
            if (eq > 0 && options.contains(name.substring(0, eq))) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name)) {
                f.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (options.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw f.error("option --" + name + " needs a value");
                    }
                    v = args[++i];
                }
                f.values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            } else {
                throw f.error("unknown option '" + a + "'");
            }
        }
        return f;
    }

    public UsageException error(String message) {
        return new UsageException(message + "\n" + usage);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String def) {
        List<String> v = values.get(name);
        if (v == null) {
            return def;
        }
        if (v.size() > 1) {
            throw error("option --" + name + " given " + (v.size() == 2 ? "twice" : v.size() + " times"));
        }
        return v.get(0);
    }

    public String required(String name) {
        String v = get(name, null);
        if (v == null || v.isBlank()) {
            throw error("missing required option --" + name);
        }
        return v;
    }

    public Path path(String name) {
        return Path.of(required(name));
    }

    public Path optionalPath(String name) {
        String v = get(name, null);
        return v == null ? null : Path.of(v);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public int integer(String name, int def, int min) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        String expected = min == 1 ? "a positive integer" : "an integer ≥ " + min;
        try {
            int x = Integer.parseInt(v);
            if (x < min) {
                throw error("option --" + name + " must be " + expected + ", found " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw error("option --" + name + " must be " + expected + ", found '" + v + "'");
        }
    }

    public boolean flag(String name) {
        if (!switches.contains(name)) {
            throw new IllegalArgumentException("--" + name + " is not a declared switch");
        }
        return values.containsKey(name);
    }
}
