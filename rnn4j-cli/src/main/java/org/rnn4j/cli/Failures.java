package org.rnn4j.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.rnn4j.train.TrainingDivergedException;

/** One-line descriptions of failures for the terminal. */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file (check the path)");
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": already exists and is not a directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
        }
        if (e instanceof TrainingDivergedException d) {
            return "training diverged: " + d.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory: use a smaller --hidden, --batch or --seq-len, or give the JVM more heap (JAVA_OPTS=-Xmx8g)";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
