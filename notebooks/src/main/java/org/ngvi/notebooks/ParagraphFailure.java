package org.ngvi.notebooks;

/** A paragraph that failed: the message names the note, the paragraph (index and title) and what the interpreter said. */
public final class ParagraphFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ParagraphFailure(String note, ZeppelinNote.Paragraph paragraph, String message, Throwable cause) {
        super("note \"" + note + "\", " + paragraph.describe() + " (" + paragraph.interpreter() + ") failed:\n" + message, cause);
    }
}
