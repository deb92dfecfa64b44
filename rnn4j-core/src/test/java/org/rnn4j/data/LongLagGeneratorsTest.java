package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each generator follows its source: marker and symbol positions, targets, lengths. */
class LongLagGeneratorsTest {

    /** Steps of column {@code b} whose feature {@code d} equals {@code value}. */
    private static List<Integer> stepsWith(PaddedInputs in, int b, int d, float value) {
        List<Integer> steps = new ArrayList<>();
        for (int t = 0; t < in.lengths()[b]; t++) {
            if (in.feature(t, b, d) == value) {
                steps.add(t);
            }
        }
        return steps;
    }

    @Test
    void pascanuAddingAndMultiplicationFollowTheirCode() {
        for (MarkedPairTask task : List.of(MarkedPairTask.adding(), MarkedPairTask.multiplication())) {
            int minP0 = Integer.MAX_VALUE, maxP0 = -1, minP1 = Integer.MAX_VALUE, maxP1Gap = Integer.MAX_VALUE;
            for (long seed = 0; seed < 20; seed++) {
                LongLagBatch batch = task.batch(500, 50, seed);
                PaddedInputs in = batch.inputs();
                int l = in.steps();
                assertTrue(l >= 50 && l < 55, "l = T + U{0..T/10-1}: " + l);
                for (int b = 0; b < 500; b++) {
                    assertEquals(l, in.lengths()[b], "one length for the batch");
                    List<Integer> marked = stepsWith(in, b, MarkedPairTask.MARKER, 1f);
                    assertEquals(2, marked.size());
                    assertEquals(l - 2, stepsWith(in, b, MarkedPairTask.MARKER, 0f).size());
                    int p0 = marked.get(0), p1 = marked.get(1);
                    assertTrue(p0 < l / 10, "first marker in the first 10%: " + p0);
                    assertTrue(p1 >= l / 10 && p1 < l / 10 + 4 * l / 10, "second in [10%, 50%): " + p1);
                    minP0 = Math.min(minP0, p0);
                    maxP0 = Math.max(maxP0, p0 - l / 10);
                    minP1 = Math.min(minP1, p1 - l / 10);
                    maxP1Gap = Math.min(maxP1Gap, l / 10 + 4 * l / 10 - 1 - p1);
                    float a = in.feature(p0, b, MarkedPairTask.VALUE), c = in.feature(p1, b, MarkedPairTask.VALUE);
                    float expected = task.operation() == MarkedPairTask.Operation.ADD ? (a + c) / 2f : a * c;
                    assertEquals(expected, batch.valueTarget(b));
                    for (int t = 0; t < l; t++) {
                        float v = in.feature(t, b, MarkedPairTask.VALUE);
                        assertTrue(v >= 0 && v < 1, "values U[0,1): " + v);
                    }
                }
            }
            assertEquals(0, minP0);
            assertEquals(-1, maxP0, "p0 reaches l/10 - 1");
            assertEquals(0, minP1, "p1 reaches l/10");
            assertEquals(0, maxP1Gap, "p1 reaches l/10 + 4l/10 - 1");
        }
    }

