#!/usr/bin/env python3
"""Fits the polynomial coefficients of the vectorised exp and tanh in
rnn4j-core/.../matrix/VectorElementwise.java (minimax in relative error, by Lawson's
iteratively reweighted least squares on Chebyshev nodes; targets in 50-digit mpmath).

  exp(r)  ~ 1 + r + r^2 * P(z=r),      |r| <= ln2/2   (after exp(x) = 2^n exp(r))
  tanh(x) ~ x + x^3 * Q(z=x^2),        |x| <= TANH_SMALL

Prints the coefficients rounded to float32 (as Java literals) and the maximum relative
error of the rounded polynomial, evaluated in double, over the fitting interval.
Usage: python3 scripts/fit_activation_polys.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 50
TANH_SMALL = 0.625


def lawson(xs, basis, target, weight, iters=60):
    """Minimises max_i weight_i * |sum_j c_j basis_j(x_i) - target_i| (approximately)."""
    A = np.array([[float(b(x)) for b in basis] for x in xs])
    t = np.array([float(v) for v in target])
    w0 = np.array([float(v) for v in weight])
    lw = np.ones(len(xs)) / len(xs)
    for _ in range(iters):
        sw = np.sqrt(lw) * w0
        c, *_ = np.linalg.lstsq(A * sw[:, None], t * sw, rcond=None)
        err = np.abs(A @ c - t) * w0
        lw = lw * err
        lw /= lw.sum()
    return c


def cheb_nodes(a, b, n):
    return [(a + b) / 2 + (b - a) / 2 * np.cos(np.pi * (k + 0.5) / n) for k in range(n)]


def fit_exp(degree):
    h = float(mp.log(2) / 2)
    xs = [x for x in cheb_nodes(-h, h, 2000) if abs(x) > 1e-6]
    # P(r) ~ (e^r - 1 - r)/r^2, weighted so that the error is relative to e^r
    target = [(mp.expm1(mp.mpf(x)) - x) / mp.mpf(x) ** 2 for x in xs]
    weight = [mp.mpf(x) ** 2 / mp.exp(x) for x in xs]
    basis = [lambda x, j=j: x ** j for j in range(degree + 1)]
    c = np.float32(lawson(xs, basis, target, weight))
    worst = 0.0
    for x in np.linspace(-h, h, 20001):
        p = sum(float(cj) * x ** j for j, cj in enumerate(c))
        v = 1 + x + x * x * p
        worst = max(worst, abs(v / float(mp.exp(x)) - 1))
    return c, worst


def fit_tanh(degree):
    xs = [x for x in cheb_nodes(0, TANH_SMALL, 2000) if x > 1e-6]
    # Q(x^2) ~ (tanh(x) - x)/x^3, weighted so that the error is relative to tanh(x)
    target = [(mp.tanh(mp.mpf(x)) - x) / mp.mpf(x) ** 3 for x in xs]
    weight = [mp.mpf(x) ** 3 / mp.tanh(x) for x in xs]
    basis = [lambda x, j=j: (x * x) ** j for j in range(degree + 1)]
    c = np.float32(lawson(xs, basis, target, weight))
    worst = 0.0
    for x in np.linspace(1e-4, TANH_SMALL, 20001):
        q = sum(float(cj) * (x * x) ** j for j, cj in enumerate(c))
        v = x + x ** 3 * q
        worst = max(worst, abs(v / float(mp.tanh(x)) - 1))
    return c, worst


def java(c):
    return ", ".join(repr(float(v)) + "f" for v in c)


if __name__ == "__main__":
    for d in (4, 5):
        c, e = fit_exp(d)
        print(f"exp  P degree {d}: {java(c)}   max rel err {e:.3g} ({e / 2 ** -24:.3f} half-ulp units)")
    for d in (3, 4, 5):
        c, e = fit_tanh(d)
        print(f"tanh Q degree {d}: {java(c)}   max rel err {e:.3g} ({e / 2 ** -24:.3f} half-ulp units)")
