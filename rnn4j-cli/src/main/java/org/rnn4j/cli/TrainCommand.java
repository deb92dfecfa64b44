package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.data.Corpus;
import org.rnn4j.data.EmbeddedReber;
import org.rnn4j.data.ForecastDataset;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.io.ModelFile;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.nn.Init;
import org.rnn4j.sample.Sampler;
import org.rnn4j.sample.SamplingOptions;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.OptimizerSettings;
import org.rnn4j.optim.Optimizers;
import org.rnn4j.train.Baselines;
import org.rnn4j.train.CheckpointFile;
import org.rnn4j.train.Trainer;
import org.rnn4j.train.NonFiniteGradient;
import org.rnn4j.train.TrainingConfig;
import org.rnn4j.train.TrainingDivergedException;
import org.rnn4j.train.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a next-token language model (Elman RNN, LSTM or GRU) by truncated BPTT and print samples.",
                "Without --text it trains on a built-in corpus of embedded Reber grammar strings, generated from "
                        + "the seed, whose second-to-last symbol can only be predicted by remembering the second.",
                "Writes best.safetensors, last.safetensors and metrics.jsonl to --out.",
                "With --task classify, tag, seq2seq or forecast it trains a sequence model on the examples of --data "
                        + "instead; options that the task does not read are refused."})
