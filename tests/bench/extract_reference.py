#!/usr/bin/python3
"""The strict and lenient extraction rules of src/core/grading/extract.h written the way a
Python harness would write them: with the standard library's `re`. The reference that
headroom_bench_extract measures the core's hand-written scanners against.

Usage: extract_reference.py INPUT.jsonl OUTPUT.tsv
  INPUT: one JSON object per generation: {"kind": "mcq"|"numeric", "text": ..., "options": [...]}
  OUTPUT: one line per generation: strict answer, lenient answer, lenient rule
          (tab-separated; "-" where nothing was found)
Prints the extraction's processor time (file reading and writing excluded) as "seconds N".
"""
import json
import re
import sys
import time

A = re.ASCII
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
SPACE = " \t\n\v\f\r"

# --- strict: P1's regexes -------------------------------------------------------------
_letters = {}


def letters(n):
    if n not in _letters:
        last = chr(ord("A") + n - 1)
        _letters[n] = (re.compile(r"\b([A-%s])\b" % last, A),
                       re.compile(r"(?=\*\*([A-%s])\*\*)" % last, A),
                       re.compile(r"(?:(?<=\()|(?<=\n)|^)([A-%s])\)" % last, A),
                       re.compile(r"[A-%s]" % last, A))
    return _letters[n]


STRICT_NUMBER = re.compile(r"(\d+)(?:\.\d+)?", A)


def strict(kind, text, options):
    if kind == "mcq":
        found = letters(len(options))[0].findall(text)
        return found[-1] if found else None
    found = STRICT_NUMBER.findall(text)
    if not found:
        return None
    return found[-1].lstrip("0") or "0"


# --- numbers as written in prose ----------------------------------------------------------
PROSE_NUMBER = re.compile(r"(-\$?|\$-?)?(\d+(?:,\d{3}(?!\d))*)(?:\.(\d+)|/(\d+))?(%)?", A)


def parse_prose_number(text, pos=0):
    """(value, end) or None, as headroom::parse_prose_number."""
    m = PROSE_NUMBER.match(text, pos)
    if not m:
        return None
    sign, integer_text, decimals, denominator, _ = m.groups()
    integer = 0.0
    for c in integer_text:
        if c != ",":
            integer = integer * 10 + (ord(c) - 48)
    result = integer
    end = m.end()
    if decimals is not None:
        scale = 0.1
        for c in decimals:  # the same additions as the core, so the same rounding
            result += (ord(c) - 48) * scale
            scale /= 10
    elif denominator is not None:
        d = 0.0
        for c in denominator:
            d = d * 10 + (ord(c) - 48)
        if d != 0:
            result = integer / d
        else:  # no division by zero: the number ends before the bar
            end = m.start(4) - 1
    negative = sign is not None and "-" in sign
    return (-result if negative else result), end


def canonical_number(value):
    if value == 0:
        return "0"
    s = "%.6f" % value
    s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                     "seventy": 70, "eighty": 80, "ninety": 90})
