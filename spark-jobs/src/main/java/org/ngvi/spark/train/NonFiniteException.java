package org.ngvi.spark.train;

/**
 * The run stopped because of non-finite numbers ({@link NonFinitePolicy}): too many consecutive
 * rounds with dropped partitions, or a driver update that overflowed. The message names the
 * round, the partitions and quantities, and the last (finite) checkpoint; {@code ngvi train}
 * prints it without a stack trace and exits with code 3.
 */
public final class NonFiniteException extends IllegalStateException implements picocli.CommandLine.IExitCodeGenerator {
    /** Exit code of a run stopped by non-finite numbers. */
    public static final int EXIT_CODE = 3;

    private static final long serialVersionUID = 1L;

    public NonFiniteException(String message) {
        super(message);
    }

    @Override
    public int getExitCode() {
        return EXIT_CODE;
    }
}
