#!/usr/bin/env bash
# CLI transcripts: each check runs relconv as a user would and states the exit code and
# what must (or must not) appear on stderr or in the output.
#   run.sh RELCONV
set -uo pipefail
relconv=$(realpath "$1")
manual="$(cd "$(dirname "$0")/../.." && pwd)/doc/relconv.1.md"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
# check NAME EXPECTED_EXIT STDERR_PATTERN -- COMMAND...   (pattern '' = anything)
check() {
  local name=$1 want=$2 pattern=$3; shift 4
  "$@" > out.txt 2> err.txt; local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $name: exit $got, expected $want"; sed 's/^/  stderr: /' err.txt | head -5; failed=$((failed + 1)); return
  fi
  if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" err.txt; then
    echo "FAIL: $name: stderr does not match /$pattern/:"; sed 's/^/  stderr: /' err.txt | head -5; failed=$((failed + 1)); return
  fi
  passed=$((passed + 1))
}
ok() { if eval "$2"; then passed=$((passed + 1)); else echo "FAIL: $1: $2"; failed=$((failed + 1)); fi; }

printf -- '---\ntitle: Hello\n---\n\nHello, *world*.\n' > good.md

check "version" 0 '' -- "$relconv" --version
ok "version prints the name" "grep -q '^relconv [0-9]' out.txt"
check "help" 0 '' -- "$relconv" --help
ok "help lists exit codes" "grep -q 'Exit codes' out.txt"
# Every option whose --help line gives a default has an entry in relconv(1) with the same
# default.
defaults_agree() {
  python3 - out.txt "$manual" <<'PY'
import re, sys
help_text, manual = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
bad = 0
for m in re.finditer(r"^\s+(?:-\w,)?(--[\w-]+)[^\n]*\n?\s*[^\n]*\(default (\d+)\)", help_text, re.M):
    option, value = m.groups()
    entry = re.search(r"^\*\*" + re.escape(option) + r"\*\*.*\n((?:  .*\n)+)", manual, re.M)
    if not entry:
        print(f"relconv(1) has no entry for {option}"); bad += 1
    elif not re.search(r"\bdefault:? " + value + r"\b", entry.group(1), re.I):
        print(f"{option}: --help says default {value}, relconv(1) says: {entry.group(1).strip()}"); bad += 1
sys.exit(1 if bad else 0)
PY
}
ok "help and relconv(1) agree on every default" defaults_agree
check "list formats" 0 '' -- "$relconv" --list-formats
ok "txt is listed with its alias" "grep -q '^txt .*also: plain' out.txt"
check "no input" 2 'no input files' -- "$relconv" --to txt
check "unknown option" 2 'error:.*--frobnicate' -- "$relconv" --frobnicate good.md
check "unknown format suggests" 2 "unknown format 'plian'; did you mean 'txt'" -- "$relconv" --to plian good.md
check "unknown extension" 2 "cannot tell the format" -- "$relconv" good.md -o good.xyz
check "no format at all" 2 "no output format" -- "$relconv" good.md
check "to stdout" 0 '' -- "$relconv" --to txt good.md
ok "stdout has the text" "grep -q 'Hello, _world_.' out.txt"
check "format from extension" 0 '' -- "$relconv" good.md -o good.txt
ok "file written" "grep -q 'Hello, _world_.' good.txt"
# A device or FIFO is written in place, not replaced by a regular file (as root, -o
# /dev/null used to become a regular file). timeout: a FIFO replaced leaves cat waiting.
mkfifo pipe.txt
timeout 20 cat pipe.txt > from-pipe.txt & reader=$!
check "output to a FIFO" 0 '' -- "$relconv" good.md -o pipe.txt
wait $reader
ok "the FIFO is still a FIFO" "[ -p pipe.txt ]"
ok "the FIFO's reader got the text" "grep -q 'Hello, _world_.' from-pipe.txt"
check "stdin to stdout" 0 '' -- sh -c "printf 'From *stdin*.' | '$relconv' --to txt -"
ok "stdin converted" "grep -q 'From _stdin_.' out.txt"
check "missing input" 1 'missing.md: error: cannot read input' -- "$relconv" --to txt missing.md -o missing.txt
ok "no output for a missing input" "[ ! -e missing.txt ]"
check "output is input" 2 "is the input" -- "$relconv" --to txt good.md -o good.md
ok "input kept" "grep -q 'title: Hello' good.md"
printf -- '---\ntitle: [broken\n---\nBody\n' > badyaml.md
echo "previous contents" > kept.txt
check "malformed YAML" 1 '^badyaml.md:[0-9]+:[0-9]+: error: malformed YAML' -- "$relconv" --to txt badyaml.md -o kept.txt
ok "old output kept on failure" "grep -q 'previous contents' kept.txt"
ok "no temporary files left" "[ -z \"\$(ls -A | grep relconv-)\" ]"
printf -- '---\ntitle: Unclosed\nauthor: x\n\nBody\n' > unclosed.md
check "unclosed front matter" 1 '^unclosed.md:1:1: error: front matter opened here is never closed' -- "$relconv" --to txt unclosed.md
printf -- "---\ntitle: 'never closed\nauthor: Someone\n---\nBody\n" > quote.md
check "unterminated quote" 1 "^quote.md:2:8: error: quoted value is never closed" -- "$relconv" --to txt quote.md
printf -- '---\ntitle: [a, b]\n---\nBody\n' > wrongtype.md
check "title of the wrong type" 1 "^wrongtype.md:2:8: error: 'title' must be text, not a list" -- "$relconv" --to txt wrongtype.md
printf -- '---\ntags: 5\ntitle: A\ntitle: B\n---\nBody\n' > coerce.md
check "tags: 5 and duplicate key warn" 0 "coerce.md:2:7: warning: 'tags' should be a list" -- "$relconv" --to tree coerce.md
ok "duplicate key warned" "grep -q \"coerce.md:4:1: warning: duplicate key 'title'\" err.txt"
ok "first title kept" "grep -q 'title \"A\"' out.txt"
printf 'Caf\xe9 and a NUL \x00 here.\n' > bad-utf8.md
check "invalid UTF-8 warns with position" 0 '^bad-utf8.md:1:4: warning: invalid UTF-8 replaced' -- "$relconv" --to txt bad-utf8.md
ok "NUL warned" "grep -q 'bad-utf8.md:1:16: warning: NUL byte replaced' err.txt"
ok "replacement character in output" "grep -q 'Caf� and a NUL � here.' out.txt"
check "fail on warning" 4 'fail-on-warning' -- "$relconv" --to txt --fail-on-warning bad-utf8.md -o strict.txt
ok "no output with fail-on-warning" "[ ! -e strict.txt ]"
check "quiet hides warnings" 0 '' -- "$relconv" --quiet --to txt bad-utf8.md
ok "quiet printed nothing" "[ ! -s err.txt ]"
: > empty.md
check "empty file" 0 '' -- "$relconv" --to txt empty.md
printf -- '---\r\ntitle: CRLF\r\n---\r\n\r\nLine one\r\nline two\r\n' > crlf.md
check "CRLF" 0 '' -- "$relconv" --to txt crlf.md
ok "CRLF title read" "grep -q '^CRLF$' out.txt && ! grep -q $'\r' out.txt"
printf '\xef\xbb\xbf---\ntitle: BOM\n---\nNo final newline' > bom.md
check "BOM and no final newline" 0 '' -- "$relconv" --to txt bom.md
ok "BOM title read" "grep -q '^BOM$' out.txt && grep -q 'No final newline' out.txt"
check "-M overrides" 0 '' -- "$relconv" --to tree -M title=Other -M 'tags=[x, y]' good.md
ok "-M title" "grep -q 'title \"Other\"' out.txt && grep -q 'tag \"y\"' out.txt"
check "-M needs =" 2 'KEY=VALUE' -- "$relconv" --to txt -M title good.md
# -M values and metadata files are YAML too: their errors name the option (the column counts
# in the value) or the file, with the position, and say what it is, not "front matter".
bomb=$(python3 -c '
parts = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
for i in range(1, 8): parts.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]")
print("{" + ", ".join(parts) + "}")')
check "-M YAML bomb" 1 '^-M tags:1:14: error: the value of -M tags expands to more than 100000 values' -- \
  "$relconv" --to txt -M "tags=$bomb" good.md -o mbomb.txt