# The first listed word that matches wins, as in the core's table order.
NUMBER_WORD = re.compile(r"(%s)(?!\w)" % "|".join(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
     "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]), re.I | A)
GAP = re.compile(r"[ -]*")
AND_WORD = re.compile(r"and ", re.I | A)
SCALE_WORD = re.compile(r"hundred|thousand|million", re.I | A)


def parse_number_words(text, pos):
    total = current = 0
    any_word = False
    p = end = pos
    while True:
        q = GAP.match(text, p).end()
        if any_word and AND_WORD.match(text, q):
            q += 4
        m = NUMBER_WORD.match(text, q)
        if m:
            current += NUMBER_WORDS[m.group(1).translate(ASCII_LOWER)]
            p = end = m.end()
            any_word = True
            continue
        m = SCALE_WORD.match(text, q) if any_word else None
        if m:
            word = m.group(0).translate(ASCII_LOWER)
            if word == "hundred":
                current *= 100
            elif word == "thousand":
                total += current * 1000
                current = 0
            else:
                total += current * 1000000
                current = 0
            p = end = m.end()
            continue
        break
    if not any_word:
        return None
    return float(total + current), end


# --- lenient ------------------------------------------------------------------------------
MARKERS = re.compile(r"(?=(answer is|answer:|answer would be|correct option is|correct choice is|"
                     r"answer =|answer will be|final answer))", re.I | A)
MARKER_ORDER = ["answer is", "answer:", "answer would be", "correct option is", "correct choice is",
                "answer =", "answer will be", "final answer"]
DECORATION = re.compile(r"(?:[ :*(\[$\t]|option |choice |letter )*", re.I | A)
WORD = re.compile(r"\w", A)


def marker_hits(text):
    """(position, end of marker) of every marker occurrence, in the order the core
    tries them: marker by marker, then by position."""
    hits = []
    for m in MARKERS.finditer(text):
        found = m.group(1).translate(ASCII_LOWER)
        hits.append((MARKER_ORDER.index(found), m.start(), m.start() + len(found)))
    hits.sort()
    return [(pos, end) for _, pos, end in hits]


def standalone(text, i, n):
    c = text[i]
    if not ("A" <= c <= "Z" and ord(c) - 65 < n):
        return False
    if i > 0 and WORD.match(text[i - 1]):
        return False
    if i + 1 < len(text) and WORD.match(text[i + 1]):
        return False
    return True


def option_prefix(s, options):
    best, best_len = -1, 0
    low = s.translate(ASCII_LOWER)
    for i, o in enumerate(options):
        if not o or len(o) < best_len or len(o) > len(s):
            continue
        if low[:len(o)] != o.translate(ASCII_LOWER):
            continue
        if len(o) < len(s) and WORD.match(s[len(o)]):
            continue
        best, best_len = i, len(o)
    return best


def lenient_mcq(text, options):
    n = len(options)
    best_pos, best = -1, None
    for pos, end in marker_hits(text):
        at = DECORATION.match(text, end).end()
        if at >= len(text) or (best_pos >= 0 and pos < best_pos):
            continue
        if standalone(text, at, n):
            best_pos, best = pos, (text[at], "answer-line")
        else:
            o = option_prefix(text[at:], options)
            if o >= 0:
                best_pos, best = pos, (chr(65 + o), "answer-option-text")
    if best:
        return best
    _, bold, paren, _ = letters(n)
    found = bold.findall(text)
    if found:
        return found[-1], "bold-letter"
    found = paren.findall(text)
    if found:
        return found[-1], "paren-letter"
    body = text.strip(SPACE)
    last = body[body.rfind("\n") + 1:].strip(SPACE)
    if last.endswith("."):
        last = last[:-1]
    low = last.translate(ASCII_LOWER)
    for i, o in enumerate(options):
        if o and low == o.translate(ASCII_LOWER):
            return chr(65 + i), "option-text"
    found = letters(n)[0].findall(text)
    if found:
        return found[-1], "last-letter"
    return None


LAST_DIGIT = re.compile(r"\d(?=\D*$)", A)


def last_number(text):
    end = len(text)
    while True:
        m = LAST_DIGIT.search(text, 0, end)
        if not m:
            return None
        i = m.start()
        # Back to the start of the numeral: digits, and separators with a digit before them.
        start = i
        while start > 0 and (text[start - 1] in "0123456789" or
                             (text[start - 1] in ",./" and start >= 2 and text[start - 2] in "0123456789")):
            start -= 1
        if start > 0 and text[start - 1] in "-$":
            start -= 1
        if start > 0 and text[start - 1] == "-" and text[start] == "$":
            start -= 1
        parsed = parse_prose_number(text, start)
        if parsed:
            return parsed[0]
        end = start


def lenient_numeric(text):
    b = text.rfind("\\boxed{")
    if b >= 0:
        parsed = parse_prose_number(text, b + 7)
        if parsed:
            return canonical_number(parsed[0]), "boxed"
    h = text.rfind("####")
    if h >= 0:
        at = h + 4
        while at < len(text) and text[at] == " ":
            at += 1
        parsed = parse_prose_number(text, at)
        if parsed:
            return canonical_number(parsed[0]), "hash-line"
    best_pos, best = -1, None
    for pos, end in marker_hits(text):
        if best_pos >= 0 and pos < best_pos:
            continue
        at = DECORATION.match(text, end).end()
        parsed = parse_prose_number(text, at) or parse_number_words(text, at)
        if parsed:
            best_pos, best = pos, (canonical_number(parsed[0]), "answer-line")
    if best:
        return best
    value = last_number(text)
    if value is not None:
        return canonical_number(value), "last-number"
    value, i = None, 0
    while i < len(text):
        if i > 0 and WORD.match(text[i - 1]):
            i += 1
            continue
        parsed = parse_number_words(text, i)
        if parsed:
            value = parsed[0]
            i = parsed[1] if parsed[1] > i else i + 1
        else:
            i += 1
    if value is not None:
        return canonical_number(value), "number-words"
    return None


def lenient(kind, text, options):
    return lenient_mcq(text, options) if kind == "mcq" else lenient_numeric(text)


def main():
    items = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            g = json.loads(line)
            items.append((g["kind"], g["text"], g.get("options", [])))
    start = time.process_time()
    out = []
    for kind, text, options in items:
        s = strict(kind, text, options)
        l = lenient(kind, text, options)
        out.append((s, l))
    seconds = time.process_time() - start
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        for s, l in out:
            f.write("%s\t%s\t%s\n" % (s or "-", l[0] if l else "-", l[1] if l else "none"))
    print("seconds %.6f" % seconds)
    print("generations %d" % len(items))


if __name__ == "__main__":
    main()
