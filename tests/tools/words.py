#!/usr/bin/env python3
"""Checks that no word of a Markdown document's visible text is lost in an output.

usage: words.py SOURCE.md OUTPUT.txt [SOURCE2.md OUTPUT2.txt ...]

The reference text comes from an independent route: cmark-gfm's own HTML renderer (with
the GFM extensions, raw HTML kept) read by Python's HTML parser, keeping text and image
alt text and dropping scripts, styles and comments. Words are runs of letters and digits,
compared case-insensitively after NFC normalisation, as a multiset: the output must hold
every word of the source at least as often as the source does, the source read with its
inline elements (links, code, emphasis) ending words or not, whichever the output keeps. Exits 1 and lists what is
missing when a word is lost.

Chinese, Japanese, Thai, Lao, Khmer and Burmese put no spaces between words, so a "word"
of theirs here is a whole run of their letters (a clause), which a line of the output may
end inside: such a word, and a run of Hangul, must appear, as often, in the output with
its white space taken out (its characters, in their order).
"""
import collections
import html.parser
import re
import subprocess
import sys
import unicodedata

# Scripts written without spaces between words: Thai, Lao, Burmese, Khmer, kana, Han.
UNSPACED_CHARS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
                  "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f")
UNSPACED = re.compile(f"[{UNSPACED_CHARS}]")
HANGUL_CHARS = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
# A word: a run of letters and digits, a run of those scripts standing apart from the rest
# ("使用awk处理" is three words), since nothing marks where one ends in the text, and a
# run of Hangul apart from Latin letters beside it (Korean particles follow a Latin word
# without a space: "GitHub는").
WORD = re.compile(f"[{UNSPACED_CHARS}]+|[{HANGUL_CHARS}]+|(?:(?![{UNSPACED_CHARS}{HANGUL_CHARS}])[^\\W_])+")


def words(text):
    return collections.Counter(WORD.findall(unicodedata.normalize("NFC", text).casefold()))


# Whether an inline element ends a word is not in the text: "ו[מאמרים](…)" (a Hebrew
# prefix on a link) and "[GitHub stars](…)는" (a Korean particle after one) read as one
# word, "*[experimental](…)*[JIT compiler](…)" as two. So the source is read both ways,
# with these elements ending words and without, and the output must hold every word of
# one reading. A superscript too: "n<sup>2</sup>" is "n2" copied from a browser, and "n 2"
# from relconv's PDF body text, which sets a superscript a little apart.
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "em", "i", "ins", "kbd",
          "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var"}


class TextOf(html.parser.HTMLParser):
    def __init__(self, inline_ends_word):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0
        self.inline_ends_word = inline_ends_word

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "img":
            self.parts.append(" " + (dict(attrs).get("alt") or "") + " ")
        if self.inline_ends_word or tag not in INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if self.inline_ends_word or tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def body_of(markdown):
    """The Markdown after its YAML front matter and its pandoc/go-md2man title block.

    Both are metadata (name, section, authors, date), which a format shows in its own
    form (a man page's .TH line, "2006-06-15" for "June 15, 2006"), so their words are not
    the text's; the golden tests check where they go."""
    if markdown.startswith("\ufeff"):
        markdown = markdown[1:]
    lines = markdown.split("\n")
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                lines = lines[i + 1:]
                break
    # `% title` / `% authors` / `% date`, each continued on lines that start with a space.
    start = 0
    for _ in range(3):
        if start < len(lines) and lines[start].startswith("%"):
            start += 1
            while start < len(lines) and lines[start][:1] in (" ", "\t") and lines[start].strip():
                start += 1
    return "\n".join(lines[start:])


def reference_words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        body = body_of(f.read())
    html_text = subprocess.run(
        ["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tasklist"],
        input=body, capture_output=True, text=True, check=True).stdout
    readings = []
    for inline_ends_word in (True, False):
        parser = TextOf(inline_ends_word)
        parser.feed(html_text)
        parser.close()
        readings.append(words("".join(parser.parts)))
    return readings


def lost_words(reference, got, text):
    """The words of `reference` that the output `text` (its words: `got`) does not hold."""
    missing = reference - got
    # Runs of the unspaced scripts, and of Hangul (whose particles join what comes before
    # them), are found in the output with its white space taken out.
    joinable = re.compile(f"[{UNSPACED_CHARS}{HANGUL_CHARS}]")
    if any(joinable.search(w) for w in missing):
        joined = re.sub(r"\s+", "", unicodedata.normalize("NFC", text).casefold())
        for w in [w for w in missing if joinable.search(w)]:
            missing[w] -= min(missing[w], joined.count(w) - got[w])
        missing = +missing
    return missing


def main(args):
    if len(args) < 2 or len(args) % 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = 0
    for source, output in zip(args[0::2], args[1::2]):
        with open(output, encoding="utf-8", errors="replace") as f:
            text = f.read()
        got = words(text)
        missing = None
        for reading in reference_words(source):
            lost = lost_words(reading, got, text)
            if missing is None or sum(lost.values()) < sum(missing.values()):
                missing = lost
        if missing:
            failed += 1
            shown = ", ".join(f"{w} (x{n})" if n > 1 else w for w, n in sorted(missing.items())[:30])
            print(f"{source}: {sum(missing.values())} word(s) lost in {output}: {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