ok "-M YAML bomb: no output" "[ ! -e mbomb.txt ]"
check "-M value of the wrong type" 1 "^-M title:1:1: error: 'title' must be text, not a list" -- \
  "$relconv" --to txt -M 'title=[a, b]' good.md
check "-M malformed value, shown cut short" 1 "^-M tags:1:[0-9]+: error: malformed YAML in the value of -M tags '\\[a, b, c, d, e, f, g, h, i, j, k, l, m, …':" -- \
  "$relconv" --to txt -M 'tags=[a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p' good.md
printf 'title: Book\ntags: %s\n' "$bomb" > bomb.yaml
check "--metadata-file YAML bomb" 1 '^bomb.yaml:2:17: error: metadata file expands to more than 100000 values' -- \
  "$relconv" --to txt --metadata-file bomb.yaml good.md -o fbomb.txt
ok "--metadata-file YAML bomb: no output" "[ ! -e fbomb.txt ]"
printf -- '---\ntitle: Book\ntags: [a, b\n' > badmeta.yaml
check "--metadata-file malformed" 1 '^badmeta.yaml:4:1: error: malformed YAML metadata file:' -- \
  "$relconv" --to txt --metadata-file badmeta.yaml good.md
printf -- '- a\n- b\n' > listmeta.yaml
check "--metadata-file not a mapping" 1 '^listmeta.yaml:1:1: error: metadata file must be a mapping' -- \
  "$relconv" --to txt --metadata-file listmeta.yaml good.md
