package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.data.Corpus;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.io.ModelFile;
import org.rnn4j.train.Evaluator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a text with a model: starting from the initial state and never resetting, the mean "
                + "over positions 2..N of -ln p(token | the tokens before it)."})
final class EvalCommand implements Callable<Integer> {
    static final int WINDOW = 256;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (.safetensors).")
    Path model;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to score.")
    Path text;

    @Option(names = "--json", description = "Print one JSON object as the last line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ModelFile.Contents c = ModelFile.load(model);
        Vocabulary vocab = c.vocabulary();
        String s = Corpus.readText(text);
        if (vocab.level() == TokenLevel.CHAR) {
            List<String> unknown = vocab.unknownTokens(s);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(text + ": contains characters not in the model's vocabulary: "
                        + Vocabulary.describeCharacters(unknown) + "; score text over the characters the model was trained on");
            }
        }
        int[] ids = vocab.encode(s);
        if (ids.length < 2) {
            throw new IllegalArgumentException(text + ": holds " + ids.length + " token(s); scoring needs at least 2");
        }
        Evaluator.Result r = Evaluator.evaluate(c.model(), ids, 1, WINDOW);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("loss %.6f nats/token, %.4f bits/token, perplexity %.4f over %d tokens%n", r.loss(), r.bitsPerToken(),
                r.perplexity(), r.tokens());
        if (json) {
            out.println(new ObjectMapper().createObjectNode().put("loss", r.loss()).put("bits_per_token", r.bitsPerToken())
                    .put("perplexity", r.perplexity()).put("tokens", r.tokens()).toString());
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
