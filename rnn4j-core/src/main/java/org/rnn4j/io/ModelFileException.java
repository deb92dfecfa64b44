package org.rnn4j.io;

import java.io.IOException;

/**
 * A model, checkpoint or tensor file that cannot be used as it is: truncated, corrupt, of another
 * format, or holding something other than what the caller expected. The message always starts with
 * the file it is about, then says what exactly is wrong and, where it helps, what to do:
 * <pre>
 * model.safetensors: tensor 'rnn.weight_hh_l0' claims bytes [1024, 9000) but the data section holds
 * only 4096 bytes (the file is truncated or its header is wrong)
 * </pre>
 * Failures of the file system itself (a missing file, a full disk) stay plain {@link IOException}s.
 */
public class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source  the file (or other source) as the user named it, e.g. {@code model.safetensors}
     * @param problem what is wrong with it, as a sentence fragment without the file name
     */
    public ModelFileException(String source, String problem) {
        this(source, problem, null);
    }

    /** As {@link #ModelFileException(String, String)}, keeping the low-level cause for debugging. */
    public ModelFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file (or other source) the problem is in, as given to the reader. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
