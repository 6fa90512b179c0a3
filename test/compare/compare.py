#!/usr/bin/env python3
"""Compare one command's output from BIRD 2 and from ternd (test/bird_compare.sh).

Usage: compare.py KIND CMD BIRD_FILE TERND_FILE KNOWN_DIFFS [USED]

KIND is "birdc" (output of `birdc -v`) or "plain" (any other text, e.g.
`ip route show`).  The definition of "same" is at the top of
test/bird_compare.sh; this file implements it:

  1. framing (birdc only, checked on each daemon's raw output): every line
     is `CODE-text`, `CODE text` (last line) or a continuation `     text`,
     and a line is a continuation exactly when its code equals the code of
     the line before (BIRD's cli_printf rule);
  2. each continuation is rewritten with the code it continues, so a line
     no longer depends on its neighbours; times, dates, versions and the
     hostname become fixed-width placeholders;
  3. blocks whose order BIRD does not define are sorted: routes inside a
     table (`show route`), protocols (`show protocols [all]`);
  4. the known differences (KNOWN_DIFFS, see the comment there) are applied
     to ternd's lines, each one reported (and its id appended to USED);
  5. the line lists must then be equal.  A difference is classified as
     STRUCTURE (line count, reply code, number of space-separated fields or
     the column where a field starts) or VALUE (same layout, other text).

Exit status: 0 same, 1 different.
"""
import difflib
import re
import sys

CODE_RE = re.compile(r"^(\d{4})([ -])(.*)$")
TIME_SUBS = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), lambda m: "YYYY-MM-DD"),
    (re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b"), lambda m: "DD.MM.YYYY"),
    (re.compile(r"\b\d{2}:\d{2}:\d{2}(\.\d+)?"),
     lambda m: "hh:mm:ss" + ("." + "f" * (len(m.group(1)) - 1) if m.group(1) else "")),
    (re.compile(r"\bBIRD \d+\.\d+(\.\d+)?"), lambda m: "BIRD <VER>"),
    (re.compile(r"^(\d{4}-)?Hostname is .*$"), lambda m: (m.group(1) or "") + "Hostname is <HOST>"),
]


def parse_birdc(lines, who, problems):
    """birdc -v lines -> list of (code, sep, text); checks the framing."""
    out = []
    last = None
    for n, line in enumerate(lines, 1):
        m = CODE_RE.match(line)
        if m:
            code, sep, text = m.groups()
            if code == last and code != "0001":
                problems.append(f"{who} line {n}: code {code} repeated instead of a continuation: {line!r}")
            out.append((code, sep, text))
            last = code
        elif line.startswith("     ") and last is not None:
            out.append((last, "-", line[5:]))
        else:
            problems.append(f"{who} line {n}: not a reply line: {line!r}")
            out.append(("????", "-", line))
    return out


def normalise(text):
    for rx, fn in TIME_SUBS:
        text = rx.sub(fn, text)
    return text


def blocks(lines, starts):
    """Split lines into a head and blocks, a block starting where starts(l)."""
    head, bl = [], []
    for l in lines:
        if starts(l):
            bl.append([l])
        elif bl:
            bl[-1].append(l)
        else:
            head.append(l)
    return head, bl


def sort_blocks(cmd, lines):
    if cmd.startswith("show route") and "count" not in cmd:
        # Per table: "1007-Table x:" then route blocks, each starting with a
        # 1007 line that is not tab-indented (the route itself).
        out, table = [], []
        def flush():
            head, bl = blocks(table, lambda l: l.startswith("1007-") and not l.startswith("1007-\t"))
            out.extend(head)
            for b in sorted(bl):
                out.extend(b)
        for l in lines:
            # A table header, or the empty line BIRD puts between tables.
            if re.match(r"^1007-(Table \S+:)?$", l):
                flush()
                table.clear()
                out.append(l)
            else:
                table.append(l)
        flush()
        return out
    if cmd.startswith("show protocols"):
        head, bl = blocks(lines, lambda l: l.startswith("1002-"))
        tail = []
        # The last block may carry the final reply line (e.g. "0000 ").
        if bl and bl[-1] and re.match(r"^\d{4} ", bl[-1][-1]):
            tail = [bl[-1].pop()]
        return head + [l for b in sorted(bl) for l in b] + tail
    return lines


def load_known(path):
    """Known differences: paragraphs of `key: value` lines (see the file)."""
    known, cur = [], None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                cur = None
                continue
            key, _, val = line.partition(": ")
            if key == "id":
                cur = {"id": val, "subs": [], "why": ""}
                known.append(cur)
            elif cur is None:
                continue
            elif key == "cmd":
                cur["cmd"] = re.compile(val)
            elif key == "why":
                cur["why"] += (" " if cur["why"] else "") + val
            elif key == "from":
                cur["subs"].append([re.compile(val, re.M), None])
            elif key == "to":
                cur["subs"][-1][1] = val
    return known


def fields(text):
    """(start column, token) of each run of non-space characters."""
    return [(m.start(), m.group()) for m in re.finditer(r"[^ ]+", text)]


def classify(kind, a, b):
    fa, fb = fields(a), fields(b)
    if kind == "birdc" and a[:5] != b[:5]:
        return "STRUCTURE (reply code)"
    if [s for s, _ in fa] != [s for s, _ in fb]:
        return "STRUCTURE (columns)"
    return "VALUE"


def main():
    kind, cmd, bfile, tfile, kfile = sys.argv[1:6]
    used = sys.argv[6] if len(sys.argv) > 6 else None
    problems = []
    res = {}
    for who, path in (("bird", bfile), ("ternd", tfile)):
        with open(path, errors="replace") as f:
            raw = f.read().splitlines()
        if kind == "birdc":
            parsed = parse_birdc(raw, who, problems)
            lines = [f"{c}{s}{normalise(t)}" for c, s, t in parsed]
        else:
            lines = [normalise(l) for l in raw]
        res[who] = sort_blocks(cmd, lines)
    bird, tern = res["bird"], res["ternd"]

    text = "\n".join(tern)
    for k in load_known(kfile):
        if not k.get("cmd") or not k["cmd"].search(cmd):
            continue
        before = text
        for rx, rep in k["subs"]:
            text = rx.sub(rep, text)
        if text != before:
            print(f"  known difference [{k['id']}] {k['why']}")
            if used:
                with open(used, "a") as f:
                    f.write(k["id"] + "\n")
    tern = text.split("\n") if text else []

    for p in problems:
        print(f"  FRAMING: {p}")
    same = bird == tern and not problems
    if bird != tern:
        print(f"  '{cmd}' differs (- BIRD, + ternd, after normalisation and sorting):")
        for l in difflib.unified_diff(bird, tern, "bird", "ternd", lineterm="", n=2):
            print("    " + l.replace("\t", "\\t"))
        if len(bird) != len(tern):
            print(f"  STRUCTURE (line count): BIRD {len(bird)} lines, ternd {len(tern)}")
        sm = difflib.SequenceMatcher(None, bird, tern, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                a = bird[i1 + k] if i1 + k < i2 else None
                b = tern[j1 + k] if j1 + k < j2 else None
                what = classify(kind, a, b) if a is not None and b is not None \
                    else "STRUCTURE (line only in " + ("BIRD)" if b is None else "ternd)")
                print(f"  BIRD line {i1 + k + 1}: {what}")
                print(f"    BIRD : {a!r}")
                print(f"    ternd: {b!r}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
