package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Numbers into JSON as the commands write them: a value that is not finite becomes {@code null}. */
final class JsonNumbers {
    private JsonNumbers() {
    }

    static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    static void addNum(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    static void array(ObjectNode o, String key, double[] v) {
        ArrayNode a = o.putArray(key);
        for (double x : v) {
            addNum(a, x);
        }
    }
}
