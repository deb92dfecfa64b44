package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.LongLagTask;
import org.rnn4j.train.LongLagExperiment.Variant;

class LongLagExperimentTest {
    private static LongLagExperiment.Settings settings(List<Variant> variants, int[] lengths, int seeds) {
        LongLagTrainer.Config training = new LongLagTrainer.Config(lengths[0], 16, 60, 20, 100, 0.0, 1f, 0f,
                NonFiniteGradient.SKIP, 0, 0, 1);
        return new LongLagExperiment.Settings(LongLagTask.forName("latch"), variants, lengths, seeds, 8, "adam", 0.02, 1f,
                training, 4, 11);
    }

    @Test
    void theGridRunsEveryCellLengthAndSeedInOrderAndSummarizes() {
        LongLagExperiment.Settings s = settings(List.of(Variant.GRU, Variant.RNN), new int[] {3, 6}, 2);
        List<String> started = new ArrayList<>();
        LongLagExperiment.Report report = new LongLagExperiment(s).run(new LongLagExperiment.Listener() {
            @Override
            public void onRunStart(Variant v, int length, int seedIndex, int index, int total) {
                started.add(v.id + length + "/" + seedIndex + "@" + index + "/" + total);
            }
        });
        assertEquals(List.of("gru3/0@0/8", "gru3/1@1/8", "gru6/0@2/8", "gru6/1@3/8", "rnn3/0@4/8", "rnn3/1@5/8",
                "rnn6/0@6/8", "rnn6/1@7/8"), started);
        assertEquals(8, report.runs().size());
        List<LongLagExperiment.Summary> rows = report.summaries();
        assertEquals(4, rows.size());
        for (LongLagExperiment.Summary row : rows) {
            List<LongLagExperiment.Run> cell = report.runs().stream()
                    .filter(r -> r.variant() == row.variant() && r.length() == row.length()).toList();
            assertEquals(cell.size(), row.runs());
            assertEquals(cell.stream().filter(r -> r.result().solved()).count(), row.solved());
            if (row.solved() == 0) {
                assertTrue(Double.isNaN(row.medianUpdatesToSolve()));
            }
        }
        for (LongLagExperiment.Run r : report.runs()) {
            if (r.seedIndex() == 0) {
                assertNotNull(r.atInit());
                assertEquals(r.length(), r.atInit().byLag().length, "lags 0 .. T-1");
                assertTrue(r.atInit().byLag()[0] > 0, "the last step's own gradient is never zero");
                assertEquals(r.length(), r.trained().byLag().length);
            } else {
                assertNull(r.atInit(), "only the first seed is probed");
            }
        }
    }

    @Test
    void aGridPointRerunAloneGivesTheSameResult() {
        LongLagExperiment.Settings s = settings(List.of(Variant.LSTM, Variant.IRNN), new int[] {4}, 2);
        LongLagExperiment e = new LongLagExperiment(s);
        LongLagExperiment.Report all = e.run(new LongLagExperiment.Listener() { });
        LongLagExperiment.Run alone = e.runOne(Variant.IRNN, 4, 1, new LongLagTrainer.Listener() { });
        LongLagExperiment.Run inGrid = all.runs().get(3);
        assertEquals(Variant.IRNN, inGrid.variant());
        assertEquals(inGrid.result().updates(), alone.result().updates());
        assertEquals(inGrid.result().last().testLoss(), alone.result().last().testLoss());
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(List.of(), new int[] {4}, 1));
        assertTrue(e.getMessage().contains("variant"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings(List.of(Variant.RNN), new int[] {1}, 1));
        assertTrue(e.getMessage().contains("T >= 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Variant.fromId("elman"));
        assertTrue(e.getMessage().contains("rnn, irnn, lstm or gru"), e.getMessage());
    }
}
