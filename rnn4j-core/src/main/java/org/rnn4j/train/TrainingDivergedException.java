package org.rnn4j.train;

/**
 * Training stopped because the loss or the gradient stopped being finite. The parameters are those
 * before the failing update; the message says what to try.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final double gradNorm;

    public TrainingDivergedException(long step, double loss, double gradNorm) {
        super(String.format("loss became %s at step %d (gradient norm %.3g): lower the learning rate or clip the "
                + "gradient norm", Double.isFinite(loss) ? String.format("%.4g", loss) : String.valueOf(loss), step,
                gradNorm));
        this.step = step;
        this.gradNorm = gradNorm;
    }

    public long step() {
        return step;
    }

    public double gradNorm() {
        return gradNorm;
    }
}
