"""PyTorch side of rnn4j: safetensors I/O, the CharRNN model and the rnn4j model file.

Run with the Debian interpreter that sees PyTorch:  /usr/bin/python3
No dependency on the `safetensors` pip package: the format is written by hand.

safetensors layout
------------------
    8 bytes   little-endian u64 N = length of the JSON header (including padding)
    N bytes   UTF-8 JSON: {name: {"dtype": "F32"|"I64"|..., "shape": [...],
                                  "data_offsets": [begin, end]}, ...,
                           "__metadata__": {str: str}}
              padded with spaces so that 8 + N is a multiple of 8
    rest      raw little-endian tensor data; offsets are relative to the start of
              this block; tensors are stored contiguously in header order.

rnn4j model file
----------------
A safetensors file whose tensors are ``CharRNN.state_dict()`` (all F32) and whose
``__metadata__`` holds
    "format":       "rnn4j"
    "rnn4j.config": JSON {"cell": "rnn"|"lstm"|"gru",
                          "nonlinearity": "tanh"|"relu"|"sigmoid" (lstm/gru: tanh only),
                          "vocab_size": V, "embedding_dim": E (0 = one-hot input),
                          "hidden_size": H, "num_layers": L,
                          "dropout": p (float, between layers, training only),
                          "bidirectional": true|false,
                          "learned_initial_state": true|false}
    "rnn4j.vocab":  JSON {"level": "char"|"word", "tokens": [...]}  (id = index)
Absent config keys take the defaults in ``CONFIG_DEFAULTS``.  "dropout" and
"bidirectional" are written for lstm/gru models and whenever they are not the
default; an Elman model with the defaults is written without them (so files
written before these keys existed are reproduced byte for byte).  Extra tensors
(e.g. the test-fixture tensors in golden/charrnn_*.safetensors) are ignored by
``load_rnn4j``.

PyTorch recurrent layouts (nn.RNN / nn.LSTM / nn.GRU, seq-first)
-----------------------------------------------------------------
Parameters, in state_dict order: for layer k = 0..L-1, for direction "" then
"_reverse" (bidirectional only): weight_ih_l{k}{sfx}, weight_hh_l{k}{sfx},
bias_ih_l{k}{sfx}, bias_hh_l{k}{sfx}.  The rows of weight_*/bias_* are G*H gate
rows (G = 1 rnn, 4 lstm: i, f, g, o, 3 gru: r, z, n).  weight_ih_l{k} has
D columns for k = 0 and dirs*H for k >= 1 (columns [:H] see the forward
direction's output of layer k-1, [H:] the reverse one's).  States h0 / h_n /
c0 / c_n are (L*dirs, B, H) with index layer*dirs + direction.  output is
(T, B, dirs*H): [..., :H] forward, [..., H:] reverse.  The reverse direction
runs t = T-1 .. 0, starts from its h0 entry at t = T-1, and its final state
(in h_n) is the one after t = 0, i.e. h_n[k*dirs+1] == layer k's output[0, :, H:].
See ``recurrent_forward`` for the equations.
"""

import json
import math
import struct
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------
# safetensors
# ----------------------------------------------------------------------------

