package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddedReberTest {

    @Test
    void knownStrings() {
        for (String s : List.of("BTBTXSETE", "BPBPVVEPE", "BTBTSSXXTVVETE", "BPBPTVPSEPE", "BTBPVPXVVETE")) {
            assertTrue(EmbeddedReber.isValid(s), s);
        }
        for (String s : List.of("", "BTBTXSEPE", "BTBTXSET", "BTBTXSETEE", "BTXSE", "BTBTXSETE\n", "btbtxsete",
                "BTBTXQETE", "BTBTSETE", "BXBTXSETE")) {
            assertFalse(EmbeddedReber.isValid(s), s);
        }
    }

    @Test
    void generatedStringsAreValidAndUseBothBranches() {
        SplittableRandom random = new SplittableRandom(11);
        int tBranch = 0;
        int longest = 0;
        for (int i = 0; i < 2000; i++) {
            String s = EmbeddedReber.generate(random);
            assertTrue(EmbeddedReber.isValid(s), s);
            assertEquals(s.charAt(1), s.charAt(s.length() - 2), "the second-to-last symbol repeats the second");
            assertTrue(EmbeddedReber.isValid("BT" + EmbeddedReber.generateReber(random) + "TE"));
            tBranch += s.charAt(1) == 'T' ? 1 : 0;
            longest = Math.max(longest, s.length());
        }
        assertTrue(tBranch > 800 && tBranch < 1200, "T chosen " + tBranch + " of 2000 times");
        assertTrue(longest > 15, "loops should make some strings long, longest " + longest);
    }

    @Test
    void corruptedStringsAreRejected() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 500; i++) {
            String s = EmbeddedReber.generate(random);
            int n = s.length();
            char other = s.charAt(1) == 'T' ? 'P' : 'T';
            String wrongMemory = s.substring(0, n - 2) + other + "E";
            assertFalse(EmbeddedReber.isValid(wrongMemory), wrongMemory);
            assertEquals(n - 2, EmbeddedReber.validPrefixLength(wrongMemory));
            String truncated = s.substring(0, n - 1);
            assertFalse(EmbeddedReber.isValid(truncated), truncated);
            assertTrue(EmbeddedReber.isValidPrefix(truncated), truncated);
            assertFalse(EmbeddedReber.isValid(s + "E"));
            String dropped = s.substring(0, 3) + s.substring(4); // drop the first inner-graph symbol
            assertFalse(EmbeddedReber.isValid(dropped), dropped);
        }
    }

    @Test
    void legalNextSymbolsAlongAKnownPath() {
        String s = "BTBPVVETE";
        List<Set<Character>> expected = List.of(Set.of('B'), Set.of('T', 'P'), Set.of('B'), Set.of('T', 'P'),
                Set.of('T', 'V'), Set.of('P', 'V'), Set.of('E'), Set.of('T'), Set.of('E'), Set.of());
        for (int i = 0; i <= s.length(); i++) {
            assertEquals(expected.get(i), EmbeddedReber.legalNext(s.substring(0, i)), "after " + s.substring(0, i));
        }
        assertEquals(List.of('T', 'P'), new ArrayList<>(EmbeddedReber.legalNext("B")), "in alphabet order");
        assertEquals(Set.of('S', 'X'), EmbeddedReber.legalNext("BPBTSS"));
        assertEquals(Set.of('X', 'S'), EmbeddedReber.legalNext("BPBTSX"));
        assertEquals(Set.of('P'), EmbeddedReber.legalNext("BPBTXSE"));
        VocabularyTest.assertMessage("symbol 2 is 'X' but expected B after \"BT\"", () -> EmbeddedReber.legalNext("BTX"));
        VocabularyTest.assertMessage("symbol 4 is 'S' but expected T or V after \"BTBP\"",
                () -> EmbeddedReber.legalNext("BTBPS"));
        VocabularyTest.assertMessage("symbol 9 is 'E' but nothing may follow a complete string",
                () -> EmbeddedReber.legalNext("BTBPVVETEE"));
    }

    @Test
    void everyGeneratedSymbolWasLegal() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 200; i++) {
            String s = EmbeddedReber.generate(random);
            for (int k = 0; k < s.length(); k++) {
                assertTrue(EmbeddedReber.legalNext(s.substring(0, k)).contains(s.charAt(k)), s + " at " + k);
            }
            assertTrue(EmbeddedReber.legalNext(s).isEmpty());
        }
    }

    @Test
    void corpusIsDeterministicAndNewlineTerminated() {
        String a = EmbeddedReber.corpus(50, 7L);
        assertEquals(a, EmbeddedReber.corpus(50, 7L));
        assertNotEquals(a, EmbeddedReber.corpus(50, 8L));
        assertTrue(a.endsWith("E\n"));
        String[] lines = a.split("\n");
        assertEquals(50, lines.length);
        assertEquals(1.0, EmbeddedReber.validFraction(List.of(lines)));
        assertEquals(0.5, EmbeddedReber.validFraction(List.of("BTBTXSETE", "BTBTXSEPE")));
        VocabularyTest.assertMessage("at least 1, got 0", () -> EmbeddedReber.corpus(0, 1L));
        VocabularyTest.assertMessage("no strings", () -> EmbeddedReber.validFraction(List.of()));
    }

    @Test
    void defaultCorpusMakesACharacterCorpus() {
        String text = EmbeddedReber.corpus(EmbeddedReber.DEFAULT_STRINGS, 1L);
        Corpus corpus = Corpus.builder().fromText("embedded Reber", text);
        assertEquals(List.of("\n", "B", "E", "P", "S", "T", "V", "X"), corpus.vocabulary().tokens());
    }
}
