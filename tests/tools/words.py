#!/usr/bin/env python3
"""Checks that no word of a Markdown document's visible text is lost in an output.

usage: words.py SOURCE.md OUTPUT.txt [SOURCE2.md OUTPUT2.txt ...]

The reference text comes from an independent route: cmark-gfm's own HTML renderer (with
the GFM extensions, raw HTML kept) read by Python's HTML parser, keeping text and image
alt text and dropping scripts, styles and comments. Words are runs of letters and digits,
compared case-insensitively after NFC normalisation, as a multiset: the output must hold
every word of the source at least as often as the source does. Exits 1 and lists what is
missing when a word is lost.
"""
import collections
import html.parser
import re
import subprocess
import sys
import unicodedata

WORD = re.compile(r"[^\W_]+")


def words(text):
    return collections.Counter(WORD.findall(unicodedata.normalize("NFC", text).casefold()))


class TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "img":
            self.parts.append(" " + (dict(attrs).get("alt") or "") + " ")
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def body_of(markdown):
    """The Markdown after its YAML front matter."""
    if markdown.startswith("\ufeff"):
        markdown = markdown[1:]
    lines = markdown.split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return "\n".join(lines[i + 1:])
    return markdown


def reference_words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        body = body_of(f.read())
    html_text = subprocess.run(
        ["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist"],
        input=body, capture_output=True, text=True, check=True).stdout
    parser = TextOf()
    parser.feed(html_text)
    parser.close()
    return words("".join(parser.parts))


def main(args):
    if len(args) < 2 or len(args) % 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for source, output in zip(args[0::2], args[1::2]):
        with open(output, encoding="utf-8", errors="replace") as f:
            got = words(f.read())
        missing = reference_words(source) - got
        if missing:
            failed += 1
            shown = ", ".join(f"{w} (x{n})" if n > 1 else w for w, n in sorted(missing.items())[:30])
            print(f"{source}: {sum(missing.values())} word(s) lost in {output}: {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
