#!/usr/bin/python3
"""tiny-torch: the SFT <-> RM loop with a tiny neural policy and reward model, trained with PyTorch on the CPU.

The task: two-digit additions ("What is 47 + 85?"). The policy is an autoregressive MLP that writes the sum's
three digits, hundreds first, each conditioned on the question and the digits already written; the reward model
is an MLP that scores (question, answer) pairs. The seed SFT data comes from an annotator who forgets the carry
on most carry problems, so the first policy copies that bug; rejection sampling (rule grading, RM top-k, RM
vote) removes it iteration by iteration. One script, one subcommand per stage; every subcommand writes its
--out file and a flat metrics.json beside it (docs/stage-contract.md). Runs under /usr/bin/python3 with
Debian's python3-torch.
"""
import argparse
import json
import math
import os
import random
import re
import sys

import torch
from torch import nn

torch.set_num_threads(int(os.environ.get("LOOP_CPUS", "1")))
DIGITS = 3  # sums of two two-digit numbers are 20..198: three digits, hundreds first
Q_RE = re.compile(r"What is (\d+) \+ (\d+)\?")
A_RE = re.compile(r"The answer is (-?\d+)\.")


# Reads a JSONL file into a list of dicts.
def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


# Writes rows as JSONL.
def write_jsonl(path, rows):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


# Writes metrics.json beside an output: flat finite numbers only, as the stage contract wants.
def write_metrics(out, metrics):
    for key, value in metrics.items():
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SystemExit(f"metric {key} is not a finite number: {value}")
    with open(os.path.join(os.path.dirname(os.path.abspath(out)), "metrics.json"), "w") as f:
        json.dump({k: round(v, 4) if isinstance(v, float) else v for k, v in metrics.items()}, f, indent=2)


# The two operands of a question, or an error naming the query.
def parse_question(q):
    m = Q_RE.fullmatch(q["question"])
    if not m:
        raise SystemExit(f"query {q['id']}: question not understood: {q['question']!r}")
    return int(m.group(1)), int(m.group(2))


# The final answer of a response, or None.
def extract_answer(text):
    m = A_RE.search(text or "")
    return int(m.group(1)) if m else None


# A response's text for an answer.
def render(answer):
    return f"The answer is {answer}."


