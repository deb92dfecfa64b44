package org.rnn4j.data;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The classes of a classification or tagging task: an immutable list of names, a class's id being its
 * index in {@link #names()} ({@code C} = {@link #size()}).
 *
 * <p>{@link #sorted(Collection)} orders the distinct names deterministically: numerically when every
 * name is an integer ({@code "2"} before {@code "10"}), otherwise by {@link String#compareTo}. Files
 * write integer names as JSON numbers, others as strings. Model files store {@link #names()};
 * {@link #of(List)} rebuilds the set in that order.
 */
public final class LabelSet {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final List<String> names;       // (C), id = index
    private final Map<String, Integer> ids; // name -> id

    private LabelSet(List<String> names) {
        this.names = List.copyOf(names);
        this.ids = new HashMap<>(names.size() * 2);
        for (int id = 0; id < names.size(); id++) {
            Integer previous = ids.put(names.get(id), id);
            if (previous != null) {
                throw new IllegalArgumentException("class " + Chars.quote(names.get(id)) + " appears twice (ids "
                        + previous + " and " + id + "): a label set lists each class once");
            }
        }
    }

    /**
     * The classes in this order, class {@code i} having id {@code i} (as stored in a model file).
     *
     * @throws IllegalArgumentException if the list is empty or has a null, empty or repeated name
     */
    public static LabelSet of(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a label set needs at least one class, got an empty list");
        }
        for (int id = 0; id < names.size(); id++) {
            String name = names.get(id);
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("class " + id + " is " + (name == null ? "null" : "empty")
                        + ": every class name must be a non-empty string");
            }
        }
        return new LabelSet(names);
    }

    /** The distinct names, sorted numerically if all are integers, otherwise by {@link String#compareTo}. */
    public static LabelSet sorted(Collection<String> names) {
        TreeSet<String> distinct = new TreeSet<>(names);
        List<String> ordered = new ArrayList<>(distinct);
        if (!ordered.isEmpty() && ordered.stream().allMatch(LabelSet::isInteger)) {
            ordered.sort(Comparator.comparing(BigInteger::new));
        }
        return of(ordered);
    }

    /** Whether {@code name} is an integer in plain decimal ({@code "-3"}, {@code "10"}, not {@code "03"}). */
    public static boolean isInteger(String name) {
        return INTEGER.matcher(name).matches();
    }

    /** The class names, class {@code i} having id {@code i}; unmodifiable. */
    public List<String> names() {
        return names;
    }

    /** {@code C}, the number of classes. */
    public int size() {
        return names.size();
    }

    public boolean contains(String name) {
        return ids.containsKey(name);
    }

    /**
     * The id of a class.
     *
     * @throws IllegalArgumentException naming the known classes if {@code name} is not one of them
     */
    public int id(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            throw new IllegalArgumentException("unknown class " + Chars.quote(String.valueOf(name)) + ": the classes are "
                    + Chars.list(names.stream().map(Chars::quote).toList()));
        }
        return id;
    }

    /**
     * The name of class {@code id}.
     *
     * @throws IllegalArgumentException if {@code id} is not in {@code [0, C)}
     */
    public String name(int id) {
        if (id < 0 || id >= names.size()) {
            throw new IllegalArgumentException("class id " + id + " is outside [0, " + names.size() + ")");
        }
        return names.get(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet l && l.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "LabelSet" + names;
    }
}