    @Test
    void hochreiterAddingFollowsThePaper() {
        HochreiterAdding task = new HochreiterAdding();
        assertEquals(0.625f, HochreiterAdding.target(1f, -0.5f));
        assertEquals(0f, HochreiterAdding.target(-1f, -1f));
        assertEquals(1f, HochreiterAdding.target(1f, 1f));
        assertEquals(0.5f, HochreiterAdding.target(0.3f, -0.3f));

        LongLagBatch batch = task.batch(4000, 100, 9);
        PaddedInputs in = batch.inputs();
        int shortest = Integer.MAX_VALUE, longest = 0, maxSecond = 0, firstAtZero = 0;
        for (int b = 0; b < 4000; b++) {
            int len = in.lengths()[b];
            shortest = Math.min(shortest, len);
            longest = Math.max(longest, len);
            List<Integer> marked = stepsWith(in, b, HochreiterAdding.MARKER, 1f);
            assertEquals(2, marked.size(), "exactly two marked pairs");
            List<Integer> ends = stepsWith(in, b, HochreiterAdding.MARKER, -1f);
            List<Integer> expectedEnds = new ArrayList<>();
            if (!marked.contains(0)) {
                expectedEnds.add(0);
            }
            expectedEnds.add(len - 1);
            assertEquals(expectedEnds, ends, "-1 marks the first and final pairs unless marked");
            // one marker among the first ten pairs, the other among the first T/2 pairs
            assertTrue(marked.get(0) < 10, "first marker " + marked.get(0));
            assertTrue(marked.get(1) <= 49, "second marker " + marked.get(1));
            maxSecond = Math.max(maxSecond, marked.get(1));
            if (marked.get(0) == 0) {
                firstAtZero++;
                assertEquals(0f, in.feature(0, b, HochreiterAdding.VALUE), "a marked first pair has value 0");
            }
            float x1 = in.feature(marked.get(0), b, HochreiterAdding.VALUE);
            float x2 = in.feature(marked.get(1), b, HochreiterAdding.VALUE);
            assertEquals(HochreiterAdding.target(x1, x2), batch.valueTarget(b));
            for (int t = 0; t < in.steps(); t++) {
                float v = in.feature(t, b, HochreiterAdding.VALUE);
                assertTrue(t < len ? v >= -1 && v < 1 : v == 0 && in.feature(t, b, HochreiterAdding.MARKER) == 0);
            }
        }
        assertEquals(100, shortest, "lengths from T");
        assertEquals(110, longest, "to T + T/10");
        assertEquals(49, maxSecond, "the first T/2 - 1 unmarked pairs reach step T/2 - 1");
        assertTrue(firstAtZero > 380 && firstAtZero < 570, "the first pair is marked with p = 1/10 + (9/10)/49: " + firstAtZero);
    }

    @Test
    void temporalOrderFollowsThePaper() {
        assertEquals(0, TemporalOrder.classOf("EaXbXdB"));   // X,X -> Q
        assertEquals(1, TemporalOrder.classOf("EaXbYdB"));   // X,Y -> R
        assertEquals(2, TemporalOrder.classOf("EYcXdB"));    // Y,X -> S
        assertEquals(3, TemporalOrder.classOf("EYYB"));      // Y,Y -> U
        assertEquals(2, TemporalOrder.classOf("EXaYbXB"));   // X,Y,X -> S
        assertEquals(5, TemporalOrder.classOf("EYaXbYB"));   // Y,X,Y -> A
        assertEquals(7, TemporalOrder.classOf("EYYYB"));     // Y,Y,Y -> C

        int[][][] windows = {{{10, 20}, {50, 60}}, {{10, 20}, {33, 43}, {66, 76}}};
        for (TemporalOrder task : List.of(TemporalOrder.twoSymbols(), TemporalOrder.threeSymbols())) {
            int n = task.relevantSymbols();
            assertEquals(1 << n, task.outputSize());
            LongLagBatch batch = task.batch(3000, 100, 21);
            PaddedInputs in = batch.inputs();
            int[] lowest = new int[n];
            int[] highest = new int[n];
            java.util.Arrays.fill(lowest, Integer.MAX_VALUE);
            int[] classCounts = new int[1 << n];
            for (int b = 0; b < 3000; b++) {
                int len = in.lengths()[b];
                assertTrue(len >= 100 && len <= 110);
                StringBuilder s = new StringBuilder();
                List<Integer> relevant = new ArrayList<>();
                for (int t = 0; t < len; t++) {
                    char c = TemporalOrder.SYMBOLS.charAt(in.token(t, b));
                    s.append(c);
                    if (c == 'X' || c == 'Y') {
                        relevant.add(t);
                    }
                }
                assertEquals('E', s.charAt(0));
                assertEquals('B', s.charAt(len - 1));
                assertTrue(s.substring(1, len - 1).matches("[abcdXY]+"), s.toString());
                assertEquals(n, relevant.size(), s.toString());
                for (int i = 0; i < n; i++) {
                    lowest[i] = Math.min(lowest[i], relevant.get(i));
                    highest[i] = Math.max(highest[i], relevant.get(i));
                }
                assertEquals(TemporalOrder.classOf(s), batch.classTarget(0, b));
                classCounts[batch.classTarget(0, b)]++;
            }
            for (int i = 0; i < n; i++) {
                assertEquals(windows[n - 2][i][0], lowest[i], "H&S window of symbol " + i);
                assertEquals(windows[n - 2][i][1], highest[i], "H&S window of symbol " + i);
            }
            for (int count : classCounts) {
                assertTrue(count > 3000 / (1 << n) * 0.8, "classes about equally likely: " + count);
            }
        }
        TemporalOrder three = TemporalOrder.threeSymbols();
        assertEquals(List.of(1, 2, 3, 4, 6, 7),
                List.of(three.firstPosition(0, 10), three.lastPosition(0, 10), three.firstPosition(1, 10),
                        three.lastPosition(1, 10), three.firstPosition(2, 10), three.lastPosition(2, 10)),
                "windows scale with T and stay apart at the smallest T");
    }

