package io.asyncflow.console;

/** A line the {@link AsyncFlowRecordReader} cannot turn into a record; the message names the line number. */
public final class BadLineException extends IllegalArgumentException {
    private final long lineNumber;

    BadLineException(long lineNumber, String reason, Throwable cause) {
        super("line " + lineNumber + ": " + reason, cause);
        this.lineNumber = lineNumber;
    }

    BadLineException(long lineNumber, String reason) {
        this(lineNumber, reason, null);
    }

    /** The 1-based number of the bad line in the input. */
    public long lineNumber() {
        return lineNumber;
    }
}
