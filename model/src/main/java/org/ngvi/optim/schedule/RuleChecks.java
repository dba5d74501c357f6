package org.ngvi.optim.schedule;

import org.ngvi.args.ArgumentException;

/** Argument checks of the rules' records: each failure is an {@link ArgumentException} naming the rule and field. */
final class RuleChecks {
    private RuleChecks() {
    }

    static void positive(String rule, String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ArgumentException(rule, field, "expected a number > 0, got " + v);
        }
    }

    static void nonNegative(String rule, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ArgumentException(rule, field, "expected a number >= 0, got " + v);
        }
    }

    static void atLeast(String rule, String field, long v, long min) {
        if (v < min) {
            throw new ArgumentException(rule, field, "expected an integer >= " + min + ", got " + v);
        }
    }
}
