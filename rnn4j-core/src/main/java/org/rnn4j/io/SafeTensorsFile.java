package org.rnn4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contents of one safetensors file, as returned by {@link SafeTensors#read}: its metadata and its
 * tensors in header order. Immutable.
 */
public final class SafeTensorsFile {
    private final String source;
    private final Map<String, String> metadata;
    private final Map<String, TensorData> tensors;

    /** Takes ownership of both maps; their iteration order is the header order. */
    SafeTensorsFile(String source, LinkedHashMap<String, String> metadata,
                    LinkedHashMap<String, TensorData> tensors) {
        this.source = source;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Where the tensors came from, as named in error messages (the path as given, or a caller's label). */
    public String source() {
        return source;
    }

    /** The {@code __metadata__} strings in header order; empty if the file has none. Unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor names in header order. */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /** The tensors in header order. */
    public List<TensorData> tensors() {
        return List.copyOf(tensors.values());
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor with this name, if the file has one. */
    public Optional<TensorData> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /**
     * The tensor with this name.
     *
     * @throws ModelFileException naming the file and listing the tensors it does hold, if there is none
     */
    public TensorData tensor(String name) throws ModelFileException {
        TensorData t = tensors.get(name);
        if (t == null) {
            throw new ModelFileException(source, "has no tensor '" + name + "'; it holds "
                    + describeNames(new ArrayList<>(tensors.keySet())));
        }
        return t;
    }

    private static String describeNames(List<String> names) {
        if (names.isEmpty()) {
            return "no tensors at all";
        }
        int shown = Math.min(names.size(), 20);
        String list = "'" + String.join("', '", names.subList(0, shown)) + "'";
        return names.size() + " tensor" + (names.size() == 1 ? "" : "s") + ": " + list
                + (shown < names.size() ? ", ..." : "");
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + source + ", " + tensors.size() + " tensors]";
    }
}
