package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.data.Corpus;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.diag.ByLag;
import org.rnn4j.diag.GradientFlow;
import org.rnn4j.diag.JacobianNorms;
import org.rnn4j.diag.Saturation;
import org.rnn4j.diag.Spectra;
import org.rnn4j.diag.StackProbe;
import org.rnn4j.io.ModelFile;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.sample.Sampler;
import org.rnn4j.sample.SamplingOptions;
import org.rnn4j.matrix.Rng;
import static org.rnn4j.cli.JsonNumbers.addNum;
import static org.rnn4j.cli.JsonNumbers.array;
import static org.rnn4j.cli.JsonNumbers.num;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The vanishing / exploding gradient report of issue 5, text and JSON: for B windows of T tokens, per
 * layer, the spectra of the recurrent gate blocks ({@link Spectra}), ‖∂L/∂h_k‖ by step and ‖∂L_t/∂h_{t−τ}‖ by
 * lag ({@link GradientFlow}), the Jacobian-product norms by lag against the seeds' bound
 * ({@link JacobianNorms}), and saturation and memory-gate statistics by step ({@link Saturation}).
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how gradients flow through time in a language model or a model for a long-time-lag "
                + "task: per layer, the spectra of the recurrent matrices, the gradient norm by step and by lag, the "
                + "Jacobian-product norms by lag against the bound (||W_hh||*gamma)^lag, and saturation by step. "
                + "Prints a text report and writes the plots (PNG and SVG) into --out.",
                "With --model, the windows come from --text, or without it from the model's own samples "
                        + "(temperature 1 from the default prime, seeded by --seed). With --task, a fresh --cell model "
                        + "(optionally trained --train-updates) is probed on --batch sequences of the task."})
final class DiagnoseCommand implements Callable<Integer> {
    static final int DEFAULT_LENGTH = 50;
    static final int DEFAULT_BATCH = 4;
    static final int DEFAULT_MAX_LAG = 50;
    /** The lags of the text table: 1, 2, 5, 10, 20, 50, 100, 200, 500, … */
    private static final int[] TABLE_LAG_STEPS = {1, 2, 5};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--model", paramLabel = "FILE", description = "A language model file (.safetensors).")
    Path model;

