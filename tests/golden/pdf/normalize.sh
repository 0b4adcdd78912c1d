#!/usr/bin/env bash
# The readable dump the PDF golden files hold: info, outline, links, fonts and the text
# laid out by pdftotext -layout (see tests/pdf/pdfdump.py).
exec python3 "$(dirname "$0")/../../pdf/pdfdump.py" "$1"
