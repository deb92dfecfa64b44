#!/usr/bin/python3
"""Score a text with an rnn4j model file in PyTorch: the same number `rnn4j eval` prints.

    /usr/bin/python3 scripts/torch_eval.py MODEL.safetensors TEXT_FILE

Loads the file into the PyTorch module of rnn4j_torch.CharRNN with load_state_dict (strict), then
reports the mean over positions 2..N of -ln p(token | the tokens before it), from the initial state.
"""
import json
import sys

import rnn4j_torch as r


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model, vocab = r.load_rnn4j(sys.argv[1])
    text = open(sys.argv[2], encoding="utf-8").read()
    if vocab["level"] != "char":
        sys.exit("only character-level models are supported by this script")
    index = {t: i for i, t in enumerate(vocab["tokens"])}
    unknown = sorted({c for c in text if c not in index})
    if unknown:
        sys.exit("characters not in the model's vocabulary: %r" % unknown)
    ids = [index[c] for c in text]
    loss = r.eval_loss(model, ids)
    print(json.dumps({"loss": loss, "tokens": len(ids) - 1}))


if __name__ == "__main__":
    main()
