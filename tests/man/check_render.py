#!/usr/bin/env python3
"""Checks that a rendered man page shows no roff: no escape sequence and no macro line.

usage: check_render.py SOURCE.md RENDERED.txt [SOURCE2.md RENDERED2.txt ...]

RENDERED.txt is the page as a reader sees it (`mandoc -T utf8 | col -b`). A backslash
sequence (\\f, \\(, \\[, \\&, \\-, \\:, \\c, \\e, \\*) or a line starting with a man(7)
macro is a leak, unless the same text is in the source (a post about roff, a code
block that shows a backslash). Exits 1 and prints each leak.
"""
import re
import sys

ESCAPE = re.compile(r"\\(?:f[\[(]?[A-Z]*\]?|\(..|\[[^\]\s]*\]|[&\-:ce*])")
MACRO = re.compile(r"^\s*\.(?:TH|SH|SS|PP|LP|IP|TP|RS|RE|UR|UE|MT|ME|EX|EE|br|ad|TS|TE|ce|if)\b")


def check(source_path, text_path):
    with open(source_path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    leaks = []
    with open(text_path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            for m in ESCAPE.finditer(line):
                if m.group(0) not in source:
                    leaks.append((number, m.group(0), line.rstrip()))
            m = MACRO.match(line)
            if m and m.group(0).strip() not in source:
                leaks.append((number, m.group(0).strip(), line.rstrip()))
    for number, what, line in leaks:
        print(f"{text_path}:{number}: {what!r} shows in: {line} (source: {source_path})")
    return 1 if leaks else 0


def main(args):
    if len(args) < 2 or len(args) % 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for source, text in zip(args[0::2], args[1::2]):
        failed += check(source, text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
