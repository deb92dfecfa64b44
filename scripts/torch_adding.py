#!/usr/bin/python3
"""Cross-check of `rnn4j experiment vanishing` with PyTorch: the adding problem (Pascanu et al.'s form)
trained the way LongLagTrainer trains it, so a cell's success or failure can be compared.

Same setup as rnn4j's defaults: one layer, H=32, a linear head on the last step's h, batch 32 of fresh
sequences per update, Adam lr 0.01, gradient norm clipped at 1, LSTM forget-gate bias 1; every 100 updates
the model is judged on 500 fixed test sequences, and it is solved when at most 1% of them have squared
error above 0.04. The data are drawn by torch's generator, so runs match rnn4j's in distribution, not
sequence by sequence.

  /usr/bin/python3 scripts/torch_adding.py --cell LSTM --length 50 --seed 0
"""
import argparse
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--cell", choices=["RNN", "LSTM", "GRU"], default="LSTM")
ap.add_argument("--length", type=int, default=50)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--updates", type=int, default=3000)
ap.add_argument("--hidden", type=int, default=32)
a = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(a.seed)
T, H = a.length, a.hidden


def batch(b):
    """Values U[0,1); one marker in the first 10% of the steps, the other in [10%, 50%); target (a+b)/2."""
    x = torch.zeros(T, b, 2)
    x[:, :, 0] = torch.rand(T, b)
    p0 = torch.randint(0, max(1, T // 10), (b,))
    p1 = torch.randint(T // 10, T // 2, (b,))
    idx = torch.arange(b)
    x[p0, idx, 1] = 1
    x[p1, idx, 1] = 1
    return x, (x[p0, idx, 0] + x[p1, idx, 0]) / 2


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = getattr(nn, a.cell)(2, H)
        self.head = nn.Linear(H, 1)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[-1]).squeeze(-1)


m = Model()
if a.cell == "LSTM":
    with torch.no_grad():
        m.rnn.bias_ih_l0[H:2 * H].fill_(1.0)
        m.rnn.bias_hh_l0[H:2 * H].zero_()
opt = torch.optim.Adam(m.parameters(), lr=0.01)
xt, yt = batch(500)
for u in range(1, a.updates + 1):
    x, y = batch(32)
    loss = ((m(x) - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(m.parameters(), 1.0)
    opt.step()
    if u % 100 == 0:
        with torch.no_grad():
            se = (m(xt) - yt) ** 2
        err = (se > 0.04).float().mean().item()
        if err <= 0.01:
            print("%s T=%d seed %d: solved after %d updates" % (a.cell, T, a.seed, u))
            break
else:
    print("%s T=%d seed %d: not solved in %d updates (test error %.3f, test MSE %.4f)" % (
        a.cell, T, a.seed, a.updates, err, se.mean().item()))