    @Test
    void latchHoldsTheClassOnlyAtTheFirstStep() {
        LatchTask task = new LatchTask();
        LongLagBatch batch = task.batch(2000, 25, 3);
        PaddedInputs in = batch.inputs();
        assertEquals(25, in.steps());
        int ones = 0;
        int[] distractorCounts = new int[LatchTask.DISTRACTORS];
        for (int b = 0; b < 2000; b++) {
            assertEquals(25, in.lengths()[b]);
            assertEquals(batch.classTarget(0, b), in.token(0, b), "step 0 holds the class");
            ones += batch.classTarget(0, b);
            for (int t = 1; t < 25; t++) {
                int d = in.token(t, b) - LatchTask.FIRST_DISTRACTOR;
                assertTrue(d >= 0 && d < LatchTask.DISTRACTORS, "step " + t + " holds a distractor, got " + in.token(t, b));
                distractorCounts[d]++;
            }
        }
        assertTrue(ones > 900 && ones < 1100, "x and y equally likely: " + ones);
        for (int c : distractorCounts) {
            assertTrue(c > 11000 && c < 13000, "distractors uniform: " + java.util.Arrays.toString(distractorCounts));
        }
        assertEquals(Math.log(2), task.loss(task.baselinePredictions(batch), batch), 1e-12);
        assertEquals(1.0, task.errorRate(task.baselinePredictions(batch), batch), "an even guess is never above 0.75");
        assertTrue(task.solved(task.perfectPredictions(batch), batch));
        float[] barely = new float[2000 * 2]; // p(right) = sigmoid(1) = 0.731 < 0.75: wrong by the paper's rule
        for (int b = 0; b < 2000; b++) {
            barely[2 * b + batch.classTarget(0, b)] = 1f;
        }
        assertEquals(1.0, task.errorRate(barely, batch));
        for (int b = 0; b < 2000; b++) {
            barely[2 * b + batch.classTarget(0, b)] = 1.2f; // sigmoid(1.2) = 0.769
        }
        assertTrue(task.solved(barely, batch));
    }

    @Test
    void permutationRemembersTheFirstSymbol() {
        LongLagBatch batch = new RandomPermutation().batch(1000, 30, 4);
        PaddedInputs in = batch.inputs();
        int ones = 0;
        for (int b = 0; b < 1000; b++) {
            assertEquals(30, in.lengths()[b]);
            int first = in.token(0, b);
            assertTrue(first == 0 || first == 1);
            assertEquals(first, batch.classTarget(0, b));
            ones += first;
            for (int t = 1; t < 30; t++) {
                assertTrue(in.token(t, b) >= 2 && in.token(t, b) < 100);
            }
        }
        assertTrue(ones > 430 && ones < 570, "0 and 1 equally likely: " + ones);
    }

    @Test
    void memorizationRecallsAfterTheTrigger() {
        // T = 3, V = 5, P = 2 by hand: x = s0 s1 _ _ _ ! _    y = _ _ _ _ _ s0 s1   (_ blank = 5, ! trigger = 6)
        NoiselessMemorization task = new NoiselessMemorization(5, 2);
        LongLagBatch batch = task.batch(3, 3, 12);
        PaddedInputs in = batch.inputs();
        assertEquals(7, in.steps());
        for (int b = 0; b < 3; b++) {
            int s0 = in.token(0, b), s1 = in.token(1, b);
            assertTrue(s0 < 5 && s1 < 5);
            int[] x = new int[7], y = new int[7];
            for (int t = 0; t < 7; t++) {
                x[t] = in.token(t, b);
                y[t] = batch.classTarget(t, b);
            }
            assertArrayEquals(new int[] {s0, s1, 5, 5, 5, 6, 5}, x);
            assertArrayEquals(new int[] {5, 5, 5, 5, 5, s0, s1}, y);
        }
        NoiselessMemorization defaults = new NoiselessMemorization();
        assertEquals(7, defaults.inputSize());
        assertEquals(6, defaults.outputSize());
        assertEquals(120, defaults.batch(1, 100, 1).steps(), "T + 2P steps");
    }

