"""A plain single-threaded Python implementation of loop's two decontamination rules, for `npm run bench
data-side-by-side`: a train item is removed when it shares a 13-gram of tokens with a test item, or when its LCS
ratio 2·LCS/(|a|+|b|) with a test item reaches 0.6, the LCS checked against the same candidates loop checks (test
items sharing the most indexed 3-token shingles; shingles in more than 40 items not indexed; at most 30, ties to
the earlier item). The LCS is exact (bit-parallel on Python integers).

usage: decontaminate_plain.py TRAIN FIELD REMOVED_LINES_OUT TEST...   prints a JSON summary."""

import json
import sys
import time

from loop_text import auto_text, read_jsonl, tokenize

NGRAM, SHINGLE, LCS, MAX_POSTINGS, MAX_CANDIDATES = 13, 3, 0.6, 40, 30


def lcs_length(a, b):
    masks = {}
    for i, t in enumerate(a):
        masks[t] = masks.get(t, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for t in b:
        u = v & masks.get(t, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def main():
    train, field, removed_out, tests = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    start = time.perf_counter()
    items = [tokenize(t) for path in tests for t in map(auto_text, read_jsonl(path)) if t is not None]
    ngrams, postings = {}, {}
    for n, toks in enumerate(items):
        for p in range(len(toks) - NGRAM + 1):
            ngrams.setdefault(tuple(toks[p : p + NGRAM]), n)
        for p in range(len(toks) - SHINGLE + 1):
            postings.setdefault(tuple(toks[p : p + SHINGLE]), set()).add(n)
    postings = {k: v for k, v in postings.items() if len(v) <= MAX_POSTINGS}
    index_seconds = time.perf_counter() - start
    removed, by_rule, count = [], {"ngram": 0, "lcs": 0}, 0
    for line, row in enumerate(read_jsonl(train), 1):
        count += 1
        toks = tokenize(" ".join(str(row[f]) for f in field.split("+") if row.get(f) is not None))
        if any(tuple(toks[p : p + NGRAM]) in ngrams for p in range(len(toks) - NGRAM + 1)):
            removed.append(line)
            by_rule["ngram"] += 1
            continue
        counts = {}
        for p in range(len(toks) - SHINGLE + 1):
            for n in postings.get(tuple(toks[p : p + SHINGLE]), ()):
                counts[n] = counts.get(n, 0) + 1
        size = len(toks)
        eligible = [n for n in counts if 2 * min(size, len(items[n])) / (size + len(items[n])) >= LCS]
        eligible.sort(key=lambda n: (-counts[n], n))
        for n in eligible[:MAX_CANDIDATES]:
            if size and 2 * lcs_length(toks, items[n]) / (size + len(items[n])) >= LCS:
                removed.append(line)
                by_rule["lcs"] += 1
                break
    with open(removed_out, "w") as f:
        f.write("\n".join(map(str, removed)))
    seconds = time.perf_counter() - start
    print(json.dumps({"items": count, "removed": len(removed), **by_rule, "seconds": seconds, "index_seconds": index_seconds}))


main()
