#!/usr/bin/python3
"""Generate rnn4j's golden test fixtures from PyTorch.

    /usr/bin/python3 scripts/make_golden.py            # write + self-check
    /usr/bin/python3 scripts/make_golden.py --check    # only self-check existing files

Output directory: rnn4j-core/src/test/resources/golden/ (see README.md there).

Fixtures
--------
(a) rnn_{act}_l{L}_b{B}_{zero|given}              Elman stacks (manual loop, any act)
(b) charrnn_{act|lstm|gru}_{emb|onehot}_l{L}[_learnedh0]
                                                  char models, also rnn4j model files
(c) torch_char_{rnn|lstm|gru}(.safetensors|_expected.json)
                                                  PyTorch-built model files, greedy/eval
(d) {lstm|gru|rnn}_l{L}_{uni|bi}_b{B}_{zero|given} nn.LSTM / nn.GRU / nn.RNN(tanh),
                                                  stacked and bidirectional

Precision rule (fixtures a, b and d)
------------------------------------
rnn4j computes in float32.  So every *input* of a fixture (weights, inputs, h0,
loss weights, tokens) is created and rounded to float32 first; the reference
outputs, losses and gradients are then computed in float64 from exactly those
float32 values (model.double()) and only the results are rounded to float32 for
storage.  A float32 Java implementation must therefore agree with the stored
values up to its own float32 rounding error (no PyTorch float32 noise mixed in).

Fixture c (torch_char_*) is the exception: its expected greedy text and eval
loss are what PyTorch computes in float32, i.e. what `rnn4j sample
--temperature 0` and `rnn4j eval` must reproduce.  The float64 values are also
recorded, and the model was chosen so that every greedy argmax has a clear
margin (float32 and float64 agree).

Everything is deterministic: each file has its own torch.manual_seed derived
from its name (zlib.crc32), so adding a case does not change the others.
"""

import argparse
import copy
import json
import math
import os
import sys
import zlib
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rnn4j_torch as rt  # noqa: E402

ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "rnn4j-core", "src", "test", "resources", "golden")
GENERATOR = "scripts/make_golden.py"

ACTS = ["tanh", "relu", "sigmoid"]
WEIGHT_RANGE = 0.6  # RNN/decoder weights end up uniform(-0.6, 0.6)

# fixture (a)
A_T, A_D, A_H = 5, 4, 6
# fixture (b)
B_V, B_E, B_H, B_T, B_B = 7, 5, 6, 5, 3
B_VOCAB = ["a", "b", "c", "d", "e", " ", "\n"]
B_IGNORED = [(1, 0), (3, 2)]  # (t, b) positions whose target is -100
# fixture (c) -- text composed for this project
C_TRAIN_TEXT = "seven tired owls hum softly while a lazy cat naps by the warm stove.\n"
C_PRIME = "the "
C_EVAL_TEXT = "a lazy owl naps by the warm stove while seven cats hum softly.\n"
C_GREEDY_LEN = 40
C_E, C_H, C_L = 8, 16, 2
C_CELLS = ["rnn", "lstm", "gru"]
# (rnn weight scale, decoder scale) on top of the default init.  LSTM needs more: its
# h = o*tanh(c) stays small, so at (3, 4) no seed in range gives a 0.05 greedy margin.
C_SCALES = {"rnn": (3.0, 4.0), "lstm": (6.0, 12.0), "gru": (3.0, 4.0)}
# fixture (d): same T, D, H as (a)
D_CELLS = ["lstm", "gru", "rnn"]
D_MODULES = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}  # nn.RNN: tanh
GATED = ("lstm", "gru")


def seed_for(name):
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


def base_meta(**kw):
    m = OrderedDict()
    for k, v in kw.items():
        m[k] = str(v)
    m["torch_version"] = torch.__version__
    m["generator"] = GENERATOR
    return m


def scale_to_range(module):
    """Default PyTorch init is uniform(-1/sqrt(H), 1/sqrt(H)); multiply by
    WEIGHT_RANGE*sqrt(H) so the values are uniform(-0.6, 0.6)."""
    with torch.no_grad():
        for n, p in module.named_parameters():
            if n.startswith(("weight_", "bias_")) and not n.startswith(("h0_", "c0_")):
                p.mul_(WEIGHT_RANGE * math.sqrt(module.hidden_size))


# ----------------------------------------------------------------------------
# (a) Elman layer fixtures
# ----------------------------------------------------------------------------

def elman_param_names(L):
    names = []
    for k in range(L):
        names += ["weight_ih_l%d" % k, "weight_hh_l%d" % k, "bias_ih_l%d" % k, "bias_hh_l%d" % k]
    return names


KINK_MARGIN = 1e-4


def min_abs_preactivation(x, h0, params):
    """Smallest |W_ih x + b_ih + W_hh h + b_hh| over all steps/layers/units.
    For relu fixtures this must stay clear of 0 (the kink), otherwise a float32
    implementation could legitimately land on the other side."""
    L = h0.shape[0]
    layer_in, m = x, float("inf")
    with torch.no_grad():
        for k in range(L):
            w_ih, w_hh = params["weight_ih_l%d" % k], params["weight_hh_l%d" % k]
            b = params["bias_ih_l%d" % k] + params["bias_hh_l%d" % k]
            h, outs = h0[k], []
            for t in range(layer_in.shape[0]):
                pre = layer_in[t] @ w_ih.t() + h @ w_hh.t() + b
                m = min(m, pre.abs().min().item())
                h = torch.relu(pre)
                outs.append(h)
            layer_in = torch.stack(outs, 0)
    return m


