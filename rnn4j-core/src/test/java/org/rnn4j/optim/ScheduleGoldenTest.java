package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.SafeTensorsFile;

/**
 * rnn4j's schedules against torch.optim.lr_scheduler (the fixture {@code golden/optim/schedules.safetensors}).
 *
 * <p>Tolerance: |rnn4j − torch| ≤ 1e-12·|torch| + 1e-18. PyTorch computes recursively in double
 * ({@code lr ← lr·γ}, and for the cosine a ratio of consecutive cosines times the last value), rnn4j in
 * closed form ({@code lr·γ^s}, the cosine formula), so each value carries a few ulp of double of
 * rounding on either side, accumulated over at most 30 steps: about 1e-15 relative (observed below
 * 2.5e-15, see {@code -Dgolden.report=true}). The absolute term only matters for the cosine's final
 * value 0, which both reach exactly. A wrong formula (an off-by-one step, the
 * warm-up starting at 0, the cosine over T instead of T − W steps) is wrong by 1e-3 or more. The plateau
 * schedule performs PyTorch's operations in PyTorch's order and is compared exactly.
 */
class ScheduleGoldenTest {
    private static final double RTOL = 1e-12;
    private static final double ATOL = 1e-18;
    private static double worstRelative;

    @Test
    void matchesTorchSchedulers() {
        SafeTensorsFile f = OptimGolden.read("schedules.safetensors");
        List<String> configs = List.of(OptimGolden.meta(f, "configs").split(","));
        assertEquals(List.of("constant", "step", "exponential", "cosine_warmup", "cosine", "plateau", "plateau_defaults"),
                configs);
        for (String c : configs) {
            double[] want = f.find("lr." + c).orElseThrow().doubles();
            String kind = OptimGolden.meta(f, c + ".kind");
            LearningRateSchedule s = schedule(f, c, kind);
            if (kind.equals("plateau")) {
                double[] losses = f.find("loss." + c).orElseThrow().doubles();
                for (int k = 0; k < losses.length; k++) {
                    s.reportValidationLoss(losses[k]);
                    assertEquals(want[k], s.learningRate(k), 0.0, c + ": learning rate after loss " + k);
                }
                continue;
            }
            for (int k = 0; k < want.length; k++) {
                double got = s.learningRate(k);
                double err = Math.abs(got - want[k]);
                if (!(err <= RTOL * Math.abs(want[k]) + ATOL)) {
                    fail(String.format("%s: step %d: rnn4j=%.17g, torch=%.17g, relative error %.2e", c, k, got, want[k],
                            err / Math.abs(want[k])));
                }
                if (want[k] != 0) {
                    worstRelative = Math.max(worstRelative, err / Math.abs(want[k]));
                }
            }
        }
    }

    private static LearningRateSchedule schedule(SafeTensorsFile f, String c, String kind) {
        double lr = num(f, c, "lr");
        return switch (kind) {
            case "constant" -> LearningRateSchedule.constant(lr);
            case "step" -> LearningRateSchedule.step(lr, (long) num(f, c, "step_size"), num(f, c, "gamma"));
            case "exponential" -> LearningRateSchedule.exponential(lr, num(f, c, "gamma"));
            case "cosine" -> LearningRateSchedule.warmupCosine(lr, (long) num(f, c, "warmup"), (long) num(f, c, "total"),
                    num(f, c, "min_lr"));
            case "plateau" -> LearningRateSchedule.reduceOnPlateau(ReduceLrOnPlateau.Config.builder(lr)
                    .factor(num(f, c, "factor"))
                    .patience((int) num(f, c, "patience"))
                    .threshold(num(f, c, "threshold"))
                    .cooldown((int) num(f, c, "cooldown"))
                    .minLearningRate(num(f, c, "min_lr"))
                    .build());
            default -> throw new IllegalStateException(c + ": unknown schedule kind " + kind);
        };
    }

    private static double num(SafeTensorsFile f, String config, String key) {
        return Double.parseDouble(OptimGolden.meta(f, config + "." + key));
    }

    @AfterAll
    static void reportIfAsked() {
        if (Boolean.getBoolean("golden.report")) {
            System.out.printf("schedule golden: largest relative difference from torch %.2e%n", worstRelative);
        }
    }
}