check "several formats need --out-dir" 2 'need --out-dir' -- "$relconv" --to txt,tree good.md
mkdir -p ro && chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
  check "unwritable output" 3 'cannot write output' -- "$relconv" --to txt good.md -o ro/x.txt
fi
check "output folder missing" 3 'cannot write output' -- "$relconv" --to txt good.md -o nowhere/x.txt
printf -- '---\ntitle: Two\ndate: 2020-01-01\n---\nSecond post.\n' > two.md
printf -- '---\ntitle: One\ndate: 2019-01-01\n---\nFirst post.\n' > one.md
check "book of two" 0 '' -- "$relconv" --to txt -M title=Book two.md one.md
ok "book ordered by date" "[ \"\$(grep -n -e '^One$' -e '^Two$' out.txt | head -1 | cut -d: -f2)\" = One ]"
ok "book title" "grep -q '^Book$' out.txt"
# A book's posts are parsed on --jobs threads: the book and the messages are the same
# whatever the number, and the first broken post (in input order) stops it, after the
# messages of the posts before it.
for i in 1 2 3 4 5 6 7 8; do
  printf -- '---\ntitle: Post %s\ndate: 2020-01-0%s\ntags: 5\n---\n\nText of post %s.\n' $i $i $i > jp$i.md
done
check "book, one job" 0 'jp8.md:4:7: warning' -- "$relconv" -j 1 --to txt -M title=J jp?.md
cp out.txt j1.txt; cp err.txt j1.err
check "book, four jobs" 0 'jp8.md:4:7: warning' -- "$relconv" -j 4 --to txt -M title=J jp?.md
ok "same book whatever --jobs" "cmp -s out.txt j1.txt"
ok "same messages in the same order whatever --jobs" "cmp -s err.txt j1.err"
printf -- '---\ntitle: [broken\n---\n' > jp5.md
check "book with a broken post, four jobs" 1 'jp5.md:[0-9]+:[0-9]+: error' -- "$relconv" -j 4 --to txt -M title=J jp?.md -o jbook.txt
ok "messages of the posts before the broken one" "grep -q 'jp4.md' err.txt"
ok "none after it" "! grep -q 'jp6.md' err.txt"
ok "no book written" "[ ! -e jbook.txt ]"
# The program links cmark-gfm statically and shares its inline tables between threads
# (src/cli/cmark_static.cpp): a book parsed on four threads keeps every strikethrough and
# autolink (parsers that set and cleared the tables at once lost some).
mkdir -p strike
for i in $(seq 1 200); do printf 'Some ~struck~ words and www.example.com in line %s.\n' $i > strike/p$i.md; done
check "book of 200 on four threads" 0 '' -- "$relconv" -q -j 4 --to tree -M title=S strike/p*.md
ok "every strikethrough kept" "[ \"\$(grep -c '^ *strike' out.txt)\" = 200 ]"
ok "every autolink kept" "[ \"\$(grep -c 'link .http://www.example.com' out.txt)\" = 200 ]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
