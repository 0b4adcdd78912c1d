#!/usr/bin/env bash
# A stand-in for relconv that writes a man page mandoc and groff complain about (a blank
# line, .PP right after .SH, an unknown macro), so the test of check.sh itself can show
# that check.sh fails on such a page. Called as: bad_relconv.sh ... -o OUT INPUT
while [ $# -gt 1 ]; do
  if [ "$1" = "-o" ]; then out=$2; fi
  shift
done
printf '.TH BAD 7 2024-01-01\n.SH NAME\nbad \\- page\n.SH DESCRIPTION\n.PP\ntext\n\n.XX\n' > "$out"
