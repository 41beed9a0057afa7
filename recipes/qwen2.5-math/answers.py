"""Final-answer extraction and comparison for math responses (standard library only).

extract_answer(text) tries, in order:
  1. the last \\boxed{...} (or \\fbox{...}), braces matched so \\boxed{\\frac{1}{2}} gives \\frac{1}{2};
     a box that never closes (a response cut off at max_tokens) gives None;
  2. the last "The answer is X" / "The final answer is X";
  3. a GSM8K-style "#### X";
  4. the last number in the text.
is_equiv(pred, ref) normalizes both (LaTeX spacing, \\dfrac, \\left/\\right, $, %, degrees, trailing units,
"x = 5", thousands separators) and compares the strings, then their numeric values (1/2 = 0.5 = \\frac{1}{2}).
"""

from __future__ import annotations

import math
import re

_ANSWER_IS = re.compile(r"(?:final answer|the answer)\s*(?:is|:)\s*:?\s*(.+?)(?:\.\s|\.$|\n|$)", re.IGNORECASE)
_GSM8K = re.compile(r"####\s*([^\n]+)")
_NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?|-?\.\d+")


def last_boxed(text: str) -> str | None:
    """Content of the last \\boxed{...} or \\fbox{...}, with nested braces; None when absent or unclosed."""
    start = max(text.rfind("\\boxed"), text.rfind("\\fbox"))
    if start < 0:
        return None
    i = start + (len("\\boxed") if text.startswith("\\boxed", start) else len("\\fbox"))
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        return None
    if text[i] != "{":  # "\boxed 5": the next token
        match = re.match(r"[^\s$]+", text[i:])
        return match.group(0) if match else None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
    return None


def extract_answer(text: str | None) -> str | None:
    """The final answer a response commits to, or None."""
    if not text:
        return None
    if "\\boxed" in text or "\\fbox" in text:  # a box that never closes: the response was cut off
        boxed = last_boxed(text)
        return boxed.strip() if boxed and boxed.strip() else None
    said = _ANSWER_IS.findall(text)
    if said and said[-1].strip(" $"):
        return said[-1].strip(" $")
    hashes = _GSM8K.findall(text)
    if hashes and hashes[-1].strip():
        return hashes[-1].strip()
    numbers = _NUMBER.findall(text)
    return numbers[-1] if numbers else None


def reference_answer(answer: object) -> str | None:
    """A query's reference answer; a full GSM8K or MATH solution is reduced to its final answer."""
    if answer is None:
        return None
    text = str(answer).strip()
    if not text:
        return None
    if "####" in text:
        return text.rsplit("####", 1)[1].strip()
    if "\\boxed" in text or "\\fbox" in text:
        return last_boxed(text) or text
    return text


def _fix_fracs(s: str) -> str:
    s = re.sub(r"\\frac(\d)(\d)", r"\\frac{\1}{\2}", s)  # \frac12 -> \frac{1}{2}
    s = re.sub(r"\\frac(\d)\{", r"\\frac{\1}{", s)  # \frac1{2}
    s = re.sub(r"\\frac\{([^{}]*)\}(\d)", r"\\frac{\1}{\2}", s)  # \frac{1}2
    return re.sub(r"\\sqrt(\d+)", r"\\sqrt{\1}", s)  # \sqrt3 -> \sqrt{3}


def normalize(answer: str | None) -> str | None:
    """A canonical string for an answer, so that trivially different spellings compare equal."""
    if answer is None:
        return None
    s = str(answer).strip().replace("\n", " ")
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    s = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", s)
    s = re.sub(r"\\[!,;: ]|\\q?quad(?![A-Za-z])", " ", s)
    s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "")
    s = s.replace("\\$", "").replace("$", "").replace("\\%", "").replace("%", "")
    # A trailing unit after a number: "10\text{ cm}", "5 \mbox{inches}".
    s = re.sub(r"(\d)\s*\\(?:text|mbox|mathrm)\{\s*[A-Za-z][A-Za-z ]*\}\s*(?:\^\{?\d\}?)?$", r"\1", s)
    s = re.sub(r"\\(?:text|textbf|mbox|mathrm)\{([^{}]*)\}", r"\1", s)
    # A number followed by plain words: "5 apples", "12 square feet".
    s = re.sub(r"^(-?[\d,]*\.?\d+)\s+[A-Za-z]{2,}(?:\s+[A-Za-z]+)*$", r"\1", s.strip())
    # "x = 5" -> "5" when the left side is a short variable name.
    if s.count("=") == 1:
        left, right = s.split("=")
        if re.fullmatch(r"\s*[A-Za-z]{1,2}\s*", left):
            s = right
    s = s.strip().rstrip(".").strip()
    s = _fix_fracs(s.replace(" ", ""))
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):  # thousands separators
        s = s.replace(",", "")
    s = re.sub(r"^(-?)\.(\d)", r"\g<1>0.\2", s)  # ".5" -> "0.5"
    choice = re.fullmatch(r"\(?([A-Ea-e])\)?", s)  # "(B)" -> "B"
    if choice:
        s = choice.group(1).upper()
    return s


def to_number(s: str | None) -> float | None:
    """The value of a normalized answer that is a plain number or a fraction, else None."""
    if not s:
        return None
    if re.fullmatch(r"-?\d+(?:\.\d+)?", s):
        return float(s)
    match = re.fullmatch(r"(-?)\\frac\{(-?\d+(?:\.\d+)?)\}\{(-?\d+(?:\.\d+)?)\}", s) or re.fullmatch(
        r"(-?)(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)", s
    )
    if match:
        sign, num, den = match.groups()
        if float(den) == 0:
            return None
        return (-1 if sign else 1) * float(num) / float(den)
    return None


def is_equiv(pred: str | None, ref: str | None) -> bool:
    """Whether a predicted answer matches the reference: same normalized text, or the same number."""
    a, b = normalize(pred), normalize(ref)
    if not a or not b:
        return False
    if a == b:
        return True
    x, y = to_number(a), to_number(b)
    return x is not None and y is not None and math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)
