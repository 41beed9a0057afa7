"""Near-duplicate removal with datasketch's MinHash and MinHashLSH, as a user would write it, for `npm run bench
data-side-by-side`: the same shingles as `loop data dedup` (runs of 5 of loop's tokens, a shorter text one
shingle), the same threshold and number of permutations; rows in order, a row whose LSH query finds a kept row is
removed, else it is inserted (the first of each group kept, as loop does). One process.

usage: dedup_datasketch.py INPUT FIELD REMOVED_LINES_OUT THRESHOLD NUM_PERM   prints a JSON summary."""

import json
import sys
import time

from datasketch import MinHash, MinHashLSH

from loop_text import read_jsonl, tokenize

SHINGLE = 5


def main():
    source, field, removed_out, threshold, num_perm = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    removed, count = [], 0
    for line, row in enumerate(read_jsonl(source), 1):
        count += 1
        toks = tokenize(str(row.get(field, "")))
        runs = [toks[p : p + SHINGLE] for p in range(len(toks) - SHINGLE + 1)] or ([toks] if toks else [])
        m = MinHash(num_perm=num_perm)
        m.update_batch(["\x01".join(r).encode() for r in runs])
        if lsh.query(m):
            removed.append(line)
        else:
            lsh.insert(str(line), m)
    with open(removed_out, "w") as f:
        f.write("\n".join(map(str, removed)))
    b, r = lsh.b, lsh.r
    print(json.dumps({"items": count, "removed": len(removed), "seconds": time.perf_counter() - start, "bands": b, "rows": r}))


main()
