package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.data.LongLagBatch;
import org.rnn4j.data.LongLagTask;
import org.rnn4j.diag.JacobianNorms;
import org.rnn4j.diag.StackProbe;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.nn.Init;
import org.rnn4j.optim.OptimizerSettings;
import org.rnn4j.optim.Optimizers;
import org.rnn4j.plot.HtmlReport;
import org.rnn4j.plot.LineChart;
import org.rnn4j.train.LongLagTrainer;
import org.rnn4j.train.NonFiniteGradient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j experiment exploding}: the seeds' worked example. An Elman RNN whose recurrent matrix is
 * {@code gain·I} with ReLU (f' = 1 on active units, so γ = 1) carries a gradient back through
 * {@code T} steps multiplied by {@code gain^T}: 2^10 = 1024. The command measures the Jacobian product
 * {@code ‖∂h_T/∂h_0‖} of such a network, then trains three copies from the same start with plain SGD on
 * the adding problem (no clipping, norm rescaling, element clipping) and plots their loss curves.
 */
@Command(name = "exploding", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The seeds' worked example: a recurrent weight of about 2 over 10 steps multiplies the gradient "
                + "by about 2^10 = 1024. Measures ||dh_T/dh_0|| of an RNN with W_hh = gain*I (ReLU), then trains it "
                + "with SGD on the adding problem three ways from the same start: no clipping, gradient-norm "
                + "rescaling (Pascanu et al.), element clipping.",
                "Writes loss-curves.png/.svg, exploding.json and report.html into --out."})
