package org.ngvi.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Value checks for numeric options; picocli reports a rejected value as
 * {@code Invalid value for option '--NAME': <message>}.
 */
public final class Converters {
    private Converters() {
    }

    /** An integer n ≥ 1. */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1, "a positive integer");
        }
    }

    /** An integer n ≥ 0. */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0, "an integer ≥ 0");
        }
    }

    private static int atLeast(String value, int min, String expected) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("expected " + expected + ", found '" + value + "'");
        }
        if (n < min) {
            throw new TypeConversionException("expected " + expected + ", found " + n);
        }
        return n;
    }
}
