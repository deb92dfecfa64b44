package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    @Test
    void wordsPunctuationAndNewlines() {
        assertEquals(List.of("don't", "stop", ",", "mr", ".", "o’brien", "!", "\n", "new", "line"),
                WordTokenizer.tokenize("Don't stop, Mr. O’Brien!\nNew  line"));
    }

    @Test
    void onlyInnerApostrophesBelongToWords() {
        assertEquals(List.of("dogs", "'", "'", "tis", "rock", "'", "n", "'", "roll"),
                WordTokenizer.tokenize("dogs' 'tis rock 'n' roll"));
    }

    @Test
    void symbolsAreTokensOfTheirOwn() {
        assertEquals(List.of("well", "-", "known", "3", ".", "14", "x2", "\uD83D\uDE00", "<", "unk", ">"),
                WordTokenizer.tokenize("well-known 3.14 x2\uD83D\uDE00<unk>"));
    }

    @Test
    void combiningMarksStayInTheirWord() {
        assertEquals(List.of("cafe\u0301", "café", "ΑΘΗΝΑ".toLowerCase(java.util.Locale.ROOT)),
                WordTokenizer.tokenize("cafe\u0301 Café ΑΘΗΝΑ"));
    }

    @Test
    void whitespaceAndControlsSeparateButOnlyNewlinesAreKept() {
        assertEquals(List.of("a", "\n", "\n", "b", "c", "d", "\n"),
                WordTokenizer.tokenize("a\r\n\r\nb\tc\u00A0\u0007d\n"));
        assertEquals(List.of(), WordTokenizer.tokenize(" \t\r "));
    }

    @Test
    void detokenizeSpacing() {
        List<String> tokens = List.of("hello", ",", "world", "!", "\n", "(", "it", ")", "is", "\"", "fine", "\"",
                ".", "\n", "well", "-", "known", "dogs", "'", "…", "100", "%");
        assertEquals("hello, world!\n(it) is \"fine\".\nwell-known dogs'… 100%", WordTokenizer.detokenize(tokens));
        assertEquals("", WordTokenizer.detokenize(List.of()));
        assertEquals("\n\na", WordTokenizer.detokenize(List.of("\n", "\n", "a")));
    }

    @Test
    void lowerCaseTextWithSimpleSpacingRoundTrips() {
        String text = "the cat sat on the mat.\nit was \"warm\", wasn't it?\n\n(yes)";
        assertEquals(text, WordTokenizer.detokenize(WordTokenizer.tokenize(text)));
    }
}
