#!/usr/bin/env python3
"""Collects answer-equivalence cases (inputs and expected verdicts) from other graders' public test files.

Only the data is taken: pytest parametrize tables and unittest assertions are read with `ast` (never imported or
run), and each case is written with the file and line it came from and the rule it exercises (the test function
and the nearest comment above it). Usage:
  python3 scripts/grade-suite/collect.py MIRROR_ROOT > test/data/grade/collected.jsonl
where MIRROR_ROOT holds `owner+name/repo` bare git clones (as `fetch` lays them out).
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

ROOT = sys.argv[1]


def git_dir(repo: str) -> str:
    return f"{ROOT}/{repo.replace('/', '+')}/repo"


def show(repo: str, path: str, rev: str = "HEAD") -> tuple[str, str]:
    git = git_dir(repo)
    commit = subprocess.run(["git", "-C", git, "rev-parse", rev], capture_output=True, text=True, check=True).stdout.strip()
    text = subprocess.run(["git", "-C", git, "show", f"{commit}:{path}"], capture_output=True, text=True, check=True).stdout
    return text, commit[:12]


def history(repo: str, path: str) -> list[str]:
    """Every commit that changed a file, oldest first: cases a later version dropped are still public facts."""
    out = subprocess.run(["git", "-C", git_dir(repo), "log", "--format=%H", "--", path], capture_output=True, text=True).stdout
    return list(reversed(out.split()))


def comment_above(lines: list[str], lineno: int) -> str:
    for i in range(lineno - 2, max(-1, lineno - 40), -1):
        s = lines[i].strip()
        if s.startswith("#"):
            return s.lstrip("# ").strip()
        if s.startswith("@pytest") or s.startswith("def "):
            break
    return ""


def literal(node):
    try:
        return ast.literal_eval(node)
    except Exception:
        return None


def parametrized(repo: str, path: str, out: list, skip_funcs=(), rev: str = "HEAD"):
    try:
        text, commit = show(repo, path, rev)
    except subprocess.CalledProcessError:  # the commit that deleted or moved the file
        return
    lines = text.splitlines()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef) or fn.name in skip_funcs:
            continue
        for dec in fn.decorator_list:
            if not (isinstance(dec, ast.Call) and getattr(dec.func, "attr", "") == "parametrize"):
                continue
            names = literal(dec.args[0])
            if isinstance(names, str):
                names = [n.strip() for n in names.split(",")]
            if not names or not isinstance(dec.args[1], (ast.List, ast.Tuple)):
                continue
            for elt in dec.args[1].elts:
                value = literal(elt)
                if value is None and isinstance(elt, ast.Tuple) and len(names) > 1:
                    # a row naming an enum (Language.CHINESE): keep its literal fields, the enum as its source text
                    value = tuple(literal(e) if literal(e) is not None else ast.unparse(e) for e in elt.elts)
                    # only a side field may be an expression (Language.CHINESE); an f-string answer is not a fact
                    if any(literal(e) is None for e, name in zip(elt.elts, names) if name in ("gold", "pred", "expected")):
                        continue
                if value is None:
                    continue
                row = dict(zip(names, value if len(names) > 1 else [value]))
                if "output_pair" in row:  # NeMo-Skills asserts the pair both ways round: two cases
                    a, b = row["output_pair"]
                    for gold, pred in ((a, b), (b, a)):
                        if gold is None or pred is None:
                            continue
                        out.append({"gold": str(gold), "pred": str(pred), "expected": fn.name == "test_correct_examples",
                                    "source": f"{repo}@{commit} {path}:{elt.lineno}", "rule": fn.name})
                    continue
                if not {"gold", "pred", "expected"} <= row.keys():
                    continue
                if row["gold"] is None or row["pred"] is None:
                    continue
                rule = fn.name
                c = comment_above(lines, elt.lineno)
                if c:
                    rule += f": {c}"
                extra = {k: v for k, v in row.items() if k not in ("gold", "pred", "expected")}
                out.append({
                    "gold": str(row["gold"]), "pred": str(row["pred"]), "expected": bool(row["expected"]),
                    "source": f"{repo}@{commit} {path}:{elt.lineno}", "rule": rule, **({"options": extra} if extra else {}),
                })


def unittest_pairs(repo: str, path: str, out: list):
    """test_in = ...; test_out = ...; self.assertTrue/False(...): the last two strings assigned before each assertion."""
    text, commit = show(repo, path)
    tree = ast.parse(text)
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        env = {}
        for stmt in fn.body:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    v = literal(node.value)
                    if isinstance(v, str):
                        env[node.targets[0].id] = v
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("assertTrue", "assertFalse"):
                    if "test_in" in env and "test_out" in env:
                        out.append({
                            "gold": env["test_out"], "pred": env["test_in"],
                            "expected": node.func.attr == "assertTrue",
                            "source": f"{repo}@{commit} {path}:{node.lineno}", "rule": fn.name,
                        })


# Newest first, so that a pair kept in the current file carries the current verdict and location; older versions
# only add the pairs they alone hold.
cases: list = []
for f in ["tests/test_all.py", "tests/test_numina_cases.py", "tests/test_open_thoughts.py", "tests/test_yujianll.py",
          "tests/test_boxed.py", "tests/test_strict.py", "tests/test_string_extraction.py"]:
    for rev in ["HEAD", *reversed(history("huggingface/Math-Verify", f))]:
        parametrized("huggingface/Math-Verify", f, cases, rev=rev)
for f in ["tests/unit/metrics/test_extractive_match.py", "tests/metrics/test_extractive_match.py"]:
    for rev in reversed(history("huggingface/lighteval", f)):
        parametrized("huggingface/lighteval", f, cases, rev=rev,
                     skip_funcs=("test_extraction_abc", "test_multilingual_extraction_abc"))
parametrized("NVIDIA/NeMo-Skills", "tests/test_math_equal.py", cases)
unittest_pairs("MARIO-Math-Reasoning/MARIO_EVAL", "math_evaluation/tests/test_is_equiv.py", cases)
unittest_pairs("hendrycks/math", "modeling/math_equivalence_test.py", cases)

def simple_evals(out: list):
    """The worked examples of simple-evals' equality-checker prompt: Expression 1 / Expression 2 / Yes or No."""
    repo, path = "openai/simple-evals", "common.py"
    text, commit = show(repo, path)
    for m in re.finditer(r"Expression 1: (.+)\n\s*Expression 2: (.+)\n\s*\n(Yes|No)(?:\n\((.+)\))?", text):
        line = text[: m.start()].count("\n") + 1
        out.append({"gold": m.group(1).strip(), "pred": m.group(2).strip(), "expected": m.group(3) == "Yes",
                    "source": f"{repo}@{commit} {path}:{line}", "rule": "EQUALITY_TEMPLATE" + (f": {m.group(4)}" if m.group(4) else "")})


