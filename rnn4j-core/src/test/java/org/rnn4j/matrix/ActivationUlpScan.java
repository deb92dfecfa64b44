package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The polynomial σ and tanh of {@link PolynomialActivation} against the double-precision reference on
 * every one of the 2^32 floats (about 5 minutes on one core). Not part of the normal test run
 * ({@link ElementwiseTest} checks 4M random and edge values, and that the vector kernels give the bits
 * of this scalar code); run it with
 * <pre>
 *   mvn -o -q -pl rnn4j-core test -Dtest=ActivationUlpScan -Drnn4j.bench=true
 * </pre>
 * Result on 2026-12-06: σ at most 2 ulp (97.1% exact, 2.9% 1 ulp, 242,598 floats 2 ulp); tanh at most
 * 2 ulp (99.2% exact, 0.8% 1 ulp, 66 floats 2 ulp). NaN gives NaN.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "rnn4j.bench", matches = "true")
class ActivationUlpScan {
    @Test
    void everyFloat() {
        long[] sigmoid = new long[4];
        long[] tanh = new long[4];
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits++) {
            float x = Float.intBitsToFloat((int) bits);
            sigmoid[(int) Math.min(3, ElementwiseTest.ulps(PolynomialActivation.sigmoid(x),
                    ElementwiseTest.sigmoidRef(x)))]++;
            tanh[(int) Math.min(3, ElementwiseTest.ulps(PolynomialActivation.tanh(x), ElementwiseTest.tanhRef(x)))]++;
        }
        System.out.println("ulp 0, 1, 2, more: sigmoid " + Arrays.toString(sigmoid) + ", tanh " + Arrays.toString(tanh));
        assertTrue(sigmoid[3] == 0 && tanh[3] == 0, "more than 2 ulp somewhere");
    }
}
