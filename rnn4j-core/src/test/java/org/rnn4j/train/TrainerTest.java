package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

class TrainerTest {
    /** The periodic sequence 0 1 2 3 0 1 2 3 …: fully predictable, unigram loss ln 4. */
    private static int[] patternTokens(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 4;
        }
        return t;
    }

    private static LanguageModel model(long seed) {
        ModelConfig c = ModelConfig.builder().vocabSize(4).embeddingDim(4).hiddenSize(16).build();
        return LanguageModel.create(c, Init.RecurrentInit.PYTORCH, new Rng(seed));
    }

    @Test
    void trainingLowersTheValidationLossFarBelowUnigram() {
        int[] tokens = patternTokens(4000);
        int[] train = java.util.Arrays.copyOfRange(tokens, 0, 3600);
        int[] valid = java.util.Arrays.copyOfRange(tokens, 3600, 4000);
        LanguageModel m = model(1);
        double before = Evaluator.evaluate(m, valid, 1, 32).loss();
        TrainingConfig tc = TrainingConfig.builder().steps(150).seqLen(16).batch(8).learningRate(0.05f).evalEvery(50)
                .build();
        List<TrainingListener.EvalMetrics> evals = new ArrayList<>();
        Trainer.Result r = new Trainer(m, new TbpttBatcher(train, 8, 16), valid, tc, new TrainingListener() {
            @Override
            public void onEvaluation(EvalMetrics e) {
                evals.add(e);
            }
        }).run();
        double unigram = Baselines.unigramLoss(train, valid, 4);
        assertEquals(3, evals.size(), "evaluations at steps 50, 100, 150");
        assertTrue(r.lastValidLoss() < 0.1 * unigram && r.lastValidLoss() < before,
                "a deterministic cycle should be learned: before " + before + ", after " + r.lastValidLoss()
                        + ", unigram " + unigram);
    }

    @Test
    void aListenerCanProbeTheModelOnTheWindowItWasTrainedOn() {
        int[] tokens = patternTokens(2000);
        LanguageModel m = model(3);
        TrainingConfig tc = TrainingConfig.builder().steps(6).seqLen(10).batch(4).learningRate(0.05f).evalEvery(6)
                .build();
        List<Long> windows = new ArrayList<>();
        double[] probed = new double[7];
        double[] reported = new double[7];
        double[] flowAtLag0 = new double[7];
        new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() {
            @Override
            public boolean wantsWindow(long step) {
                return step % 3 == 0;
            }

            @Override
            public void onWindow(Window w) {
                windows.add(w.step());
                org.rnn4j.diag.StackProbe p = org.rnn4j.diag.StackProbe.of(w.model(), w.inputs(), w.targets(), w.steps(),
                        w.batch(), w.initialState());
                probed[(int) w.step()] = p.loss() / (w.steps() * w.batch());
                flowAtLag0[(int) w.step()] = org.rnn4j.diag.GradientFlow.measure(p, 3).get(0).hiddenByLag().mean(0);
            }

            @Override
            public void onStep(StepMetrics s) {
                reported[(int) s.step()] = s.loss();
            }
        }).run();
        assertEquals(List.of(3L, 6L), windows, "only the steps asked for");
        for (int step : new int[] {3, 6}) {
            assertEquals(reported[step], probed[step], 1e-4 * reported[step],
                    "the probe sees the window and carried state the step trained on (step " + step + ")");
            assertTrue(flowAtLag0[step] > 0);
        }
    }

    @Test
    void aNonFiniteGradientCanBeSkippedInsteadOfStopping() {
        int[] tokens = patternTokens(400);
        LanguageModel m = model(4);
        m.parameter("rnn.weight_hh_l0").value.data[0] = Float.NaN;
        float[] before = m.parameter("rnn.weight_ih_l0").value.data.clone();
        TrainingConfig tc = TrainingConfig.builder().steps(5).seqLen(10).batch(4).evalEvery(5)
                .nonFinite(NonFiniteGradient.SKIP).build();
        Trainer t = new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() { });
        t.run();
        assertEquals(5, t.skippedSteps());
        assertArrayEquals(before, m.parameter("rnn.weight_ih_l0").value.data, "no update was applied");
        TrainingConfig stop = TrainingConfig.builder().steps(5).seqLen(10).batch(4).evalEvery(5).build();
        assertThrows(TrainingDivergedException.class,
                () -> new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, stop, new TrainingListener() { }).run());
    }

    @Test
    void pascanusRegularizerAddsItsGradientToTheFirstRecurrentMatrix() {
        int[] tokens = patternTokens(400);
        float lr = 0.1f;
        double alpha = 2.0;
        TrainingListener.Window[] first = new TrainingListener.Window[1];
        float[][] after = new float[2][];
        for (int run = 0; run < 2; run++) {
            LanguageModel m = model(5);
            TrainingConfig tc = TrainingConfig.builder().steps(1).seqLen(10).batch(4).learningRate(lr).clipNorm(0)
                    .evalEvery(1).pascanuAlpha(run == 0 ? 0 : alpha).build();
            int r = run;
            new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() {
                @Override
                public boolean wantsWindow(long step) {
                    return r == 0;
                }

                @Override
                public void onWindow(Window w) {
                    first[0] = new Window(w.step(), model(5), w.inputs(), w.targets(), w.steps(), w.batch(),
                            w.initialState());
                }
            }).run();
            after[run] = m.parameter("rnn.weight_hh_l0").value.data.clone();
        }
        // Ω measured by hand on the same window of the untrained model: SGD moves W_hh by −lr·α/terms·∂Ω/∂W more.
        LanguageModel fresh = first[0].model();
        org.rnn4j.diag.PascanuRegularizer omega = org.rnn4j.diag.PascanuRegularizer.of(org.rnn4j.diag.StackProbe.of(
                fresh, first[0].inputs(), first[0].targets(), first[0].steps(), first[0].batch(), null), 0);
        org.rnn4j.matrix.Matrix g = new org.rnn4j.matrix.Matrix(16, 16);
        omega.addGradient(fresh.parameter("rnn.weight_hh_l0").value, g, alpha / omega.terms());
        double largest = 0;
        for (int i = 0; i < g.data.length; i++) {
            assertEquals(-lr * g.data[i], after[1][i] - after[0][i], 1e-6, "W_hh[" + i + "]");
            largest = Math.max(largest, Math.abs(g.data[i]));
        }
        assertTrue(largest > 1e-4, "the regularizer moved W_hh: " + largest);
        LanguageModel lstm = LanguageModel.create(ModelConfig.builder().cell(org.rnn4j.model.CellType.LSTM).vocabSize(4)
                .embeddingDim(4).hiddenSize(8).build(), Init.RecurrentInit.PYTORCH, new Rng(1));
        TrainingConfig tc = TrainingConfig.builder().steps(1).seqLen(10).batch(4).pascanuAlpha(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(lstm, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() { }));
        assertTrue(e.getMessage().contains("Elman"), e.getMessage());
    }

    @Test
    void sameSeedSameBits() {
        int[] tokens = patternTokens(1000);
        float[][] runs = new float[2][];
        for (int run = 0; run < 2; run++) {
            LanguageModel m = model(7);
            TrainingConfig tc = TrainingConfig.builder().steps(20).seqLen(10).batch(4).evalEvery(100).build();
            new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() { }).run();
            runs[run] = m.parameter("rnn.weight_hh_l0").value.toArray();
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void divergenceStopsBeforeTheUpdateAndNamesTheStep() {
        int[] tokens = patternTokens(1000);
        LanguageModel m = model(3);
        // An absurd learning rate without clipping: the loss overflows within a few steps.
        TrainingConfig tc = TrainingConfig.builder().steps(500).seqLen(10).batch(4).learningRate(1e30f).clipNorm(0)
                .evalEvery(1000).build();
        List<float[]> snapshots = new ArrayList<>();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics s) {
                        snapshots.add(m.parameter("decoder.bias").value.toArray());
                    }
                }).run());
        assertTrue(e.getMessage().contains("at step " + e.step()) && e.getMessage().contains("learning rate"),
                e.getMessage());
        for (Parameter p : m.parameters()) {
            for (float v : p.value.toArray()) {
                assertTrue(!Float.isNaN(v), "the failing update must not be applied: " + p.name());
            }
        }
    }

    @Test
    void aFiniteButExplodingLossAlsoStopsTraining() {
        // tanh keeps everything finite, but a huge rate without clipping saturates the logits: the loss
        // climbs to millions of nats while staying a number.
        int[] tokens = patternTokens(1000);
        LanguageModel m = model(4);
        TrainingConfig tc = TrainingConfig.builder().steps(200).seqLen(10).batch(4).learningRate(1e6f).clipNorm(0)
                .evalEvery(1000).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(m, new TbpttBatcher(tokens, 4, 10), tokens, tc, new TrainingListener() { }).run());
        assertTrue(e.getMessage().contains("above the limit"), e.getMessage());
    }

    @Test
    void carriedStateIsTheFinalStateOfThePreviousWindow() {
        // Two windows run with carried state equal one forward pass over both (values, not gradients).
        LanguageModel m = model(5);
        int[] tokens = patternTokens(40);
        int b = 2;
        int t = 10;
        int[] x = new int[2 * t * b];
        for (int i = 0; i < x.length; i++) {
            x[i] = tokens[i % tokens.length];
        }
        RecurrentState whole = m.newState(b);
        m.forward(x, null, 2 * t, b, whole);
        float[] wholeLogits = m.logits().rows(t * b, t * b).toArray();
        RecurrentState carried = m.newState(b);
        m.forward(java.util.Arrays.copyOfRange(x, 0, t * b), null, t, b, carried);
        m.forward(java.util.Arrays.copyOfRange(x, t * b, 2 * t * b), null, t, b, carried);
        assertArrayEquals(wholeLogits, m.logits().toArray(), 1e-6f);
        assertArrayEquals(whole.layer(0).toArray(), carried.layer(0).toArray(), 1e-6f);
    }
}
