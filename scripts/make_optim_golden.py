#!/usr/bin/python3
"""Generate the golden fixtures of rnn4j's optimizers and learning-rate schedules from torch.optim.

    /usr/bin/python3 scripts/make_optim_golden.py            # write + self-check
    /usr/bin/python3 scripts/make_optim_golden.py --check    # only self-check existing files

Output directory: rnn4j-core/src/test/resources/golden/optim/ (see README.md there).

Optimizer fixtures, <config>.safetensors
----------------------------------------
Four parameters (shapes in PARAMS) and a fixed sequence of STEPS gradients; the optimizer named in
the metadata runs STEPS updates with torch.optim **in float32** (the single-tensor code path, the
default of PyTorch 1.13 on the CPU).  Unlike the network fixtures, the reference is not computed in
float64: rnn4j's optimizers perform the same float32 operations in the same order, so the two should
agree to the last bit, and float32 is what is compared.

Tensors (all F32):
    init.<param>          the parameter before the first step
    grad.<k>.<param>      the gradient given to step k (k = 1..STEPS)
    after.<k>.<param>     the parameter after step k
Metadata: "optimizer" (the name for rnn4j's Optimizers.create), "steps", "params" (comma-separated
names in order), "torch", and the hyper-parameters under the names of rnn4j's OptimizerSettings:
"lr", "weight_decay", "momentum", "beta1", "beta2", "eps", "alpha", "lr_decay",
"initial_accumulator_value", "centered", "amsgrad" (only those the configuration sets; the others
take the optimizer's defaults, which rnn4j and PyTorch share).  Numbers are Python's repr of the
double PyTorch was given, so Java's Double.parseDouble reads the same double.

Schedule fixture, schedules.safetensors
---------------------------------------
For each configuration in SCHEDULES, "lr.<config>" (F64) holds the learning rate PyTorch's scheduler
gives the optimizer for steps 0, 1, ... (the value in param_groups[0]["lr"] before update k+1).  For
reduce-on-plateau, "loss.<config>" (F64) is the validation loss fed after each step and "lr.<config>"
the learning rate after it.  Metadata "<config>.<key>" gives the schedule kind and its parameters.

Deterministic: every file gets its own torch.manual_seed from zlib.crc32(file name).
"""

import argparse
import math
import os
import sys
import warnings
import zlib
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rnn4j_torch as rt  # noqa: E402

ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "rnn4j-core", "src", "test", "resources", "golden", "optim")

STEPS = 6
# (name, shape).  The first three have fewer than 16 elements, so ATen's element-wise kernels run
# their scalar loop on them; "wide.weight" (42 elements) runs two AVX2 vectors of 8 and a scalar
# tail of 10, so both code paths of PyTorch are compared.
PARAMS = [("layer.weight", (4, 3)), ("layer.bias", (5,)), ("rec.weight", (2, 2)), ("wide.weight", (6, 7))]
# Gradient scale per step: it shrinks and grows so that AMSGrad's running maximum differs from the
# second moment and RMSprop/Adagrad see changing magnitudes.
GRAD_SCALES = [1.0, 0.25, 2.0, 0.5, 1.5, 0.1]

# config name -> (rnn4j factory name, torch class, torch keyword arguments).
# The torch keyword names map to rnn4j's metadata keys in META_KEYS.
OPTIMIZERS = OrderedDict([
    ("sgd", ("sgd", torch.optim.SGD, dict(lr=0.1))),
    ("sgd_wd", ("sgd", torch.optim.SGD, dict(lr=0.1, weight_decay=0.01))),
    ("momentum", ("momentum", torch.optim.SGD, dict(lr=0.1, momentum=0.9))),
    ("nesterov", ("nesterov", torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3))),
    ("adagrad", ("adagrad", torch.optim.Adagrad, dict(lr=0.1))),
    ("adagrad_decay", ("adagrad", torch.optim.Adagrad,
                       dict(lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1))),
    ("rmsprop", ("rmsprop", torch.optim.RMSprop, dict(lr=0.01))),
    ("rmsprop_centered_momentum", ("rmsprop", torch.optim.RMSprop,
                                   dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.01, alpha=0.95))),
    ("adam", ("adam", torch.optim.Adam, dict(lr=0.01))),
    ("adam_amsgrad", ("adam", torch.optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.01))),
    ("adam_betas", ("adam", torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6))),
    ("adamw", ("adamw", torch.optim.AdamW, dict(lr=0.01))),
    ("adamw_amsgrad", ("adamw", torch.optim.AdamW, dict(lr=0.01, amsgrad=True, weight_decay=0.1))),
])

