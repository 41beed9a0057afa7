"""Runs Hugging Face's math-verify on the cases loop's benchmark gives it, through its public API only.

stdin: {"cases": [{"gold": ..., "pred": ...}, ...], "repeat": N}
stdout: {"version": ..., "verdicts": [true/false, ...], "seconds": <wall time of one judging pass, best of N>,
         "first": <the first pass>}
Import and interpreter start-up are outside the timed loop (as loop's engine start-up is outside its own).
Each case is judged as its README shows: verify(parse(gold), parse(pred)), default settings.
"""
import importlib.metadata
import json
import sys
import time

from math_verify import parse, verify


def main() -> None:
    job = json.load(sys.stdin)
    cases = job["cases"]
    best = None
    first = None
    verdicts = []
    for _ in range(max(1, int(job.get("repeat", 1)))):
        started = time.perf_counter()
        verdicts = []
        for case in cases:
            try:
                verdicts.append(bool(verify(parse(case["gold"]), parse(case["pred"]))))
            except Exception:  # math-verify's own failure is its verdict: not equal
                verdicts.append(False)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        first = elapsed if first is None else first
    json.dump({"version": importlib.metadata.version("math-verify"), "verdicts": verdicts, "seconds": best, "first": first}, sys.stdout)


if __name__ == "__main__":
    main()
