package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeSeriesTest {
    @TempDir
    Path dir;

    @Test
    void readsColumnsSkippingCommentsAndBlankLines() throws IOException {
        TimeSeries s = TimeSeries.readCsv(write("""
                # a comment
                
                 time , "load",temp
                0, 3.5, -1e-2
                  # another
                1,.5,+2
                
                2,4.,7E1
                """));
        assertEquals(List.of("time", "load", "temp"), s.columns());
        assertEquals(3, s.length());
        assertArrayEquals(new double[] {3.5, 0.5, 4.0}, s.column("load"));
        assertArrayEquals(new double[] {-0.01, 2, 70}, s.column(2));
        assertEquals(1.0, s.value(1, 0));
    }

    @Test
    void readsOnlyTheNamedColumnsInTheOrderGiven() throws IOException {
        TimeSeries s = TimeSeries.readCsv(write("date,b,a\n2024-01-01,1,2\n2024-01-02,3,4\n"), List.of("a", "b"));
        assertEquals(List.of("a", "b"), s.columns());
        assertArrayEquals(new double[] {2, 4}, s.column(0));
        assertArrayEquals(new double[] {1, 3}, s.column("b"));
    }

    @Test
    void roundTripsExactly() throws IOException {
        TimeSeries s = TimeSeries.of("mem", List.of("x", "y"), new double[][] {{0.1, -1e-300, 12345.678}, {1, 2, Math.PI}});
        Path out = dir.resolve("s.csv");
        s.writeCsv(out, List.of("made by a test", "two lines"));
        assertEquals("# made by a test\n# two lines\nx,y\n0.1,1.0\n-1.0E-300,2.0\n12345.678,3.141592653589793\n",
                Files.readString(out));
        TimeSeries again = TimeSeries.readCsv(out);
        assertEquals(s.columns(), again.columns());
        assertArrayEquals(s.column(0), again.column(0));
        assertArrayEquals(s.column(1), again.column(1));
    }

    @Test
    void malformedFilesNameTheLineAndColumn() {
        assertError("4: column 2 (\"load\") is \"abc\", not a number", "# c\ntime,load\n0,1\n1,abc\n");
        assertError("3: column 1 (\"x\") is \"NaN\", not a number", "x\n1\nNaN\n");
        assertError("3: column 2 (\"y\") is empty: every cell must be a number; fill or drop missing values",
                "x,y\n1,2\n3,\n");
        assertError("3: the row has 3 cells but the header (line 1) has 2 columns", "x,y\n1,2\n3,4,5\n");
        assertError("has a header (line 2) but no data rows: add one row of 2 numbers per time step",
                "# only a header\nx,y\n\n# and comments\n");
        assertError("1: the first row is numbers, not a header", "1,2\n3,4\n");
        assertError("1: columns 1 and 3 are both named \"x\"", "x,y,x\n1,2,3\n");
        assertError("1: column 2 of the header has no name", "x,,z\n1,2,3\n");
        assertError("has only blank and comment lines", "# nothing\n\n");
        assertError("is empty", "");
        assertError("2: column 1 (\"x\") is 1e999, outside the range of a double", "x\n1e999\n");
        assertError("1: the header has no column \"w\": its columns are \"x\", \"y\"",
                () -> TimeSeries.readCsv(write("x,y\n1,2\n"), List.of("w")));
        // the cells of columns that are not read are not parsed
        assertEquals(1, assertDoesNotThrow(() -> TimeSeries.readCsv(write("d,x\nmonday,1\n"), List.of("x"))).length());
    }

    @Test
    void inMemorySeriesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("m", List.of("x"), new double[][] {{}}));
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("m", List.of("x", "x"), new double[][] {{1}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("m", List.of("x"), new double[][] {{Double.NaN}}));
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("m", List.of("x", "y"), new double[][] {{1}, {1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> TimeSeries.of("m", List.of(" x"), new double[][] {{1}}));
    }

    private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError("unexpected: " + e.getMessage(), e);
        }
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "series", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private void assertError(String expected, String fileText) {
        assertError(expected, () -> TimeSeries.readCsv(write(fileText)));
    }

    private static void assertError(String expected, ClassificationDatasetTest.ThrowingRead read) {
        ClassificationDatasetTest.assertError(expected, read);
    }
}
