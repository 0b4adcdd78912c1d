#!/usr/bin/env python3
"""A readable, stable dump of a PDF's structure and text, for golden tests and checks.

usage: pdfdump.py FILE.pdf            the full dump (info, outline, links, fonts, text)
       pdfdump.py --counts FILE.pdf   one line: pages=N outline=N uri=N goto=N fonts=N

Structure comes from `qpdf --json=2`, fonts from pdffonts (subset tags removed), text from
`pdftotext -layout`; raw bytes are never compared, so a golden file is readable and stays
valid across harmless changes of object numbering or compression.
"""
import json
import re
import subprocess
import sys


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"pdfdump: {' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def text_of(v):
    return v[2:] if isinstance(v, str) and v.startswith(("u:", "b:")) else v


def load(path):
    j = json.loads(run("qpdf", "--json=2", path))
    objects = j["qpdf"][1]
    page_of = {p["object"]: p["pageposfrom1"] for p in j["pages"]}

    def obj(ref):
        v = objects.get("obj:" + ref, {})
        return v.get("value", v.get("stream", {}).get("dict", {}))

    info = obj(objects["trailer"]["value"].get("/Info", "")) if "/Info" in objects["trailer"]["value"] else {}
    outline = []

    def walk(items, depth):
        for o in items:
            outline.append((depth, o["title"], o.get("destpageposfrom1")))
            walk(o.get("kids", []), depth + 1)

    walk(j["outlines"], 0)
    links = []
    for p in j["pages"]:
        annots = obj(p["object"]).get("/Annots", [])
        if isinstance(annots, str):
            annots = obj(annots)
        for a in annots:
            a = obj(a) if isinstance(a, str) else a
            if a.get("/Subtype") != "/Link":
                continue
            action = a.get("/A")
            action = obj(action) if isinstance(action, str) else action
            if action and action.get("/S") == "/URI":
                links.append((p["pageposfrom1"], "uri", text_of(action["/URI"])))
            elif "/Dest" in a:
                dest = a["/Dest"]
                dest = obj(dest) if isinstance(dest, str) else dest
                links.append((p["pageposfrom1"], "goto", f"page {page_of.get(dest[0], '?')}"))
    return j, info, outline, links


def fonts(path):
    rows = run("pdffonts", path).splitlines()[2:]
    out = []
    for row in rows:
        name = re.sub(r"^[A-Z]{6}\+", "", row.split()[0])
        # Columns after the name: type words, encoding, emb, sub, uni, object, generation.
        parts = row.split()
        emb, sub, uni = parts[-5], parts[-4], parts[-3]
        out.append((name, emb, sub, uni))
    return sorted(out)


def main():
    args = sys.argv[1:]
    counts = args and args[0] == "--counts"
    path = args[-1]
    j, info, outline, links = load(path)
    if counts:
        print(f"pages={len(j['pages'])} outline={len(outline)} "
              f"uri={sum(1 for l in links if l[1] == 'uri')} "
              f"goto={sum(1 for l in links if l[1] == 'goto')} fonts={len(fonts(path))}")
        return
    print("== info")
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate", "/ModDate"):
        if key in info:
            print(f"{key[1:]}: {text_of(info[key])}")
    print("== outline")
    for depth, title, page in outline:
        print(f"{'  ' * depth}{title} -> page {page}")
    print("== links")
    for page, kind, target in links:
        print(f"page {page}: {kind} {target}")
    print("== fonts")
    for name, emb, sub, uni in fonts(path):
        print(f"{name} emb={emb} sub={sub} uni={uni}")
    print("== text")
    text = run("pdftotext", "-layout", "-enc", "UTF-8", path, "-")
    for n, page in enumerate(text.split("\f")):
        if not page.strip():
            continue
        print(f"-- page {n + 1}")
        for line in page.splitlines():
            print(line.rstrip())


main()
