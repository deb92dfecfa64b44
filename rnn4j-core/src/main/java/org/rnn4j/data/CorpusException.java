package org.rnn4j.data;

import java.io.IOException;

/**
 * A text file that cannot serve as a corpus: empty, binary or not UTF-8, too short to split, or with
 * characters outside a given vocabulary. The message names the file, says what was wrong and what to do.
 */
public final class CorpusException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