def open_r1(out: list):
    """accuracy_reward tests: completion = [[{"content": X}]], solution = [Y], then assertEqual(rewards[0], 1.0 or 0.0)."""
    repo, path = "huggingface/open-r1", "tests/test_rewards.py"
    text, commit = show(repo, path)
    tree = ast.parse(text)
    for fn in ast.walk(tree):
        if not (isinstance(fn, ast.FunctionDef) and fn.name.startswith("test_accuracy_reward")):
            continue
        env = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                env[node.targets[0].id] = literal(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "assertEqual":
                want = literal(node.args[1])
                comp, sol = env.get("completion"), env.get("solution")
                if comp and sol and want in (0.0, 1.0):
                    out.append({"gold": sol[0], "pred": comp[0][0]["content"], "expected": want == 1.0,
                                "source": f"{repo}@{commit} {path}:{node.lineno}", "rule": fn.name})


simple_evals(cases)
open_r1(cases)

# Where loop decides against a source (sources disagree with each other, or the source's verdict is a property of its
# own extraction settings), the case keeps the source's verdict as source_expected and says why: docs/data.md.
decisions = {}
try:
    with open(__file__.rsplit("/", 1)[0] + "/decisions.jsonl") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                decisions[(d["gold"], d["pred"])] = d
except FileNotFoundError:
    pass

seen = set()
for c in cases:
    key = (c["gold"], c["pred"])
    if key in seen:
        continue
    seen.add(key)
    d = decisions.get(key)
    if d is not None and d["expected"] != c["expected"]:
        c = {**c, "expected": d["expected"], "source_expected": c["expected"], "decision": d["why"]}
    print(json.dumps(c, ensure_ascii=False))
