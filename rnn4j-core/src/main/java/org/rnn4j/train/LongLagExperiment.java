package org.rnn4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.rnn4j.data.LongLagBatch;
import org.rnn4j.data.LongLagTask;
import org.rnn4j.diag.ByLag;
import org.rnn4j.diag.GradientFlow;
import org.rnn4j.diag.StackProbe;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.nn.Init;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.OptimizerSettings;
import org.rnn4j.optim.Optimizers;

/**
 * The vanishing-gradient experiment: which recurrent cells learn a long-time-lag task, as the lag grows.
 * For every variant × length × seed it trains a fresh model with {@link LongLagTrainer} and records
 * whether the task was solved and after how many updates. For the first seed of each (variant, length)
 * it also measures the gradient that reaches each lag, {@code ‖∂L_t/∂h_{t−τ}‖} (geometric mean over a
 * probe batch, layer 0), once at initialisation and once after training: the picture of why the plain
 * RNN fails.
 *
 * <p>Everything derives from {@link Settings#seed()}: run {@code s} of a (variant, length) initialises
 * from {@code Rng(seed).split(variant/length/s)} and reads batches seeded the same way, so a grid point
 * can be rerun alone and gives the same result.
 */
public final class LongLagExperiment {
    /** The cells compared. */
    public enum Variant {
        /** The Elman RNN with tanh and PyTorch's initialisation U(±1/√H). */
        RNN("rnn", "RNN tanh", CellType.RNN, Activation.TANH, Init.RecurrentInit.PYTORCH),
        /** Le, Jaitly &amp; Hinton's (2015) IRNN: ReLU with W_hh = I and zero biases. */
        IRNN("irnn", "IRNN (ReLU, W_hh = I)", CellType.RNN, Activation.RELU,
                new Init.RecurrentInit(Init.Recurrent.IDENTITY, 1f, Float.NaN)),
        LSTM("lstm", "LSTM", CellType.LSTM, Activation.TANH, Init.RecurrentInit.PYTORCH),
        GRU("gru", "GRU", CellType.GRU, Activation.TANH, Init.RecurrentInit.PYTORCH);

        public final String id;
        public final String label;
        public final CellType cell;
        public final Activation nonlinearity;
        public final Init.RecurrentInit init;

        Variant(String id, String label, CellType cell, Activation nonlinearity, Init.RecurrentInit init) {
            this.id = id;
            this.label = label;
            this.cell = cell;
            this.nonlinearity = nonlinearity;
            this.init = init;
        }

        public static Variant fromId(String id) {
            for (Variant v : values()) {
                if (v.id.equals(id.toLowerCase(Locale.ROOT))) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown cell variant '" + id + "': expected rnn, irnn, lstm or gru");
        }
    }

    /**
     * The grid and how each run trains.
     *
     * @param variants the cells compared
     * @param lengths the nominal lengths T
     * @param seeds runs per (variant, length)
     * @param hidden H
     * @param optimizer an {@link Optimizers} name
     * @param learningRate its learning rate
     * @param forgetBias LSTM forget-gate bias at the start (NaN: PyTorch's random init)
     * @param training batch, budget, evaluation, clipping and success rule of each run (its {@code steps}
     *                 and {@code seed} are replaced per run)
     * @param probeBatch sequences in the gradient-by-lag probe (0: no probe)
     * @param seed the root seed
     */
    public record Settings(LongLagTask task, List<Variant> variants, int[] lengths, int seeds, int hidden,
                           String optimizer, double learningRate, float forgetBias, LongLagTrainer.Config training,
                           int probeBatch, long seed) {
        public Settings {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(training, "training");
            variants = List.copyOf(variants);
            lengths = lengths.clone();
            if (variants.isEmpty() || lengths.length == 0 || seeds < 1 || hidden < 1 || probeBatch < 0) {
                throw new IllegalArgumentException("an experiment needs at least one variant, one length, one seed and "
                        + "a positive hidden size, got " + variants.size() + ", " + lengths.length + ", " + seeds
                        + ", " + hidden);
            }
            for (int t : lengths) {
                if (t < task.minSteps()) {
                    throw new IllegalArgumentException("the " + task.name() + " task needs T >= " + task.minSteps()
                            + ", got " + t);
                }
            }
            Optimizers.resolve(optimizer, OptimizerSettings.DEFAULTS); // checks the name
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
            }
        }

        @Override
        public int[] lengths() {
            return lengths.clone();
        }

        /** How many runs the grid makes. */
        public int runs() {
            return variants.size() * lengths.length * seeds;
        }
    }

    /** The gradient reaching each lag, geometric mean of ‖∂L_t/∂h_{t−τ}‖ over the probe (NaN: no pair). */
    public record LagProfile(double[] byLag) {
        public LagProfile {
            byLag = byLag.clone();
        }

        @Override
        public double[] byLag() {
            return byLag.clone();
        }
    }

    /**
     * One training run.
     *
     * @param atInit the gradient profile of the untrained model, or null (not probed)
     * @param trained the profile after training, or null
     */
    public record Run(Variant variant, int length, int seedIndex, LongLagTrainer.Result result, LagProfile atInit,
                      LagProfile trained) {
    }