META_KEYS = {"lr": "lr", "weight_decay": "weight_decay", "momentum": "momentum", "eps": "eps",
             "alpha": "alpha", "lr_decay": "lr_decay", "initial_accumulator_value": "initial_accumulator_value",
             "centered": "centered", "amsgrad": "amsgrad"}

SCHEDULE_STEPS = 30


def seed_for(name):
    torch.manual_seed(zlib.crc32(name.encode("utf-8")))


def meta_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(float(v))


def make_optimizer_fixture(config):
    factory_name, cls, kwargs = OPTIMIZERS[config]
    file_name = config + ".safetensors"
    seed_for(file_name)
    params = [torch.nn.Parameter((0.5 * torch.randn(shape)).float()) for _, shape in PARAMS]
    grads = [[(scale * torch.randn(shape)).float() for _, shape in PARAMS] for scale in GRAD_SCALES]
    tensors = OrderedDict()
    for (name, _), p in zip(PARAMS, params):
        tensors["init." + name] = p.detach().clone()
    opt = cls(params, **kwargs)
    for k in range(1, STEPS + 1):
        for (name, _), p, g in zip(PARAMS, params, grads[k - 1]):
            p.grad = g.clone()
            tensors["grad.%d.%s" % (k, name)] = g.clone()
        opt.step()
        for (name, _), p in zip(PARAMS, params):
            tensors["after.%d.%s" % (k, name)] = p.detach().clone()
    meta = OrderedDict([("optimizer", factory_name), ("steps", str(STEPS)),
                        ("params", ",".join(n for n, _ in PARAMS)), ("torch", torch.__version__),
                        ("torch_class", cls.__name__)])
    for key, v in kwargs.items():
        if key == "betas":
            meta["beta1"], meta["beta2"] = meta_value(v[0]), meta_value(v[1])
        elif key == "nesterov":
            continue  # the factory name says it
        else:
            meta[META_KEYS[key]] = meta_value(v)
    rt.save_safetensors(os.path.join(OUT, file_name), tensors, meta)


# ---- schedules ----

def warmup_cosine(opt, warmup, total, min_lr):
    """Linear warm-up (base·(s+1)/W for s < W) then cosine from base down to min_lr at s = total."""
    sched = torch.optim.lr_scheduler
    if warmup == 0:
        return sched.CosineAnnealingLR(opt, T_max=total, eta_min=min_lr)
    return sched.SequentialLR(opt, [sched.LinearLR(opt, start_factor=1.0 / warmup, end_factor=1.0,
                                                   total_iters=warmup - 1),
                                    sched.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=min_lr)],
                              milestones=[warmup])


# name -> (kind, parameters).  Steps: how many learning rates are recorded (cosine: up to and
# including `total`, after which PyTorch's cosine rises again while rnn4j's stays at min_lr).
SCHEDULES = OrderedDict([
    ("constant", ("constant", dict(lr=0.1))),
    ("step", ("step", dict(lr=0.1, step_size=7, gamma=0.5))),
    ("exponential", ("exponential", dict(lr=0.1, gamma=0.9))),
    ("cosine_warmup", ("cosine", dict(lr=0.1, warmup=5, total=29, min_lr=0.001))),
    ("cosine", ("cosine", dict(lr=0.05, warmup=0, total=29, min_lr=0.0))),
    ("plateau", ("plateau", dict(lr=0.1, factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.02))),
    ("plateau_defaults", ("plateau", dict(lr=0.1, factor=0.1, patience=10, threshold=1e-4, cooldown=0,
                                          min_lr=0.0))),
])


def plateau_losses(name, tiny_noise):
    """A validation curve that improves, stalls, improves by less than a 1e-2 threshold, gets worse,
    improves and stalls; with tiny_noise it improves for 6 steps and then only wobbles by less than
    1e-5 relative (below PyTorch's default threshold of 1e-4), so the learning rate is cut twice."""
    seed_for(name)
    losses = []
    v = 3.0
    for i in range(SCHEDULE_STEPS):
        if tiny_noise:
            v = v * 0.9 if i < 6 else v
            losses.append(v * (1 + 1e-5 * float(torch.rand(()))))
            continue
        if i < 6:
            v *= 0.9           # clear improvements
        elif i < 12:
            v *= 0.999         # improvements below a 1e-2 threshold, above 1e-4
        elif i < 16:
            v *= 1.01          # worse
        elif i < 20:
            v *= 0.95
        else:
            v *= 1.0           # flat: equal is not better
        losses.append(v + 1e-3 * float(torch.rand(())))
    return losses


