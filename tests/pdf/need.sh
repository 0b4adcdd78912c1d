#!/usr/bin/env bash
# Exits 77 (skip) when a validator the PDF tests need is missing, or 1 when CI is set:
# in CI every validator must be installed, so a missing one fails instead of passing.
for tool in qpdf pdffonts pdftotext python3; do
  if ! command -v "$tool" > /dev/null; then
    if [ -n "${CI:-}" ]; then echo "$tool is not installed (it must be in CI)"; exit 1; fi
    echo "$tool is not installed: skipped"; exit 77
  fi
done
exit 0
