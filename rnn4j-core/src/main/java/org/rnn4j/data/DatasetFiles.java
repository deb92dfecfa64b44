package org.rnn4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Reading and writing the text of dataset files (JSON lines, CSV): strict UTF-8, lines numbered from 1. */
final class DatasetFiles {
    private DatasetFiles() {
    }

    /**
     * The lines of a strict UTF-8 file (leading byte order mark dropped, {@code "\r\n"} accepted); line
     * {@code k} of the file is element {@code k - 1}.
     *
     * @param what the kind of file, for messages: "a JSON-lines dataset"
     * @param emptyAdvice completes "X is empty: ..."
     */
    static List<String> readLines(Path file, String what, String emptyAdvice) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new FileSystemException(name, null, "is a directory: give the path of " + what + " file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(name, null, "no such file: give the path of " + what + " file");
        }
        long size = Files.size(file);
        if (size > Corpus.MAX_FILE_BYTES) {
            throw new DatasetException(name, "has " + size + " bytes, more than the " + Corpus.MAX_FILE_BYTES
                    + " rnn4j reads: use a part of it");
        }
        String text;
        try {
            text = Corpus.decodeUtf8(name, Files.readAllBytes(file), emptyAdvice);
        } catch (CorpusException e) {
            throw DatasetException.of(name, e);
        }
        List<String> lines = List.of(text.split("\n", -1));
        return lines.stream().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
    }

    /** Writes {@code text} as UTF-8, replacing the file. */
    static void write(Path file, CharSequence text) throws IOException {
        Files.writeString(Objects.requireNonNull(file, "file"), text, StandardCharsets.UTF_8);
    }
}
