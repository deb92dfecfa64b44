#!/usr/bin/python3
"""rnn4j against PyTorch on the CPU: runs `rnn4j bench` and the peer benchmark bench_rnn.py in one go and
writes a Markdown table of the ratios (issue 6).

It runs, one after the other and never two at once,
    ./rnn4j bench --threads 1,2 --json ...                              # once, every thread count
    /usr/bin/python3 ../shared/bench/bench_rnn.py --threads n --json ...   # for n = 1, then 2
rnn4j measures all its thread counts in one run, with the counts' repeats interleaved at each grid point:
this machine's speed drifts by a quarter over minutes, and the 2-thread/1-thread ratio of two runs made
minutes apart was mostly that drift. Its JSON is then split by thread count into rnn4j_1t.json and
rnn4j_2t.json, as earlier runs wrote them (--render reads both kinds). The torch benchmark runs one count
per process, with OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = n as bench_rnn.py requires, after rnn4j; its
speedups, and the rnn4j/torch ratios, still compare runs made minutes apart. The rnn4j run also measures
memory (--memory), at the first thread count. Both programs print their progress as they go (to this
script's stderr).

Usage (from anywhere; paths are relative to the repository root):
    /usr/bin/python3 scripts/bench_compare.py --quick --out bench.md      # one point, about a minute
    /usr/bin/python3 scripts/bench_compare.py --subset --out bench.md     # LSTM and RNN, 1 layer, B=32/64
    /usr/bin/python3 scripts/bench_compare.py --out bench.md              # the full grid (long)
    /usr/bin/python3 scripts/bench_compare.py --render DIR                # the table again from DIR's JSON files

The interpreter that runs bench_rnn.py (--python, default this one) must import torch; on Debian:
apt-get install python3-torch, then use /usr/bin/python3.

torch's speed depends on the BLAS it finds. Debian's python3-torch is satisfied by the reference BLAS
(libblas3), several times slower than OpenBLAS, and OpenBLAS may not recognise a virtual CPU (it then
picks its generic "Prescott" kernels). Issue 6's anchor is OpenBLAS 0.3.21 with AVX-512 kernels, e.g.
    apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb /tmp/openblas
    ... --torch-env LD_LIBRARY_PATH=/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread \
        --torch-env OPENBLAS_CORETYPE=SkylakeX
The table says which BLAS and core torch used, and warns when it was not OpenBLAS with AVX-512 kernels.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TORCH_BENCH = os.path.join("..", "shared", "bench", "bench_rnn.py")
RUN_FILE = "run.json"  # how the measurements in a JSON directory were made, for --render
RNN4J_ALL_FILE = "rnn4j_interleaved.json"  # rnn4j bench's own JSON with several thread counts, before the split

# Targets of issue 6.
TRAIN_RATIO_TARGET = 2.0      # rnn4j tokens/s at least 2x torch's, every point, 1 and 2 threads
SAMPLE_RATIO_TARGET = 10.0    # sampling latency at least 10x lower, H = 128 and 512
PEAK_SHARE_TARGET = 50.0      # at least half of peak at H >= 512 and B >= 32
THREAD_SPEEDUP_TARGET = 1.7   # 2 threads at least 1.7x 1 thread at B >= 32


class Failure(Exception):
    """A problem that ends the run with one clear message (exit 1)."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_streaming(cmd, env=None, cwd=None, what=""):
    """Runs cmd, echoing its output to stderr line by line; raises Failure with the tail if it fails."""
    log("$ " + " ".join(cmd))
    try:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd, text=True,
                             bufsize=1)
    except OSError as e:
        raise Failure("%s: cannot start %s: %s" % (what, cmd[0], e))
    tail = []
    for line in p.stdout:
        sys.stderr.write("  " + line)
        tail = (tail + [line.rstrip("\n")])[-15:]
    rc = p.wait()
    if rc != 0:
        raise Failure("%s failed (exit %d): %s\n  last output:\n    %s" % (what, rc, " ".join(cmd),
                                                                           "\n    ".join(tail)))


def check_torch(python, env):
    try:
        r = subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True,
                           env=dict(os.environ, **env))
    except OSError as e:
        raise Failure("cannot run %s: %s" % (python, e))
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise Failure("%s cannot import torch (%s): install it (Debian: apt-get install python3-torch) and run this "
                      "script with /usr/bin/python3, or give --python" % (python, last))
    return r.stdout.strip()


