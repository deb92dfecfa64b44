package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * The update shared by {@link Adam} and {@link AdamW}, which differ only in how weight decay λ enters:
 * added to the gradient (L2, Adam) or applied to θ directly (decoupled, AdamW). At step t:
 * <pre>
 *   θ  = θ·(1 − lr·λ)                         (AdamW)
 *   d  = g + λ·θ                               (Adam, if λ ≠ 0)
 *   m  = β1·m + (1 − β1)·d
 *   v  = β2·v + (1 − β2)·d·d
 *   v̂  = max(v̂, v)   (AMSGrad)   or   v̂ = v
 *   θ  = θ − lr/(1 − β1^t) · m / (√v̂ / √(1 − β2^t) + ε)
 * </pre>
 * In float32 as PyTorch 1.13's single-tensor CPU path: the bias corrections, the step size and
 * 1 − lr·λ are computed in double and rounded once (β^t with {@link Math#pow}; JDK 17's
 * {@link StrictMath#pow} would be reproducible across JVMs but allocates three small arrays per
 * call); {@code m.mul_(β1).add_(d, alpha=1−β1)} is {@code fma(1−β1, d, β1·m)},
 * {@code v.mul_(β2).addcmul_(d, d, value=1−β2)} is {@code fma((1−β2)·d, d, β2·v)}, the
 * denominator rounds after √, after the division by √(1 − β2^t) (a float) and after + ε, and
 * {@code θ.addcdiv_(m, denom, value=−step)} is {@code θ + ((−step)·m) / denom}.
 */
abstract class AbstractAdam extends AbstractOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final float[][] maxExpAvgSq; // null without AMSGrad

    AbstractAdam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double eps,
                 double weightDecay, boolean amsgrad, boolean decoupled) {
        super(parameters, learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.expAvg = addState("exp_avg", 0f);
        this.expAvgSq = addState("exp_avg_sq", 0f);
        this.maxExpAvgSq = amsgrad ? addState("max_exp_avg_sq", 0f) : null;
    }

    @Override
    public final void step() {
        steps++;
        double biasCorrection1 = 1 - Math.pow(beta1, steps);
        double biasCorrection2 = 1 - Math.pow(beta2, steps);
        float negStepSize = (float) -(lr / biasCorrection1);
        float biasCorrection2Sqrt = (float) Math.sqrt(biasCorrection2);
        boolean l2 = !decoupled && weightDecay != 0;
        float wd = (float) weightDecay;
        float shrink = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float epsF = (float) eps;
        for (int k = 0; k < params.length; k++) {
            Parameter p = params[k];
            float[] w = p.value.data;
            float[] g = p.grad.data;
            int wo = p.value.offset;
            int go = p.grad.offset;
            float[] m = expAvg[k];
            float[] v = expAvgSq[k];
            float[] vMax = maxExpAvgSq == null ? null : maxExpAvgSq[k];
            for (int i = 0, n = p.size(); i < n; i++) {
                if (decoupled) {
                    w[wo + i] *= shrink;                                   // θ = θ·(1 − lr·λ)
                }
                float d = g[go + i];
                if (l2) {
                    d = Math.fma(wd, w[wo + i], d);                        // d = g + λ·θ
                }
                m[i] = Math.fma(oneMinusB1, d, m[i] * b1);                 // m = β1·m + (1 − β1)·d
                v[i] = Math.fma(oneMinusB2 * d, d, v[i] * b2);             // v = β2·v + (1 − β2)·d·d
                float vHat = v[i];
                if (vMax != null) {
                    vHat = vMax[i] = Math.max(vMax[i], vHat);              // v̂ = max(v̂, v)
                }
                float denom = (float) Math.sqrt(vHat) / biasCorrection2Sqrt + epsF;
                w[wo + i] = w[wo + i] + negStepSize * m[i] / denom;        // θ = θ − step·m / denom
            }
        }
    }
}
