#!/usr/bin/env bash
# Turns an EPUB into a stable, readable listing for golden tests: the entries in order
# (name, stored or deflated, size and a hash for binary files), then the text of
# container.xml, the OPF, nav, NCX, every XHTML file and every SVG image. The style sheet is listed by
# hash only (it has its own file in styles/).
set -euo pipefail
python3 - "$1" <<'PY'
import hashlib, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
texts = []
for info in z.infolist():
    data = z.read(info)
    method = "stored" if info.compress_type == zipfile.ZIP_STORED else "deflated"
    text = info.filename.endswith((".xml", ".opf", ".ncx", ".xhtml", ".svg")) or info.filename == "mimetype"
    line = f"{info.filename}  {method}  {len(data)} bytes"
    if not text:
        line += "  sha256:" + hashlib.sha256(data).hexdigest()[:16]
    if info.extra:
        line += "  EXTRA FIELD"
    print(line)
    if text and info.filename != "mimetype":
        texts.append((info.filename, data.decode("utf-8")))
for name, text in texts:
    print(f"\n==== {name}")
    print(text, end="" if text.endswith("\n") else "\n")
PY
