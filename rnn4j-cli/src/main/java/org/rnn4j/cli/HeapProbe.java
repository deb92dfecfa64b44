package org.rnn4j.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.Reference;
import java.util.List;
import java.util.function.Supplier;

/**
 * Heap use around a piece of work, from the JVM's memory pools: the heap in use before it (after a
 * full collection), the peak during it, and what stays reachable after it (after another collection).
 * The peak is the sum of each heap pool's own peak; the pools peak at different moments, so it is an
 * upper bound on the heap that the work needed, garbage not yet collected included.
 */
final class HeapProbe {
    /** Bytes: in use before, peak during, in use after (with the work's result still reachable). */
    record Usage(long before, long peak, long retained) {
    }

    private HeapProbe() {
    }

    /** Runs {@code work}; what it returns is kept reachable until the retained heap has been measured. */
    static Usage measure(Supplier<?> work) {
        List<MemoryPoolMXBean> pools = heapPools();
        System.gc();
        long before = used(pools);
        for (MemoryPoolMXBean p : pools) {
            p.resetPeakUsage();
        }
        Object result = work.get();
        long peak = 0;
        for (MemoryPoolMXBean p : pools) {
            peak += p.getPeakUsage().getUsed();
        }
        System.gc();
        long retained = used(pools);
        Reference.reachabilityFence(result);
        return new Usage(before, peak, retained);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    }

    private static long used(List<MemoryPoolMXBean> pools) {
        long sum = 0;
        for (MemoryPoolMXBean p : pools) {
            sum += p.getUsage().getUsed();
        }
        return sum;
    }
}
