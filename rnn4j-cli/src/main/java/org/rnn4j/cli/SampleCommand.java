package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.io.ModelFile;
import org.rnn4j.matrix.Rng;
import org.rnn4j.sample.Sampler;
import org.rnn4j.sample.SamplingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text from a model and print only the continuation.",
                "Starts from the model's initial state, feeds the prime, then picks each next token from the "
                        + "last output and feeds it back; --temperature 0 always takes the most likely token."})
final class SampleCommand implements Callable<Integer> {
    static final int DEFAULT_LENGTH = 500;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (.safetensors).")
    Path model;

    @Option(names = "--prime", paramLabel = "TEXT", description = "Text to start from (default: a newline if the vocabulary has one, else its first token).")
    String prime;

    @Option(names = "--length", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int length = DEFAULT_LENGTH;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy; higher is more random (default: ${DEFAULT-VALUE}).")
    float temperature = SamplingOptions.DEFAULT_TEMPERATURE;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample only among the K most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK = 0;

    @Option(names = "--seed", paramLabel = "N", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed = TrainCommand.DEFAULT_SEED;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (length < 0) {
            throw new CommandLine.ParameterException(cl, "--length must be 0 or positive, got " + length);
        }
        if (!(temperature >= 0 && Float.isFinite(temperature))) {
            throw new CommandLine.ParameterException(cl, "--temperature must be 0 (greedy) or positive, got " + temperature);
        }
        if (topK < 0) {
            throw new CommandLine.ParameterException(cl, "--top-k must be 0 (off) or positive, got " + topK);
        }
        ModelFile.Contents c = ModelFile.load(model);
        Vocabulary vocab = c.vocabulary();
        int[] ids;
        if (prime == null) {
            ids = TrainCommand.defaultPrime(vocab);
        } else {
            if (prime.isEmpty()) {
                throw new CommandLine.ParameterException(cl, "--prime is empty: give at least one token, or leave it out");
            }
            if (vocab.level() == TokenLevel.CHAR) {
                List<String> unknown = vocab.unknownTokens(prime);
                if (!unknown.isEmpty()) {
                    String known = vocab.size() <= 100
                            ? ": \"" + String.join("", vocab.tokens()).replace("\n", "\\n").replace("\t", "\\t") + "\""
                            : " (listed in rnn4j.vocab in the model file)";
                    throw new UsageFailure("the prime contains characters not in the model's vocabulary: "
                            + Vocabulary.describeCharacters(unknown) + "; the model knows " + vocab.size()
                            + " characters" + known);
                }
            }
            ids = vocab.encode(prime);
            if (ids.length == 0) {
                throw new CommandLine.ParameterException(cl, "--prime holds no tokens at " + vocab.level().jsonName()
                        + " level");
            }
        }
        PrintWriter out = cl.getOut();
        Sampler sampler = new Sampler(c.model(), new SamplingOptions(temperature, topK), new Rng(seed).split("sample"));
        boolean words = vocab.level() == TokenLevel.WORD;
        int[] one = new int[1];
        int[] generated = sampler.generate(ids, length, id -> {
            if (!words) {
                one[0] = id;
                out.print(vocab.decode(one)); // characters appear as they are chosen
            }
        });
        if (words) {
            out.print(vocab.decode(generated));
        }
        out.println();
        out.flush();
        return Main.EXIT_OK;
    }
}
