#!/usr/bin/env python3
"""Writes the large hostile inputs of tests/hostile/run.sh at test time (they are never
committed): gen.py KIND FILE [SIZE_MB]."""
import sys

def big(size_mb):
    # Every kind of block, repeated until the size is reached: text, emphasis, links,
    # lists, quotes, code, tables, footnotes and raw HTML, with non-ASCII text.
    chunk = (
        "## Section {n}\n\n"
        "Some *emphasised* and **strong** text with `code`, a [link](https://example.org/{n}) "
        "and non-ASCII: Łódź, Ελληνικά, 中文, 🐍. Footnote[^n{n}].\n\n"
        "- item one\n- item two\n  - nested item\n\n"
        "> A quote with a [reference][r{n}].\n\n"
        "```python\nprint({n})\n```\n\n"
        "| a | b | c |\n|---|:-:|--:|\n| 1 | 2 | 3 |\n\n"
        "<small>raw html</small> and <module> prose\n\n"
        "[^n{n}]: The note of section {n}.\n\n"
        "[r{n}]: https://example.org/ref/{n}\n\n"
    )
    out = ["---\ntitle: A big document\n---\n\n"]
    size, n = 0, 0
    limit = size_mb << 20
    while size < limit:
        s = chunk.format(n=n)
        out.append(s)
        size += len(s.encode())
        n += 1
    out.append("The last words of the big document.\n")
    return "".join(out)

def wide(cols):
    header = "|" + "".join(f" c{i} |" for i in range(1, cols + 1))
    delim = "|" + "---|" * cols
    row = "|" + "".join(f" r{i} |" for i in range(1, cols + 1))
    narrow = "| a | b |\n|---|---|\n|" + "".join(f" w{i} |" for i in range(1, cols + 1))
    return f"Before the table.\n\n{header}\n{delim}\n{row}\n\n{narrow}\n\nAfter the table.\n"

def main():
    kind, path = sys.argv[1], sys.argv[2]
    arg = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    if kind == "big":
        text = big(arg or 50)
    elif kind == "wide":
        text = wide(arg or 20000)
    elif kind == "quotes":
        text = "> " * 10000 + "deep quote\n"
    elif kind == "lists":
        text = "- " * 10000 + "deep list\n"
    elif kind == "ordered":
        text = "1. " * 10000 + "deep ordered\n"
    elif kind == "indented":
        # 10,000 levels written the long way (each level indented two more spaces):
        # about 100 MB, so only its first 2,000 levels.
        text = "".join("  " * i + "- level\n" for i in range(2000)) + "\n\ndeep indented\n"
    elif kind == "mixed":
        text = "> - " * 5000 + "deep mixed\n"
    elif kind == "emphasis":
        text = "*a " * 10000 + "deep emphasis" + " a*" * 10000 + "\n"
    elif kind == "brackets":
        text = "[" * 10000 + "deep brackets" + "]" * 10000 + "\n"
    elif kind == "links":
        text = "[a](" * 10000 + "deep links" + ")" * 10000 + "\n"
    elif kind == "divs":
        text = "<div>" * 10000 + "deep divs" + "</div>" * 10000 + "\n"
    elif kind == "spans":
        text = "x <span>" * 10000 + "deep spans" + "</span>" * 10000 + "\n"
    elif kind == "yaml-deep":
        text = "---\nx: " + "[" * 10000 + "]" * 10000 + "\n---\ndeep yaml\n"
    elif kind == "yaml-bomb":
        lines = ["---", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in range(1, 10):
            lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]")
        lines += ["title: bomb", "---", "body"]
        text = "\n".join(lines) + "\n"
    else:
        sys.exit(f"gen.py: unknown kind {kind}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

if __name__ == "__main__":
    main()
