package org.rnn4j.data;

import java.io.IOException;

/**
 * A dataset file (JSON lines or CSV) that cannot be read: the message names the file, the line (1-based)
 * where that applies, what was wrong and what to do, e.g.
 * {@code data.jsonl:7: "tags" has 5 entries but "input" has 6 steps: give one tag per input step}.
 */
public final class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line; // 1-based; 0 when the problem is not on one line

    /** A problem with the file as a whole (empty, no examples, too short to split). */
    public DatasetException(String file, String message) {
        this(file, 0, message, null);
    }

    /** A problem on one line: the message reads {@code file:line: message}. */
    public DatasetException(String file, int line, String message) {
        this(file, line, message, null);
    }

    public DatasetException(String file, int line, String message, Throwable cause) {
        super((line > 0 ? file + ":" + line + ": " : file + ": ") + message, cause);
        this.file = file;
        this.line = line;
    }

    private DatasetException(String message, String file, int line) {
        super(message);
        this.file = file;
        this.line = line;
    }

    /** The same message as a {@link CorpusException} about the whole file (empty, binary, not UTF-8). */
    static DatasetException of(String file, CorpusException e) {
        DatasetException d = new DatasetException(e.getMessage(), file, 0);
        d.initCause(e);
        return d;
    }

    /** The file (or the description of data held in memory). */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 if it concerns the whole file. */
    public int line() {
        return line;
    }
}
