package org.rnn4j.optim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rnn4j.io.SafeTensors;
import org.rnn4j.io.SafeTensorsFile;

/**
 * The torch.optim fixtures in {@code src/test/resources/golden/optim/} (see the README there and
 * {@code scripts/make_optim_golden.py}).
 */
final class OptimGolden {
    static final String DIRECTORY = "/golden/optim/";

    private OptimGolden() {
    }

    static Path resource(String fileName) {
        URL url = OptimGolden.class.getResource(DIRECTORY + fileName);
        if (url == null) {
            throw new IllegalStateException("golden fixture " + fileName + " is not on the test class path (expected in "
                    + "rnn4j-core/src/test/resources" + DIRECTORY + "; regenerate with scripts/make_optim_golden.py)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is not a file path", e);
        }
    }

    /** The optimizer fixtures (every .safetensors file but the schedules), sorted. */
    static List<String> optimizerFixtures() {
        try (Stream<Path> files = Files.list(resource("README.md").getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".safetensors") && !n.equals("schedules.safetensors"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SafeTensorsFile read(String fileName) {
        try {
            return SafeTensors.read(resource(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String meta(SafeTensorsFile f, String key) {
        String v = f.metadata().get(key);
        if (v == null) {
            throw new IllegalStateException(f.source() + ": metadata '" + key + "' is missing");
        }
        return v;
    }
}
