package org.ngvi.args;

/**
 * A bad argument object: {@link #field()} names the field at fault ({@code null}: the object
 * itself), {@link #reason()} says what was expected and what was found.
 */
public final class ArgumentException extends IllegalArgumentException {
    private final String field;
    private final String reason;

    /**
     * @param object what the arguments belong to, for the message (e.g. {@code model_args}, {@code ExponentialLR})
     * @param field  the field at fault, or {@code null} for the object itself
     * @param reason what was expected and what was found
     */
    public ArgumentException(String object, String field, String reason) {
        super((field == null ? object : object + "." + field) + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The field at fault, or {@code null} when the object itself is bad. */
    public String field() {
        return field;
    }

    /** What was wrong, without the field name. */
    public String reason() {
        return reason;
    }
}
