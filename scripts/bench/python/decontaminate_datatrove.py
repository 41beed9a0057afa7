"""datatrove's n-gram decontamination (datatrove.pipeline.decont.NGramsDecontFilter) at n = 13 with its default
normalization (lower case, punctuation removed, numbers normalized, spaCy's English word tokenizer), one process.
The index holds the hashes NGramsDecontIndexer.compute_hashes makes of each test text (the same datatrove helpers:
simplify_text, the word tokenizer, ngrams, the hash function), written as the filter reads it: the indexer class
itself requires lighteval, which loads benchmark tasks from the Hub and is not needed for local files.

usage: decontaminate_datatrove.py TRAIN FIELD REMOVED_LINES_OUT TEST...   prints a JSON summary."""

import json
import sys
import tempfile
import time

import numpy as np
from datatrove.data import Document
from datatrove.pipeline.decont.n_grams import NGramsDecontConfig, NGramsDecontFilter
from datatrove.utils.hashing import create_hash_func
from datatrove.utils.text import ngrams, simplify_text
from datatrove.utils.word_tokenizers import load_word_tokenizer

from loop_text import auto_text, read_jsonl


def main():
    train, field, removed_out, tests = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    config = NGramsDecontConfig(n_grams=13)
    tokenizer, hash_func = load_word_tokenizer("en"), create_hash_func(config.hash_config)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as index_dir:
        hashes = set()
        for path in tests:
            for text in map(auto_text, read_jsonl(path)):
                if text is not None:
                    tokens = tokenizer.word_tokenize(simplify_text(text, config.norm_config))
                    hashes.update(hash_func(" ".join(g)) for g in ngrams(tokens, config.n_grams))
        np.array(sorted(hashes), dtype=config.hash_config.np_descr).tofile(f"{index_dir}/tests.index.hashes")
        index_seconds = time.perf_counter() - start
        decont = NGramsDecontFilter(index_dir, config=config)
        removed, count = [], 0
        for line, row in enumerate(read_jsonl(train), 1):
            count += 1
            text = " ".join(str(row[f]) for f in field.split("+") if row.get(f) is not None)
            verdict = decont.filter(Document(text=text, id=str(line)))
            if verdict is not True:
                removed.append(line)
    with open(removed_out, "w") as f:
        f.write("\n".join(map(str, removed)))
    seconds = time.perf_counter() - start
    print(json.dumps({"items": count, "removed": len(removed), "ngram": len(removed), "seconds": seconds, "index_seconds": index_seconds}))


main()