final class ExplodingCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--steps", paramLabel = "N", description = "Steps the gradient travels back: sequences of N+1 "
            + "inputs, from h_0 to h_N (default: ${DEFAULT-VALUE}).")
    int steps = 10;

    @Option(names = "--gain", paramLabel = "X", description = "W_hh = X*I (default: ${DEFAULT-VALUE}).")
    float gain = 2f;

    @Option(names = "--hidden", paramLabel = "H", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = 16;

    @Option(names = "--lr", paramLabel = "X", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.01;

    @Option(names = "--updates", paramLabel = "N", description = "Updates per run (default: ${DEFAULT-VALUE}).")
    long updates = 300;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Norm of the rescaling run (default: "
            + "${DEFAULT-VALUE}).")
    float clipNorm = 1f;

    @Option(names = "--clip-value", paramLabel = "X", description = "Bound of the element-clipping run (default: "
            + "${DEFAULT-VALUE}).")
    float clipValue = 0.1f;

    @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "exploding");

    @Option(names = "--json", description = "Print one JSON object with every number as the last line.")
    boolean json;

    private record Way(String label, float clipNorm, float clipValue) {
    }

    private record Curve(Way way, double[] update, double[] loss, LongLagTrainer.Result result) {
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        check(cl, steps >= 1, "--steps must be at least 1, got " + steps);
        check(cl, gain > 0 && Float.isFinite(gain), "--gain must be positive, got " + gain);
        check(cl, hidden >= 1, "--hidden must be positive, got " + hidden);
        check(cl, learningRate > 0 && Double.isFinite(learningRate), "--lr must be positive, got " + learningRate);
        check(cl, updates >= 1, "--updates must be positive, got " + updates);
        check(cl, clipNorm > 0 && Float.isFinite(clipNorm), "--clip-norm must be positive, got " + clipNorm);
        check(cl, clipValue > 0 && Float.isFinite(clipValue), "--clip-value must be positive, got " + clipValue);
        PrintWriter o = cl.getOut();
        LongLagTask task = LongLagTask.forName("adding");
        Init.RecurrentInit init = new Init.RecurrentInit(Init.Recurrent.IDENTITY, gain, Float.NaN);

        // 1. The Jacobian product through T steps, against the bound (|W_hh| gamma)^T.
        SequenceModel probeModel = newModel(task, init);
        int length = steps + 1; // h_0 … h_N
        LongLagBatch probeBatch = task.batch(8, length, new Rng(seed).split("probe").nextLong());
        StackProbe probe = StackProbe.of(probeModel, LongLagTrainer.toSequenceBatch(probeBatch));
        JacobianNorms.LayerJacobians j = JacobianNorms.measure(probe, DiagnoseCommand.jacobianOptions(steps, 8,
                seed)).get(0);
        int lag = steps;
        double measured = j.norms().max(lag);
        o.printf(Locale.ROOT, "RNN (ReLU) with W_hh = %s*I, H=%d: |W_hh| = %.4f, gamma = %.1f%n", gain, hidden,
                j.recurrentNorm(), j.gamma());
        o.printf(Locale.ROOT, "|dh_%d/dh_0| over %d steps: largest %.4g, geometric mean %.4g over %d sequences; bound "
                        + "(|W_hh|*gamma)^%d = %.4g%n", lag, lag, measured, j.norms().geometricMean(lag),
                j.norms().count(lag), lag, j.bound(lag));

        // 2. The same start trained three ways.
        List<Way> ways = List.of(new Way("no clipping", 0f, 0f),
                new Way(String.format(Locale.ROOT, "norm rescaled to %s", clipNorm), clipNorm, 0f),
                new Way(String.format(Locale.ROOT, "elements clipped to +-%s", clipValue), 0f, clipValue));
        List<Curve> curves = new ArrayList<>();
        for (Way w : ways) {
            curves.add(train(task, init, w));
        }
        o.printf(Locale.ROOT, "%nSGD lr %s on the adding problem (T=%d, baseline loss %.4f), %d updates from the same "
                + "start:%n", learningRate, length, task.expectedBaselineLoss(length), updates);
        for (Curve c : curves) {
            LongLagTrainer.Result r = c.result();
            o.printf(Locale.ROOT, "  %-28s %s; first loss %.4g, last finite loss %.4g, test loss %.4g, largest "
                            + "gradient norm %.4g%n", c.way().label(),
                    r.stop() == LongLagTrainer.Stop.NON_FINITE ? "diverged at update " + (r.updates() + 1)
                            : "ran " + r.updates() + " updates", c.loss()[0], lastFinite(c.loss()),
                    r.last().testLoss(), maxNorm(c));
        }
        Files.createDirectories(out);
        LineChart.Builder chart = LineChart.builder(String.format(Locale.ROOT, "Training loss, W_hh = %s*I over %d steps, "
                + "SGD lr %s", gain, steps, learningRate)).xLabel("update").yLabel("training loss (log)").logY();
        for (Curve c : curves) {
            chart.series(c.way().label(), c.update(), c.loss());
        }
        chart.horizontalLine("baseline (predict the mean)", task.expectedBaselineLoss(steps + 1));
        LineChart lossChart = chart.build();
        lossChart.writeBoth(out, "loss-curves");
        ObjectNode root = toJson(j, lag, measured, curves, task);
        Files.writeString(out.resolve("exploding.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(root), StandardCharsets.UTF_8);
        HtmlReport.builder("rnn4j experiment exploding")
                .paragraph(String.format(Locale.ROOT, "An Elman RNN with ReLU and W_hh = %s*I (H=%d). Over %d steps the "
                                + "Jacobian product |dh_%d/dh_0| reaches %.4g; the bound (|W_hh|*gamma)^%d is %.4g.", gain,
                        hidden, lag, lag, measured, lag, j.bound(lag)))
                .figure(lossChart, "Training loss of the same initial network under three treatments of the gradient.")
                .build().write(out.resolve("report.html"));
        o.printf("%nwrote %s: loss-curves.png, loss-curves.svg, exploding.json, report.html%n", out);
        if (json) {
            o.println(root.toString());
        }
        o.flush();
        return Main.EXIT_OK;
    }

    private SequenceModel newModel(LongLagTask task, Init.RecurrentInit init) {
        return SequenceModel.create(LongLagTrainer.modelConfig(task, CellType.RNN, Activation.RELU, hidden), init,
                new Rng(seed).split("init"));
    }

    private Curve train(LongLagTask task, Init.RecurrentInit init, Way w) {
        SequenceModel model = newModel(task, init);
        LongLagTrainer.Config c = new LongLagTrainer.Config(steps + 1, 32, updates, Math.max(1, updates / 10), 500, 0,
                w.clipNorm(), w.clipValue(), NonFiniteGradient.STOP, 0, 0, seed);
        List<double[]> points = new ArrayList<>();
        LongLagTrainer.Result r = new LongLagTrainer(task, c).run(model, Optimizers.create("sgd", model.parameters(),
                OptimizerSettings.builder().learningRate(learningRate).build()), new LongLagTrainer.Listener() {
                    @Override
                    public void onStep(long update, double loss, double gradNorm, boolean clipped) {
                        points.add(new double[] {update, loss, gradNorm});
                    }
                });
        double[] u = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] l = points.stream().mapToDouble(p -> p[1]).toArray();
        return new Curve(w, u, l, r);
    }

    private static double lastFinite(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) {
            if (Double.isFinite(v[i])) {
                return v[i];
            }
        }
        return Double.NaN;
    }

    private static double maxNorm(Curve c) {
        return c.result().evaluations().stream().mapToDouble(LongLagTrainer.Evaluation::gradNorm)
                .filter(Double::isFinite).max().orElse(Double.NaN);
    }

    private ObjectNode toJson(JacobianNorms.LayerJacobians j, int lag, double measured, List<Curve> curves,
                              LongLagTask task) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("gain", gain).put("hidden", hidden).put("steps", steps).put("lag", lag)
                .put("recurrent_norm", j.recurrentNorm()).put("gamma", j.gamma()).put("jacobian_norm_max", measured)
                .put("jacobian_norm_geometric_mean", j.norms().geometricMean(lag)).put("bound", j.bound(lag))
                .put("learning_rate", learningRate).put("baseline_loss", task.expectedBaselineLoss(steps + 1));
        ArrayNode runs = root.putArray("runs");
        for (Curve c : curves) {
            ObjectNode r = runs.addObject().put("treatment", c.way().label())
                    .put("clip_norm", c.way().clipNorm()).put("clip_value", c.way().clipValue())
                    .put("stop", c.result().stop().name().toLowerCase(Locale.ROOT)).put("updates", c.result().updates());
            ArrayNode loss = r.putArray("loss");
            for (double x : c.loss()) {
                if (Double.isFinite(x)) {
                    loss.add(x);
                } else {
                    loss.addNull();
                }
            }
        }
        return root;
    }

    private static void check(CommandLine cl, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cl, message);
        }
    }
}
