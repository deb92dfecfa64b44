package org.rnn4j.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's scores on a set of examples: the mean loss per counted item, how many items counted, and
 * the task's metrics by name in a stable order (e.g. {@code accuracy}, {@code majority_accuracy}).
 */
public record TaskMetrics(double loss, long items, Map<String, Double> values) {
    public TaskMetrics {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The metric {@code name}.
     *
     * @throws IllegalArgumentException naming the metrics there are, if there is none called {@code name}
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; there are " + values.keySet());
        }
        return v;
    }
}
