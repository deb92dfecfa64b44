package org.rnn4j.cli;

import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.optim.ReduceLrOnPlateau;
import picocli.CommandLine;

/**
 * The {@code --schedule} option: {@code constant}, {@code step:SIZE[:GAMMA]}, {@code exp:GAMMA},
 * {@code cosine[:WARMUP[:MIN_LR]]} (over the run's steps) or {@code plateau[:FACTOR[:PATIENCE]]}.
 */
final class ScheduleSpec {
    private ScheduleSpec() {
    }

    /** The schedule of --schedule for a run of {@code steps} updates starting at {@code lr}. */
    static LearningRateSchedule parse(CommandLine cl, String spec, double lr, long steps) {
        String[] p = spec.trim().split(":", -1);
        try {
            return switch (p[0]) {
                case "constant" -> {
                    arity(p, 1, 1);
                    yield null;
                }
                case "step" -> {
                    arity(p, 2, 3);
                    yield LearningRateSchedule.step(lr, Long.parseLong(p[1]),
                            p.length > 2 ? Double.parseDouble(p[2]) : LearningRateSchedule.StepSchedule.DEFAULT_GAMMA);
                }
                case "exp" -> {
                    arity(p, 2, 2);
                    yield LearningRateSchedule.exponential(lr, Double.parseDouble(p[1]));
                }
                case "cosine" -> {
                    arity(p, 1, 3);
                    yield LearningRateSchedule.warmupCosine(lr, p.length > 1 ? Long.parseLong(p[1]) : 0, steps,
                            p.length > 2 ? Double.parseDouble(p[2]) : 0);
                }
                case "plateau" -> {
                    arity(p, 1, 3);
                    ReduceLrOnPlateau.Builder b = ReduceLrOnPlateau.Config.builder(lr);
                    if (p.length > 1) {
                        b.factor(Double.parseDouble(p[1]));
                    }
                    if (p.length > 2) {
                        b.patience(Integer.parseInt(p[2]));
                    }
                    yield LearningRateSchedule.reduceOnPlateau(b.build());
                }
                default -> throw new IllegalArgumentException("unknown schedule '" + p[0] + "'");
            };
        } catch (IllegalArgumentException e) { // includes NumberFormatException and the schedules' own checks
            throw new CommandLine.ParameterException(cl, "--schedule '" + spec + "' is not valid (" + e.getMessage() + "): use constant, step:SIZE[:GAMMA], "
                            + "exp:GAMMA, cosine[:WARMUP[:MIN_LR]] or plateau[:FACTOR[:PATIENCE]]");
        }
    }

    private static void arity(String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException(parts[0] + " takes " + (min - 1) + (max > min ? " to " + (max - 1) : "")
                    + " values");
        }
    }
}
