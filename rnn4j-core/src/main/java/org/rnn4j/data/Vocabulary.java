package org.rnn4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable list of tokens; a token's id is its index in {@link #tokens()} ({@code V} = {@link #size()}).
 *
 * <h2>Character level</h2>
 * Each token is exactly one Unicode code point (a supplementary character such as {@code 😀} is one
 * token, never two surrogates). {@link #ofCharacters(CharSequence)} takes the distinct code points of a
 * text sorted by code point, so the same text always gives the same ids. Encoding a character outside
 * the vocabulary throws an {@link IllegalArgumentException} that lists it; {@link #unknownTokens} and
 * {@link #describeCharacters} build the same list for other messages, e.g.
 * {@code the prime contains characters not in the model's vocabulary: 'Z' (U+005A), 'é' (U+00E9)}.
 *
 * <h2>Word level</h2>
 * Tokens are those of {@link WordTokenizer} (lower-cased words, punctuation, {@code "\n"}).
 * {@link #ofWords(CharSequence, int)} keeps the tokens that occur at least {@code minCount} times;
 * id 0 is {@code <unk>}, which stands for every other word, followed by the kept tokens ordered by
 * descending count, then by {@link String#compareTo}. Encoding maps unknown words to {@code <unk>};
 * decoding joins tokens with {@link WordTokenizer#detokenize(List)}.
 *
 * <h2>Storage</h2>
 * Model files store {@code {"level": level().jsonName(), "tokens": tokens()}};
 * {@link #of(TokenLevel, List)} rebuilds the vocabulary and checks it again.
 */
public final class Vocabulary {
    /** The word-level token for words outside the vocabulary; id 0 in vocabularies built from text. */
    public static final String UNK = "<unk>";
    /** Default minimum count for a word to get its own id in {@link #ofWords(CharSequence, int)}. */
    public static final int DEFAULT_MIN_COUNT = 2;

    private final TokenLevel level;
    private final List<String> tokens;     // V tokens, id = index
    private final Map<String, Integer> ids; // token -> id, V entries
    private final int[] sortedCodePoints;  // (V) char level: the code points, ascending; empty for words
    private final int[] sortedIds;         // (V) char level: id of sortedCodePoints[k]; empty for words
    private final int unkId;               // word level: id of <unk>; -1 for characters

    private Vocabulary(TokenLevel level, List<String> tokens) {
        this.level = level;
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int id = 0; id < tokens.size(); id++) {
            String token = tokens.get(id);
            Integer previous = ids.put(token, id);
            if (previous != null) {
                throw new IllegalArgumentException("token " + Chars.quote(token) + " appears twice (ids " + previous
                        + " and " + id + "): a vocabulary lists each token once");
            }
        }
        if (level == TokenLevel.CHAR) {
            long[] packed = new long[tokens.size()]; // code point in the high half, id in the low half
            for (int id = 0; id < tokens.size(); id++) {
                packed[id] = ((long) tokens.get(id).codePointAt(0) << 32) | id;
            }
            Arrays.sort(packed);
            sortedCodePoints = new int[packed.length];
            sortedIds = new int[packed.length];
            for (int k = 0; k < packed.length; k++) {
                sortedCodePoints[k] = (int) (packed[k] >>> 32);
                sortedIds[k] = (int) packed[k];
            }
            unkId = -1;
        } else {
            sortedCodePoints = new int[0];
            sortedIds = new int[0];
            Integer unk = ids.get(UNK);
            if (unk == null) {
                throw new IllegalArgumentException("a word-level vocabulary must contain " + Chars.quote(UNK)
                        + ", the token for words outside it; none of its " + tokens.size() + " tokens is");
            }
            unkId = unk;
        }
    }

    /**
     * The vocabulary with these tokens, token {@code i} having id {@code i} (as stored in a model file).
     *
     * @throws IllegalArgumentException if the list is empty, has a null, empty or repeated token, a
     *     character-level token is not exactly one code point, or a word-level list lacks {@code <unk>}
     */
    public static Vocabulary of(TokenLevel level, List<String> tokens) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a vocabulary needs at least one token, got an empty list");
        }
        for (int id = 0; id < tokens.size(); id++) {
            String token = tokens.get(id);
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("token " + id + " is " + (token == null ? "null" : "empty")
                        + ": every token must be a non-empty string");
            }
            if (level == TokenLevel.CHAR) {
                int count = token.codePointCount(0, token.length());
                if (count != 1) {
                    throw new IllegalArgumentException("character-level token " + id + " is " + Chars.quote(token)
                            + " (" + count + " code points): each must be exactly one Unicode code point");
                }
                int cp = token.codePointAt(0);
                if (Character.isBmpCodePoint(cp) && Character.isSurrogate((char) cp)) {
                    throw new IllegalArgumentException("character-level token " + id + " is the lone surrogate "
                            + Chars.describe(cp) + ": each must be a whole Unicode code point");
                }
            }
        }
        return new Vocabulary(level, tokens);
    }

    /** The vocabulary of {@code text} at this level; {@code minCount} only matters for words. */
    public static Vocabulary fromText(TokenLevel level, CharSequence text, int minCount) {
        return level == TokenLevel.CHAR ? ofCharacters(text) : ofWords(text, minCount);
    }

    /**
     * The distinct code points of {@code text}, sorted by code point.
     *
     * @throws IllegalArgumentException if the text is empty
     */
    public static Vocabulary ofCharacters(CharSequence text) {
        if (text.length() == 0) {
            throw new IllegalArgumentException("cannot build a character vocabulary from empty text");
        }
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        List<String> tokens = new ArrayList<>(distinct.length);
        for (int cp : distinct) {
            tokens.add(new String(Character.toChars(cp)));
        }
        return of(TokenLevel.CHAR, tokens);
    }

    /** The word vocabulary of {@code text} as cut by {@link WordTokenizer#tokenize}; see {@link #ofWordTokens}. */
    public static Vocabulary ofWords(CharSequence text, int minCount) {
        return ofWordTokens(WordTokenizer.tokenize(text), minCount);
    }

    /**
     * {@code <unk>} (id 0), then the tokens that occur at least {@code minCount} times, by descending
     * count, ties by {@link String#compareTo}.
     *
     * @throws IllegalArgumentException if {@code minCount < 1}, or no token occurs {@code minCount} times
     */
    public static Vocabulary ofWordTokens(List<String> words, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("the minimum word count must be at least 1, got " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String word : words) {
            counts.merge(word, 1, Integer::sum);
        }
        counts.remove(UNK); // it gets id 0 anyway (the tokenizer never produces it)
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minCount) {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(words.isEmpty()
                    ? "cannot build a word vocabulary from text without words"
                    : "no word occurs at least " + minCount + " times among the " + words.size()
                            + " word tokens: lower the minimum count or give a longer text");
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.<String, Integer>comparingByKey()));
        List<String> tokens = new ArrayList<>(kept.size() + 1);
        tokens.add(UNK);
        for (Map.Entry<String, Integer> e : kept) {
            tokens.add(e.getKey());
        }
        return of(TokenLevel.WORD, tokens);
    }

    public TokenLevel level() {
        return level;
    }

    /** The tokens, token {@code i} having id {@code i}; unmodifiable. */
    public List<String> tokens() {
        return tokens;
    }

    /** {@code V}, the number of tokens. */
    public int size() {
        return tokens.size();
    }

    /** Whether {@code token} has an id (exact match; no {@code <unk>} fallback). */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /**
     * The id of {@code token} (exact match; use {@link #encode} for the {@code <unk>} fallback).
     *
     * @throws IllegalArgumentException if the token is not in the vocabulary
     */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token " + Chars.quote(token) + " is not in the " + level.jsonName()
                    + "-level vocabulary of " + size() + " tokens");
        }
        return id;
    }

    /**
     * The token with this id.
     *
     * @throws IllegalArgumentException if {@code id} is not in {@code [0, V)}
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + size() + ")");
        }
        return tokens.get(id);
    }

    /**
     * The id of {@code <unk>}.
     *
     * @throws IllegalStateException for a character-level vocabulary, which has no unknown token
     */
    public int unkId() {
        if (unkId < 0) {
            throw new IllegalStateException("a character-level vocabulary has no " + UNK + " token");
        }
        return unkId;
    }

    /**
     * The ids of {@code text}: one per code point (characters) or per {@link WordTokenizer} token (words,
     * unknown ones becoming {@code <unk>}).
     *
     * @throws IllegalArgumentException at character level, if the text has characters outside the
     *     vocabulary; the message lists them
     */
    public int[] encode(CharSequence text) {
        if (level == TokenLevel.WORD) {
            return encodeWords(WordTokenizer.tokenize(text));
        }
        int[] out = new int[Character.codePointCount(text, 0, text.length())];
        int k = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            int id = charId(cp);
            if (id < 0) {
                throw new IllegalArgumentException("the text contains characters not in the vocabulary: "
                        + describeCharacters(unknownTokens(text)));
            }
            out[k++] = id;
            i += Character.charCount(cp);
        }
        return out;
    }

    /** Word level: the ids of already-cut tokens, unknown ones becoming {@code <unk>}. */
    int[] encodeWords(List<String> words) {
        int[] out = new int[words.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ids.getOrDefault(words.get(k), unkId);
        }
        return out;
    }

    /** The id of a code point, or -1 (character level). */
    private int charId(int codePoint) {
        int k = Arrays.binarySearch(sortedCodePoints, codePoint);
        return k >= 0 ? sortedIds[k] : -1;
    }

    /**
     * The distinct tokens of {@code text} that have no id, in order of first appearance: code points as
     * one-code-point strings (character level), or the words that would become {@code <unk>} (word level).
     */
    public List<String> unknownTokens(CharSequence text) {
        Set<String> unknown = new LinkedHashSet<>();
        if (level == TokenLevel.CHAR) {
            text.codePoints().filter(cp -> charId(cp) < 0)
                    .forEach(cp -> unknown.add(new String(Character.toChars(cp))));
        } else {
            for (String word : WordTokenizer.tokenize(text)) {
                if (!ids.containsKey(word)) {
                    unknown.add(word);
                }
            }
        }
        return List.copyOf(unknown);
    }

    /**
     * Characters for a message, e.g. {@code 'Z' (U+005A), 'é' (U+00E9)}; after ten, "and N more". Each
     * string is described by its code points.
     */
    public static String describeCharacters(List<String> characters) {
        List<String> described = new ArrayList<>(characters.size());
        for (String s : characters) {
            StringBuilder sb = new StringBuilder();
            s.codePoints().forEach(cp -> sb.append(sb.length() == 0 ? "" : " ").append(Chars.describe(cp)));
            described.add(sb.toString());
        }
        return Chars.list(described);
    }

    /** The text of all {@code ids}; see {@link #decode(int[], int, int)}. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /**
     * The text of {@code ids[from, to)}: the tokens concatenated (characters) or joined by
     * {@link WordTokenizer#detokenize(List)} (words).
     *
     * @throws IllegalArgumentException if an id is outside {@code [0, V)}
     */
    public String decode(int[] ids, int from, int to) {
        Objects.checkFromToIndex(from, to, ids.length);
        List<String> words = level == TokenLevel.WORD ? new ArrayList<>(to - from) : null;
        StringBuilder sb = new StringBuilder(to - from);
        for (int k = from; k < to; k++) {
            int id = ids[k];
            if (id < 0 || id >= tokens.size()) {
                throw new IllegalArgumentException("token id " + id + " at position " + k
                        + " is outside the vocabulary [0, " + size() + ")");
            }
            if (words != null) {
                words.add(tokens.get(id));
            } else {
                sb.append(tokens.get(id));
            }
        }
        return words != null ? WordTokenizer.detokenize(words) : sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.level == level && v.tokens.equals(tokens);
    }

    @Override
    public int hashCode() {
        return 31 * level.hashCode() + tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + level.jsonName() + ", " + size() + " tokens]";
    }
}