    /** One (variant, length) of the table. */
    public record Summary(Variant variant, int length, int runs, int solved, double medianUpdatesToSolve,
                          double meanFinalErrorRate) {
        public double successRate() {
            return (double) solved / runs;
        }
    }

    /** The outcome: every run, in grid order (variant, then length, then seed). */
    public record Report(Settings settings, List<Run> runs, double seconds) {
        public Report {
            runs = List.copyOf(runs);
        }

        /** One row per (variant, length), in grid order. */
        public List<Summary> summaries() {
            List<Summary> out = new ArrayList<>();
            for (Variant v : settings.variants()) {
                for (int t : settings.lengths()) {
                    List<Run> cell = runs.stream().filter(r -> r.variant() == v && r.length() == t).toList();
                    if (!cell.isEmpty()) {
                        out.add(summarize(v, t, cell));
                    }
                }
            }
            return out;
        }

        private static Summary summarize(Variant v, int t, List<Run> cell) {
            double[] solvedAt = cell.stream().filter(r -> r.result().solved())
                    .mapToDouble(r -> r.result().updatesToSolve()).sorted().toArray();
            double median = solvedAt.length == 0 ? Double.NaN
                    : solvedAt.length % 2 == 1 ? solvedAt[solvedAt.length / 2]
                    : (solvedAt[solvedAt.length / 2 - 1] + solvedAt[solvedAt.length / 2]) / 2;
            double err = cell.stream().mapToDouble(r -> r.result().last().errorRate()).average().orElse(Double.NaN);
            return new Summary(v, t, cell.size(), solvedAt.length, median, err);
        }
    }

    /** Receives the progress; the library never prints. */
    public interface Listener extends LongLagTrainer.Listener {
        /** Before run {@code index} (0-based) of {@code total}. */
        default void onRunStart(Variant variant, int length, int seedIndex, int index, int total) {
        }

        /** After a run. */
        default void onRunEnd(Run run) {
        }
    }

    private final Settings settings;

    public LongLagExperiment(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Runs the whole grid. */
    public Report run(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        long start = System.nanoTime();
        List<Run> runs = new ArrayList<>();
        int index = 0;
        for (Variant v : settings.variants()) {
            for (int t : settings.lengths()) {
                for (int s = 0; s < settings.seeds(); s++) {
                    listener.onRunStart(v, t, s, index++, settings.runs());
                    Run r = runOne(v, t, s, listener);
                    runs.add(r);
                    listener.onRunEnd(r);
                }
            }
        }
        return new Report(settings, runs, (System.nanoTime() - start) / 1e9);
    }

    /** One run of the grid: variant {@code v} at length {@code t}, seed index {@code s}. */
    public Run runOne(Variant v, int t, int s, LongLagTrainer.Listener listener) {
        Rng rng = new Rng(settings.seed()).split(v.id + "/" + t + "/" + s);
        SequenceModel model = SequenceModel.create(LongLagTrainer.modelConfig(settings.task(), v.cell, v.nonlinearity,
                settings.hidden()), v.init, rng.split("init"));
        if (v.cell == CellType.LSTM && !Float.isNaN(settings.forgetBias())) {
            model.rnn().setForgetGateBias(settings.forgetBias());
        }
        LongLagTrainer.Config base = settings.training();
        LongLagTrainer.Config c = new LongLagTrainer.Config(t, base.batch(), base.maxUpdates(), base.evalEvery(),
                base.testSize(), base.successErrorRate(), base.clipNorm(), base.clipValue(), base.nonFinite(),
                base.pascanuAlpha(), base.maxSeconds(), rng.split("data").nextLong());
        boolean probe = s == 0 && settings.probeBatch() > 0;
        LongLagBatch probeBatch = probe ? settings.task().batch(settings.probeBatch(), t, rng.split("probe").nextLong())
                : null;
        LagProfile atInit = probe ? profile(model, probeBatch, t) : null;
        Optimizer optimizer = Optimizers.create(settings.optimizer(), model.parameters(),
                OptimizerSettings.builder().learningRate(settings.learningRate()).build());
        LongLagTrainer.Result result = new LongLagTrainer(settings.task(), c).run(model, optimizer, listener);
        LagProfile trained = probe ? profile(model, probeBatch, t) : null;
        return new Run(v, t, s, result, atInit, trained);
    }

    /**
     * The geometric mean by lag of ‖∂L_t/∂h_{t−τ}‖ over the probe batch, layer 0, lags 0 … T−1. Steps whose
     * loss sends back an exact zero (a many-to-one task scores only the last step) do not enter the mean.
     */
    static LagProfile profile(SequenceModel model, LongLagBatch batch, int steps) {
        StackProbe probe = StackProbe.of(model, LongLagTrainer.toSequenceBatch(batch));
        ByLag byLag = GradientFlow.measure(probe, steps - 1).get(0).hiddenByLag();
        double[] g = new double[byLag.maxLag() + 1];
        for (int lag = 0; lag < g.length; lag++) {
            g[lag] = byLag.count(lag) > byLag.zeros(lag) ? byLag.geometricMean(lag) : Double.NaN;
        }
        return new LagProfile(g);
    }

    @Override
    public String toString() {
        return "LongLagExperiment[" + settings.task().name() + ", " + settings.variants() + " x "
                + Arrays.toString(settings.lengths()) + " x " + settings.seeds() + " seeds]";
    }
}
