package org.ngvi.optim.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;
import org.ngvi.optim.schedule.LrRule.ArgumentException;

/** Reads a scheduler's argument object, remembering what was read so unknown arguments are an error. */
final class ScheduleArgs {
    private final JsonNode args;
    private final Set<String> read = new LinkedHashSet<>();

    ScheduleArgs(JsonNode args) {
        if (args != null && !args.isNull() && !args.isObject()) {
            throw new ArgumentException(null, "scheduler arguments must be a JSON object, got " + args);
        }
        this.args = args == null || args.isNull() ? null : args;
    }

    private JsonNode get(String field) {
        read.add(field);
        JsonNode v = args == null ? null : args.get(field);
        return v == null || v.isNull() ? null : v;
    }

    double number(String field) {
        JsonNode v = get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new ArgumentException(field, "expected a number, got " + (v == null ? "nothing" : v.toString()));
        }
        return v.asDouble();
    }

    double positive(String field, Double dflt) {
        if (dflt != null && get(field) == null) {
            return dflt;
        }
        double x = number(field);
        if (!(x > 0)) {
            throw new ArgumentException(field, "expected a number > 0, got " + x);
        }
        return x;
    }

    Double optionalPositive(String field) {
        return get(field) == null ? null : positive(field, null);
    }

    double nonNegative(String field, double dflt) {
        if (get(field) == null) {
            return dflt;
        }
        double x = number(field);
        if (x < 0) {
            throw new ArgumentException(field, "expected a number >= 0, got " + x);
        }
        return x;
    }

    long count(String field, Long dflt, long min) {
        JsonNode v = get(field);
        if (v == null && dflt != null) {
            return dflt;
        }
        if (v == null || !v.canConvertToLong() || v.asDouble() != Math.rint(v.asDouble()) || v.asLong() < min) {
            throw new ArgumentException(field, "expected an integer >= " + min + ", got " + (v == null ? "nothing" : v.toString()));
        }
        return v.asLong();
    }

    long[] increasingCounts(String field) {
        JsonNode v = get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new ArgumentException(field, "expected a non-empty array of increasing epoch numbers, got "
                    + (v == null ? "nothing" : v.toString()));
        }
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            if (!x.canConvertToLong() || x.asDouble() != Math.rint(x.asDouble()) || x.asLong() < 0
                    || (i > 0 && x.asLong() <= out[i - 1])) {
                throw new ArgumentException(field, "expected a non-empty array of increasing epoch numbers >= 0, got " + v);
            }
            out[i] = x.asLong();
        }
        return out;
    }

    void rejectUnread() {
        if (args == null) {
            return;
        }
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!read.contains(f)) {
                throw new ArgumentException(f, "unknown argument; this scheduler takes " + read);
            }
        }
    }
}
