package org.rnn4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.BatchOrder;
import org.rnn4j.data.DatasetSplit;
import org.rnn4j.data.Seq2SeqDataset;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.PaddedSequences;
import org.rnn4j.model.Seq2Seq;
import org.rnn4j.model.Seq2SeqBatch;
import org.rnn4j.model.StepDecoder;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.sample.BeamSearch;
import org.rnn4j.sample.BeamSearchOptions;
import org.rnn4j.sample.Hypothesis;
import org.rnn4j.sample.SequenceGenerator;

/**
 * Sequence-to-sequence learning of a {@link Seq2SeqDataset} with an encoder-decoder ({@link Seq2Seq},
 * task seq2seq): teacher-forced cross-entropy over every target token and the closing EOS. The
 * dataset's START and END must be target ids {@link StepDecoder#BOS} and {@link StepDecoder#EOS} (they
 * are whenever the texts hold no character below U+0002). Metrics: {@value #EXACT_MATCH}, the share of
 * sources whose greedy decoding is exactly the target, and with a beam width {@value #EXACT_MATCH_BEAM},
 * the same for the best beam-search hypothesis. Decodings stop after {@link #decodeLimit} tokens.
 */
public final class Seq2SeqTask implements SupervisedTask {
    public static final String ID = "seq2seq";
    public static final String EXACT_MATCH = "exact_match";
    public static final String EXACT_MATCH_BEAM = "exact_match_beam";

    private final Seq2Seq model;
    private final Seq2SeqDataset train;
    private final Seq2SeqDataset validation;
    private final int beamWidth;

    /**
     * @param beamWidth the beam of {@value #EXACT_MATCH_BEAM} at validation, or 0 for greedy decoding only
     * @param dropoutRng the source of dropout masks in training
     * @throws IllegalArgumentException if START and END are not BOS and EOS, or the vocabularies differ
     *     from the model's
     */
    public Seq2SeqTask(Seq2Seq model, DatasetSplit<Seq2SeqDataset> data, int beamWidth, Rng dropoutRng) {
        checkModel(model, data.train());
        if (beamWidth < 0) {
            throw new IllegalArgumentException("the beam width must be 0 (greedy only) or positive, got " + beamWidth);
        }
        this.model = model;
        this.train = data.train();
        this.validation = data.validation();
        this.beamWidth = beamWidth;
        model.setDropoutRng(dropoutRng);
    }

    /** Throws unless the data's vocabularies fit the model and its START and END are BOS and EOS. */
    public static void checkModel(Seq2Seq model, Seq2SeqDataset data) {
        if (data.startId() != StepDecoder.BOS || data.endId() != StepDecoder.EOS) {
            throw new IllegalArgumentException(data.source() + ": the target texts hold characters below U+0002, so START"
                    + " and END are not target ids 0 and 1 (BOS and EOS): remove those characters");
        }
        if (data.sourceVocabulary().size() != model.config().sourceVocabSize()
                || data.targetVocabulary().size() != model.config().targetVocabSize()) {
            throw new IllegalArgumentException("the data's vocabularies have " + data.sourceVocabulary().size() + " and "
                    + data.targetVocabulary().size() + " tokens but the model's have " + model.config().sourceVocabSize()
                    + " and " + model.config().targetVocabSize());
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String metric() {
        return EXACT_MATCH;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public List<Parameter> parameters() {
        return model.parameters();
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public double uninformedLoss() {
        return Math.log(model.config().targetVocabSize());
    }

    @Override
    public BatchLoss forwardBackward(int[] examples, float scale) {
        Seq2SeqBatch b = batch(train, examples);
        SoftmaxCrossEntropy.Result r = model.forwardBackward(b, scale);
        long steps = 0;
        for (int i : examples) {
            steps += train.sources().length(i) + train.targets().length(i) + 1;
        }
        return new BatchLoss(r.sum(), r.count(), steps);
    }

    @Override
    public TaskMetrics validate() {
        return evaluate(model, validation, beamWidth);
    }

    /** The most tokens a decoding of {@code data} may emit: its longest target plus one (longer is wrong anyway). */
    public static int decodeLimit(Seq2SeqDataset data) {
        return data.targets().maxLength() + 1;
    }

    /**
     * The teacher-forced loss per target token (EOS included), {@value #EXACT_MATCH} and, for
     * {@code beamWidth > 0}, {@value #EXACT_MATCH_BEAM}, over all of {@code data}.
     */
    public static TaskMetrics evaluate(Seq2Seq model, Seq2SeqDataset data, int beamWidth) {
        double sum = 0;
        long count = 0;
        for (int[] examples : new BatchOrder(data.size(), Batches.EVAL_BATCH, 0).inOrder()) {
            SoftmaxCrossEntropy.Result r = model.loss(batch(data, examples));
            sum += r.sum();
            count += r.count();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(EXACT_MATCH, exactMatch(data, greedy(model, data)));
        if (beamWidth > 0) {
            m.put(EXACT_MATCH_BEAM, exactMatch(data, beam(model, data, beamWidth)));
        }
        return new TaskMetrics(sum / count, count, m);
    }

    /** The share of pairs whose decoding equals the target. */
    public static double exactMatch(Seq2SeqDataset data, List<int[]> decoded) {
        int right = 0;
        for (int i = 0; i < data.size(); i++) {
            right += Arrays.equals(data.targets().tokens(i), decoded.get(i)) ? 1 : 0;
        }
        return (double) right / data.size();
    }

    /** Greedy decodings (target ids, without EOS) of every source of {@code data}, in order. */
    public static List<int[]> greedy(Seq2Seq model, Seq2SeqDataset data) {
        int limit = decodeLimit(data);
        List<int[]> out = new ArrayList<>(data.size());
        SequenceGenerator greedy = SequenceGenerator.greedy(model);
        for (int[] examples : new BatchOrder(data.size(), Batches.EVAL_BATCH, 0).inOrder()) {
            int[][] sources = new int[examples.length][];
            for (int k = 0; k < examples.length; k++) {
                sources[k] = data.sources().tokens(examples[k]);
            }
            for (Hypothesis h : greedy.generate(model.encode(PaddedSequences.of(sources)), limit)) {
                out.add(h.tokens());
            }
        }
        return out;
    }

    /** The best beam-search hypothesis (target ids, without EOS) for every source of {@code data}, in order. */
    public static List<int[]> beam(Seq2Seq model, Seq2SeqDataset data, int width) {
        BeamSearch search = new BeamSearch(model, BeamSearchOptions.builder().width(width)
                .maxLength(decodeLimit(data)).build());
        List<int[]> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            List<Hypothesis> found = search.search(model.encode(data.sources().tokens(i)));
            out.add(found.isEmpty() ? new int[0] : found.get(0).tokens());
        }
        return out;
    }

    /** The pairs at {@code examples} as the model's batch: sources, and targets without START and END. */
    static Seq2SeqBatch batch(Seq2SeqDataset data, int[] examples) {
        int[][] sources = new int[examples.length][];
        int[][] targets = new int[examples.length][];
        for (int k = 0; k < examples.length; k++) {
            sources[k] = data.sources().tokens(examples[k]);
            targets[k] = data.targets().tokens(examples[k]);
        }
        return Seq2SeqBatch.of(sources, targets);
    }
}