def elman_loss(x, h0, params, act, w_out, w_hn):
    out, h_n = rt.elman_forward(x, h0, params, act)
    loss = (out * w_out).sum() + (h_n * w_hn).sum()
    return loss, out, h_n


def make_layer_fixture(act, L, B, h0mode):
    name = "rnn_%s_l%d_b%d_%s" % (act, L, B, h0mode)
    torch.manual_seed(seed_for(name))
    T, D, H = A_T, A_D, A_H
    layer = rt.ElmanRNN(D, H, num_layers=L, nonlinearity=act)  # nn.RNN default init
    scale_to_range(layer)
    p32 = OrderedDict((n, p.detach().to(torch.float32).clone()) for n, p in layer.named_parameters())
    x32 = torch.randn(T, B, D)
    h032 = (0.5 * torch.randn(L, B, H)) if h0mode == "given" else None
    w_out32 = torch.randn(T, B, H)
    w_hn32 = torch.randn(L, B, H)

    # float64 reference from the float32 values
    p64 = OrderedDict((n, v.double().requires_grad_(True)) for n, v in p32.items())
    x64 = x32.double().requires_grad_(True)
    h064 = h032.double().requires_grad_(True) if h032 is not None else torch.zeros(L, B, H, dtype=torch.float64)
    loss, out, h_n = elman_loss(x64, h064, p64, act, w_out32.double(), w_hn32.double())
    loss.backward()
    if act == "relu":
        assert min_abs_preactivation(x64, h064, p64) > KINK_MARGIN, name

    # cross-check against nn.RNN where PyTorch has the nonlinearity
    if act in ("tanh", "relu"):
        ref = nn.RNN(D, H, num_layers=L, nonlinearity=act).double()
        ref.load_state_dict(OrderedDict((n, v.double()) for n, v in p32.items()))
        with torch.no_grad():
            o2, h2 = ref(x32.double(), h064.detach())
        assert torch.allclose(o2, out.detach(), atol=1e-12, rtol=0), name
        assert torch.allclose(h2, h_n.detach(), atol=1e-12, rtol=0), name

    tensors = OrderedDict()
    for n, v in p32.items():
        tensors["rnn." + n] = v
    tensors["input"] = x32
    if h032 is not None:
        tensors["h0"] = h032
    tensors["output"] = out.detach()
    tensors["h_n"] = h_n.detach()
    tensors["loss_weight_output"] = w_out32
    tensors["loss_weight_h_n"] = w_hn32
    tensors["loss"] = loss.detach().reshape(())
    for n, v in p64.items():
        tensors["grad.rnn." + n] = v.grad
    tensors["grad.input"] = x64.grad
    if h032 is not None:
        tensors["grad.h0"] = h064.grad
    meta = base_meta(nonlinearity=act, num_layers=L, T=T, B=B, D=D, H=H, h0=h0mode,
                     seed=seed_for(name),
                     loss="sum(output*loss_weight_output)+sum(h_n*loss_weight_h_n)",
                     precision="inputs float32; reference computed in float64; stored F32")
    path = os.path.join(OUT, name + ".safetensors")
    rt.save_safetensors(path, tensors, meta)
    return path


# ----------------------------------------------------------------------------
# (b) CharRNN fixtures
# ----------------------------------------------------------------------------

def char_kind(kind):
    """'tanh'|'relu'|'sigmoid' -> Elman cell with that act; 'lstm'|'gru' -> (cell, 'tanh')."""
    return (kind, "tanh") if kind in GATED else ("rnn", kind)


def char_loss(model, tokens, targets):
    logits, h_n = model(tokens)
    V = logits.shape[-1]
    loss = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=-100,
                           reduction="sum")
    return loss, logits, h_n


def char_name(kind, emb, L, learned):
    return "charrnn_%s_%s_l%d%s" % (kind, "emb" if emb else "onehot", L, "_learnedh0" if learned else "")


