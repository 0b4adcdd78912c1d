#!/usr/bin/env bash
# Exits 77 (skip) when a validator the PDF tests need is missing, or 1 when CI is set:
# in CI every validator must be installed, so a missing one fails instead of passing.
for tool in qpdf pdffonts pdftotext python3; do
  if ! command -v "$tool" > /dev/null; then
    if [ -n "${CI:-}" ]; then echo "$tool is not installed (it must be in CI)"; exit 1; fi
    echo "$tool is not installed: skipped"; exit 77
  fi
done
# The glyph check reads fonts back with Debian's fontTools and pikepdf (/usr/bin/python3,
# whatever python3 comes first on the PATH).
if ! /usr/bin/python3 -c 'import fontTools, pikepdf' 2> /dev/null; then
  if [ -n "${CI:-}" ]; then echo "python3-fonttools and python3-pikepdf are not installed (they must be in CI)"; exit 1; fi
  echo "python3-fonttools or python3-pikepdf is not installed: skipped"; exit 77
fi
exit 0
