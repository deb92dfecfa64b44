package org.rnn4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.io.ModelFile;
import org.rnn4j.io.ModelFileException;
import org.rnn4j.io.SafeTensors;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.model.LanguageModel;

/**
 * A checkpoint: a model file (so any reader can use it as a model) whose extra tensors and metadata hold
 * the training state of {@link TrainingCheckpoint}:
 * <pre>
 *   checkpoint.state_l{k}   F32 (B, S)   the carried hidden state of layer k
 *   checkpoint.history      I32 (n)      TBPTT history tokens (only with k2 &gt; k1)
 *   optim.{name}            F32          each optimizer buffer
 *   __metadata__ "rnn4j.checkpoint": JSON of the scalars (step, data position, RNG state, statistics,
 *                                    the state of a reduce-on-plateau schedule)
 * </pre>
 * Written atomically (a temporary file, then a rename), so a crash during a save leaves the previous
 * checkpoint readable.
 */
public final class CheckpointFile {
    public static final String KEY = "rnn4j.checkpoint";
    private static final String STATE = "checkpoint.state_l";
    private static final String HISTORY = "checkpoint.history";
    private static final String OPTIM = "optim.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {
    }

    /** A loaded checkpoint: the model (with its vocabulary and metadata) and the training state. */
    public record Contents(ModelFile.Contents model, TrainingCheckpoint training) {
    }

    public static void write(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> provenance,
                             TrainingCheckpoint c) throws IOException {
        List<TensorData> extra = new ArrayList<>();
        for (int k = 0; k < c.stateLayers().length; k++) {
            extra.add(TensorData.ofFloats(STATE + k, new int[] {c.stateLayers()[k].length}, c.stateLayers()[k]));
        }
        extra.add(TensorData.ofInts(HISTORY, new int[] {c.historyTokens().length}, c.historyTokens()));
        for (Map.Entry<String, float[]> e : c.optimizerState().entrySet()) {
            extra.add(TensorData.ofFloats(OPTIM + e.getKey(), new int[] {e.getValue().length}, e.getValue()));
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("step", c.step()).put("epoch", c.epoch()).put("window", c.window()).put("state_initial", c.stateInitial())
                .put("history", c.history()).put("tokens", c.tokens()).put("clipped_steps", c.clippedSteps())
                .put("train_sum", Double.toString(c.trainSum())).put("train_count", c.trainCount())
                .put("best_valid_loss", Double.toString(c.bestValidLoss())).put("best_step", c.bestStep())
                .put("last_valid_loss", Double.toString(c.lastValidLoss()))
                .put("loss_limit", Double.toString(c.lossLimit()))
                .put("dropout_rng_state", Long.toString(c.dropoutRngState()));
        var schedule = o.putArray("schedule_state");
        for (double v : c.scheduleState()) {
            schedule.add(Double.toString(v));
        }
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.put(KEY, o.toString());
        ModelFile.save(file, model, vocab, meta, extra);
    }

    private static double[] scheduleState(JsonNode a) {
        if (a == null) {
            return new double[0];
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(a.get(i).asText());
        }
        return v;
    }

    public static Contents read(Path file) throws IOException {
        ModelFile.Contents model = ModelFile.load(file);
        SafeTensorsFile st = SafeTensors.read(file);
        String src = st.source();
        String json = st.metadata().get(KEY);
        if (json == null) {
            throw new ModelFileException(src, "is a model file but not a checkpoint (no '" + KEY + "' metadata): "
                    + "resume from the checkpoint.safetensors that training writes into its --out directory");
        }
        try {
            JsonNode n = JSON.readTree(json);
            List<float[]> layers = new ArrayList<>();
            for (int k = 0; st.contains(STATE + k); k++) {
                layers.add(st.tensor(STATE + k).floats());
            }
            Map<String, float[]> optim = new LinkedHashMap<>();
            for (String name : st.names()) {
                if (name.startsWith(OPTIM)) {
                    optim.put(name.substring(OPTIM.length()), st.tensor(name).floats());
                }
            }
            TrainingCheckpoint c = new TrainingCheckpoint(n.get("step").asLong(), n.get("epoch").asInt(),
                    n.get("window").asInt(), layers.toArray(new float[0][]), n.get("state_initial").asBoolean(),
                    st.tensor(HISTORY).ints(), n.get("history").asInt(), n.get("tokens").asLong(),
                    n.get("clipped_steps").asLong(), Double.parseDouble(n.get("train_sum").asText()),
                    n.get("train_count").asLong(), Double.parseDouble(n.get("best_valid_loss").asText()),
                    n.get("best_step").asLong(), Double.parseDouble(n.get("last_valid_loss").asText()),
                    Double.parseDouble(n.get("loss_limit").asText()),
                    Long.parseLong(n.get("dropout_rng_state").asText()), optim, scheduleState(n.get("schedule_state")));
            return new Contents(model, c);
        } catch (RuntimeException e) {
            throw new ModelFileException(src, "its checkpoint metadata is damaged (" + e + "): resume from an earlier "
                    + "checkpoint, or train again", e);
        }
    }
}
