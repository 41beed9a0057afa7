"""loop's text rules in plain Python (docs/data/decontamination.md): the normalization and the tokenizer that
`loop data decontaminate` and `loop data dedup` share, and the test sets' `auto` field layouts."""

import json
import unicodedata

import regex

# One CJK ideograph, a run of other letters with their marks, a number with optional decimal parts, or any other
# single non-space character: src/data/text/tokenize.ts.
TOKEN = regex.compile(r"(?V1)\p{sc=Han}|[[\p{L}\p{M}]--\p{sc=Han}]+|\p{N}+(?:\.\p{N}+)*|[^\s\p{L}\p{M}\p{N}]")
MARKUP = str.maketrans({"$": " ", "\\": " ", "{": " ", "}": " "})
AUTO_TEST_FIELDS = [["Body", "Question"], ["problem"], ["body", "question"], ["prompt"]]


def tokenize(text):
    return TOKEN.findall(unicodedata.normalize("NFKC", text).lower().translate(MARKUP))


def auto_text(row):
    for layout in AUTO_TEST_FIELDS:
        if row.get(layout[-1]) is not None:
            return " ".join(str(row[f]) for f in layout if row.get(f) is not None)
    return None


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
