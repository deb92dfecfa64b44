package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class GemmSelectorTest {
    @Test
    void propertyForcesEachBackend() {
        assertInstanceOf(NaiveGemm.class, GemmSelector.select("naive"));
        assertInstanceOf(ScalarGemm.class, GemmSelector.select("scalar"));
        assertInstanceOf(ScalarGemm.class, GemmSelector.select(" Scalar "));
    }

    @Test
    void defaultIsVectorWhenTheModuleIsLoaded() {
        assumeTrue(GemmSelector.vectorModulePresent(), "run without --add-modules jdk.incubator.vector");
        Gemm g = GemmSelector.select(null);
        assertEquals("org.rnn4j.matrix.VectorGemm", g.getClass().getName());
        assertTrue(g.name().startsWith("vector("), g.name());
        assertEquals(g.getClass(), GemmSelector.select("").getClass());
        assertEquals(g.getClass(), GemmSelector.select("vector").getClass());
    }

    @Test
    void kernelsStartWithTheSelectedBackend() {
        String forced = System.getProperty(GemmSelector.PROPERTY);
        assumeTrue(forced == null || forced.isBlank(), "rnn4j.gemm is set for this run");
        assertEquals(GemmSelector.select(null).getClass(), Kernels.backend().getClass());
    }

    @Test
    void unknownChoiceSaysWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmSelector.select("blas"));
        assertEquals("rnn4j.gemm=blas is not one of naive, scalar, vector", e.getMessage());
    }
}
