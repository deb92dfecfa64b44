package org.rnn4j.model;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.rnn4j.matrix.Gemm;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.ScalarGemm;

/**
 * For the tests of data-parallel passes ({@code @ExtendWith(SplitPasses.class)}): each test runs on a
 * backend whose thread count it sets ({@link ScalarGemm#setThreads}), and splits even small models
 * ({@link Replicas#setMinFmas} 0); the backend, its threads and the threshold are restored afterwards.
 */
final class SplitPasses implements BeforeEachCallback, AfterEachCallback {
    private record Saved(Gemm backend, int threads, long minFmas) {
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SplitPasses.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Saved.class, new Saved(Kernels.backend(), ScalarGemm.threads(),
                Replicas.minFmas()));
        Kernels.useBackend(new ScalarGemm());
        Replicas.setMinFmas(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Saved s = context.getStore(NAMESPACE).remove(Saved.class, Saved.class);
        Kernels.useBackend(s.backend());
        ScalarGemm.setThreads(s.threads());
        Replicas.setMinFmas(s.minFmas());
    }
}