def read_json(path, who):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise Failure("%s wrote no readable JSON at %s: %s" % (who, path, e))


def measure(args, json_dir, run):
    """Runs rnn4j bench once for all thread counts, then bench_rnn.py per count; notes the load average before
    each run in run["load"]."""
    rnn4j = os.path.join(ROOT, "rnn4j")
    torch_bench = os.path.normpath(os.path.join(ROOT, args.torch_bench))
    if not os.path.isfile(rnn4j):
        raise Failure("no launcher at %s" % rnn4j)
    if not os.path.isfile(torch_bench):
        raise Failure("no PyTorch benchmark at %s: give its path with --torch-bench" % torch_bench)
    torch_version = check_torch(args.python, args.torch_env)
    log("torch %s from %s; benchmark %s" % (torch_version, args.python, torch_bench))
    # Build the jar now, so that the build does not run inside the first measurement.
    run_streaming([rnn4j, "--version"], cwd=ROOT, what="building rnn4j")
    preset = ["--quick"] if args.quick else ["--subset"] if args.subset else []
    several = len(args.threads) > 1
    out = os.path.join(json_dir, RNN4J_ALL_FILE if several else "rnn4j_%dt.json" % args.threads[0])
    cmd = [rnn4j, "bench", "--threads", ",".join(str(n) for n in args.threads), "--json", out] + preset
    if args.peak_gflops:
        cmd += ["--peak-gflops", str(args.peak_gflops)]
    if not args.no_memory:
        cmd.append("--memory")
    run["load"]["rnn4j %s" % "+".join("%dT" % n for n in args.threads)] = os.getloadavg()[0]
    run_streaming(cmd + args.rnn4j_arg, cwd=ROOT, what="rnn4j bench (%s thread(s))" % ",".join(map(str, args.threads)))
    measured = read_json(out, "rnn4j bench")
    if several:
        for n in args.threads:
            with open(os.path.join(json_dir, "rnn4j_%dt.json" % n), "w") as f:
                json.dump(split_threads(measured, n), f, indent=2)
    for n in args.threads:
        out = os.path.join(json_dir, "torch_%dt.json" % n)
        env = dict(os.environ, **args.torch_env)
        env.update(OMP_NUM_THREADS=str(n), OPENBLAS_NUM_THREADS=str(n))
        run["load"]["torch %dT" % n] = os.getloadavg()[0]
        run_streaming([args.python, torch_bench, "--threads", str(n), "--json", out] + preset, env=env, cwd=json_dir,
                      what="bench_rnn.py (%d thread(s))" % n)
        read_json(out, "bench_rnn.py")


def split_threads(measured, n):
    """The rows of one thread count from rnn4j bench's JSON of several, as a run of that count alone writes them;
    meta.threads_interleaved keeps the counts it ran with."""
    part = dict(measured)
    part["meta"] = dict(measured["meta"], threads=n, threads_interleaved=measured["meta"]["threads"])
    for section in ("train", "infer", "memory"):
        if section in measured:
            part[section] = [r for r in measured[section] if r.get("threads") == n]
    return part


# ---------------------------------------------------------------- the tables

def key_train(r):
    return (r["cell"], r["layers"], r["hidden"], r["batch"])


def key_infer(r):
    return (r["cell"], r["layers"], r["hidden"])


def fmt(x, spec):
    return "n/a" if x is None else spec % x


def ratio(a, b):
    return a / b if a is not None and b else None


def blas_warning(openblas):
    """Why torch's BLAS is not issue 6's anchor (OpenBLAS with AVX-512 kernels), or None."""
    if "core=" not in openblas:
        return ("torch did not run on OpenBLAS (%s): its products used another BLAS, probably Debian's reference "
                "libblas3, much slower than the anchor of issue 6, so the ratios overstate rnn4j's lead." % openblas)
    core = openblas.split("core=", 1)[1].strip()
    if core.lower() not in ("skylakex", "cooperlake", "sapphirerapids"):
        return ("OpenBLAS used its %s kernels, not AVX-512 ones (set OPENBLAS_CORETYPE=SkylakeX with --torch-env), so "
                "torch is slower than the anchor of issue 6 and the ratios overstate rnn4j's lead." % core)
    return None


