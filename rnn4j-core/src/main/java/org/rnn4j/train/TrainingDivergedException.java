package org.rnn4j.train;

/**
 * Training stopped because the loss or the gradient stopped being finite, or the loss rose far above its
 * starting value. The parameters are those before the failing update; the message says what to try.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final double gradNorm;

    public TrainingDivergedException(long step, double loss, double gradNorm) {
        this(step, gradNorm, String.format("loss became %s at step %d (gradient norm %.3g)",
                Double.isFinite(loss) ? String.format("%.4g", loss) : String.valueOf(loss), step, gradNorm));
    }

    /** The loss stayed finite but rose above {@code limit}, a multiple of where it started. */
    public TrainingDivergedException(long step, double loss, double gradNorm, double limit) {
        this(step, gradNorm, String.format("loss rose to %.4g at step %d, above the limit %.4g (%.0f times its starting "
                + "value; gradient norm %.3g)", loss, step, limit, TrainingConfig.DIVERGENCE_FACTOR, gradNorm));
    }

    /** The same failure with advice appended (a command line adds its option values this way). */
    public TrainingDivergedException(TrainingDivergedException cause, String advice) {
        super(cause.getMessage() + " (" + advice + ")", cause);
        this.step = cause.step;
        this.gradNorm = cause.gradNorm;
    }

    private TrainingDivergedException(long step, double gradNorm, String what) {
        super(what + ": lower the learning rate or clip the gradient norm");
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
