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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.TaskModelFile;
import org.rnn4j.matrix.Rng;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.OptimizerSettings;
import org.rnn4j.optim.Optimizers;
import org.rnn4j.train.ClassifyTask;
import org.rnn4j.train.ForecastTask;
import org.rnn4j.train.Seq2SeqTask;
import org.rnn4j.train.SupervisedTask;
import org.rnn4j.train.SupervisedTrainer;
import org.rnn4j.train.TaskMetrics;
import org.rnn4j.train.TrainingConfig;
import org.rnn4j.train.TrainingDivergedException;
import org.rnn4j.train.TrainingListener;
import picocli.CommandLine;

/**
 * {@code rnn4j train --task classify|tag|seq2seq|forecast}: trains a sequence model on --data with the
 * train command's options, logging as the language-model path does (progress and evaluations on stderr,
 * metrics.jsonl, best.safetensors at each best evaluation, last.safetensors at the end) and printing a
 * summary, with --json a JSON object as the last line.
 */
final class TaskTraining {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainCommand o;
    private final CommandLine cl;

    TaskTraining(TrainCommand options) {
        this.o = options;
        this.cl = options.spec.commandLine();
    }

    Integer run() throws IOException {
        TaskOptions.validate(o);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        Rng rng = new Rng(o.seed);
        TaskSetup.Prepared p = TaskSetup.prepare(o, rng);
        SupervisedTask task = p.task();
        Optimizer opt = optimizer(task);
        long perEpoch = (task.trainSize() + o.batch - 1) / o.batch;
        long steps = o.duration.epochs != null ? Math.max(1, Math.round(o.duration.epochs * perEpoch))
                : o.duration.steps != null ? o.duration.steps : TrainingConfig.DEFAULT_STEPS;
        SupervisedTrainer.Config tc = SupervisedTrainer.Config.builder().steps(steps).batch(o.batch).clipNorm(o.clipNorm)
                .clipValue(o.clipValue).evalEvery(o.evalEvery).maxSeconds(o.timeLimit * 60)
                .shuffleSeed(rng.split("shuffle").seed()).build();
        Path dir = o.out != null ? o.out : Path.of("runs", o.task + "-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        prepareOutput(dir);

        p.description().forEach(err::println);
        err.printf("training: %d steps of B=%d (%.2f epochs of %d examples); validation every %d steps; kernels: %s%n",
                steps, o.batch, (double) steps / perEpoch, task.trainSize(), o.evalEvery, KernelThreads.describe());
        err.printf("optimizer: %s, learning rate %s%n", o.optimizer, opt.learningRate());
        if (o.checkpointEvery > 0) {
            err.printf("gradient checkpointing: activations kept for %d steps at a time, recomputed in backward%n", o.checkpointEvery);
        }
        err.flush();

        Map<String, String> provenance = provenance();
        Path best = dir.resolve("best.safetensors");
        Path last = dir.resolve("last.safetensors");
        SupervisedTrainer.Result result;
        try (BufferedWriter metrics = Files.newBufferedWriter(dir.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
             Progress progress = new Progress(err, steps)) {
            SupervisedTrainer.Listener listener = new SupervisedTrainer.Listener() {
                @Override
                public void onStep(TrainingListener.StepMetrics m) {
                    progress.step(m);
                    if (m.step() % 10 == 0 || m.step() == m.totalSteps()) {
                        writeLine(metrics, JSON.createObjectNode().put("type", "step").put("step", m.step())
                                .put("epoch", m.epoch()).put("loss", m.loss()).put("grad_norm", m.gradNorm())
                                .put("clipped", m.clipped()).put("clipped_fraction", m.clippedFraction())
                                .put("lr", m.learningRate()).put("timesteps_per_s", m.tokensPerSecond())
                                .put("elapsed_s", m.elapsedSeconds()).toString());
                    }
                }

                @Override
                public void onEvaluation(SupervisedTrainer.Evaluation e) {
                    ObjectNode line = JSON.createObjectNode().put("type", "eval").put("step", e.step())
                            .put("epoch", e.epoch()).put("train_loss", e.trainLoss()).put("valid_loss", e.valid().loss());
                    e.valid().values().forEach(line::put);
                    writeLine(metrics, line.put("best", e.best()).put("elapsed_s", e.elapsedSeconds()).toString());
                    progress.message(String.format("step %d: train loss %.4g, valid loss %.4g, %s%s", e.step(),
                            e.trainLoss(), e.valid().loss(), describe(task.id(), e.valid(), o.beam),
                            e.best() ? " (best)" : ""));
                    if (e.best()) {
                        save(best, p, provenance, e.step(), e.valid(), task.metric());
                    }
                }
            };
            try {
                result = new SupervisedTrainer(task, tc, opt, listener).run();
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e, divergenceHint(opt, best));
            }
        }
        save(last, p, provenance, result.steps(), result.last(), task.metric());

        double bestValue = result.best().get(task.metric());
        out.printf("validation %s, loss %.4g; best %s at step %d%n", describe(task.id(), result.last(), o.beam),
                result.last().loss(), task.metric().equals(ForecastTask.RMSE) ? String.format("RMSE %.5g", bestValue)
                        : String.format("%s %.4f", task.metric().replace('_', ' '), bestValue), result.bestStep());
        out.printf("%d steps in %.1f s (%.1f steps/s); models in %s%n", result.steps(), result.seconds(),
                result.steps() / result.seconds(), dir);
        if (o.json) {
            ObjectNode s = JSON.createObjectNode().put("task", task.id()).put("metric", task.metric())
                    .put("steps", result.steps()).put("seconds", result.seconds())
                    .put("valid_loss", result.last().loss());
            result.last().values().forEach(s::put);
            s.put("best_step", result.bestStep()).put("best_valid_loss", result.best().loss())
                    .put("best_" + task.metric(), result.best().get(task.metric()))
                    .put("best_model", best.toString()).put("last_model", last.toString());
            out.println(s);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** The metrics of one evaluation in words, e.g. "accuracy 0.9650 (majority class 0.5120)". */
    static String describe(String task, TaskMetrics m, Integer beam) {
        return switch (task) {
            case TaskOptions.CLASSIFY, TaskOptions.TAG -> String.format("accuracy %.4f (majority class %.4f)",
                    m.get(ClassifyTask.ACCURACY), m.get(ClassifyTask.MAJORITY_ACCURACY));
            case TaskOptions.SEQ2SEQ -> String.format("exact match %.4f greedy", m.get(Seq2SeqTask.EXACT_MATCH))
                    + (m.values().containsKey(Seq2SeqTask.EXACT_MATCH_BEAM) ? String.format(", %.4f beam %d",
                    m.get(Seq2SeqTask.EXACT_MATCH_BEAM), beam) : "");
            case TaskOptions.FORECAST -> String.format("RMSE %.5g (naive last-value forecast %.5g)",
                    m.get(ForecastTask.RMSE), m.get(ForecastTask.NAIVE_RMSE));
            default -> m.values().toString();
        };
    }

    private Optimizer optimizer(SupervisedTask task) {
        float rate = o.lr != null ? o.lr : "sgd".equals(o.optimizer) ? TrainingConfig.DEFAULT_LEARNING_RATE : Float.NaN;
        OptimizerSettings.Builder os = OptimizerSettings.builder();
        if (!Float.isNaN(rate)) {
            os.learningRate(rate);
        }
        if (o.weightDecay != null) {
            os.weightDecay(o.weightDecay);
        }
        if (o.momentum != null) {
            os.momentum(o.momentum);
        }
        try {
            return Optimizers.create(o.optimizer, task.parameters(), os.build());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private Map<String, String> provenance() throws IOException {
        List<String> all = cl.getParseResult().originalArgs();
        int at = all.indexOf(o.spec.name());
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rnn4j.created_at", Instant.now().toString());
        m.put("rnn4j.seed", Long.toString(o.seed));
        m.put("rnn4j.args", JSON.valueToTree(all.subList(at + 1, all.size())).toString());
        m.put("rnn4j.data", o.data.toString());
        m.put("rnn4j.data_sha256", sha256(o.data));
        return m;
    }

    private static void save(Path file, TaskSetup.Prepared p, Map<String, String> provenance, long step, TaskMetrics m,
                             String metric) {
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put("rnn4j.step", Long.toString(step));
        meta.put("rnn4j.valid_loss", Double.toString(m.loss()));
        meta.put("rnn4j.valid_" + metric, Double.toString(m.get(metric)));
        try {
            TaskModelFile.save(file, p.contents().apply(meta));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What to try after a divergence, from the values of this run. */
    private String divergenceHint(Optimizer opt, Path best) {
        String clip = o.clipNorm > 0 ? "a smaller --clip-norm than " + o.clipNorm
                : "--clip-norm " + TrainingConfig.DEFAULT_CLIP_NORM;
        String saved = Files.exists(best) ? "; the best model so far is in " + best : "";
        float now = opt.learningRate();
        return "try --lr " + now / 10 + " (now " + now + ") or " + clip + saved;
    }

    /** Refuses an --out that is a file, or that holds an earlier run's models unless --force. */
    private void prepareOutput(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cl, "--out " + dir + " is a file, not a directory");
        }
        for (String name : new String[] {"best.safetensors", "last.safetensors"}) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                if (!o.force) {
                    throw new CommandLine.ParameterException(cl, "--out " + dir + " already holds an earlier run (" + name
                            + "): choose another directory, or add --force to replace it");
                }
                Files.delete(f);
            }
        }
        Files.createDirectories(dir);
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

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