_TORCH_TO_ST = {
    torch.float32: "F32",
    torch.float64: "F64",
    torch.float16: "F16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}
_ST_TO_NP = {
    "F32": np.dtype("<f4"),
    "F64": np.dtype("<f8"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}


def save_safetensors(path, tensors, metadata=None, keep_float64=False):
    """Write ``tensors`` (an ordered name -> tensor mapping) to ``path``.

    Floating tensors are written as F32 (unless ``keep_float64`` and the tensor
    is float64); integer tensors keep their width (int64 -> I64).  ``metadata``
    values must be strings.  Data is laid out contiguously in the given order.
    """
    header = OrderedDict()
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError("safetensors metadata must map str -> str (%r: %r)" % (k, v))
        header["__metadata__"] = OrderedDict(metadata)
    blobs = []
    offset = 0
    for name, t in tensors.items():
        if name == "__metadata__":
            raise ValueError("reserved tensor name")
        t = t.detach().cpu()
        if t.is_floating_point() and not (keep_float64 and t.dtype == torch.float64):
            t = t.to(torch.float32)
        if t.dtype not in _TORCH_TO_ST:
            raise TypeError("unsupported dtype %s for %s" % (t.dtype, name))
        dt = _TORCH_TO_ST[t.dtype]
        arr = np.ascontiguousarray(t.numpy()).astype(_ST_TO_NP[dt], copy=False)
        data = arr.tobytes(order="C")
        header[name] = OrderedDict(
            [("dtype", dt), ("shape", list(t.shape)), ("data_offsets", [offset, offset + len(data)])])
        blobs.append(data)
        offset += len(data)
    hbytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    pad = (-(8 + len(hbytes))) % 8
    hbytes += b" " * pad
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    """Read a safetensors file -> (OrderedDict name -> tensor, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"), object_pairs_hook=OrderedDict)
    data = raw[8 + n:]
    metadata = dict(header.pop("__metadata__", {}) or {})
    entries = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
    out = OrderedDict()
    expect = 0
    for name, info in entries:
        b, e = info["data_offsets"]
        if b != expect:
            raise ValueError("%s: tensor data not contiguous (%d != %d)" % (path, b, expect))
        expect = e
        npdt = _ST_TO_NP[info["dtype"]]
        shape = tuple(info["shape"])
        count = int(np.prod(shape)) if shape else 1
        if e - b != count * npdt.itemsize:
            raise ValueError("%s: size mismatch for %s" % (path, name))
        arr = np.frombuffer(data[b:e], dtype=npdt).reshape(shape).copy()
        out[name] = torch.from_numpy(arr.astype(arr.dtype.newbyteorder("=")))
    if expect != len(data):
        raise ValueError("%s: trailing bytes after tensor data" % path)
    # restore header order
    ordered = OrderedDict((k, out[k]) for k in header.keys())
    return ordered, metadata


# ----------------------------------------------------------------------------
# Elman recurrence with an arbitrary nonlinearity (nn.RNN only knows tanh/relu)
# ----------------------------------------------------------------------------

ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


def elman_forward(x, h0, params, nonlinearity):
    """Reference Elman RNN, same equations and parameter names as nn.RNN:

        h_t^(k) = act(W_ih_k x_t^(k) + b_ih_k + W_hh_k h_{t-1}^(k) + b_hh_k)
        x_t^(k+1) = h_t^(k)

    x (T,B,D), h0 (L,B,H), params: dict with weight_ih_l{k}, weight_hh_l{k},
    bias_ih_l{k}, bias_hh_l{k}.  Returns output (T,B,H) of the last layer and
    h_n (L,B,H).
    """
    act = ACTIVATIONS[nonlinearity]
    L = h0.shape[0]
    layer_in = x
    h_last = []
    for k in range(L):
        w_ih, w_hh = params["weight_ih_l%d" % k], params["weight_hh_l%d" % k]
        b_ih, b_hh = params["bias_ih_l%d" % k], params["bias_hh_l%d" % k]
        h = h0[k]
        outs = []
        for t in range(layer_in.shape[0]):
            h = act(layer_in[t] @ w_ih.t() + b_ih + h @ w_hh.t() + b_hh)
            outs.append(h)
        layer_in = torch.stack(outs, 0)
        h_last.append(h)
    return layer_in, torch.stack(h_last, 0)


GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def param_names(num_layers, bidirectional=False):
    """The parameter names of nn.RNN/LSTM/GRU(num_layers, bidirectional) in
    state_dict order (the cell does not change the names, only the row count)."""
    names = []
    for k in range(num_layers):
        for sfx in ("", "_reverse") if bidirectional else ("",):
            names += [w % k + sfx for w in ("weight_ih_l%d", "weight_hh_l%d", "bias_ih_l%d", "bias_hh_l%d")]
    return names


def rnn_step(x, h, w_ih, w_hh, b_ih, b_hh, act):
    """Elman: h' = act(W_ih x + b_ih + W_hh h + b_hh)."""
    return act(x @ w_ih.t() + b_ih + h @ w_hh.t() + b_hh)


def lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """nn.LSTM, gate rows in the order i, f, g, o:
        [i f g o] = W_ih x + b_ih + W_hh h + b_hh
        i, f, o = sigmoid(.), g = tanh(.)
        c' = f*c + i*g,  h' = o*tanh(c')"""
    gates = x @ w_ih.t() + b_ih + h @ w_hh.t() + b_hh
    i, f, g, o = gates.chunk(4, -1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c + i * g
    return o * torch.tanh(c), c


def gru_step(x, h, w_ih, w_hh, b_ih, b_hh):
    """nn.GRU, gate rows in the order r, z, n:
        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn))     <- r multiplies b_hn too
        h' = (1 - z) * n + z * h                           <- z keeps the OLD state"""
    gi = x @ w_ih.t() + b_ih
    gh = h @ w_hh.t() + b_hh
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h


def recurrent_forward(cell, x, h0, params, num_layers, bidirectional=False, nonlinearity="tanh",
                      c0=None, dropout=0.0, training=False):
    """Reference for nn.RNN / nn.LSTM / nn.GRU (seq-first, bias=True), written out
    step by step; same parameter names as PyTorch (see ``param_names``).

    x (T,B,D); h0 and, for lstm, c0: (L*dirs, B, H), index layer*dirs + direction.
    Layer k >= 1 reads torch.cat([forward output, reverse output], -1) of layer
    k-1 (dropout on it when ``training``).  The reverse direction processes
    t = T-1 .. 0.  Returns (output (T,B,dirs*H) of the last layer, h_n, c_n or None).
    """
    act = ACTIVATIONS[nonlinearity]
    dirs = 2 if bidirectional else 1
    T = x.shape[0]
    layer_in = x
    h_n, c_n = [], []
    for k in range(num_layers):
        outs_dir = []
        for d in range(dirs):
            sfx = "_l%d%s" % (k, "_reverse" if d else "")
            w_ih, w_hh = params["weight_ih" + sfx], params["weight_hh" + sfx]
            b_ih, b_hh = params["bias_ih" + sfx], params["bias_hh" + sfx]
            h = h0[k * dirs + d]
            c = c0[k * dirs + d] if cell == "lstm" else None
            outs = [None] * T
            for t in (range(T) if d == 0 else range(T - 1, -1, -1)):
                if cell == "rnn":
                    h = rnn_step(layer_in[t], h, w_ih, w_hh, b_ih, b_hh, act)
                elif cell == "lstm":
                    h, c = lstm_step(layer_in[t], h, c, w_ih, w_hh, b_ih, b_hh)
                elif cell == "gru":
                    h = gru_step(layer_in[t], h, w_ih, w_hh, b_ih, b_hh)
                else:
                    raise ValueError("unknown cell %r" % cell)
                outs[t] = h
            outs_dir.append(torch.stack(outs, 0))
            h_n.append(h)
            c_n.append(c)
        layer_in = torch.cat(outs_dir, -1) if dirs == 2 else outs_dir[0]
        if dropout > 0 and training and k < num_layers - 1:
            layer_in = F.dropout(layer_in, dropout, True)
    return layer_in, torch.stack(h_n, 0), (torch.stack(c_n, 0) if cell == "lstm" else None)


class ElmanRNN(nn.Module):
    """Drop-in for nn.RNN (seq-first, bias=True) that also supports 'sigmoid'.

    Same parameter names, shapes, order and default init as nn.RNN (also when
    bidirectional), so its state_dict is interchangeable with nn.RNN's.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh",
                 dropout=0.0, bidirectional=False):
        super().__init__()
        if nonlinearity not in ACTIVATIONS:
            raise ValueError("unknown nonlinearity %r" % nonlinearity)
        self.input_size, self.hidden_size = input_size, hidden_size
        self.num_layers, self.nonlinearity = num_layers, nonlinearity
        self.dropout, self.bidirectional = float(dropout), bool(bidirectional)
        dirs = 2 if self.bidirectional else 1
        for k in range(num_layers):
            d = input_size if k == 0 else hidden_size * dirs
            for sfx in ("", "_reverse")[:dirs]:
                self.register_parameter("weight_ih_l%d%s" % (k, sfx), nn.Parameter(torch.empty(hidden_size, d)))
                self.register_parameter("weight_hh_l%d%s" % (k, sfx),
                                        nn.Parameter(torch.empty(hidden_size, hidden_size)))
                self.register_parameter("bias_ih_l%d%s" % (k, sfx), nn.Parameter(torch.empty(hidden_size)))
                self.register_parameter("bias_hh_l%d%s" % (k, sfx), nn.Parameter(torch.empty(hidden_size)))
        self.reset_parameters()

    def reset_parameters(self):
        s = 1.0 / math.sqrt(self.hidden_size)
        for n, p in self.named_parameters():
            if n.startswith(("weight_", "bias_")):
                nn.init.uniform_(p, -s, s)

    def forward(self, x, h0=None):
        dirs = 2 if self.bidirectional else 1
        if h0 is None:
            h0 = x.new_zeros(self.num_layers * dirs, x.shape[1], self.hidden_size)
        params = dict(self.named_parameters())
        if not self.bidirectional and not (self.dropout > 0 and self.training):
            return elman_forward(x, h0, params, self.nonlinearity)
        out, h_n, _ = recurrent_forward("rnn", x, h0, params, self.num_layers, self.bidirectional,
                                        self.nonlinearity, dropout=self.dropout, training=self.training)
        return out, h_n


# ----------------------------------------------------------------------------
# CharRNN
# ----------------------------------------------------------------------------

CONFIG_DEFAULTS = OrderedDict([
    ("cell", "rnn"),
    ("nonlinearity", "tanh"),
    ("embedding_dim", 0),
    ("num_layers", 1),
    ("dropout", 0.0),
    ("bidirectional", False),
    ("learned_initial_state", False),
])
CONFIG_KEYS = ["cell", "nonlinearity", "vocab_size", "embedding_dim", "hidden_size",
               "num_layers", "dropout", "bidirectional", "learned_initial_state"]


class CharRNN(nn.Module):
    """embedding (absent when E == 0: one-hot inputs) -> rnn -> decoder.

    Children: ``embedding`` nn.Embedding(V, E) (only if E > 0), ``rnn`` (nn.RNN for
    tanh/relu, ElmanRNN for sigmoid, nn.LSTM / nn.GRU for cell lstm/gru) and
    ``decoder`` nn.Linear(dirs*H, V) (dirs = 2 when bidirectional).

    Learned initial state: parameters ``h0_l{k}`` of shape (H,) registered
    directly on the ``rnn`` child, so their state_dict keys are ``rnn.h0_l{k}``
    (for LSTM also ``rnn.c0_l{k}``, after all the h0's; when bidirectional each is
    followed by its ``..._l{k}_reverse``).  They come after the rnn weights in the
    state_dict.  This works with nn.RNN/LSTM/GRU in torch 1.13:
    nn.RNNBase builds its flat weight list from ``_flat_weights_names`` only, so
    extra parameters registered with register_parameter are ignored by the cuDNN
    / _VF path but are still regular parameters (state_dict, .double(),
    optimizers, autograd).
    """

    def __init__(self, vocab_size, hidden_size, embedding_dim=0, num_layers=1,
                 cell="rnn", nonlinearity="tanh", learned_initial_state=False,
                 dropout=0.0, bidirectional=False):
        super().__init__()
        self.vocab_size, self.hidden_size = int(vocab_size), int(hidden_size)
        self.embedding_dim, self.num_layers = int(embedding_dim), int(num_layers)
        self.cell, self.nonlinearity = cell, nonlinearity
        self.learned_initial_state = bool(learned_initial_state)
        self.dropout, self.bidirectional = float(dropout), bool(bidirectional)
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")
        V, H, E, L = self.vocab_size, self.hidden_size, self.embedding_dim, self.num_layers
        dirs = 2 if self.bidirectional else 1
        if E > 0:
            self.embedding = nn.Embedding(V, E)
        else:
            self.embedding = None
        d = E if E > 0 else V
        # nn.RNNBase warns when dropout > 0 with one layer (it has no effect there)
        rdrop = self.dropout if L > 1 else 0.0
        kw = dict(num_layers=L, dropout=rdrop, bidirectional=self.bidirectional)
        if cell == "rnn":
            if nonlinearity in ("tanh", "relu"):
                self.rnn = nn.RNN(d, H, nonlinearity=nonlinearity, **kw)
            else:
                self.rnn = ElmanRNN(d, H, nonlinearity=nonlinearity, **kw)
        elif cell in ("lstm", "gru"):
            if nonlinearity != "tanh":
                raise ValueError("cell %s only supports nonlinearity 'tanh' (got %r)" % (cell, nonlinearity))
            self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(d, H, **kw)
        else:
            raise ValueError("unknown cell %r" % cell)
        if self.learned_initial_state:
            for k in range(L):
                for sfx in ("", "_reverse")[:dirs]:
                    self.rnn.register_parameter("h0_l%d%s" % (k, sfx), nn.Parameter(torch.zeros(H)))
            if cell == "lstm":
                for k in range(L):
                    for sfx in ("", "_reverse")[:dirs]:
                        self.rnn.register_parameter("c0_l%d%s" % (k, sfx), nn.Parameter(torch.zeros(H)))
        self.decoder = nn.Linear(dirs * H, V)

    def config(self):
        cfg = OrderedDict([
            ("cell", self.cell), ("nonlinearity", self.nonlinearity),
            ("vocab_size", self.vocab_size), ("embedding_dim", self.embedding_dim),
            ("hidden_size", self.hidden_size), ("num_layers", self.num_layers)])
        # Elman models with the defaults keep the original key set (older files stay byte-identical)
        if self.cell != "rnn" or self.dropout != 0.0 or self.bidirectional:
            cfg["dropout"] = self.dropout
            cfg["bidirectional"] = self.bidirectional
        cfg["learned_initial_state"] = self.learned_initial_state
        return cfg

    def state_names(self):
        """Initial-state slots in h0 order (index layer*dirs + direction)."""
        dirs = ("", "_reverse") if self.bidirectional else ("",)
        return ["_l%d%s" % (k, sfx) for k in range(self.num_layers) for sfx in dirs]

    def initial_state(self, batch, dtype=None):
        """Zero state, or the learned h0_l{k} (c0_l{k}) expanded over the batch.
        Shape (L*dirs, batch, H); a (h0, c0) tuple for LSTM."""
        H = self.hidden_size
        S = self.num_layers * (2 if self.bidirectional else 1)
        dtype = dtype or self.decoder.weight.dtype
        if self.learned_initial_state:
            h0 = torch.stack([getattr(self.rnn, "h0" + s) for s in self.state_names()], 0)
            h0 = h0.unsqueeze(1).expand(S, batch, H)
            if self.cell == "lstm":
                c0 = torch.stack([getattr(self.rnn, "c0" + s) for s in self.state_names()], 0)
                return (h0, c0.unsqueeze(1).expand(S, batch, H))
            return h0
        z = torch.zeros(S, batch, H, dtype=dtype)
        return (z, z.clone()) if self.cell == "lstm" else z

    def embed(self, tokens):
        if self.embedding is not None:
            return self.embedding(tokens)
        return F.one_hot(tokens, self.vocab_size).to(self.decoder.weight.dtype)

    def forward(self, tokens, h0=None):
        """tokens (T,B) long, h0 (L*dirs,B,H) (LSTM: (h0, c0)) or None
        -> (logits (T,B,V), h_n) (LSTM: h_n is the tuple (h_n, c_n))."""
        if h0 is None:
            h0 = self.initial_state(tokens.shape[1])
        if isinstance(h0, tuple):
            h0 = tuple(h.contiguous() for h in h0)
        else:
            h0 = h0.contiguous()
        out, h_n = self.rnn(self.embed(tokens), h0)
        return self.decoder(out), h_n


# ----------------------------------------------------------------------------
# rnn4j model file
# ----------------------------------------------------------------------------

def rnn4j_metadata(model, vocab_tokens, level="char"):
    vocab_tokens = list(vocab_tokens)
    if len(vocab_tokens) != model.vocab_size:
        raise ValueError("vocab has %d tokens, model expects %d" % (len(vocab_tokens), model.vocab_size))
    if len(set(vocab_tokens)) != len(vocab_tokens):
        raise ValueError("vocab tokens must be distinct")
    if level not in ("char", "word"):
        raise ValueError("level must be 'char' or 'word'")
    return OrderedDict([
        ("format", "rnn4j"),
        ("rnn4j.config", json.dumps(model.config(), ensure_ascii=False)),
        ("rnn4j.vocab", json.dumps(OrderedDict([("level", level), ("tokens", vocab_tokens)]),
                                   ensure_ascii=False)),
    ])


def save_rnn4j(model, vocab_tokens, level, path, extra_tensors=None, extra_metadata=None):
    """Save ``model`` as an rnn4j model file (state_dict tensors as F32).

    ``extra_tensors`` / ``extra_metadata`` are appended after the model's own
    tensors / metadata (used by the golden fixtures)."""
    tensors = OrderedDict((k, v.detach().to(torch.float32)) for k, v in model.state_dict().items())
    for k, v in (extra_tensors or {}).items():
        if k in tensors:
            raise ValueError("extra tensor %r clashes with a model tensor" % k)
        tensors[k] = v
    meta = rnn4j_metadata(model, vocab_tokens, level)
    for k, v in (extra_metadata or {}).items():
        meta.setdefault(k, v)
    save_safetensors(path, tensors, meta)


def config_from_metadata(metadata):
    if metadata.get("format") != "rnn4j":
        raise ValueError("not an rnn4j model file (format=%r)" % metadata.get("format"))
    cfg = OrderedDict(CONFIG_DEFAULTS)
    cfg.update(json.loads(metadata["rnn4j.config"]))
    for k in ("vocab_size", "hidden_size"):
        if k not in cfg:
            raise ValueError("rnn4j.config lacks %r" % k)
    if cfg["cell"] not in GATES:
        raise ValueError("unknown cell %r" % cfg["cell"])
    if not isinstance(cfg["bidirectional"], bool) or not isinstance(cfg["learned_initial_state"], bool):
        raise ValueError("bidirectional / learned_initial_state must be JSON booleans")
    if isinstance(cfg["dropout"], bool) or not isinstance(cfg["dropout"], (int, float)):
        raise ValueError("dropout must be a number")
    cfg["dropout"] = float(cfg["dropout"])
    return cfg


def load_rnn4j(path):
    """-> (model (float32, eval mode), vocab dict {"level": ..., "tokens": [...]})."""
    tensors, meta = load_safetensors(path)
    cfg = config_from_metadata(meta)
    vocab = json.loads(meta["rnn4j.vocab"])
    model = CharRNN(cfg["vocab_size"], cfg["hidden_size"], embedding_dim=cfg["embedding_dim"],
                    num_layers=cfg["num_layers"], cell=cfg["cell"],
                    nonlinearity=cfg["nonlinearity"],
                    learned_initial_state=cfg["learned_initial_state"],
                    dropout=cfg["dropout"], bidirectional=cfg["bidirectional"])
    wanted = model.state_dict().keys()
    missing = [k for k in wanted if k not in tensors]
    if missing:
        raise ValueError("%s: missing tensors %s" % (path, missing))
    model.load_state_dict(OrderedDict((k, tensors[k].to(torch.float32)) for k in wanted), strict=True)
    model.eval()
    if len(vocab["tokens"]) != model.vocab_size:
        raise ValueError("vocab size mismatch")
    return model, vocab


# ----------------------------------------------------------------------------
# evaluation / greedy decoding
# ----------------------------------------------------------------------------

@torch.no_grad()
def eval_loss(model, token_ids):
    """Mean over positions 2..N of -ln p(token_i | tokens before it).

    Starts from the model's initial state (zero or learned) and runs through the
    whole sequence without resets.  N-1 predictions are averaged."""
    ids = torch.as_tensor(list(token_ids), dtype=torch.long)
    if ids.numel() < 2:
        raise ValueError("need at least 2 tokens")
    logits, _ = model(ids[:-1].unsqueeze(1))
    return F.cross_entropy(logits[:, 0, :], ids[1:], reduction="mean").item()


@torch.no_grad()
def greedy(model, prime_ids, n):
    """Feed ``prime_ids`` from the initial state, then n times append the argmax
    of the last logits and feed it back.  Returns the n generated ids."""
    prime = torch.as_tensor(list(prime_ids), dtype=torch.long)
    if prime.numel() < 1:
        raise ValueError("empty prime")
    logits, h = model(prime.unsqueeze(1))
    last = logits[-1, 0]
    out = []
    for _ in range(n):
        nxt = int(torch.argmax(last).item())
        out.append(nxt)
        logits, h = model(torch.tensor([[nxt]], dtype=torch.long), h)
        last = logits[-1, 0]
    return out
