#!/usr/bin/env bash
# Turns one output of relconv into the text a reader sees, for word checks:
#   to_text.sh FORMAT OUTPUT_FILE > TEXT
# txt: as it is; man: rendered by mandoc; pdf: pdftotext; epub: the XHTML's text.
set -euo pipefail
format=$1 file=$2
case "$format" in
  txt|tree) cat "$file" ;;
  man) mandoc -T utf8 "$file" | col -b ;;
  pdf) pdftotext -enc UTF-8 "$file" - ;;
  epub)
    python3 - "$file" <<'PY'
import sys, zipfile, html.parser
class T(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True); self.out = []
    def handle_starttag(self, tag, attrs):
        if tag == "img": self.out.append(" " + (dict(attrs).get("alt") or "") + " ")
        self.out.append(" ")
    def handle_endtag(self, tag): self.out.append(" ")
    def handle_data(self, d): self.out.append(d)
z = zipfile.ZipFile(sys.argv[1])
for name in sorted(n for n in z.namelist() if n.endswith(".xhtml") and not n.endswith("nav.xhtml")):
    t = T(); t.feed(z.read(name).decode("utf-8")); print("".join(t.out))
PY
    ;;
  *) echo "to_text.sh: unknown format $format" >&2; exit 2 ;;
esac
