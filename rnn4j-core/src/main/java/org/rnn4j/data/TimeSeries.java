package org.rnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One or more numeric columns observed at {@code N} equally spaced time steps ({@code C} columns).
 *
 * <h2>File format (CSV)</h2>
 * <pre>
 *   # Mackey-Glass, tau = 17        comment lines (first non-blank character '#') and blank lines are skipped
 *   x,load                          header: the column names, comma-separated
 *   0.912,3.5                       one row per time step, oldest first: one number per column
 *   0.874,-1.25e-2
 * </pre>
 * <ul>
 *   <li>The separator is a comma, with no quoting; spaces around names and cells are trimmed, and a
 *       name in double quotes loses them. Names are non-empty and distinct.</li>
 *   <li>A cell is a decimal number: {@code 12}, {@code -0.5}, {@code .5}, {@code 1e-3}. Empty cells,
 *       {@code NaN}, {@code inf} and words are errors naming the line and the column: fill or drop
 *       missing values before training.</li>
 *   <li>{@link #readCsv(Path, List)} reads only the columns named (in that order); the cells of other
 *       columns (such as a date) are not parsed, but every row still needs one cell per header column.</li>
 * </ul>
 * Immutable; accessors return copies.
 */
public final class TimeSeries {
    private static final Pattern NUMBER = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    static final String EXAMPLE = "a header such as \"time,load\" and then rows of numbers such as \"0,3.5\"";

    private final String source;
    private final List<String> columns; // (C)
    private final double[][] values;    // (C)(N) column-major

    private TimeSeries(String source, List<String> columns, double[][] values) {
        this.source = source;
        this.columns = List.copyOf(columns);
        this.values = values;
    }

    /**
     * A series held in memory: {@code values[c][t]} is column {@code c} at step {@code t}. The arrays are copied.
     *
     * @throws IllegalArgumentException if the names are empty or repeated, the columns differ in length
     *     or are empty, or a value is not finite
     */
    public static TimeSeries of(String source, List<String> columns, double[][] values) {
        Objects.requireNonNull(source, "source");
        checkNames(columns);
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(columns.size() + " column names but " + values.length + " columns of values");
        }
        double[][] copy = new double[values.length][];
        for (int c = 0; c < values.length; c++) {
            copy[c] = values[c].clone();
            if (copy[c].length == 0 || copy[c].length != values[0].length) {
                throw new IllegalArgumentException("column " + Chars.quote(columns.get(c)) + " has " + copy[c].length
                        + " values; every column needs the same, non-zero number (column 0 has " + values[0].length + ")");
            }
            for (int t = 0; t < copy[c].length; t++) {
                if (!Double.isFinite(copy[c][t])) {
                    throw new IllegalArgumentException("column " + Chars.quote(columns.get(c)) + " step " + t + " is "
                            + copy[c][t] + ": values must be finite");
                }
            }
        }
        return new TimeSeries(source, columns, copy);
    }

    private static void checkNames(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a time series needs at least one column");
        }
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c);
            boolean bad = name == null || name.isBlank() || !name.equals(name.strip()) || name.contains(",")
                    || name.contains("\n") || name.startsWith("#");
            if (bad) {
                throw new IllegalArgumentException("column name " + c + " is " + (name == null ? "null" : Chars.quote(name))
                        + ": names are non-blank, without spaces around them, commas or newlines,"
                        + " and do not start with '#'");
            }
            if (columns.indexOf(name) != c) {
                throw new IllegalArgumentException("column name " + Chars.quote(name) + " appears twice");
            }
        }
    }

    /** Reads every column of a CSV file; see the class comment for the format. */
    public static TimeSeries readCsv(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads the named columns of a CSV file, in the order given.
     *
     * @throws DatasetException if a named column is not in the header
     */
    public static TimeSeries readCsv(Path file, List<String> columns) throws IOException {
        Objects.requireNonNull(columns, "columns");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("name at least one column to read");
        }
        return read(file, columns);
    }

    private static TimeSeries read(Path file, List<String> wanted) throws IOException {
        String name = file.toString();
        List<String> lines = DatasetFiles.readLines(file, "a CSV time series", "a CSV time series has " + EXAMPLE);
        int k = 0;
        while (k < lines.size() && isSkipped(lines.get(k))) {
            k++;
        }
        if (k == lines.size()) {
            throw new DatasetException(name, "has only blank and comment lines: a CSV time series has " + EXAMPLE);
        }
        int headerLine = k + 1;
        List<String> header = header(name, headerLine, lines.get(k));
        int[] used = usedColumns(name, headerLine, header, wanted);
        List<double[]> rows = new ArrayList<>();
        for (k++; k < lines.size(); k++) {
            if (!isSkipped(lines.get(k))) {
                rows.add(row(name, k + 1, lines.get(k), header, headerLine, used));
            }
        }
        if (rows.isEmpty()) {
            throw new DatasetException(name, "has a header (line " + headerLine + ") but no data rows: add one row of "
                    + header.size() + (header.size() == 1 ? " number" : " numbers") + " per time step");
        }
        double[][] values = new double[used.length][rows.size()];
        for (int t = 0; t < rows.size(); t++) {
            for (int c = 0; c < used.length; c++) {
                values[c][t] = rows.get(t)[c];
            }
        }
        List<String> names = new ArrayList<>(used.length);
        for (int c : used) {
            names.add(header.get(c));
        }
        return new TimeSeries(name, names, values);
    }

    private static boolean isSkipped(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    private static List<String> header(String file, int line, String text) throws DatasetException {
        String[] cells = text.split(",", -1);
        List<String> names = new ArrayList<>(cells.length);
        boolean allNumbers = true;
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c].strip();
            allNumbers &= NUMBER.matcher(cell).matches();
            if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
                cell = cell.substring(1, cell.length() - 1).strip();
            }
            if (cell.isEmpty()) {
                throw new DatasetException(file, line, "column " + (c + 1) + " of the header has no name: the first row"
                        + " names every column, e.g. \"time,load\"");
            }
            Integer before = seen.put(cell, c);
            if (before != null) {
                throw new DatasetException(file, line, "columns " + (before + 1) + " and " + (c + 1) + " are both named "
                        + Chars.quote(cell) + ": give each column its own name");
            }
            names.add(cell);
        }
        if (allNumbers) {
            throw new DatasetException(file, line, "the first row is numbers, not a header: add a first row that names"
                    + " the columns, e.g. \"x\" for one column");
        }
        return names;
    }

    private static int[] usedColumns(String file, int line, List<String> header, List<String> wanted)
            throws DatasetException {
        if (wanted == null) {
            int[] all = new int[header.size()];
            for (int c = 0; c < all.length; c++) {
                all[c] = c;
            }
            return all;
        }
        int[] used = new int[wanted.size()];
        for (int k = 0; k < used.length; k++) {
            used[k] = header.indexOf(wanted.get(k));
            if (used[k] < 0) {
                throw new DatasetException(file, line, "the header has no column " + Chars.quote(wanted.get(k))
                        + ": its columns are " + Chars.list(header.stream().map(Chars::quote).toList()));
            }
        }
        return used;
    }

    private static double[] row(String file, int line, String text, List<String> header, int headerLine, int[] used)
            throws DatasetException {
        String[] cells = text.split(",", -1);
        if (cells.length != header.size()) {
            throw new DatasetException(file, line, "the row has " + cells.length + (cells.length == 1 ? " cell" : " cells")
                    + " but the header (line " + headerLine + ") has " + header.size()
                    + " columns: give one cell per column, separated by commas");
        }
        double[] out = new double[used.length];
        for (int k = 0; k < used.length; k++) {
            int c = used[k];
            String cell = cells[c].strip();
            String where = "column " + (c + 1) + " (" + Chars.quote(header.get(c)) + ")";
            if (cell.isEmpty()) {
                throw new DatasetException(file, line, where + " is empty: every cell must be a number;"
                        + " fill or drop missing values");
            }
            if (!NUMBER.matcher(cell).matches()) {
                throw new DatasetException(file, line, where + " is " + Chars.quote(cell) + ", not a number: every cell"
                        + " must be a decimal number such as 12, -0.5 or 1e-3");
            }
            out[k] = Double.parseDouble(cell);
            if (!Double.isFinite(out[k])) {
                throw new DatasetException(file, line, where + " is " + cell + ", outside the range of a double");
            }
        }
        return out;
    }

    public String source() {
        return source;
    }

    /** The column names, {@code (C)}; unmodifiable. */
    public List<String> columns() {
        return columns;
    }

    /** {@code C}. */
    public int columnCount() {
        return columns.size();
    }

    /** {@code N}, the number of time steps. */
    public int length() {
        return values[0].length;
    }

    /** Column {@code c} at step {@code t}. */
    public double value(int t, int c) {
        return values[c][t];
    }

    /**
     * The index of a column.
     *
     * @throws IllegalArgumentException naming the columns if there is none called {@code name}
     */
    public int columnIndex(String name) {
        int c = columns.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException(source + " has no column " + Chars.quote(String.valueOf(name))
                    + ": its columns are " + Chars.list(columns.stream().map(Chars::quote).toList()));
        }
        return c;
    }

    /** A copy of column {@code c}, {@code (N)}. */
    public double[] column(int c) {
        return values[c].clone();
    }

    /** A copy of the named column, {@code (N)}. */
    public double[] column(String name) {
        return column(columnIndex(name));
    }

    /** The named columns, in that order. */
    public TimeSeries select(List<String> names) {
        double[][] picked = new double[names.size()][];
        for (int k = 0; k < picked.length; k++) {
            picked[k] = values[columnIndex(names.get(k))];
        }
        checkNames(names);
        return new TimeSeries(source, names, picked);
    }

    /** Writes the series as CSV (values in {@link Double#toString} form, which reads back exactly). */
    public void writeCsv(Path file) throws IOException {
        writeCsv(file, List.of());
    }

    /** Writes the series as CSV after {@code comments}, each on its own line starting with {@code "# "}. */
    public void writeCsv(Path file, List<String> comments) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String comment : comments) {
            for (String line : comment.split("\n", -1)) {
                sb.append("# ").append(line).append('\n');
            }
        }
        sb.append(String.join(",", columns)).append('\n');
        for (int t = 0; t < length(); t++) {
            for (int c = 0; c < values.length; c++) {
                sb.append(c == 0 ? "" : ",").append(values[c][t]);
            }
            sb.append('\n');
        }
        DatasetFiles.write(file, sb);
    }

    @Override
    public String toString() {
        return "TimeSeries[" + source + ", " + length() + " steps, columns " + columns + "]";
    }
}