    @Test
    void copyWritesTheSymbolsAfterTheDelimiter() {
        // T = 2 by hand: x = s0..s9 _ : _ x10     y = _ x12 s0..s9     (_ blank 0, : delimiter 9)
        LongLagBatch batch = new CopyTask().batch(4, 2, 6);
        PaddedInputs in = batch.inputs();
        assertEquals(22, in.steps());
        for (int b = 0; b < 4; b++) {
            int[] s = new int[10];
            int[] x = new int[22], y = new int[22], expectedX = new int[22], expectedY = new int[22];
            for (int t = 0; t < 10; t++) {
                s[t] = in.token(t, b);
                assertTrue(s[t] >= 1 && s[t] <= 8);
                expectedX[t] = s[t];
                expectedY[12 + t] = s[t];
            }
            expectedX[11] = 9;
            for (int t = 0; t < 22; t++) {
                x[t] = in.token(t, b);
                y[t] = batch.classTarget(t, b);
            }
            assertArrayEquals(expectedX, x);
            assertArrayEquals(expectedY, y);
        }
        assertEquals(220, new CopyTask().batch(1, 200, 1).steps(), "T + 20 steps");
    }

    @Test
    void reberTaskPredictsTheNextSymbol() {
        ReberTask task = new ReberTask();
        LongLagBatch batch = task.batch(500, 20, 8);
        PaddedInputs in = batch.inputs();
        for (int b = 0; b < 500; b++) {
            String s = ReberTask.string(batch, b);
            assertTrue(EmbeddedReber.isValid(s), s);
            assertTrue(s.length() <= 20, s);
            for (int t = 0; t < in.steps(); t++) {
                int expected = t + 1 < s.length() ? EmbeddedReber.ALPHABET.indexOf(s.charAt(t + 1)) : -1;
                assertEquals(expected, batch.classTarget(t, b), s + " step " + t);
            }
        }
        LongLagBatch shortest = task.batch(50, 9, 3);
        for (int b = 0; b < 50; b++) {
            assertEquals(9, shortest.inputs().lengths()[b], "T caps the length: only 9-symbol strings fit T = 9");
        }
    }

    @Test
    void reberBaselineFailsOnlyAtTheSecondToLastSymbol() {
        ReberTask task = new ReberTask();
        LongLagBatch batch = task.batch(1, 40, 2);
        String s = ReberTask.string(batch, 0);
        int penultimate = s.length() - 3; // the step whose input is the inner E and whose target repeats s[1]
        float[] baseline = task.baselinePredictions(batch);
        float[] perfect = task.perfectPredictions(batch);
        for (int t = 0; t + 1 < s.length(); t++) {
            boolean same = java.util.Arrays.equals(java.util.Arrays.copyOfRange(baseline, t * 7, t * 7 + 7),
                    java.util.Arrays.copyOfRange(perfect, t * 7, t * 7 + 7));
            assertEquals(t != penultimate, same, s + " step " + t);
        }
        // Giving the right branch a little more weight there is all the baseline lacks.
        baseline[penultimate * 7 + EmbeddedReber.ALPHABET.indexOf(s.charAt(1))] = 0.01f;
        assertTrue(task.solved(baseline, batch));
    }

    @Test
    void reberLengthDistributionIsExact() {
        // P(L = 9) = 1/4 (BTXSE, BPVVE inside), P(L = 10) = 3/16 (BTSXSE, BPTVVE, BPVPSE).
        assertEquals(9.0, ReberTask.expectedLength(9), 1e-12);
        assertEquals((9 * 0.25 + 10 * 3 / 16.0) / (0.25 + 3 / 16.0), ReberTask.expectedLength(10), 1e-12);
        assertEquals(12.0, ReberTask.expectedLength(2000), 1e-9, "E[L] = 12 for the uncapped grammar");
        assertEquals(8 * Math.log(2) / 11, new ReberTask().expectedBaselineLoss(2000), 1e-9);
        // The table used for the distribution is the grammar's: the same strings, the same lengths.
        SplittableRandom random = new SplittableRandom(1);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += EmbeddedReber.generate(random).length();
        }
        assertEquals(12.0, sum / n, 0.05);
    }
}