# The question's features: one-hot tens and ones digits of both operands (40 values).
def question_features(a, b):
    x = torch.zeros(40)
    for i, d in enumerate((a // 10, a % 10, b // 10, b % 10)):
        x[i * 10 + d] = 1.0
    return x


# The policy's input for writing digit `pos`: the question, the digits written so far, and the position.
def step_features(a, b, written):
    prev = torch.zeros(DIGITS * 10)
    for i, d in enumerate(written):
        prev[i * 10 + d] = 1.0
    pos = torch.zeros(DIGITS)
    pos[len(written)] = 1.0
    return torch.cat([question_features(a, b), prev, pos])


# The answer's three digits, hundreds first (a sum below 100 gets a leading 0).
def answer_digits(answer):
    return [int(c) for c in f"{answer:03d}"]


class Policy(nn.Module):
    """Autoregressive MLP: P(digit | question, digits so far)."""

    def __init__(self, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(40 + DIGITS * 10 + DIGITS, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.net(x)


class RewardModel(nn.Module):
    """MLP on (question, answer digits) -> logit of "this answer is right"."""

    def __init__(self, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(40 + DIGITS * 10, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


# The RM's input for a (question, answer) pair; answers outside 0..999 cannot be encoded and get None.
def rm_features(a, b, answer):
    if answer is None or answer < 0 or answer > 999:
        return None
    digits = torch.zeros(DIGITS * 10)
    for i, d in enumerate(answer_digits(answer)):
        digits[i * 10 + d] = 1.0
    return torch.cat([question_features(a, b), digits])


# Saves a model with what is needed to load it again.
def save_model(model, kind, hidden, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.save({"kind": kind, "hidden": hidden, "state": model.state_dict()}, path)


# Loads a model saved by save_model, checking its kind.
def load_model(path, kind):
    saved = torch.load(path)
    if saved.get("kind") != kind:
        raise SystemExit(f"{path} holds a {saved.get('kind')} model, not a {kind}")
    model = (Policy if kind == "policy" else RewardModel)(saved["hidden"])
    model.load_state_dict(saved["state"])
    model.eval()
    return model


# Trains a classifier on (features, target) pairs with Adam and minibatches; returns the last epoch's mean loss.
def fit(model, xs, ys, loss_fn, epochs, lr, batch, seed):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    last = 0.0
    for _ in range(epochs):
        order = torch.randperm(len(xs), generator=gen)
        total = 0.0
        for start in range(0, len(xs), batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            loss = loss_fn(model(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        last = total / len(xs)
    return last


# `train-sft`: fits a fresh policy (the "base model" is a seeded random init) on {question, response} rows.
def train_sft(args):
    torch.manual_seed(args.seed)
    rows = read_jsonl(args.data)
    xs, ys = [], []
    for row in rows:
        a, b = parse_question(row)
        answer = extract_answer(row["response"])
        if answer is None or not 0 <= answer <= 999:
            continue
        digits = answer_digits(answer)
        for pos in range(DIGITS):
            xs.append(step_features(a, b, digits[:pos]))
            ys.append(digits[pos])
    if not xs:
        raise SystemExit(f"{args.data}: no usable SFT rows")
    model = Policy(args.hidden)
    loss = fit(model, torch.stack(xs), torch.tensor(ys), nn.functional.cross_entropy, args.epochs, args.lr, 128, args.seed)
    save_model(model, "policy", args.hidden, args.out)
    write_metrics(args.out, {"examples": len(rows), "loss": loss})
    print(f"train-sft: {len(rows)} examples, final loss {loss:.4f}")


# Samples (or, at temperature 0, greedily decodes) one answer per (a, b) pair, all pairs at once.
def generate(model, pairs, temperature, gen):
    written = [[] for _ in pairs]
    with torch.no_grad():
        for _ in range(DIGITS):
            x = torch.stack([step_features(a, b, w) for (a, b), w in zip(pairs, written)])
            logits = model(x)
            if temperature == 0:
                picks = logits.argmax(-1)
            else:
                picks = torch.multinomial(torch.softmax(logits / temperature, -1), 1, generator=gen).squeeze(-1)
            for w, d in zip(written, picks.tolist()):
                w.append(d)
    return [int("".join(map(str, w))) for w in written]


# `sample`: N responses per query from the policy at temperature --temperature.
def sample(args):
    model = load_model(args.model, "policy")
    gen = torch.Generator().manual_seed(args.seed)
    queries = [q for f in args.queries for q in read_jsonl(f)]
    pairs = [parse_question(q) for q in queries for _ in range(args.n)]
    answers = generate(model, pairs, args.temperature, gen)
    rows = [{"id": q["id"], "response": render(answers[i * args.n + j])} for i, q in enumerate(queries) for j in range(args.n)]
    write_jsonl(args.out, rows)
    write_metrics(args.out, {"queries": len(queries), "responses": len(rows)})
    print(f"sample: {len(queries)} queries x {args.n} = {len(rows)} responses")


# `grade`: labels each response correct or not by rule against the reference answer.
def grade(args):
    answers = {q["id"]: int(q["answer"]) for q in read_jsonl(args.queries)}
    rows = []
    for row in read_jsonl(args.samples):
        if row["id"] not in answers:
            raise SystemExit(f"sample for unknown query {row['id']}")
        pred = extract_answer(row["response"])
        rows.append({**row, "pred": pred, "correct": pred == answers[row["id"]]})
    correct = sum(r["correct"] for r in rows)
    write_jsonl(args.out, rows)
    write_metrics(args.out, {"responses": len(rows), "correct": correct, "accuracy": correct / max(1, len(rows))})
    print(f"grade: {correct}/{len(rows)} correct")


# `train-rm`: a fresh RM trained on graded samples (binary cross-entropy), accuracy measured on held-out queries.
def train_rm(args):
    torch.manual_seed(args.seed)
    questions = {q["id"]: parse_question(q) for q in read_jsonl(args.queries)}
    ids = sorted(questions)
    random.Random(args.seed).shuffle(ids)
    held = set(ids[: len(ids) // 5])
    train, test = ([], []), ([], [])
    for row in read_jsonl(args.data):
        a, b = questions[row["id"]]
        x = rm_features(a, b, row.get("pred"))
        if x is None:
            continue
        part = test if row["id"] in held else train
        part[0].append(x)
        part[1].append(1.0 if row["correct"] else 0.0)
    if not train[0]:
        raise SystemExit(f"{args.data}: no graded rows to train on")
    model = RewardModel(args.hidden)
    loss = fit(model, torch.stack(train[0]), torch.tensor(train[1]), nn.functional.binary_cross_entropy_with_logits, args.epochs, args.lr, 128, args.seed)
    accuracy = 0.0
    if test[0]:
        with torch.no_grad():
            accuracy = ((model(torch.stack(test[0])) > 0).float() == torch.tensor(test[1])).float().mean().item()
    save_model(model, "rm", args.hidden, args.out)
    write_metrics(args.out, {"examples": len(train[0]), "loss": loss, "accuracy": accuracy})
    print(f"train-rm: {len(train[0])} examples, loss {loss:.4f}, held-out accuracy {accuracy:.3f}")


# `score`: adds "rm", the RM's logit, to every sample.
def score(args):
    model = load_model(args.rm, "rm")
    questions = {q["id"]: parse_question(q) for f in args.queries for q in read_jsonl(f)}
    rows = read_jsonl(args.samples)
    feats = [rm_features(*questions[r["id"]], extract_answer(r["response"])) for r in rows]
    known = [i for i, x in enumerate(feats) if x is not None]
    scores = [-1e3] * len(rows)  # an answer the RM cannot read scores lowest
    if known:
        with torch.no_grad():
            for i, s in zip(known, model(torch.stack([feats[i] for i in known])).tolist()):
                scores[i] = s
    out = [{**r, "rm": round(s, 5)} for r, s in zip(rows, scores)]
    write_jsonl(args.out, out)
    write_metrics(args.out, {"responses": len(out), "mean_rm": sum(scores) / max(1, len(scores))})
    print(f"score: {len(out)} responses")


# `select`: rejection sampling. Labeled queries keep their top-k correct responses by RM score; unlabeled ones
# take the answer of an RM-weighted vote (sigmoid of the score) and keep the top-k responses reaching it.
def select(args):
    labeled = {q["id"]: q for q in read_jsonl(args.labeled)}
    unlabeled = {q["id"]: q for q in read_jsonl(args.unlabeled)}
    groups = {}
    for row in read_jsonl(args.samples):
        groups.setdefault(row["id"], []).append(row)
    out, kept_labeled, voted = [], 0, 0
    for qid, rows in sorted(groups.items()):
        q = labeled.get(qid) or unlabeled.get(qid)
        if q is None:
            raise SystemExit(f"sample for unknown query {qid}")
        if qid in labeled:
            target = int(q["answer"])
        else:
            votes = {}
            for r in rows:
                ans = extract_answer(r["response"])
                votes[ans] = votes.get(ans, 0.0) + 1 / (1 + math.exp(-r["rm"]))
            target = max(votes, key=votes.get)
        good = sorted((r for r in rows if extract_answer(r["response"]) == target), key=lambda r: -r["rm"])
        seen = set()
        for r in good:
            if r["response"] in seen or len(seen) >= args.top_k:
                continue
            seen.add(r["response"])
            out.append({"id": qid, "question": q["question"], "response": r["response"]})
        if seen:
            kept_labeled += qid in labeled
            voted += qid not in labeled
    write_jsonl(args.out, out)
    write_metrics(args.out, {"rows": len(out), "labeled_queries": kept_labeled, "voted_queries": voted})
    print(f"select: {len(out)} rows ({kept_labeled} labeled queries, {voted} voted)")


# `eval`: greedy decoding on held-out queries; accuracy overall and on carry problems.
def evaluate(args):
    model = load_model(args.model, "policy")
    queries = read_jsonl(args.queries)
    pairs = [parse_question(q) for q in queries]
    answers = generate(model, pairs, 0, None)
    rows, correct, carry, carry_correct = [], 0, 0, 0
    for q, (a, b), ans in zip(queries, pairs, answers):
        ok = ans == int(q["answer"])
        correct += ok
        if a % 10 + b % 10 >= 10:
            carry += 1
            carry_correct += ok
        rows.append({"id": q["id"], "response": render(ans), "correct": ok})
    write_jsonl(args.out, rows)
    write_metrics(args.out, {
        "accuracy": correct / max(1, len(rows)),
        "accuracy_carry": carry_correct / max(1, carry),
        "responses": len(rows),
    })
    print(f"eval: {correct}/{len(rows)} correct")


# The command line: one subcommand per stage.
def main(argv):
    p = argparse.ArgumentParser(prog="tiny.py")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("train-sft")
    s.add_argument("--data", required=True)
    s.add_argument("--hidden", type=int, default=128)
    s.add_argument("--epochs", type=int, default=30)
    s.add_argument("--lr", type=float, default=3e-3)
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--out", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--model", required=True)
    s.add_argument("--queries", action="append", required=True)
    s.add_argument("--n", type=int, required=True)
    s.add_argument("--temperature", type=float, default=1.0)
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--out", required=True)
    s = sub.add_parser("grade")
    s.add_argument("--queries", required=True)
    s.add_argument("--samples", required=True)
    s.add_argument("--out", required=True)
    s = sub.add_parser("train-rm")
    s.add_argument("--data", required=True)
    s.add_argument("--queries", required=True)
    s.add_argument("--hidden", type=int, default=64)
    s.add_argument("--epochs", type=int, default=20)
    s.add_argument("--lr", type=float, default=3e-3)
    s.add_argument("--seed", type=int, required=True)
    s.add_argument("--out", required=True)
    s = sub.add_parser("score")
    s.add_argument("--rm", required=True)
    s.add_argument("--samples", required=True)
    s.add_argument("--queries", action="append", required=True)
    s.add_argument("--out", required=True)
    s = sub.add_parser("select")
    s.add_argument("--labeled", required=True)
    s.add_argument("--unlabeled", required=True)
    s.add_argument("--samples", required=True)
    s.add_argument("--top-k", type=int, default=2)
    s.add_argument("--out", required=True)
    s = sub.add_parser("eval")
    s.add_argument("--model", required=True)
    s.add_argument("--queries", required=True)
    s.add_argument("--out", required=True)
    args = p.parse_args(argv)
    for name in ("data", "model", "rm", "samples", "labeled", "unlabeled"):
        path = getattr(args, name, None)
        if path is not None and not os.path.exists(path):
            p.error(f"--{name}: no such file {path}")
    {"train-sft": train_sft, "sample": sample, "grade": grade, "train-rm": train_rm, "score": score,
     "select": select, "eval": evaluate}[args.cmd](args)


if __name__ == "__main__":
    main(sys.argv[1:])