    @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text to take the windows from, evenly spaced "
            + "(default: the model's own samples at temperature 1).")
    Path text;

    @Option(names = "--task", paramLabel = "NAME", description = "Instead of a language model: a fresh model for this "
            + "long-time-lag task (${COMPLETION-CANDIDATES}), probed on the task's own sequences.",
            completionCandidates = VanishingCommand.TaskNames.class)
    String task;

    @Option(names = "--cell", paramLabel = "CELL", description = "With --task: rnn (tanh), irnn (ReLU, identity init), "
            + "lstm or gru (default: ${DEFAULT-VALUE}).")
    String cell = "rnn";

    @Option(names = "--hidden", paramLabel = "H", description = "With --task: hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = 32;

    @Option(names = "--train-updates", paramLabel = "N", description = "With --task: train this many Adam updates "
            + "(lr 0.01, clip-norm 1, batch 32) before probing; 0 probes the untrained model (default: ${DEFAULT-VALUE}).")
    long trainUpdates;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the plots, PNG and SVG "
            + "(default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "diagnose");

    @Option(names = "--length", paramLabel = "T", description = "Steps per window (default: ${DEFAULT-VALUE}).")
    int length = DEFAULT_LENGTH;

    @Option(names = "--batch", paramLabel = "B", description = "Windows (default: ${DEFAULT-VALUE}).")
    int batch = DEFAULT_BATCH;

    @Option(names = "--max-lag", paramLabel = "N", description = "Largest lag measured; at most T-1 is used "
            + "(default: ${DEFAULT-VALUE}).")
    int maxLag = DEFAULT_MAX_LAG;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the samples and of the power iterations "
            + "(default: ${DEFAULT-VALUE}).")
    long seed = TrainCommand.DEFAULT_SEED;

    @Option(names = "--json", description = "Print one JSON object with every number as the last line.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (length < 2) {
            throw new CommandLine.ParameterException(cl, "--length must be at least 2, got " + length);
        }
        if (batch < 1) {
            throw new CommandLine.ParameterException(cl, "--batch must be positive, got " + batch);
        }
        if (maxLag < 1) {
            throw new CommandLine.ParameterException(cl, "--max-lag must be positive, got " + maxLag);
        }
        if ((model == null) == (task == null)) {
            throw new CommandLine.ParameterException(cl, "give --model FILE (a language model) or --task NAME "
                    + "(a long-time-lag task), not " + (model == null ? "neither" : "both"));
        }
        if (task != null && text != null) {
            throw new CommandLine.ParameterException(cl, "--text applies to a language model (--model), not to --task");
        }
        Subject subject = task != null ? taskSubject(cl) : modelSubject();
        StackProbe probe = subject.probe();
        int steps = probe.steps();
        int lags = Math.min(maxLag, steps - 1);
        Rng rng = new Rng(seed);
        List<Spectra.Block> blocks = Spectra.of(subject.stack(), rng.split("spectra"));
        List<GradientFlow.LayerGradients> flow = GradientFlow.measure(probe, lags);
        List<JacobianNorms.LayerJacobians> jac = JacobianNorms.measure(probe, jacobianOptions(lags, batch,
                rng.split("jacobians").nextLong()));
        List<Saturation.LayerSaturation> sat = Saturation.measure(probe);

        PrintWriter out = cl.getOut();
        int h = probe.hiddenSize();
        out.printf(Locale.ROOT, "%s: %s, %d layer(s), H=%d; %d sequence(s) of %d steps from %s; loss %.4f per %s%n",
                subject.name(), probe.cell(), probe.numLayers(), h, probe.batch(), steps, subject.source(),
                probe.loss() / subject.lossItems(), subject.lossUnit());
        int[] tableLags = tableLags(lags);
        ObjectNode root = JSON.createObjectNode();
        root.put("model", subject.name()).put("cell", probe.cell().name()).put("layers", probe.numLayers())
                .put("hidden_size", h).put("steps", steps).put("batch", probe.batch()).put("max_lag", lags)
                .put("source", task != null ? "task" : text != null ? "text" : "samples");
        num(root, "loss", probe.loss() / subject.lossItems());
        ArrayNode layersJson = root.putArray("per_layer");
        for (int l = 0; l < probe.numLayers(); l++) {
            out.printf("%nlayer %d%n", l);
            ObjectNode lj = layersJson.addObject().put("layer", l);
            report(out, lj, l, blocks, flow.get(l), jac.get(l), sat.get(l), tableLags);
        }
        List<Path> plots = DiagnosePlots.write(this.out, subject.name(), blocks, flow, jac, sat, lags);
        outLine(cl.getOut(), plots);
        if (json) {
            ArrayNode pj = root.putArray("plots");
            plots.forEach(p -> pj.add(p.toString()));
            out.println(root.toString());
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static void outLine(PrintWriter w, List<Path> plots) {
        w.printf("%nwrote %d plots: %s%n", plots.size(), String.join(", ", plots.stream().map(Path::toString).toList()));
    }

    /** What is diagnosed: the probe, the stack it ran, and how to describe them. */
    private record Subject(String name, String source, StackProbe probe, org.rnn4j.model.RecurrentStack stack,
                           double lossItems, String lossUnit) {
    }

    private Subject modelSubject() throws IOException {
        ModelFile.Contents c = ModelFile.load(model);
        LanguageModel lm = c.model();
        Vocabulary vocab = c.vocabulary();
        if (lm.config().bidirectional()) {
            throw new IllegalArgumentException(model + ": the model is bidirectional; diagnose needs a unidirectional "
                    + "stack (time runs one way)");
        }
        int steps = length;
        int[] stream = text != null ? textTokens(vocab, steps) : sampledTokens(lm, vocab, steps);
        // B windows of T + 1 tokens (inputs and next-token targets), evenly spaced over the stream, time-major.
        int[] tokens = new int[steps * batch];
        int[] targets = new int[steps * batch];
        int span = stream.length - (steps + 1);
        for (int b = 0; b < batch; b++) {
            int start = batch == 1 ? 0 : (int) ((long) span * b / (batch - 1));
            for (int t = 0; t < steps; t++) {
                tokens[t * batch + b] = stream[start + t];
                targets[t * batch + b] = stream[start + t + 1];
            }
        }
        String source = text != null ? text.toString() : "the model's samples (temperature 1, seed " + seed + ")";
        return new Subject(model.toString(), source, StackProbe.of(lm, tokens, targets, steps, batch, null), lm.rnn(),
                (double) steps * batch, "token (nats)");
    }

    private Subject taskSubject(CommandLine cl) {
        org.rnn4j.data.LongLagTask t;
        org.rnn4j.train.LongLagExperiment.Variant v;
        try {
            t = org.rnn4j.data.LongLagTask.forName(task);
            v = org.rnn4j.train.LongLagExperiment.Variant.fromId(cell);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (length < t.minSteps()) {
            throw new CommandLine.ParameterException(cl, "the " + t.name() + " task needs --length >= " + t.minSteps()
                    + ", got " + length);
        }
        if (hidden < 1 || trainUpdates < 0) {
            throw new CommandLine.ParameterException(cl, "--hidden must be positive and --train-updates at least 0, got "
                    + hidden + " and " + trainUpdates);
        }
        Rng rng = new Rng(seed);
        org.rnn4j.model.SequenceModel m = org.rnn4j.model.SequenceModel.create(
                org.rnn4j.train.LongLagTrainer.modelConfig(t, v.cell, v.nonlinearity, hidden), v.init, rng.split("init"));
        String trained = "untrained";
        if (trainUpdates > 0) {
            org.rnn4j.train.LongLagTrainer.Config c = new org.rnn4j.train.LongLagTrainer.Config(length, 32, trainUpdates,
                    trainUpdates, 500, 0, 1f, 0f, org.rnn4j.train.NonFiniteGradient.SKIP, 0, 0, seed);
            org.rnn4j.train.LongLagTrainer.Result r = new org.rnn4j.train.LongLagTrainer(t, c).run(m,
                    org.rnn4j.optim.Optimizers.create("adam", m.parameters(),
                            org.rnn4j.optim.OptimizerSettings.builder().learningRate(0.01).build()),
                    new org.rnn4j.train.LongLagTrainer.Listener() { });
            trained = String.format(Locale.ROOT, "trained %d updates, test error %.3f", r.updates(),
                    r.last().errorRate());
        }
        org.rnn4j.data.LongLagBatch b = t.batch(batch, length, rng.split("probe").nextLong());
        StackProbe probe = StackProbe.of(m, org.rnn4j.train.LongLagTrainer.toSequenceBatch(b));
        return new Subject(v.label + " on " + t.name() + " (" + trained + ")", "the " + t.name() + " task (seed " + seed
                + ")", probe, m.rnn(), b.items(), "scored item");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private void report(PrintWriter out, ObjectNode lj, int l, List<Spectra.Block> blocks,
                        GradientFlow.LayerGradients g, JacobianNorms.LayerJacobians j,
                        Saturation.LayerSaturation s, int[] tableLags) {
        // Spectra
        ArrayNode sj = lj.putArray("spectra");
        StringBuilder line = new StringBuilder("  spectra of W_hh blocks:");
        for (Spectra.Block b : blocks) {
            if (b.layer() != l) {
                continue;
            }
            line.append(String.format(Locale.ROOT, " %s: radius %.4f, sigma_max %.4f;", b.gate(), b.spectralRadius(),
                    b.largestSingularValue()));
            ObjectNode bj = sj.addObject().put("gate", b.gate());
            num(bj, "spectral_radius", b.spectralRadius());
            num(bj, "largest_singular_value", b.largestSingularValue());
        }
        out.println(line.substring(0, line.length() - 1));

        // Gradient by step
        double[] byStep = g.hiddenNorm();
        int t = byStep.length;
        int mid = t / 2;
        double first = byStep[0];
        double last = byStep[t - 1];
        out.printf(Locale.ROOT, "  gradient |dL/dh_k| by step: k=0 %.3e, k=%d %.3e, k=%d %.3e; initial state %.3e; "
                        + "log10(last/first) %+.2f%n", first, mid, byStep[mid], t - 1, last, g.initialHiddenNorm(),
                Math.log10(last / first));
        array(lj, "grad_by_step", byStep);
        array(lj, "state_grad_by_step", g.stateNorm());
        num(lj, "grad_initial_state", g.initialHiddenNorm());
        num(lj, "log10_grad_last_over_first", Math.log10(last / first));

        // By lag: gradient, Jacobian products, bounds
        boolean elman = !Double.isNaN(j.gamma());
        out.printf(Locale.ROOT, "  by lag (geometric means over windows and steps); |W_hh| %.4f%s%s%n", j.recurrentNorm(),
                elman ? String.format(Locale.ROOT, ", gamma %.2f, (|W_hh|*gamma) %.4f", j.gamma(),
                        j.recurrentNorm() * j.gamma()) : "",
                j.unconverged() > 0 ? "; " + j.unconverged() + " power iteration(s) unconverged (lower bounds)" : "");
        out.printf("  %6s %14s %14s %14s %14s%n", "lag", "|dL_t/dh_t-l|", "|J(t,t-l)|", "prod |J_j|",
                elman ? "bound" : "bound (n/a)");
        for (int lag : tableLags) {
            out.printf(Locale.ROOT, "  %6d %14.4e %14.4e %14.4e %14s%n", lag, g.hiddenByLag().geometricMean(lag),
                    j.norms().geometricMean(lag), j.stepProduct().geometricMean(lag),
                    elman ? String.format(Locale.ROOT, "%.4e", j.bound(lag)) : "-");
        }
        ObjectNode lagJson = lj.putObject("by_lag");
        array(lagJson, "grad_geometric_mean", geo(g.hiddenByLag()));
        array(lagJson, "grad_mean", means(g.hiddenByLag()));
        array(lagJson, "state_grad_geometric_mean", geo(g.stateByLag()));
        array(lagJson, "jacobian_geometric_mean", geo(j.norms()));
        array(lagJson, "jacobian_max", maxes(j.norms()));
        array(lagJson, "step_product_geometric_mean", geo(j.stepProduct()));
        double[] bound = new double[j.norms().maxLag() + 1];
        for (int k = 0; k < bound.length; k++) {
            bound[k] = j.bound(k);
        }
        array(lagJson, "bound", bound);
        num(lj, "recurrent_norm", j.recurrentNorm());
        num(lj, "gamma", j.gamma());
        lj.put("unconverged", j.unconverged());

        // Saturation
        ObjectNode satJson = lj.putObject("saturation");
        num(satJson, "limit", Saturation.DEFAULT_LIMIT);
        ArrayNode parts = satJson.putArray("parts");
        ArrayNode shares = satJson.putArray("share_by_step");
        StringBuilder sl = new StringBuilder(String.format(Locale.ROOT,
                "  saturated share by step (limit %.2f), mean [k=0, k=%d, k=%d]:", Saturation.DEFAULT_LIMIT, mid, t - 1));
        for (int p = 0; p < s.parts().size(); p++) {
            double[] share = s.share()[p];
            parts.add(s.parts().get(p));
            ArrayNode a = shares.addArray();
            for (double v : share) {
                addNum(a, v);
            }
            sl.append(String.format(Locale.ROOT, " %s %.3f [%.3f, %.3f, %.3f];", s.parts().get(p), mean(share), share[0],
                    share[mid], share[t - 1]));
        }
        out.println(sl.substring(0, sl.length() - 1));
        Saturation.GateStatistics m = s.memoryGate();
        if (m != null) {
            double[] levels = Saturation.quantileLevels();
            out.printf(Locale.ROOT, "  %s gate (%s): mean %.3f [k=0 %.3f, k=%d %.3f, k=%d %.3f]; over steps, mean of "
                            + "quantiles %s%n", m.gate(), memoryRule(s), mean(m.mean()), m.mean()[0], mid, m.mean()[mid], t - 1,
                    m.mean()[t - 1], quantileSummary(levels, m.quantiles()));
            ObjectNode mj = lj.putObject("memory_gate").put("gate", m.gate());
            array(mj, "mean_by_step", m.mean());
            ArrayNode lv = mj.putArray("quantile_levels");
            for (double v : levels) {
                lv.add(v);
            }
            ArrayNode qs = mj.putArray("quantiles_by_step");
            for (double[] q : m.quantiles()) {
                ArrayNode a = qs.addArray();
                for (double v : q) {
                    addNum(a, v);
                }
            }
        } else {
            lj.putNull("memory_gate");
        }
    }

    private static String memoryRule(Saturation.LayerSaturation s) {
        return switch (s.cell()) {
            case LSTM -> "forget: c_t = f*c_t-1 + ...";
            case GRU -> "update: h_t = z*h_t-1 + ...";
            case RNN -> "";
        };
    }

    /** {@link JacobianNorms.Options#DEFAULT} (the last step of each window) with the lags, windows and seed given. */
    static JacobianNorms.Options jacobianOptions(int lags, int windows, long seed) {
        JacobianNorms.Options d = JacobianNorms.Options.DEFAULT;
        return new JacobianNorms.Options(lags, d.endsPerSequence(), windows, d.part(), d.maxIterations(), d.tolerance(),
                seed);
    }

    private static String quantileSummary(double[] levels, double[][] q) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < levels.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "q%.0f %.3f", 100 * levels[i], mean(q[i])));
        }
        return b.toString();
    }

    /** 1, 2, 5, 10, 20, 50, … up to max, and max itself. */
    static int[] tableLags(int max) {
        List<Integer> v = new ArrayList<>();
        for (long scale = 1; scale <= max; scale *= 10) {
            for (int m : TABLE_LAG_STEPS) {
                if (m * scale <= max) {
                    v.add((int) (m * scale));
                }
            }
        }
        if (v.get(v.size() - 1) != max) {
            v.add(max);
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] textTokens(Vocabulary vocab, int steps) throws IOException {
        String s = Corpus.readText(text);
        if (vocab.level() == TokenLevel.CHAR) {
            List<String> unknown = vocab.unknownTokens(s);
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(text + ": contains characters not in the model's vocabulary: "
                        + Vocabulary.describeCharacters(unknown) + "; use text over the characters the model was trained on");
            }
        }
        int[] ids = vocab.encode(s);
        if (ids.length < steps + 1) {
            throw new IllegalArgumentException(text + ": holds " + ids.length + " token(s); --length " + steps
                    + " needs at least " + (steps + 1) + " (give a longer text or a smaller --length)");
        }
        return ids;
    }

    private int[] sampledTokens(LanguageModel lm, Vocabulary vocab, int steps) {
        int[] prime = TrainCommand.defaultPrime(vocab);
        int n = Math.multiplyExact(batch, steps + 1);
        Sampler sampler = new Sampler(lm, new SamplingOptions(1f, 0), new Rng(seed).split("diagnose-sample"));
        int[] generated = sampler.generate(prime, n - prime.length, id -> { });
        int[] all = new int[prime.length + generated.length];
        System.arraycopy(prime, 0, all, 0, prime.length);
        System.arraycopy(generated, 0, all, prime.length, generated.length);
        return all;
    }

    private static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static double[] geo(ByLag b) {
        double[] v = new double[b.maxLag() + 1];
        for (int k = 0; k < v.length; k++) {
            v[k] = b.geometricMean(k);
        }
        return v;
    }

    private static double[] means(ByLag b) {
        double[] v = new double[b.maxLag() + 1];
        for (int k = 0; k < v.length; k++) {
            v[k] = b.mean(k);
        }
        return v;
    }

    private static double[] maxes(ByLag b) {
        double[] v = new double[b.maxLag() + 1];
        for (int k = 0; k < v.length; k++) {
            v[k] = b.max(k);
        }
        return v;
    }



}