def render(json_dir, threads, command, started=None, torch_env=None, loads=None):
    res = {}
    for n in threads:
        res[n] = (read_json(os.path.join(json_dir, "rnn4j_%dt.json" % n), "rnn4j bench"),
                  read_json(os.path.join(json_dir, "torch_%dt.json" % n), "bench_rnn.py"))
    first = threads[0]
    rmeta, tmeta = res[first][0]["meta"], res[first][1]["meta"]
    peak = rmeta.get("peak_gflops_per_thread", 133)
    lines = ["# rnn4j against PyTorch on the CPU", ""]
    lines.append("Run %s with `%s`." % (started or rmeta.get("date", "?"), command))
    lines.append("")
    extra = rmeta.get("jit_warmup_until_idle_max_extra_s")
    warmup = ("a JIT warm-up of %s s before each grid point" % rmeta.get("jit_warmup_s") if not extra else
              "a JIT warm-up of at least %s s before each grid point, then on until the JIT compiled nothing for "
              "0.25 s (at most %g s more)" % (rmeta.get("jit_warmup_s"), extra))
    lines.append("- rnn4j %s, kernels %s, Java %s (%s); %s." % (
        rmeta.get("rnn4j"), rmeta.get("backend"), rmeta.get("java"), rmeta.get("vm"), warmup))
    lines.append("- torch %s, %s, Python %s%s." % (tmeta.get("torch"), tmeta.get("openblas"), tmeta.get("python"),
                                                  "; environment " + ", ".join("%s=%s" % kv for kv in torch_env.items())
                                                  if torch_env else ""))
    warning = blas_warning(tmeta.get("openblas", ""))
    if warning:
        lines.append("- **Warning:** " + warning)
    lines.append("- Machine: %d processors (%s), %s. Peak taken as %g GFLOP/s per thread." % (
        rmeta.get("available_processors", 0), cpu_name(), platform.platform(), peak))
    if loads:
        lines.append("- 1-minute load average just before each run (the machine has %d processors): %s." % (
            rmeta.get("available_processors", 0), ", ".join("%s %.1f" % kv for kv in loads.items())))
    interleaved = rmeta.get("threads_interleaved")
    if interleaved:
        order = ("rnn4j ran its thread counts (%s) in one run, the counts' repeats interleaved at each point so that "
                 "the machine's drift hits them alike; torch then ran one count at a time."
                 % ", ".join(str(n) for n in interleaved))
    else:
        order = "Threads ran one count at a time, rnn4j then torch."
    lines.append("- Each number is the median of 5 repeats (3 if a step takes over 3 s); both sides use bench_rnn.py's "
                 "model, timing protocol and FLOP count. " + order)
    lines.append("")

    lines.append("## Training throughput")
    lines.append("")
    lines.append("tokens/s of a full step (forward, loss, backward, SGD update), T = %s; ratio = rnn4j / torch "
                 "(target: at least %g); %% of peak = rnn4j's GFLOP/s against n x %g." % (
                     rmeta.get("seq"), TRAIN_RATIO_TARGET, peak))
    lines.append("")
    head = "| cell | L | H | B |"
    rule = "|---|---|---|---|"
    for n in threads:
        head += " %dT rnn4j tok/s | %dT torch tok/s | %dT ratio | %dT rnn4j GFLOP/s | %dT %% of peak |" % (n, n, n, n, n)
        rule += "---:|---:|---:|---:|---:|"
    lines += [head, rule]
    train = {n: ({key_train(r): r for r in res[n][0]["train"]}, {key_train(r): r for r in res[n][1]["train"]})
             for n in threads}
    keys = ordered([r for r in res[first][0]["train"]] + [r for r in res[first][1]["train"]], key_train)
    stats = {"train": [0, 0], "peak": [0, 0], "sample": [0, 0], "speedup": [0, 0]}
    for k in keys:
        row = "| %s | %d | %d | %d |" % k
        for n in threads:
            r, t = train[n][0].get(k), train[n][1].get(k)
            rt, tt = (r or {}).get("tok_s_median"), (t or {}).get("tok_s_median")
            q = ratio(rt, tt)
            count(stats["train"], q, lambda v: v >= TRAIN_RATIO_TARGET)
            share = (r or {}).get("percent_of_peak")
            if k[2] >= 512 and k[3] >= 32:
                count(stats["peak"], share, lambda v: v >= PEAK_SHARE_TARGET)
            row += " %s | %s | %s | %s | %s |" % (fmt(rt, "%.0f"), fmt(tt, "%.0f"), fmt(q, "%.2f"),
                                                  fmt((r or {}).get("gflops_median"), "%.1f"), fmt(share, "%.1f"))
        lines.append(row)
    lines.append("")

    lines.append("## Sampling at batch 1")
    lines.append("")
    lines.append("µs per token, one token at a time (embedding, cell, linear, softmax, draw); ratio = torch / rnn4j, "
                 "so above 1 means rnn4j is faster (target: at least %g at H = 128 and 512)." % SAMPLE_RATIO_TARGET)
    lines.append("")
    head = "| cell | L | H |"
    rule = "|---|---|---|"
    for n in threads:
        head += " %dT rnn4j µs | %dT torch µs | %dT ratio |" % (n, n, n)
        rule += "---:|---:|---:|"
    lines += [head, rule]
    infer = {n: ({key_infer(r): r for r in res[n][0]["infer"]}, {key_infer(r): r for r in res[n][1]["infer"]})
             for n in threads}
    for k in ordered(res[first][0]["infer"] + res[first][1]["infer"], key_infer):
        row = "| %s | %d | %d |" % k
        for n in threads:
            r = (infer[n][0].get(k) or {}).get("step_us_median")
            t = (infer[n][1].get(k) or {}).get("step_us_median")
            q = ratio(t, r)
            if k[2] in (128, 512):
                count(stats["sample"], q, lambda v: v >= SAMPLE_RATIO_TARGET)
            row += " %s | %s | %s |" % (fmt(r, "%.1f"), fmt(t, "%.1f"), fmt(q, "%.2f"))
        lines.append(row)
    lines.append("")

    if 1 in threads and 2 in threads:
        lines.append("## Two threads against one")
        lines.append("")
        lines.append("tokens/s at 2 threads / tokens/s at 1 thread, B ≥ 32 (target for rnn4j: at least %g)%s." % (
            THREAD_SPEEDUP_TARGET, "; rnn4j's from interleaved repeats, torch's from two runs" if interleaved else ""))
        lines.append("")
        lines += ["| cell | L | H | B | rnn4j | torch |", "|---|---|---|---|---:|---:|"]
        for k in keys:
            if k[3] < 32:
                continue
            sp = []
            for side in (0, 1):
                one = (train[1][side].get(k) or {}).get("tok_s_median")
                two = (train[2][side].get(k) or {}).get("tok_s_median")
                sp.append(ratio(two, one))
            count(stats["speedup"], sp[0], lambda v: v >= THREAD_SPEEDUP_TARGET)
            lines.append("| %s | %d | %d | %d | %s | %s |" % (k + (fmt(sp[0], "%.2f"), fmt(sp[1], "%.2f"))))
        lines.append("")

    mem = res[first][0].get("memory") or []
    if mem:
        lines.append("## Memory")
        lines.append("")
        for m in mem:
            lines.append("- %s, 1 layer, T = %d, H = %d, B = %d: peak heap %.0f MB during one training step (%.0f MB "
                         "before it, %.0f MB reachable after it); the activations that backward needs take %.0f MB "
                         "(analytic)." % (m["cell"], m["seq"], m["hidden"], m["batch"], m["peak_heap_mb"],
                                          m["heap_before_mb"], m["heap_after_mb"], m["activations_mb"]))
        lines.append("")
        lines.append("Peak heap is the sum of the JVM heap pools' peaks (an upper bound: garbage included, pools "
                     "peak at different moments); MB = 10^6 bytes.")
        lines.append("")

    lines.append("## Against the targets of issue 6")
    lines.append("")
    lines.append("- training at least %gx torch: %s" % (TRAIN_RATIO_TARGET, met(stats["train"])))
    lines.append("- at least %g%% of peak at H ≥ 512, B ≥ 32: %s" % (PEAK_SHARE_TARGET, met(stats["peak"])))
    lines.append("- sampling at least %gx faster at H = 128 and 512: %s" % (SAMPLE_RATIO_TARGET, met(stats["sample"])))
    if 1 in threads and 2 in threads:
        lines.append("- 2 threads at least %gx 1 thread at B ≥ 32: %s" % (THREAD_SPEEDUP_TARGET, met(stats["speedup"])))
    return "\n".join(lines) + "\n"


