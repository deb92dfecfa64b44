package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generators of synthetic tasks: deterministic from the seed, labelled correctly, readable back. */
class SyntheticTasksTest {
    @TempDir
    Path dir;

    @Test
    void signOfSumLabelsTheSignOfTheSum() throws IOException {
        ClassificationDataset d = SignOfSum.generate(500, 3, 9, 5);
        assertEquals(List.of("0", "1"), d.labels().names());
        int positives = 0;
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.inputs().features(i);
            assertTrue(x.length >= 3 && x.length <= 9);
            double sum = 0;
            for (float v : x) {
                assertTrue(v >= -1 && v <= 1);
                assertEquals(Math.round(v * 1000) / 1000f, v);
                sum += v;
            }
            assertEquals(sum > 0 ? 1 : 0, d.label(i));
            positives += d.label(i);
        }
        assertTrue(positives > 200 && positives < 300, "about half positive: " + positives);

        Path file = dir.resolve("sign.jsonl");
        SignOfSum.writeJsonl(file, 500, 3, 9, 5);
        ClassificationDataset read = ClassificationDataset.read(file);
        for (int i = 0; i < d.size(); i++) {
            assertArrayEquals(d.inputs().features(i), read.inputs().features(i));
            assertEquals(d.label(i), read.label(i));
        }
        Path again = dir.resolve("again.jsonl");
        SignOfSum.writeJsonl(again, 500, 3, 9, 5);
        assertEquals(Files.readString(file), Files.readString(again));
        assertTrue(!Files.readString(file).equals(writeSign(6)));
    }

    private String writeSign(long seed) throws IOException {
        Path file = dir.resolve("sign" + seed + ".jsonl");
        SignOfSum.writeJsonl(file, 500, 3, 9, seed);
        return Files.readString(file);
    }

    @Test
    void delayedEchoTagsEachCharacterWithTheOneDelayStepsBefore() throws IOException {
        TaggingDataset d = DelayedEcho.generate(100, 4, 12, 3, 8);
        assertEquals(List.of("_", "a", "b", "c", "d"), d.tagSet().names());
        for (int i = 0; i < d.size(); i++) {
            String text = d.inputs().describe(i);
            assertTrue(text.matches("[abcd]{4,12}"), text);
            int[] tags = d.tags(i);
            for (int t = 0; t < text.length(); t++) {
                assertEquals(t < 3 ? "_" : String.valueOf(text.charAt(t - 3)), d.tagSet().name(tags[t]));
            }
        }
        Path file = dir.resolve("echo.jsonl");
        DelayedEcho.writeJsonl(file, 100, 4, 12, 3, 8);
        TaggingDataset read = TaggingDataset.read(file);
        assertEquals(d.tagSet(), read.tagSet());
        assertEquals(d.inputs().describe(99), read.inputs().describe(99));
        assertArrayEquals(d.tags(99), read.tags(99));
        assertTrue(Files.readAllLines(file).get(0).matches("\\{\"input\":\"[abcd]+\",\"tags\":\\[\"_\",\"_\",\"_\",.*"));
    }

    @Test
    void digitReversalReverses() {
        Seq2SeqDataset d = DigitTasks.reversal(200, 2, 6, 1);
        for (int i = 0; i < d.size(); i++) {
            String source = d.sourceText(i);
            assertTrue(source.matches("[0-9]{2,6}"), source);
            assertEquals(new StringBuilder(source).reverse().toString(), d.targetText(i));
        }
        assertEquals(d.sourceText(7), DigitTasks.reversal(200, 2, 6, 1).sourceText(7));
    }

    @Test
    void digitAdditionAdds() {
        Seq2SeqDataset d = DigitTasks.addition(300, 4, 2);
        boolean sawOneDigit = false;
        boolean sawFourDigits = false;
        for (int i = 0; i < d.size(); i++) {
            String source = d.sourceText(i);
            assertTrue(source.matches("(0|[1-9][0-9]{0,3})\\+(0|[1-9][0-9]{0,3})"), source);
            String[] ab = source.split("\\+");
            assertEquals(Long.toString(Long.parseLong(ab[0]) + Long.parseLong(ab[1])), d.targetText(i));
            sawOneDigit |= ab[0].length() == 1;
            sawFourDigits |= ab[0].length() == 4;
        }
        assertTrue(sawOneDigit && sawFourDigits);
        Seq2SeqDataset big = DigitTasks.addition(50, 18, 3);
        for (int i = 0; i < big.size(); i++) {
            String[] ab = big.sourceText(i).split("\\+");
            assertEquals(new java.math.BigInteger(ab[0]).add(new java.math.BigInteger(ab[1])).toString(), big.targetText(i));
        }
    }

    @Test
    void generatedPairsReadBackFromTheirFiles() throws IOException {
        Path file = dir.resolve("add.jsonl");
        DigitTasks.writeAdditionJsonl(file, 40, 3, 9);
        Seq2SeqDataset read = Seq2SeqDataset.read(file);
        Seq2SeqDataset made = DigitTasks.addition(40, 3, 9);
        assertEquals(made.targetVocabulary(), read.targetVocabulary());
        assertEquals(made.sourceText(39), read.sourceText(39));
        Path rev = dir.resolve("rev.jsonl");
        DigitTasks.writeReversalJsonl(rev, 10, 1, 4, 9);
        assertEquals(DigitTasks.reversal(10, 1, 4, 9).targetText(3), Seq2SeqDataset.read(rev).targetText(3));
    }

    @Test
    void mackeyGlassStaysInItsKnownRangeAndDoesNotSettle() {
        double[] x = MackeyGlass.series(2000, 0);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sum = 0;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double mean = sum / x.length;
        double squares = 0;
        for (double v : x) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / x.length);
        assertTrue(min > 0.35 && max < 1.45, "range [" + min + ", " + max + "]");
        assertTrue(min < 0.55 && max > 1.2, "the attractor spans about [0.4, 1.35]: [" + min + ", " + max + "]");
        assertTrue(std > 0.1, "std " + std);
        // not settling: the last 500 samples vary as much as the whole series
        double lastMin = Double.MAX_VALUE;
        double lastMax = -Double.MAX_VALUE;
        for (int t = 1500; t < 2000; t++) {
            lastMin = Math.min(lastMin, x[t]);
            lastMax = Math.max(lastMax, x[t]);
        }
        assertTrue(lastMax - lastMin > 0.6, "range of the last 500: " + (lastMax - lastMin));
        assertArrayEquals(x, MackeyGlass.series(2000, 0));
        assertTrue(x[100] != MackeyGlass.series(2000, 1)[100]);
    }

    @Test
    void mackeyGlassAgreesWithAFineEulerIntegration() {
        // the first 60 time units from x0 = 1.2 without burn-in: RK4 at dt 0.1 against Euler at dt 0.001
        double[] rk4 = MackeyGlass.integrate(60, 1.2, 10, 0);
        int perUnit = 1000;
        int delay = 17 * perUnit;
        double[] path = new double[60 * perUnit + 1];
        path[0] = 1.2;
        for (int k = 0; k < path.length - 1; k++) {
            double delayed = k < delay ? 1.2 : path[k - delay];
            path[k + 1] = path[k] + MackeyGlass.slope(path[k], delayed) / perUnit;
        }
        for (int t = 0; t < 60; t++) {
            assertEquals(path[t * perUnit], rk4[t], 2e-3, "t = " + t);
        }
        // halving the RK4 step changes the samples very little
        double[] finer = MackeyGlass.integrate(60, 1.2, 20, 0);
        for (int t = 0; t < 60; t++) {
            assertEquals(finer[t], rk4[t], 1e-4, "t = " + t);
        }
    }

    @Test
    void mackeyGlassCsvReadsBackAndHasABaseline() throws IOException {
        Path file = dir.resolve("mg.csv");
        MackeyGlass.writeCsv(file, 400, 3);
        assertTrue(Files.readString(file).startsWith("# Mackey-Glass: dx/dt = 0.2 x(t-17) / (1 + x(t-17)^10) - 0.1 x(t)\n"));
        TimeSeries s = TimeSeries.readCsv(file);
        assertEquals(List.of("x"), s.columns());
        assertArrayEquals(MackeyGlass.series(400, 3), s.column(0));
        ForecastDataset d = ForecastDataset.builder().window(16).build(s);
        double rmse = d.validation().naiveRmse();
        assertTrue(rmse > 0.01 && rmse < 0.2, "naive one-step RMSE " + rmse);
        double std = d.targetStats().get(0).std();
        assertEquals(d.validation().naiveMse(), rmse * rmse / (std * std), 1e-6);
    }
}