def make_char_fixture(kind, emb, L, learned):
    """kind: an Elman activation (cell rnn) or 'lstm' / 'gru'."""
    name = char_name(kind, emb, L, learned)
    cell, act = char_kind(kind)
    torch.manual_seed(seed_for(name))
    V, E, H, T, B = B_V, (B_E if emb else 0), B_H, B_T, B_B
    model = rt.CharRNN(V, H, embedding_dim=E, num_layers=L, cell=cell, nonlinearity=act,
                       learned_initial_state=learned)
    scale_to_range(model.rnn)
    with torch.no_grad():
        model.decoder.weight.mul_(WEIGHT_RANGE * math.sqrt(H))
        model.decoder.bias.mul_(WEIGHT_RANGE * math.sqrt(H))
        if learned:
            for k in range(L):
                getattr(model.rnn, "h0_l%d" % k).uniform_(-0.5, 0.5)
            if cell == "lstm":
                for k in range(L):
                    getattr(model.rnn, "c0_l%d" % k).uniform_(-0.5, 0.5)
    model = model.float()
    tokens = torch.randint(0, V, (T, B), dtype=torch.long)
    targets = torch.randint(0, V, (T, B), dtype=torch.long)
    for t, b in B_IGNORED:
        targets[t, b] = -100

    m64 = copy.deepcopy(model).double()
    loss, logits, h_n = char_loss(m64, tokens, targets)
    loss.backward()
    if act == "relu":
        rp = OrderedDict((n, p) for n, p in m64.rnn.named_parameters() if not n.startswith("h0_"))
        assert min_abs_preactivation(m64.embed(tokens), m64.initial_state(B).contiguous(), rp) > KINK_MARGIN, name

    extra = OrderedDict()
    extra["tokens"] = tokens
    extra["targets"] = targets
    extra["logits"] = logits.detach()
    if cell == "lstm":
        extra["h_n"] = h_n[0].detach()
        extra["c_n"] = h_n[1].detach()
    else:
        extra["h_n"] = h_n.detach()
    extra["loss"] = loss.detach().reshape(())
    for n, p in m64.named_parameters():
        extra["grad." + n] = p.grad
    kw = OrderedDict()
    if cell != "rnn":  # the Elman files predate the "cell"/"bidirectional" keys; keep them unchanged
        kw["cell"] = cell
    kw["nonlinearity"] = act
    kw["num_layers"] = L
    if cell != "rnn":
        kw["bidirectional"] = "false"
    meta = base_meta(**kw, T=T, B=B, D=(E if E else V), V=V, E=E, H=H,
                     learned_initial_state=str(learned).lower(), seed=seed_for(name),
                     loss="cross_entropy(logits, targets, ignore_index=-100, reduction='sum')",
                     precision="inputs float32; reference computed in float64; stored F32")
    path = os.path.join(OUT, name + ".safetensors")
    rt.save_rnn4j(model, B_VOCAB, "char", path, extra_tensors=extra, extra_metadata=meta)
    return path


# ----------------------------------------------------------------------------
# (c) PyTorch-built rnn4j model file + expected greedy / eval results
# ----------------------------------------------------------------------------

def greedy_margins(model, prime_ids, n):
    """Greedy decode (like rt.greedy) and also return the top1-top2 logit gaps."""
    with torch.no_grad():
        logits, h = model(torch.tensor(prime_ids, dtype=torch.long).unsqueeze(1))
        last = logits[-1, 0]
        out, gaps = [], []
        for _ in range(n):
            top = torch.topk(last, 2).values
            gaps.append(float(top[0] - top[1]))
            nxt = int(torch.argmax(last))
            out.append(nxt)
            logits, h = model(torch.tensor([[nxt]], dtype=torch.long), h)
            last = logits[-1, 0]
    return out, gaps


def build_torch_char(cell, seed, rnn_scale, dec_scale):
    vocab = sorted(set(C_TRAIN_TEXT))
    torch.manual_seed(seed)
    model = rt.CharRNN(len(vocab), C_H, embedding_dim=C_E, num_layers=C_L, cell=cell,
                       nonlinearity="tanh")
    with torch.no_grad():
        for n, p in model.rnn.named_parameters():
            p.mul_(rnn_scale)
        model.decoder.weight.mul_(dec_scale)
        model.decoder.bias.mul_(dec_scale)
    return model.float().eval(), vocab