def ordered(rows, key):
    seen, keys = set(), []
    for r in rows:
        k = key(r)
        if k not in seen:
            seen.add(k)
            keys.append(k)
    return keys


def count(tally, value, ok):
    if value is not None:
        tally[1] += 1
        tally[0] += 1 if ok(value) else 0


def met(tally):
    return "no points measured" if tally[1] == 0 else "%d of %d points" % (tally[0], tally[1])


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    preset = ap.add_mutually_exclusive_group()
    preset.add_argument("--quick", action="store_true", help="LSTM, 1 layer, H=128, B=32 (passed to both)")
    preset.add_argument("--subset", action="store_true", help="LSTM and RNN, 1 layer, B=32/64 (passed to both)")
    ap.add_argument("--out", help="write the Markdown table here (it is also printed)")
    ap.add_argument("--threads", default="1,2", help="thread counts: rnn4j's in one run with interleaved repeats, "
                    "torch's one at a time in this order (default: 1,2)")
    ap.add_argument("--torch-bench", default=DEFAULT_TORCH_BENCH,
                    help="bench_rnn.py, relative to the repository root (default: %(default)s)")
    ap.add_argument("--python", default=sys.executable, help="the interpreter with torch (default: this one)")
    ap.add_argument("--peak-gflops", type=float, default=None,
                    help="fp32 peak per thread (default: what rnn4j bench measures at start)")
    ap.add_argument("--torch-env", action="append", default=[], metavar="NAME=VALUE",
                    help="an environment variable for the torch runs (repeatable), e.g. LD_LIBRARY_PATH or "
                         "OPENBLAS_CORETYPE")
    ap.add_argument("--no-memory", action="store_true", help="skip rnn4j's memory measurement")
    ap.add_argument("--rnn4j-arg", action="append", default=[], metavar="ARG",
                    help="one more argument for rnn4j bench (repeatable), e.g. --rnn4j-arg=--jit-warmup=5")
    ap.add_argument("--json-dir", help="keep the JSON files here (default: a temporary directory)")
    ap.add_argument("--render", metavar="DIR", help="only write the table from the JSON files in DIR")
    args = ap.parse_args()
    try:
        threads = [int(t) for t in args.threads.split(",")]
        if min(threads) < 1 or len(set(threads)) < len(threads):
            raise ValueError
    except ValueError:
        ap.error("--threads must be a comma-separated list of distinct positive integers, got %r" % args.threads)
    args.threads = threads
    env = {}
    for kv in args.torch_env:
        if "=" not in kv or kv.startswith("="):
            ap.error("--torch-env takes NAME=VALUE, got %r" % kv)
        name, value = kv.split("=", 1)
        env[name] = value
    args.torch_env = env
    command = " ".join(["scripts/bench_compare.py"] + [a for a in sys.argv[1:]])
    try:
        if args.render:
            json_dir = args.render
            run = read_json(os.path.join(json_dir, RUN_FILE), "bench_compare.py") \
                if os.path.isfile(os.path.join(json_dir, RUN_FILE)) else {}
        else:
            json_dir = args.json_dir or tempfile.mkdtemp(prefix="bench_compare-")
            os.makedirs(json_dir, exist_ok=True)
            run = dict(command=command, torch_env=args.torch_env, load={},
                       started=datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
            measure(args, os.path.abspath(json_dir), run)
            with open(os.path.join(json_dir, RUN_FILE), "w") as f:
                json.dump(run, f, indent=1)
            log("JSON files in %s" % json_dir)
        table = render(json_dir, args.threads, run.get("command", command), run.get("started"), run.get("torch_env"),
                       run.get("load"))
    except Failure as e:
        log("bench_compare: %s" % e)
        return 1
    except KeyboardInterrupt:
        log("bench_compare: interrupted")
        return 130
    if args.out:
        with open(args.out, "w") as f:
            f.write(table)
        log("wrote %s" % args.out)
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