final class TrainCommand implements Callable<Integer> {
    static final int DEFAULT_HIDDEN = 128;
    static final int DEFAULT_EMBEDDING = 0;
    static final long DEFAULT_SEED = 42;
    static final int DEFAULT_SAMPLE_LENGTH = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--task", paramLabel = "lm|classify|tag|seq2seq|forecast", description = "What to train: a language "
            + "model on --text, or a classifier, tagger, encoder-decoder or forecaster on --data (default: ${DEFAULT-VALUE}).")
    String task = TaskOptions.LM;

    @Option(names = "--data", paramLabel = "FILE", description = "The examples of a sequence task: JSON lines (classify, "
            + "tag, seq2seq) or CSV (forecast); rnn4j generate writes some.")
    Path data;

    @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 training text (default: the built-in Reber corpus).")
    Path text;

    @Option(names = "--level", paramLabel = "char|word", description = "Tokens: characters or words (default: ${DEFAULT-VALUE}).")
    String level = "char";

    @Option(names = "--min-count", paramLabel = "N", description = "Word level: words seen fewer times become <unk> (default: ${DEFAULT-VALUE}).")
    int minCount = Vocabulary.DEFAULT_MIN_COUNT;

    @Option(names = "--cell", paramLabel = "rnn|lstm|gru", description = "Recurrent cell (default: ${DEFAULT-VALUE}).")
    String cell = ModelConfig.DEFAULT_CELL.id();

    @Option(names = "--activation", paramLabel = "tanh|relu|sigmoid", description = "Elman cell: f in h_t = f(W_ih x_t + W_hh h_(t-1) + b) (default: ${DEFAULT-VALUE}).")
    String activation = ModelConfig.DEFAULT_NONLINEARITY.id();

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden = DEFAULT_HIDDEN;

    @Option(names = "--embedding", paramLabel = "N", description = "Embedding size E; 0 feeds one-hot vectors (default: ${DEFAULT-VALUE}).")
    int embedding = DEFAULT_EMBEDDING;

    @Option(names = "--layers", paramLabel = "N", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers = ModelConfig.DEFAULT_NUM_LAYERS;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout between stacked layers, in training only (default: ${DEFAULT-VALUE}).")
    float dropout = ModelConfig.DEFAULT_DROPOUT;

    @Option(names = "--forget-bias", paramLabel = "X", description = "LSTM: start every forget-gate bias at X (default: PyTorch's random init).")
    Float forgetBias;

    @Option(names = "--learned-h0", description = "Learn the initial hidden state as a parameter (default: zeros).")
    boolean learnedH0;

    @Option(names = "--init", paramLabel = "default|orthogonal|identity", description = "Recurrent weight init W_hh (default: ${DEFAULT-VALUE}, PyTorch's U(-1/sqrt(H), 1/sqrt(H))).")
    String init = "default";

    @Option(names = "--init-gain", paramLabel = "X", description = "Scale of the orthogonal or identity W_hh (default: ${DEFAULT-VALUE}).")
    float initGain = 1f;

    @Option(names = "--spectral-radius", paramLabel = "X", description = "Rescale W_hh to this spectral radius after init.")
    Float spectralRadius;

    @Option(names = "--bidirectional", description = "classify, tag, forecast: read every sequence in both directions.")
    boolean bidirectional;

    @Option(names = "--window", paramLabel = "W", description = "forecast: time steps each window reads (default: "
            + ForecastDataset.DEFAULT_WINDOW + ").")
    Integer window;

    @Option(names = "--shape", paramLabel = "many-to-one|many-to-many", description = "forecast: predict the step after "
            + "each window, or the next step at every step of it (default: many-to-one).")
    String shape;

    @Option(names = "--target", paramLabel = "COLUMN", description = "forecast: the column to predict (default: every column).")
    String target;

    @Option(names = "--beam", paramLabel = "K", description = "seq2seq: also score beam search of width K at each "
            + "evaluation (default: greedy decoding only).")
    Integer beam;

    @Option(names = "--seq-len", paramLabel = "T", description = "Steps per truncated-BPTT window (default: ${DEFAULT-VALUE}).")
    int seqLen = TrainingConfig.DEFAULT_SEQ_LEN;

    @Option(names = "--tbptt", paramLabel = "K1[:K2]", description = "Truncated BPTT: update every K1 steps, back-propagating K2 >= K1 steps (default: K1 = K2 = --seq-len).")
    String tbptt;

    @Option(names = "--batch", paramLabel = "B", description = "Parallel streams per batch (default: ${DEFAULT-VALUE}).")
    int batch = TrainingConfig.DEFAULT_BATCH;

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "Save memory: keep the recurrent layers' "
            + "activations for only K steps at a time and recompute them in backward (gradient checkpointing; about "
            + "one more forward pass per step, same results to float rounding); 0 = keep all (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = RecurrentStack.NO_CHECKPOINTING;

    @CommandLine.ArgGroup(exclusive = true)
    Duration duration = new Duration();

    static final class Duration {
        @Option(names = "--steps", paramLabel = "N", description = "Updates to make (default: " + TrainingConfig.DEFAULT_STEPS + ").")
        Long steps;

        @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training text instead of --steps.")
        Double epochs;
    }

    @Option(names = "--time-limit", paramLabel = "MINUTES", description = "Stop after this many minutes of training, even before the last step (default: no limit).")
    double timeLimit;

    @Option(names = "--schedule", paramLabel = "SPEC", description = "Learning-rate schedule: constant, step:SIZE[:GAMMA], exp:GAMMA, cosine[:WARMUP[:MIN_LR]] or plateau[:FACTOR[:PATIENCE]] (fed with the validation loss) (default: ${DEFAULT-VALUE}).")
    String schedule = "constant";

    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer = "sgd";

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate; the loss is summed over a window's steps and averaged over streams (default: " + TrainingConfig.DEFAULT_LEARNING_RATE + " for sgd, else the optimizer's PyTorch default).")
    Float lr;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Weight decay (L2; decoupled for adamw) (default: the optimizer's).")
    Double weightDecay;

    @Option(names = "--momentum", paramLabel = "X", description = "Momentum of momentum, nesterov and rmsprop (default: the optimizer's).")
    Double momentum;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run whose --out was DIR from its checkpoint, with its own options; only --steps, --epochs, --time-limit and --json may be given with it.")
    Path resume;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Rescale the gradient when its global norm exceeds X; 0 = off (default: ${DEFAULT-VALUE}).")
    float clipNorm = TrainingConfig.DEFAULT_CLIP_NORM;

    @Option(names = "--clip-value", paramLabel = "X", description = "Clamp each gradient element into [-X, X]; 0 = off (default: ${DEFAULT-VALUE}).")
    float clipValue = TrainingConfig.DEFAULT_CLIP_VALUE;

    @Option(names = "--nonfinite", paramLabel = "stop|skip|shrink", description = "When a gradient or loss is not "
            + "finite: stop with a hint, skip that update, or use Pascanu et al.'s fallback (the gradient becomes "
            + "0.1*weights, shrinking them) (default: ${DEFAULT-VALUE}).")
    String nonFinite = NonFiniteGradient.STOP.id();

    @Option(names = "--pascanu-alpha", paramLabel = "X", description = "Weight of Pascanu et al.'s regularizer, which "
            + "keeps the gradient reaching earlier steps from vanishing (--cell rnn only); 0 = off "
            + "(default: ${DEFAULT-VALUE}).")
    double pascanuAlpha;

    @Option(names = "--eval-every", paramLabel = "N", description = "Validation loss every N steps (default: ${DEFAULT-VALUE}).")
    long evalEvery = TrainingConfig.DEFAULT_EVAL_EVERY;

    @Option(names = "--valid-fraction", paramLabel = "X", description = "Last fraction of the text kept for validation (default: ${DEFAULT-VALUE}).")
    double validFraction = Corpus.DEFAULT_VALIDATION_FRACTION;

    @Option(names = "--sample-length", paramLabel = "N", description = "Tokens to sample at each evaluation and at the end (default: ${DEFAULT-VALUE}).")
    int sampleLength = DEFAULT_SAMPLE_LENGTH;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of all randomness: corpus, init, sampling (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULT_SEED;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/train-<date>-<time>).")
    Path out;

    @Option(names = "--force", description = "Replace the models of an earlier run in --out.")
    boolean force;

    @Option(names = "--json", description = "Print a JSON summary as the last line of standard output.")
    boolean json;

    static final String CHECKPOINT = "checkpoint.safetensors";
    private static final List<String> RESUME_OPTIONS = List.of("--resume", "--steps", "--epochs", "--time-limit", "--json",
            "--verbose");

    private String[] originalArgs = new String[0];

    @Override
    public Integer call() throws IOException {
        TaskOptions.checkApplicable(spec, task);
        if (!TaskOptions.LM.equals(task)) {
            return new TaskTraining(this).run();
        }
        if (resume != null) {
            return resumeFrom(resume);
        }
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name()); // keep this command's own arguments, for --resume
        originalArgs = all.subList(at + 1, all.size()).toArray(new String[0]);
        return train(null);
    }

    /** Rebuilds the original run's options from the checkpoint and continues it. */
    private Integer resumeFrom(Path dir) throws IOException {
        CommandLine cl = spec.commandLine();
        for (CommandLine.Model.OptionSpec o : cl.getParseResult().matchedOptions()) {
            if (!RESUME_OPTIONS.contains(o.longestName())) {
                throw new CommandLine.ParameterException(cl, o.longestName() + " cannot be changed when resuming: --resume "
                        + "continues with the options of the original run (only --steps, --epochs, --time-limit, --json)");
            }
        }
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null,
                    "no checkpoint to resume: give the --out directory of an earlier `rnn4j train`");
        }
        CheckpointFile.Contents c = CheckpointFile.read(file);
        String argsJson = c.model().metadata().get("rnn4j.args");
        if (argsJson == null) {
            throw new IllegalArgumentException(file + ": the checkpoint does not record its training options, so it "
                    + "cannot be resumed");
        }
        List<String> args = new ArrayList<>();
        new ObjectMapper().readTree(argsJson).forEach(a -> args.add(a.asText()));
        // The run's length as given now replaces the recorded one, so a second --resume continues from here.
        for (String changed : List.of("--steps", "--epochs", "--time-limit")) {
            if (cl.getParseResult().hasMatchedOption(changed)) {
                removeOption(args, changed);
                args.add(changed);
                args.add(cl.getParseResult().matchedOption(changed).stringValues().get(0));
                if (!changed.equals("--time-limit")) { // --steps and --epochs exclude each other
                    removeOption(args, changed.equals("--steps") ? "--epochs" : "--steps");
                }
            }
        }
        TrainCommand original = new TrainCommand();
        CommandLine origCl = new CommandLine(original);
        origCl.setOut(cl.getOut());
        origCl.setErr(cl.getErr());
        origCl.parseArgs(args.toArray(new String[0]));
        original.originalArgs = args.toArray(new String[0]);
        if (duration.steps != null || duration.epochs != null) {
            original.duration = duration;
        }
        if (cl.getParseResult().hasMatchedOption("--time-limit")) {
            original.timeLimit = timeLimit;
        }
        original.json = json;
        original.out = dir;
        return original.train(c);
    }

    /** Removes "NAME VALUE" and "NAME=VALUE" from recorded arguments. */
    private static void removeOption(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name)) {
                args.remove(i);
                if (i < args.size()) {
                    args.remove(i);
                }
                i--;
            } else if (args.get(i).startsWith(name + "=")) {
                args.remove(i);
                i--;
            }
        }
    }

    private Integer train(CheckpointFile.Contents resumed) throws IOException {
        validate();
        int[] k = parseTbptt();
        seqLen = k[0];
        PrintWriter outw = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Rng rng = new Rng(seed);
        boolean reber = text == null;
        TokenLevel tokenLevel = TokenLevel.fromJsonName(level);
        Corpus corpus;
        if (reber) {
            String generated = EmbeddedReber.corpus(EmbeddedReber.DEFAULT_STRINGS, rng.split("corpus").seed());
            corpus = Corpus.builder().level(TokenLevel.CHAR).validationFraction(validFraction)
                    .fromText("built-in embedded Reber corpus", generated);
        } else {
            corpus = Corpus.builder().level(tokenLevel).minCount(minCount).validationFraction(validFraction).load(text);
        }
        Vocabulary vocab = corpus.vocabulary();
        ModelConfig.Builder cb = ModelConfig.builder().cell(CellType.fromId(cell))
                .nonlinearity(Activation.fromId(activation)).vocabSize(vocab.size())
                .embeddingDim(embedding).hiddenSize(hidden).numLayers(layers).dropout(dropout);
        if (learnedH0) {
            cb.learnedInitialState();
        }
        ModelConfig config = cb.build();
        Init.RecurrentInit recurrentInit = new Init.RecurrentInit(Init.Recurrent.valueOf(init.toUpperCase(java.util.Locale.ROOT)),
                initGain, spectralRadius == null ? Float.NaN : spectralRadius);
        LanguageModel model;
        if (resumed == null) {
            model = LanguageModel.create(config, recurrentInit, rng.split("init"));
            if (forgetBias != null) {
                model.rnn().setForgetGateBias(forgetBias);
            }
        } else {
            model = resumed.model().model();
            checkSameRun(resumed, config, vocab, corpus);
        }
        TbpttBatcher batches = corpus.trainBatcher(batch, seqLen);
        long steps = duration.epochs != null
                ? Math.max(1, Math.round(duration.epochs * batches.windowsPerEpoch()))
                : duration.steps != null ? duration.steps : TrainingConfig.DEFAULT_STEPS;
        float rate = lr != null ? lr : "sgd".equals(optimizer) ? TrainingConfig.DEFAULT_LEARNING_RATE : Float.NaN;
        OptimizerSettings.Builder os = OptimizerSettings.builder();
        if (!Float.isNaN(rate)) {
            os.learningRate(rate);
        }
        if (weightDecay != null) {
            os.weightDecay(weightDecay);
        }
        if (momentum != null) {
            os.momentum(momentum);
        }
        Optimizer opt;
        try {
            opt = Optimizers.create(optimizer, model.parameters(), os.build());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainingConfig tc = TrainingConfig.builder().steps(steps).seqLen(seqLen).backpropSteps(k[1]).batch(batch)
                .learningRate(opt.learningRate())
                .clipNorm(clipNorm).clipValue(clipValue).evalEvery(evalEvery).maxSeconds(timeLimit * 60)
                .nonFinite(NonFiniteGradient.fromId(nonFinite)).pascanuAlpha(pascanuAlpha)
                .checkpointEvery(checkpointEvery).build();
        Path dir = out != null ? out : Path.of("runs", "train-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (resumed == null) {
            prepareOutput(dir);
        }
        if (batches.streamLength() < seqLen) {
            err.printf("note: each of the %d streams holds only %d tokens, fewer than --seq-len %d; windows will be %d "
                    + "steps long%n", batch, batches.streamLength(), seqLen, batches.streamLength());
        }

        double unigram = Baselines.unigramLoss(corpus.train(), corpus.validation(), vocab.size());
        err.printf("corpus: %s, %d %s tokens (%d train, %d validation), vocabulary %d%n", corpus.source(),
                corpus.trainSize() + corpus.validationSize(), tokenLevel.jsonName(), corpus.trainSize(),
                corpus.validationSize(), vocab.size());
        err.printf("model: %s, %d parameters; %d steps of T=%d%s, B=%d (%.2f epochs); kernels: %s%n",
                describe(config), model.parameterCount(), steps, seqLen, k[1] > seqLen ? " (back-propagating " + k[1] + ")" : "",
                batch,
                (double) steps / batches.windowsPerEpoch(), KernelThreads.describe());
        err.printf("optimizer: %s, learning rate %s%n", optimizer, opt.learningRate());
        if (checkpointEvery > 0) {
            err.printf("gradient checkpointing: activations kept for %d steps at a time, recomputed in backward%n", checkpointEvery);
        }
        if (resumed != null) {
            err.printf("resuming at step %d of %d from %s%n", resumed.training().step(), steps, dir.resolve(CHECKPOINT));
        }
        err.printf("unigram baseline: validation loss %.4f nats/token (%.3f bits)%n", unigram, unigram / Math.log(2));
        err.flush();

        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("rnn4j.created_at", Instant.now().toString());
        provenance.put("rnn4j.seed", Long.toString(seed));
        provenance.put("rnn4j.args", new ObjectMapper().valueToTree(originalArgs).toString());
        provenance.put("rnn4j.corpus", corpus.source());
        provenance.put("rnn4j.corpus_sha256", corpus.sha256());

        Path best = dir.resolve("best.safetensors");
        Path last = dir.resolve("last.safetensors");
        Rng sampleRng = rng.split("sample");
        int[] prime = defaultPrime(vocab);
        ObjectMapper mapper = new ObjectMapper();
        Trainer.Result result;
        Trainer[] trainer = new Trainer[1];
        java.nio.file.OpenOption[] append = resumed == null ? new java.nio.file.OpenOption[0]
                : new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND};
        try (BufferedWriter metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8, append);
             Progress progress = new Progress(err, steps)) {
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    progress.step(m);
                    if (m.step() % 10 == 0 || m.step() == m.totalSteps()) {
                        ObjectNode o = mapper.createObjectNode().put("type", "step").put("step", m.step())
                                .put("loss", m.loss()).put("grad_norm", m.gradNorm()).put("clipped", m.clipped())
                                .put("clipped_fraction", m.clippedFraction()).put("lr", m.learningRate())
                                .put("tokens_per_s", m.tokensPerSecond()).put("elapsed_s", m.elapsedSeconds());
                        writeLine(metrics, o.toString());
                    }
                }

                @Override
                public void onEvaluation(EvalMetrics m) {
                    ObjectNode o = mapper.createObjectNode().put("type", "eval").put("step", m.step())
                            .put("train_loss", m.trainLoss()).put("valid_loss", m.validLoss()).put("best", m.best())
                            .put("elapsed_s", m.elapsedSeconds());
                    writeLine(metrics, o.toString());
                    String sample = vocab.decode(new Sampler(model, new SamplingOptions(1f, 0), sampleRng)
                            .generate(prime, Math.min(sampleLength, 120), id -> { }));
                    progress.message(String.format("step %d: train loss %.4f, valid loss %.4f%s | sample: %s", m.step(),
                            m.trainLoss(), m.validLoss(), m.best() ? " (best)" : "", oneLine(sample)));
                    if (m.best()) {
                        save(best, model, vocab, provenance, m.step(), m.validLoss());
                    }
                    try { // everything needed to resume, written atomically: a crash keeps the previous one
                        CheckpointFile.write(dir.resolve(CHECKPOINT), model, vocab, provenance, trainer[0].checkpoint());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            trainer[0] = new Trainer(model, batches, corpus.validation(), tc, opt, rng.split("dropout"), listener);
            trainer[0].setSchedule(ScheduleSpec.parse(spec.commandLine(), schedule, opt.learningRate(), steps));
            if (resumed != null) {
                trainer[0].restore(resumed.training());
            }
            try {
                result = trainer[0].run();
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e, divergenceHint(dir, tc.learningRate()));
            }
        }
        save(last, model, vocab, provenance, result.steps(), result.lastValidLoss());

        List<String> samples = new ArrayList<>();
        Sampler sampler = new Sampler(model, new SamplingOptions(1f, 0), sampleRng);
        for (int i = 0; i < (reber ? 5 : 1); i++) {
            samples.add(vocab.decode(prime) + vocab.decode(sampler.generate(prime, sampleLength, id -> { })));
        }
        outw.println("--- samples (temperature 1) ---");
        samples.forEach(s -> outw.println(s.stripTrailing()));
        outw.println("---");
        outw.printf("validation loss %.4f nats/token (%.3f bits/token); best %.4f at step %d; unigram baseline %.4f%n",
                result.lastValidLoss(), result.lastValidLoss() / Math.log(2), result.bestValidLoss(), result.bestStep(),
                unigram);
        Double reberValid = null;
        if (reber) {
            reberValid = reberValidity(model, vocab, sampleRng);
            outw.printf("embedded Reber strings sampled: %.1f%% are valid%n", 100 * reberValid);
        }
        long tokensBefore = resumed == null ? 0 : resumed.training().tokens();
        outw.printf("%d tokens in %.1f s (%.0f tokens/s); models in %s%n", result.tokensSeen() - tokensBefore,
                result.seconds(), (result.tokensSeen() - tokensBefore) / result.seconds(), dir);
        if (json) {
            ObjectNode o = mapper.createObjectNode().put("valid_loss", result.lastValidLoss())
                    .put("best_valid_loss", result.bestValidLoss()).put("best_step", result.bestStep())
                    .put("unigram_loss", unigram).put("steps", result.steps()).put("tokens", result.tokensSeen())
                    .put("seconds", result.seconds()).put("best_model", best.toString()).put("last_model", last.toString());
            if (reberValid != null) {
                o.put("reber_valid_fraction", reberValid);
            }
            outw.println(o);
        }
        outw.flush();
        return Main.EXIT_OK;
    }

    /** A checkpoint continues only the run it came from: same model, vocabulary and text. */
    private static void checkSameRun(CheckpointFile.Contents c, ModelConfig config, Vocabulary vocab, Corpus corpus) {
        String sha = c.model().metadata().get("rnn4j.corpus_sha256");
        if (sha != null && !sha.equals(corpus.sha256())) {
            throw new IllegalArgumentException(corpus.source() + " has changed since the checkpoint was written (SHA-256 "
                    + corpus.sha256() + ", was " + sha + "); resume with the same text");
        }
        if (!c.model().model().config().equals(config)) {
            throw new IllegalArgumentException("the checkpoint's model " + describe(c.model().model().config())
                    + " differs from the one its options describe (" + describe(config) + ")");
        }
        if (!c.model().vocabulary().equals(vocab)) {
            throw new IllegalArgumentException("the checkpoint's vocabulary differs from the text's: was the text changed?");
        }
    }

    /** {k1, k2} from --tbptt, or --seq-len for both. */
    private int[] parseTbptt() {
        if (tbptt == null) {
            return new int[] {seqLen, seqLen};
        }
        CommandLine cl = spec.commandLine();
        if (spec.commandLine().getParseResult().hasMatchedOption("--seq-len")) {
            throw new CommandLine.ParameterException(cl, "give either --seq-len or --tbptt, not both");
        }
        String[] parts = tbptt.split(":", -1);
        try {
            int k1 = Integer.parseInt(parts[0].trim());
            int k2 = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : k1;
            if (parts.length > 2 || k1 < 1 || k2 < k1) {
                throw new NumberFormatException();
            }
            return new int[] {k1, k2};
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cl, "--tbptt must be K1 or K1:K2 with 1 <= K1 <= K2, got '" + tbptt + "'");
        }
    }

    /** What to try after a divergence, from the values of this run ({@code rate}: the optimizer's, before any schedule). */
    private String divergenceHint(Path dir, float rate) {
        String clip = clipNorm > 0 ? "a smaller --clip-norm than " + clipNorm : "--clip-norm " + TrainingConfig.DEFAULT_CLIP_NORM;
        String saved = Files.exists(dir.resolve("best.safetensors"))
                ? "; the best model so far is in " + dir.resolve("best.safetensors") : "";
        return "try --lr " + rate / 10 + " (now " + rate + ") or " + clip + saved;
    }

    /** Refuses an --out that is a file, or that holds an earlier run's models unless --force. */
    private void prepareOutput(Path dir) throws IOException {
        CommandLine cl = spec.commandLine();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cl, "--out " + dir + " is a file, not a directory");
        }
        for (String name : new String[] {"best.safetensors", "last.safetensors"}) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                if (!force) {
                    throw new CommandLine.ParameterException(cl, "--out " + dir + " already holds an earlier run (" + name
                            + "): choose another directory, or add --force to replace it");
                }
                Files.delete(f);
            }
        }
        Files.createDirectories(dir);
    }

    /** --checkpoint-every K: K ≥ 1, or 0 for off; shared with the sequence tasks. */
    static void checkCheckpointEvery(CommandLine cl, int k) {
        if (k < 0) {
            throw new CommandLine.ParameterException(cl, "--checkpoint-every must be at least 1 step, or 0 to keep every "
                    + "activation, got " + k);
        }
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if ((long) hidden * Math.max(hidden, embedding) > Integer.MAX_VALUE - 8) {
            throw new CommandLine.ParameterException(cl, "--hidden " + hidden + " is too large: a weight matrix of "
                    + hidden + " x " + Math.max(hidden, embedding) + " does not fit in one Java array");
        }
        positive(hidden, "--hidden");
        positive(layers, "--layers");
        positive(seqLen, "--seq-len");
        positive(batch, "--batch");
        positive(evalEvery, "--eval-every");
        checkCheckpointEvery(cl, checkpointEvery);
        if (embedding < 0) {
            throw new CommandLine.ParameterException(cl, "--embedding must be 0 (one-hot) or positive, got " + embedding);
        }
        if (sampleLength < 0) {
            throw new CommandLine.ParameterException(cl, "--sample-length must be 0 or positive, got " + sampleLength);
        }
        if (duration.steps != null) {
            positive(duration.steps, "--steps");
        }
        if (duration.epochs != null && !(duration.epochs > 0 && Double.isFinite(duration.epochs))) {
            throw new CommandLine.ParameterException(cl, "--epochs must be positive, got " + duration.epochs);
        }
        if (!(timeLimit >= 0 && Double.isFinite(timeLimit))) {
            throw new CommandLine.ParameterException(cl, "--time-limit must be 0 (none) or positive minutes, got " + timeLimit);
        }
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) {
            throw new CommandLine.ParameterException(cl, "--lr must be positive, got " + lr);
        }
        if (!(clipNorm >= 0 && Float.isFinite(clipNorm))) {
            throw new CommandLine.ParameterException(cl, "--clip-norm must be 0 (off) or positive, got " + clipNorm);
        }
        if (!(clipValue >= 0 && Float.isFinite(clipValue))) {
            throw new CommandLine.ParameterException(cl, "--clip-value must be 0 (off) or positive, got " + clipValue);
        }
        oneOf(nonFinite, "--nonfinite", "stop", "skip", "shrink");
        if (!(pascanuAlpha >= 0 && Double.isFinite(pascanuAlpha))) {
            throw new CommandLine.ParameterException(cl, "--pascanu-alpha must be 0 (off) or positive, got " + pascanuAlpha);
        }
        if (pascanuAlpha > 0 && !"rnn".equals(cell)) {
            throw new CommandLine.ParameterException(cl, "--pascanu-alpha needs --cell rnn (the regularizer is defined for "
                    + "the Elman cell), got --cell " + cell);
        }
        if (!(validFraction >= Corpus.MIN_VALIDATION_FRACTION && validFraction <= Corpus.MAX_VALIDATION_FRACTION)) {
            throw new CommandLine.ParameterException(cl, "--valid-fraction must be between " + Corpus.MIN_VALIDATION_FRACTION
                    + " and " + Corpus.MAX_VALIDATION_FRACTION + ", got " + validFraction);
        }
        if (!(initGain > 0 && Float.isFinite(initGain))) {
            throw new CommandLine.ParameterException(cl, "--init-gain must be positive, got " + initGain);
        }
        if (spectralRadius != null && !(spectralRadius > 0 && Float.isFinite(spectralRadius))) {
            throw new CommandLine.ParameterException(cl, "--spectral-radius must be positive, got " + spectralRadius);
        }
        oneOf(level, "--level", "char", "word");
        oneOf(activation, "--activation", "tanh", "relu", "sigmoid");
        oneOf(cell, "--cell", "rnn", "lstm", "gru");
        ScheduleSpec.parse(cl, schedule, 1.0, 100); // the syntax, before any data is read
        if (!"rnn".equals(cell) && !"tanh".equals(activation)) {
            throw new CommandLine.ParameterException(cl, "--activation applies to the Elman cell only; LSTM and GRU use "
                    + "their own sigmoid and tanh gates");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new CommandLine.ParameterException(cl, "--dropout must be in [0, 1), got " + dropout);
        }
        if (forgetBias != null && (!"lstm".equals(cell) || !Float.isFinite(forgetBias))) {
            throw new CommandLine.ParameterException(cl, "--forget-bias needs --cell lstm and a finite value");
        }
        oneOf(init, "--init", "default", "orthogonal", "identity");
        if (text == null && !"char".equals(level)) {
            throw new CommandLine.ParameterException(cl, "the built-in Reber corpus is character level; give --text FILE "
                    + "to train on words");
        }
    }

    private void positive(long v, String name) {
        if (v < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), name + " must be a positive integer, got " + v);
        }
    }

    private void oneOf(String v, String name, String... allowed) {
        for (String a : allowed) {
            if (a.equals(v)) {
                return;
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), name + " must be one of " + String.join(", ", allowed)
                + ", got '" + v + "'");
    }

    static String describe(ModelConfig c) {
        return String.format("%s %d layer%s, H=%d, %s, V=%d%s%s", c.cell() == CellType.RNN
                        ? "rnn(" + c.nonlinearity().id() + ")" : c.cell().id(), c.numLayers(),
                c.numLayers() == 1 ? "" : "s", c.hiddenSize(), c.embeddingDim() > 0 ? "E=" + c.embeddingDim() : "one-hot",
                c.vocabSize(), c.dropout() > 0 ? ", dropout " + c.dropout() : "",
                c.learnedInitialState() ? ", learned h0" : "");
    }

    /** The prime used when none is given: a newline when the vocabulary has one, else token 0. */
    static int[] defaultPrime(Vocabulary vocab) {
        return new int[] {vocab.contains("\n") ? vocab.id("\n") : 0};
    }

    private static double reberValidity(LanguageModel model, Vocabulary vocab, Rng rng) {
        // Sample a long text, cut it into lines, and check each complete line against the grammar.
        String s = vocab.decode(new Sampler(model, new SamplingOptions(1f, 0), rng)
                .generate(defaultPrime(vocab), 4000, id -> { }));
        String[] lines = s.split("\n", -1);
        List<String> complete = new ArrayList<>();
        for (int i = 0; i < lines.length - 1; i++) { // the last piece may be cut off
            complete.add(lines[i]);
        }
        return complete.isEmpty() ? 0 : EmbeddedReber.validFraction(complete);
    }

    private void save(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> provenance, long step,
                      double validLoss) {
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put("rnn4j.step", Long.toString(step));
        meta.put("rnn4j.valid_loss", Double.toString(validLoss));
        try {
            ModelFile.save(file, model, vocab, meta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeLine(BufferedWriter w, String line) {
        try {
            w.write(line);
            w.newLine();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String oneLine(String s) {
        String t = s.replace("\n", "\\n");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }
}