def make_schedule_fixture():
    warnings.simplefilter("ignore")  # SequentialLR calls step(0), which warns about the epoch argument
    tensors = OrderedDict()
    meta = OrderedDict([("torch", torch.__version__), ("configs", ",".join(SCHEDULES))])
    for name, (kind, kw) in SCHEDULES.items():
        meta[name + ".kind"] = kind
        for k, v in kw.items():
            meta[name + "." + k] = str(v) if isinstance(v, int) and not isinstance(v, bool) else meta_value(v)
        p = [torch.nn.Parameter(torch.zeros(1))]
        opt = torch.optim.SGD(p, lr=kw["lr"])
        lrs = []
        if kind == "plateau":
            sch = torch.optim.lr_scheduler.ReduceLROnPlateau(
                opt, mode="min", factor=kw["factor"], patience=kw["patience"], threshold=kw["threshold"],
                threshold_mode="rel", cooldown=kw["cooldown"], min_lr=kw["min_lr"])
            losses = plateau_losses(name, tiny_noise=(name == "plateau_defaults"))
            for loss in losses:
                sch.step(loss)
                lrs.append(opt.param_groups[0]["lr"])
            tensors["loss." + name] = torch.tensor(losses, dtype=torch.float64)
        else:
            if kind == "constant":
                sch = torch.optim.lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=0)
            elif kind == "step":
                sch = torch.optim.lr_scheduler.StepLR(opt, step_size=kw["step_size"], gamma=kw["gamma"])
            elif kind == "exponential":
                sch = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=kw["gamma"])
            else:
                sch = warmup_cosine(opt, kw["warmup"], kw["total"], kw["min_lr"])
            steps = kw["total"] + 1 if kind == "cosine" else SCHEDULE_STEPS
            for _ in range(steps):
                lrs.append(opt.param_groups[0]["lr"])
                opt.step()
                sch.step()
        tensors["lr." + name] = torch.tensor(lrs, dtype=torch.float64)
    rt.save_safetensors(os.path.join(OUT, "schedules.safetensors"), tensors, meta, keep_float64=True)


# ---- self-check ----

def check():
    """Re-runs every optimizer fixture from its stored tensors and metadata and compares bit for bit."""
    classes = {"SGD": torch.optim.SGD, "Adagrad": torch.optim.Adagrad, "RMSprop": torch.optim.RMSprop,
               "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}
    for config in OPTIMIZERS:
        tensors, meta = rt.load_safetensors(os.path.join(OUT, config + ".safetensors"))
        names = meta["params"].split(",")
        kwargs = dict(OPTIMIZERS[config][2])
        params = [torch.nn.Parameter(tensors["init." + n].clone()) for n in names]
        opt = classes[meta["torch_class"]](params, **kwargs)
        for k in range(1, int(meta["steps"]) + 1):
            for n, p in zip(names, params):
                p.grad = tensors["grad.%d.%s" % (k, n)].clone()
            opt.step()
            for n, p in zip(names, params):
                if not torch.equal(p.detach(), tensors["after.%d.%s" % (k, n)]):
                    raise SystemExit("%s: step %d, %s differs from the stored fixture" % (config, k, n))
    tensors, meta = rt.load_safetensors(os.path.join(OUT, "schedules.safetensors"))
    for name in meta["configs"].split(","):
        lrs = tensors["lr." + name]
        if not torch.isfinite(lrs).all() or lrs.dtype != torch.float64:
            raise SystemExit("schedules: lr.%s is not a finite float64 tensor" % name)
    c = tensors["lr.cosine_warmup"]
    if abs(float(c[5]) - 0.1) > 1e-15 or abs(float(c[-1]) - 0.001) > 1e-15:
        raise SystemExit("schedules: the warm-up cosine does not peak at step 5 and end at min_lr")
    print("optim golden fixtures OK: %d optimizer configurations, %d schedules"
          % (len(OPTIMIZERS), len(meta["configs"].split(","))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only self-check the existing files")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if not args.check:
        os.makedirs(OUT, exist_ok=True)
        for config in OPTIMIZERS:
            make_optimizer_fixture(config)
        make_schedule_fixture()
    check()


if __name__ == "__main__":
    main()