def make_torch_char(cell):
    """torch_char_{cell}.safetensors + torch_char_{cell}_expected.json."""
    rnn_scale, dec_scale = C_SCALES[cell]
    vocab = sorted(set(C_TRAIN_TEXT))
    stoi = {c: i for i, c in enumerate(vocab)}
    for s in (C_PRIME, C_EVAL_TEXT):
        bad = set(s) - set(vocab)
        assert not bad, "text uses characters outside the vocab: %r" % bad
    prime_ids = [stoi[c] for c in C_PRIME]
    # Deterministic search for a model whose greedy continuation is not a single
    # repeated character and whose argmax decisions all have a clear margin.
    chosen = None
    for seed in range(1000, 1200):
        model, _ = build_torch_char(cell, seed, rnn_scale=rnn_scale, dec_scale=dec_scale)
        ids32, gaps = greedy_margins(model, prime_ids, C_GREEDY_LEN)
        ids64, _ = greedy_margins(copy.deepcopy(model).double(), prime_ids, C_GREEDY_LEN)
        if ids32 != ids64 or min(gaps) < 0.05:
            continue
        if len(set(ids32)) < 6:
            continue
        chosen = (seed, model, ids32, gaps)
        break
    assert chosen is not None, "no suitable seed found for %s" % cell
    seed, model, ids, gaps = chosen
    assert rt.greedy(model, prime_ids, C_GREEDY_LEN) == ids
    eval_ids = [stoi[c] for c in C_EVAL_TEXT]
    loss32 = rt.eval_loss(model, eval_ids)
    loss64 = rt.eval_loss(copy.deepcopy(model).double(), eval_ids)
    path = os.path.join(OUT, "torch_char_%s.safetensors" % cell)
    rt.save_rnn4j(model, vocab, "char", path,
                  extra_metadata=base_meta(seed=seed, rnn_weight_scale=rnn_scale, decoder_scale=dec_scale))
    expected = OrderedDict([
        ("prime", C_PRIME),
        ("greedy_length", C_GREEDY_LEN),
        ("greedy", "".join(vocab[i] for i in ids)),
        ("greedy_ids", ids),
        ("greedy_min_margin", round(min(gaps), 6)),
        ("eval_text", C_EVAL_TEXT),
        ("eval_loss", loss32),
        ("eval_loss_float64", loss64),
        ("eval_tokens", len(eval_ids)),
        ("eval_predictions", len(eval_ids) - 1),
        ("note", "greedy/eval_loss computed by PyTorch in float32 from the initial (zero) state; "
                 "eval_loss = mean over positions 2..N of -ln p(token_i | tokens before it)"),
        ("torch_version", torch.__version__),
        ("generator", GENERATOR),
    ])
    jpath = os.path.join(OUT, "torch_char_%s_expected.json" % cell)
    text = json.dumps(expected, indent=2, ensure_ascii=False)
    text = text.replace(json.dumps(ids, indent=2).replace("\n", "\n  "), json.dumps(ids))
    assert json.loads(text) == expected
    with open(jpath, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    return [path, jpath]


# ----------------------------------------------------------------------------
# (d) nn.LSTM / nn.GRU / nn.RNN fixtures: stacked and bidirectional
# ----------------------------------------------------------------------------

def network_cases():
    return [(cell, L, bi, B, h0) for cell in D_CELLS for L in (1, 2) for bi in (False, True)
            for B in (1, 3) for h0 in ("zero", "given")]


def network_name(cell, L, bi, B, h0mode):
    return "%s_l%d_%s_b%d_%s" % (cell, L, "bi" if bi else "uni", B, h0mode)


def network_loss(cell, module, x, h0, c0, w_out, w_hn, w_cn):
    """module: nn.LSTM/GRU/RNN.  -> (loss, output, h_n, c_n or None)."""
    if cell == "lstm":
        out, (h_n, c_n) = module(x, (h0, c0))
        loss = (out * w_out).sum() + (h_n * w_hn).sum() + (c_n * w_cn).sum()
    else:
        out, h_n = module(x, h0)
        c_n = None
        loss = (out * w_out).sum() + (h_n * w_hn).sum()
    return loss, out, h_n, c_n


def network_loss_text(cell):
    s = "sum(output*loss_weight_output)+sum(h_n*loss_weight_h_n)"
    return s + "+sum(c_n*loss_weight_c_n)" if cell == "lstm" else s


def network_tensor_names(cell, L, bi, given):
    """The exact tensor list (in file order) of a (d) fixture."""
    params = ["rnn." + n for n in rt.param_names(L, bi)]
    lstm = cell == "lstm"
    data = ["input"] + (["h0"] if given else []) + (["c0"] if given and lstm else [])
    data += ["output", "h_n"] + (["c_n"] if lstm else [])
    data += ["loss_weight_output", "loss_weight_h_n"] + (["loss_weight_c_n"] if lstm else []) + ["loss"]
    grads = ["grad." + n for n in params] + ["grad.input"]
    grads += (["grad.h0"] if given else []) + (["grad.c0"] if given and lstm else [])
    return params + data + grads


def make_network_fixture(cell, L, bi, B, h0mode):
    name = network_name(cell, L, bi, B, h0mode)
    seed = seed_for(name)
    torch.manual_seed(seed)
    T, D, H = A_T, A_D, A_H
    dirs = 2 if bi else 1
    S = L * dirs
    lstm, given = cell == "lstm", h0mode == "given"
    module = D_MODULES[cell](D, H, num_layers=L, bidirectional=bi)  # PyTorch default init
    scale_to_range(module)
    p32 = OrderedDict((n, p.detach().to(torch.float32).clone()) for n, p in module.named_parameters())
    assert list(p32.keys()) == rt.param_names(L, bi)
    x32 = torch.randn(T, B, D)
    h032 = (0.5 * torch.randn(S, B, H)) if given else None
    c032 = (0.5 * torch.randn(S, B, H)) if given and lstm else None
    w_out32 = torch.randn(T, B, dirs * H)
    w_hn32 = torch.randn(S, B, H)
    w_cn32 = torch.randn(S, B, H) if lstm else None

    # float64 reference (PyTorch's own module) from the float32 values
    m64 = copy.deepcopy(module).double()
    x64 = x32.double().requires_grad_(True)
    zero = torch.zeros(S, B, H, dtype=torch.float64)
    h064 = h032.double().requires_grad_(True) if given else zero
    c064 = (c032.double().requires_grad_(True) if given else zero.clone()) if lstm else None
    w_cn64 = w_cn32.double() if lstm else None
    loss, out, h_n, c_n = network_loss(cell, m64, x64, h064, c064, w_out32.double(), w_hn32.double(), w_cn64)
    loss.backward()

    # cross-check against the step-by-step reference
    with torch.no_grad():
        o2, h2, c2 = rt.recurrent_forward(cell, x64, h064, dict(m64.named_parameters()), L, bi, c0=c064)
    assert torch.allclose(o2, out.detach(), atol=1e-12, rtol=0), name
    assert torch.allclose(h2, h_n.detach(), atol=1e-12, rtol=0), name
    if lstm:
        assert torch.allclose(c2, c_n.detach(), atol=1e-12, rtol=0), name

    tensors = OrderedDict()
    for n, v in p32.items():
        tensors["rnn." + n] = v
    tensors["input"] = x32
    if given:
        tensors["h0"] = h032
        if lstm:
            tensors["c0"] = c032
    tensors["output"] = out.detach()
    tensors["h_n"] = h_n.detach()
    if lstm:
        tensors["c_n"] = c_n.detach()
    tensors["loss_weight_output"] = w_out32
    tensors["loss_weight_h_n"] = w_hn32
    if lstm:
        tensors["loss_weight_c_n"] = w_cn32
    tensors["loss"] = loss.detach().reshape(())
    for n, v in m64.named_parameters():
        tensors["grad.rnn." + n] = v.grad
    tensors["grad.input"] = x64.grad
    if given:
        tensors["grad.h0"] = h064.grad
        if lstm:
            tensors["grad.c0"] = c064.grad
    assert list(tensors.keys()) == network_tensor_names(cell, L, bi, given), name
    kw = OrderedDict([("cell", cell)])
    if cell == "rnn":
        kw["nonlinearity"] = "tanh"
    meta = base_meta(**kw, num_layers=L, bidirectional=str(bi).lower(), T=T, B=B, D=D, H=H, h0=h0mode,
                     seed=seed, loss=network_loss_text(cell),
                     precision="inputs float32; reference computed in float64; stored F32")
    path = os.path.join(OUT, name + ".safetensors")
    rt.save_safetensors(path, tensors, meta)
    return path


# ----------------------------------------------------------------------------
# self-check
# ----------------------------------------------------------------------------

def fd_check(loss_fn, leaves, grads, name, eps=1e-6):
    """Central finite differences (float64) of loss_fn w.r.t. every entry of every
    leaf, compared with the stored (float32) gradients."""
    worst = 0.0
    for key, leaf in leaves.items():
        g = grads[key].double()
        flat = leaf.view(-1)
        num = torch.empty_like(flat)
        for i in range(flat.numel()):
            orig = flat[i].item()
            flat[i] = orig + eps
            lp = loss_fn().item()
            flat[i] = orig - eps
            lm = loss_fn().item()
            flat[i] = orig
            num[i] = (lp - lm) / (2 * eps)
        err = (num.view_as(g) - g).abs() / (1e-3 + g.abs())
        worst = max(worst, err.max().item())
        if not torch.allclose(num.view_as(g), g, rtol=1e-4, atol=1e-5):
            raise AssertionError("%s: finite differences disagree for %s (max diff %g)"
                                 % (name, key, (num.view_as(g) - g).abs().max().item()))
    return worst


def check_layer_file(path, do_fd):
    t, meta = rt.load_safetensors(path)
    name = os.path.basename(path)
    act, L = meta["nonlinearity"], int(meta["num_layers"])
    T, B, D, H = (int(meta[k]) for k in ("T", "B", "D", "H"))
    assert meta["generator"] == GENERATOR
    for k in range(L):
        assert tuple(t["rnn.weight_ih_l%d" % k].shape) == (H, D if k == 0 else H)
        assert tuple(t["rnn.weight_hh_l%d" % k].shape) == (H, H)
    assert tuple(t["input"].shape) == (T, B, D)
    assert tuple(t["output"].shape) == (T, B, H)
    assert tuple(t["h_n"].shape) == (L, B, H)
    assert tuple(t["loss"].shape) == ()
    assert all(v.dtype == torch.float32 for v in t.values())
    given = "h0" in t
    assert given == (meta["h0"] == "given") and (("grad.h0" in t) == given)
    params = OrderedDict((n, t["rnn." + n].double().clone()) for n in elman_param_names(L))
    x = t["input"].double().clone()
    h0 = t["h0"].double().clone() if given else torch.zeros(L, B, H, dtype=torch.float64)
    w_out, w_hn = t["loss_weight_output"].double(), t["loss_weight_h_n"].double()
    # recompute forward
    with torch.no_grad():
        loss, out, h_n = elman_loss(x, h0, params, act, w_out, w_hn)
    assert torch.allclose(out.float(), t["output"], atol=1e-6), name
    assert torch.allclose(h_n.float(), t["h_n"], atol=1e-6), name
    assert torch.allclose(loss.float(), t["loss"], rtol=1e-6, atol=1e-6), name
    if not do_fd:
        return None
    leaves = OrderedDict(("grad.rnn." + n, v) for n, v in params.items())
    leaves["grad.input"] = x
    if given:
        leaves["grad.h0"] = h0

    def loss_fn():
        with torch.no_grad():
            return elman_loss(x, h0, params, act, w_out, w_hn)[0]

    worst = fd_check(loss_fn, leaves, t, name)

    # and torch.autograd.gradcheck on the same float64 function of all leaves
    keys = list(leaves.keys())

    def f(*vals):
        p = OrderedDict((n, vals[i]) for i, n in enumerate(params.keys()))
        xi = vals[len(params)]
        hi = vals[len(params) + 1] if given else h0
        return elman_loss(xi, hi, p, act, w_out, w_hn)[0]

    inputs = tuple(leaves[k].detach().clone().requires_grad_(True) for k in keys)
    assert torch.autograd.gradcheck(f, inputs, eps=1e-6, atol=1e-6, rtol=1e-5), name
    return worst


def check_char_file(path, do_fd):
    t, meta = rt.load_safetensors(path)
    name = os.path.basename(path)
    # valid rnn4j model file; load_rnn4j(float32) must reproduce the logits
    model, vocab = rt.load_rnn4j(path)
    assert vocab == {"level": "char", "tokens": B_VOCAB}, name
    cfg = rt.config_from_metadata(meta)
    assert cfg["nonlinearity"] == meta["nonlinearity"]
    assert cfg["cell"] == meta.get("cell", "rnn"), name
    assert cfg["bidirectional"] is False and cfg["dropout"] == 0.0, name
    if cfg["cell"] != "rnn":
        assert json.loads(meta["rnn4j.config"])["dropout"] == 0.0, name
        assert json.loads(meta["rnn4j.config"])["bidirectional"] is False, name
    tokens, targets = t["tokens"], t["targets"]
    assert tokens.dtype == torch.int64 and targets.dtype == torch.int64
    assert int((targets == -100).sum()) == len(B_IGNORED)
    with torch.no_grad():
        logits32, _ = model(tokens)
    assert torch.allclose(logits32, t["logits"], atol=2e-5, rtol=1e-5), name
    # float64 recompute from the stored float32 values
    m64 = copy.deepcopy(model).double()
    with torch.no_grad():
        loss, logits, h_n = char_loss(m64, tokens, targets)
    assert torch.allclose(logits.float(), t["logits"], atol=1e-6), name
    if cfg["cell"] == "lstm":
        h_n, c_n = h_n
        assert torch.allclose(c_n.float(), t["c_n"], atol=1e-6), name
    else:
        assert "c_n" not in t, name
    assert torch.allclose(h_n.float(), t["h_n"], atol=1e-6), name
    assert torch.allclose(loss.float(), t["loss"], rtol=1e-6, atol=1e-6), name
    # every parameter has a gradient and nothing else does
    pnames = [n for n, _ in m64.named_parameters()]
    assert sorted("grad." + n for n in pnames) == sorted(k for k in t if k.startswith("grad.")), name
    # save_rnn4j -> load_rnn4j roundtrip reproduces the logits exactly
    tmp = path + ".roundtrip.tmp"
    try:
        rt.save_rnn4j(model, vocab["tokens"], vocab["level"], tmp)
        m2, v2 = rt.load_rnn4j(tmp)
        with torch.no_grad():
            assert torch.equal(m2(tokens)[0], logits32), name
        assert v2 == vocab
    finally:
        os.remove(tmp)
    if not do_fd:
        return None
    params = dict(m64.named_parameters())
    leaves = OrderedDict(("grad." + n, p.data) for n, p in params.items())

    def loss_fn():
        with torch.no_grad():
            return char_loss(m64, tokens, targets)[0]

    return fd_check(loss_fn, leaves, t, name)


def check_torch_char(cell):
    path = os.path.join(OUT, "torch_char_%s.safetensors" % cell)
    with open(os.path.join(OUT, "torch_char_%s_expected.json" % cell), encoding="utf-8") as f:
        exp = json.load(f)
    model, vocab = rt.load_rnn4j(path)
    tensors, meta = rt.load_safetensors(path)
    assert list(tensors.keys()) == list(model.state_dict().keys())
    assert model.cell == cell and model.num_layers == C_L and model.hidden_size == C_H
    assert model.embedding_dim == C_E and not model.learned_initial_state
    toks = vocab["tokens"]
    stoi = {c: i for i, c in enumerate(toks)}
    ids = rt.greedy(model, [stoi[c] for c in exp["prime"]], exp["greedy_length"])
    assert "".join(toks[i] for i in ids) == exp["greedy"]
    eval_ids = [stoi[c] for c in exp["eval_text"]]
    assert len(eval_ids) == exp["eval_tokens"]
    assert rt.eval_loss(model, eval_ids) == exp["eval_loss"]
    assert exp["greedy_min_margin"] >= 0.05


def check_network_file(path, do_fd):
    t, meta = rt.load_safetensors(path)
    name = os.path.basename(path)
    cell, L = meta["cell"], int(meta["num_layers"])
    bi = {"true": True, "false": False}[meta["bidirectional"]]
    T, B, D, H = (int(meta[k]) for k in ("T", "B", "D", "H"))
    dirs, G = (2 if bi else 1), rt.GATES[cell]
    S = L * dirs
    lstm = cell == "lstm"
    assert meta["generator"] == GENERATOR
    assert meta.get("nonlinearity", "tanh") == "tanh"
    given = meta["h0"] == "given"
    assert list(t.keys()) == network_tensor_names(cell, L, bi, given), name
    assert all(v.dtype == torch.float32 for v in t.values())
    for n in rt.param_names(L, bi):
        k = int(n.split("_l")[1].split("_")[0])
        want = {"weight_ih": (G * H, D if k == 0 else dirs * H), "weight_hh": (G * H, H),
                "bias_ih": (G * H,), "bias_hh": (G * H,)}[n.split("_l")[0]]
        assert tuple(t["rnn." + n].shape) == want, (name, n)
        assert tuple(t["grad.rnn." + n].shape) == want, (name, n)
    assert tuple(t["input"].shape) == (T, B, D)
    assert tuple(t["output"].shape) == tuple(t["loss_weight_output"].shape) == (T, B, dirs * H)
    for k in ["h_n", "loss_weight_h_n"] + (["c_n", "loss_weight_c_n"] if lstm else []) + \
            (["h0", "grad.h0"] if given else []) + (["c0", "grad.c0"] if given and lstm else []):
        assert tuple(t[k].shape) == (S, B, H), (name, k)
    assert tuple(t["loss"].shape) == ()
    # the documented layout: h_n[layer*dirs + d]; forward final = output[T-1, :, :H],
    # reverse final = output[0, :, H:] (last layer; stored values identical)
    top = (L - 1) * dirs
    assert torch.equal(t["h_n"][top], t["output"][T - 1, :, :H]), name
    if bi:
        assert torch.equal(t["h_n"][top + 1], t["output"][0, :, H:]), name

    params = OrderedDict((n, t["rnn." + n].double().clone()) for n in rt.param_names(L, bi))
    x = t["input"].double().clone()
    zero = torch.zeros(S, B, H, dtype=torch.float64)
    h0 = t["h0"].double().clone() if given else zero
    c0 = (t["c0"].double().clone() if given else zero.clone()) if lstm else None
    w_out, w_hn = t["loss_weight_output"].double(), t["loss_weight_h_n"].double()
    w_cn = t["loss_weight_c_n"].double() if lstm else None

    # 1. forward and loss recomputed with the step-by-step reference (not nn.*)
    leaves = OrderedDict(("grad.rnn." + n, v) for n, v in params.items())
    leaves["grad.input"] = x
    if given:
        leaves["grad.h0"] = h0
        if lstm:
            leaves["grad.c0"] = c0
    req = OrderedDict((k, v.detach().clone().requires_grad_(True)) for k, v in leaves.items())
    rp = OrderedDict((n, req["grad.rnn." + n]) for n in params)
    rh0 = req["grad.h0"] if given else h0
    rc0 = (req["grad.c0"] if given else c0) if lstm else None
    out, h_n, c_n = rt.recurrent_forward(cell, req["grad.input"], rh0, rp, L, bi, c0=rc0)
    loss = (out * w_out).sum() + (h_n * w_hn).sum() + ((c_n * w_cn).sum() if lstm else 0)
    assert torch.allclose(out.detach().float(), t["output"], atol=1e-6), name
    assert torch.allclose(h_n.detach().float(), t["h_n"], atol=1e-6), name
    if lstm:
        assert torch.allclose(c_n.detach().float(), t["c_n"], atol=1e-6), name
    assert torch.allclose(loss.detach().float(), t["loss"], rtol=1e-6, atol=1e-6), name
    if not do_fd:
        return None
    # 2. the reference's autograd gradients agree with the stored (nn.*) ones
    loss.backward()
    for k, v in req.items():
        assert torch.allclose(v.grad.float(), t[k], rtol=1e-5, atol=1e-6), (name, k)

    # 3. central finite differences of the nn.* module for every stored gradient
    module = D_MODULES[cell](D, H, num_layers=L, bidirectional=bi).double()
    module.load_state_dict(params)
    mleaves = OrderedDict(("grad.rnn." + n, p.data) for n, p in module.named_parameters())
    mleaves["grad.input"] = x
    if given:
        mleaves["grad.h0"] = h0
        if lstm:
            mleaves["grad.c0"] = c0

    def loss_fn():
        with torch.no_grad():
            return network_loss(cell, module, x, h0, c0, w_out, w_hn, w_cn)[0]

    return fd_check(loss_fn, mleaves, t, name)


def check_config_roundtrip():
    """save_rnn4j -> load_rnn4j keeps every config key (cell, num_layers, dropout,
    bidirectional, learned state) and the logits bit for bit; absent keys -> defaults."""
    torch.manual_seed(11)
    vocab = list("abcde")
    tokens = torch.randint(0, 5, (4, 2))
    tmp = os.path.join(OUT, "config_roundtrip.tmp")
    try:
        for cell, act in [("rnn", "tanh"), ("rnn", "sigmoid"), ("lstm", "tanh"), ("gru", "tanh")]:
            for L, dropout in [(1, 0.0), (2, 0.25)]:
                for bi in (False, True):
                    for learned in (False, True):
                        m = rt.CharRNN(5, 3, embedding_dim=2, num_layers=L, cell=cell, nonlinearity=act,
                                       learned_initial_state=learned, dropout=dropout, bidirectional=bi)
                        with torch.no_grad():
                            for p in m.parameters():
                                p.uniform_(-0.5, 0.5)
                        m.eval()
                        rt.save_rnn4j(m, vocab, "char", tmp)
                        m2, _ = rt.load_rnn4j(tmp)
                        assert m2.config() == m.config(), (cell, L, bi, learned)
                        assert list(m2.state_dict().keys()) == list(m.state_dict().keys())
                        with torch.no_grad():
                            a, b = m(tokens)[0], m2(tokens)[0]
                        assert torch.equal(a, b), (cell, L, bi, learned)
                        assert a.shape == (4, 2, 5)
                        cfg = json.loads(rt.load_safetensors(tmp)[1]["rnn4j.config"])
                        has_new = cell != "rnn" or dropout != 0.0 or bi
                        assert ("dropout" in cfg) == has_new and ("bidirectional" in cfg) == has_new
                        if learned:
                            keys = [k for k in m.state_dict() if k.startswith(("rnn.h0_", "rnn.c0_"))]
                            sfx = [s for k in range(L) for s in ("_l%d" % k, "_l%d_reverse" % k)[:2 if bi else 1]]
                            want = ["rnn.h0" + s for s in sfx] + (["rnn.c0" + s for s in sfx] if cell == "lstm" else [])
                            assert keys == want, keys
        # absent keys take their defaults
        m = rt.CharRNN(5, 3, cell="lstm")
        tensors = OrderedDict((k, v.detach()) for k, v in m.state_dict().items())
        rt.save_safetensors(tmp, tensors, {"format": "rnn4j",
                                           "rnn4j.config": json.dumps({"cell": "lstm", "vocab_size": 5,
                                                                       "hidden_size": 3}),
                                           "rnn4j.vocab": json.dumps({"level": "char", "tokens": vocab})})
        m2, _ = rt.load_rnn4j(tmp)
        assert m2.config() == m.config()
        assert (m2.num_layers, m2.dropout, m2.bidirectional, m2.embedding_dim) == (1, 0.0, False, 0)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def expected_files():
    files = []
    for act in ACTS:
        for L in (1, 2):
            for B in (1, 3):
                for h0 in ("zero", "given"):
                    files.append(("layer", "rnn_%s_l%d_b%d_%s.safetensors" % (act, L, B, h0)))
    for case in char_cases():
        files.append(("char", char_name(*case) + ".safetensors"))
    for case in network_cases():
        files.append(("network", network_name(*case) + ".safetensors"))
    for cell in C_CELLS:
        files.append(("torch_char", "torch_char_%s.safetensors" % cell))
        files.append(("torch_char", "torch_char_%s_expected.json" % cell))
    return files


def char_cases():
    cases = [(act, emb, L, False) for act in ACTS for emb in (True, False) for L in (1, 2)]
    cases += [("tanh", True, 2, True), ("relu", False, 1, True)]
    cases += [(cell, emb, L, False) for cell in GATED for emb in (True, False) for L in (1, 2)]
    cases += [("lstm", True, 2, True), ("gru", False, 1, True)]
    return cases


def self_check():
    worst = 0.0
    files = expected_files()
    present = sorted(f for f in os.listdir(OUT) if f != "README.md")
    assert present == sorted(fn for _, fn in files), \
        "unexpected or missing files in golden/: %s" % sorted(set(present) ^ set(fn for _, fn in files))
    for kind, fn in files:
        path = os.path.join(OUT, fn)
        if kind == "layer":
            w = check_layer_file(path, do_fd=True)
        elif kind == "network":
            w = check_network_file(path, do_fd=True)
        elif kind == "char":
            w = check_char_file(path, do_fd=True)
        else:
            continue
        worst = max(worst, w or 0.0)
    for cell in C_CELLS:
        check_torch_char(cell)
    check_config_roundtrip()
    # the manual Elman loop used for sigmoid must agree with nn.RNN inside CharRNN
    torch.manual_seed(7)
    a = rt.CharRNN(5, 4, embedding_dim=3, num_layers=2, nonlinearity="tanh", learned_initial_state=True)
    b = rt.ElmanRNN(3, 4, num_layers=2, nonlinearity="tanh")
    b.load_state_dict(OrderedDict((k, v) for k, v in a.rnn.state_dict().items() if not k.startswith("h0_")))
    x = torch.randn(6, 2, 3)
    h = torch.randn(2, 2, 4)
    assert torch.allclose(a.rnn(x, h)[0], b(x, h)[0], atol=1e-6)
    # ... also bidirectional and stacked (ElmanRNN's bidirectional path vs nn.RNN)
    a = nn.RNN(3, 4, num_layers=2, bidirectional=True)
    b = rt.ElmanRNN(3, 4, num_layers=2, nonlinearity="tanh", bidirectional=True)
    assert list(a.state_dict().keys()) == list(b.state_dict().keys())
    b.load_state_dict(a.state_dict())
    h = torch.randn(4, 2, 4)
    for u, v in zip(a(x, h), b(x, h)):
        assert torch.allclose(u, v, atol=1e-6)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("self-check OK: %d fixture files, worst finite-difference rel. error %.2e, "
          "golden/ total %d bytes" % (len(files), worst, total))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only run the self-check on existing files")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if not args.check:
        os.makedirs(OUT, exist_ok=True)
        for act in ACTS:
            for L in (1, 2):
                for B in (1, 3):
                    for h0 in ("zero", "given"):
                        make_layer_fixture(act, L, B, h0)
        for case in char_cases():
            make_char_fixture(*case)
        for case in network_cases():
            make_network_fixture(*case)
        for cell in C_CELLS:
            make_torch_char(cell)
        print("wrote fixtures to %s" % os.path.relpath(OUT, ROOT))
    self_check()


if __name__ == "__main__":
    main()
