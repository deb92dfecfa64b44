package org.rnn4j.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rnn4j.train.TrainingListener;

/** A progress bar on an interactive terminal; plain lines otherwise. */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final ProgressBar bar;

    Progress(PrintWriter err, long steps) {
        this.err = err;
        this.bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName("train")
                .setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    void step(TrainingListener.StepMetrics m) {
        if (bar != null) {
            bar.stepTo(m.step());
            bar.setExtraMessage(String.format(" loss %.3f | %.0f tok/s", m.loss(), m.tokensPerSecond()));
        } else if (m.step() % 100 == 0) {
            err.printf("step %d/%d  loss %.4f  |g| %.3g  %.0f tok/s  ETA %.0f s%n", m.step(), m.totalSteps(), m.loss(),
                    m.gradNorm(), m.tokensPerSecond(), m.etaSeconds());
            err.flush();
        }
    }

    void message(String line) {
        if (bar != null) {
            System.err.print("\r\033[K");
        }
        err.println(line);
        err.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
