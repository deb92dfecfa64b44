package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void charactersAreTheDistinctCodePointsSortedByCodePoint() {
        Vocabulary v = Vocabulary.ofCharacters("banana\n");
        assertEquals(List.of("\n", "a", "b", "n"), v.tokens());
        assertEquals(TokenLevel.CHAR, v.level());
        assertEquals(4, v.size());
        assertEquals(v, Vocabulary.ofCharacters("\nnab"), "the order of the text must not matter");
        assertArrayEquals(new int[] {2, 1, 3, 1, 3, 1, 0}, v.encode("banana\n"));
    }

    @Test
    void supplementaryCharactersAreOneToken() {
        String text = "a\uD83D\uDE00b\uD83D\uDE00"; // a😀b😀
        Vocabulary v = Vocabulary.ofCharacters(text);
        assertEquals(List.of("a", "b", "\uD83D\uDE00"), v.tokens());
        int[] ids = v.encode(text);
        assertArrayEquals(new int[] {0, 2, 1, 2}, ids);
        assertEquals(text, v.decode(ids));
        assertEquals(2, v.id("\uD83D\uDE00"));
    }

    @Test
    void characterRoundTripOnRandomText() {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        int[] pool = {'a', 'Z', ' ', '\n', 0xE9, 0x4E2D, 0x1F600, 0x10348};
        for (int i = 0; i < 500; i++) {
            sb.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        String text = sb.toString();
        Vocabulary v = Vocabulary.ofCharacters(text);
        assertEquals(text, v.decode(v.encode(text)));
        assertEquals(text.substring(0, 10), v.decode(v.encode(text.substring(0, 10))));
        Vocabulary reloaded = Vocabulary.of(TokenLevel.fromJsonName(v.level().jsonName()), v.tokens());
        assertEquals(v, reloaded);
        assertArrayEquals(v.encode(text), reloaded.encode(text));
    }

    @Test
    void aVocabularyInAnyOrderEncodesByItsOwnIds() {
        Vocabulary v = Vocabulary.of(TokenLevel.CHAR, List.of("c", "a", "\uD83D\uDE00", "b"));
        assertArrayEquals(new int[] {1, 3, 0, 2}, v.encode("abc\uD83D\uDE00"));
    }

    @Test
    void encodingUnknownCharactersListsThem() {
        Vocabulary v = Vocabulary.ofCharacters("abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("aZbéZ"));
        assertEquals("the text contains characters not in the vocabulary: 'Z' (U+005A), 'é' (U+00E9)", e.getMessage());
        assertEquals(List.of("Z", "é"), v.unknownTokens("aZbéZ"));
        assertEquals(List.of(), v.unknownTokens("cab"));
    }

    @Test
    void describeCharactersEscapesControlsAndShortensLongLists() {
        assertEquals("'\\n' (U+000A), (U+0007), '\uD83D\uDE00' (U+1F600)",
                Vocabulary.describeCharacters(List.of("\n", "\u0007", "\uD83D\uDE00")));
        List<String> many = "abcdefghijkl".chars().mapToObj(c -> String.valueOf((char) c)).toList();
        String described = Vocabulary.describeCharacters(many);
        assertTrue(described.endsWith("'j' (U+006A) and 2 more"), described);
    }

    @Test
    void ofChecksTheTokens() {
        assertMessage("at least one token", () -> Vocabulary.of(TokenLevel.CHAR, List.of()));
        assertMessage("token \"a\" appears twice (ids 0 and 2)", () -> Vocabulary.of(TokenLevel.CHAR, List.of("a", "b", "a")));
        assertMessage("token 1 is \"ab\" (2 code points)", () -> Vocabulary.of(TokenLevel.CHAR, List.of("a", "ab")));
        assertMessage("token 0 is empty", () -> Vocabulary.of(TokenLevel.WORD, List.of("", Vocabulary.UNK)));
        assertMessage("token 1 is null", () -> Vocabulary.of(TokenLevel.WORD, Arrays.asList(Vocabulary.UNK, null)));
        assertMessage("lone surrogate", () -> Vocabulary.of(TokenLevel.CHAR, List.of("\uD83D")));
        assertMessage("must contain \"<unk>\"", () -> Vocabulary.of(TokenLevel.WORD, List.of("the", "cat")));
        assertMessage("must be a non-empty string", () -> Vocabulary.of(TokenLevel.CHAR, List.of("")));
    }

    @Test
    void wordsAreOrderedByCountThenLexicographicallyAfterUnk() {
        String text = "The cat saw the dog.\nThe cat ran.";
        // the 3, cat 2, . 2, \n 1, dog 1, ran 1, saw 1
        Vocabulary all = Vocabulary.ofWords(text, 1);
        assertEquals(List.of("<unk>", "the", ".", "cat", "\n", "dog", "ran", "saw"), all.tokens());
        assertEquals(0, all.unkId());
        Vocabulary frequent = Vocabulary.ofWords(text, 2);
        assertEquals(List.of("<unk>", "the", ".", "cat"), frequent.tokens());
        assertEquals(frequent, Vocabulary.ofWords(text, 2), "deterministic");
    }

    @Test
    void unknownWordsBecomeUnk() {
        Vocabulary v = Vocabulary.ofWords("the cat the cat", 1); // equal counts: "cat" before "the"
        assertEquals(List.of("<unk>", "cat", "the"), v.tokens());
        assertArrayEquals(new int[] {2, 0, 0, 1, 0}, v.encode("The dog, cat?"));
        assertEquals(List.of("dog", ",", "?"), v.unknownTokens("The dog, cat?"));
        assertEquals("the <unk> cat", v.decode(new int[] {2, 0, 1}));
        assertEquals("the cat", v.decode(new int[] {0, 2, 1, 0}, 1, 3));
    }

    @Test
    void wordVocabularyErrors() {
        assertMessage("no word occurs at least 3 times", () -> Vocabulary.ofWords("a b a", 3));
        assertMessage("without words", () -> Vocabulary.ofWords("  \t ", 1));
        assertMessage("at least 1, got 0", () -> Vocabulary.ofWords("a", 0));
    }

    @Test
    void lookupsCheckTheirArguments() {
        Vocabulary v = Vocabulary.ofCharacters("ab");
        assertEquals("b", v.token(1));
        assertTrue(v.contains("a"));
        assertFalse(v.contains("c"));
        assertMessage("token id 2 is outside the vocabulary [0, 2)", () -> v.token(2));
        assertMessage("token \"c\" is not in the char-level vocabulary", () -> v.id("c"));
        assertMessage("token id -1 at position 1", () -> v.decode(new int[] {0, -1}));
        IllegalStateException e = assertThrows(IllegalStateException.class, v::unkId);
        assertTrue(e.getMessage().contains("no <unk>"), e.getMessage());
        assertMessage("empty text", () -> Vocabulary.ofCharacters(""));
    }

    @Test
    void tokenLevelNames() {
        assertEquals(TokenLevel.CHAR, TokenLevel.fromJsonName("char"));
        assertEquals(TokenLevel.WORD, TokenLevel.fromJsonName("WORD"));
        assertMessage("expected \"char\" or \"word\"", () -> TokenLevel.fromJsonName("byte"));
        assertEquals("word", TokenLevel.WORD.jsonName());
    }

    static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message \"" + e.getMessage()
                + "\" should contain \"" + expectedPart + "\"");
    }
}
