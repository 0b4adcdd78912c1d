#!/usr/bin/env bash
# The catalogue of hostile and broken inputs (README "Hostile input"): each case runs
# relconv as a build system would, under a time limit and (outside sanitizer builds) a
# memory limit, and states its outcome: the exit code, the message and its position, what
# the output holds, and that nothing half-written is left behind. Large inputs are made at
# test time by gen.py.
#   run.sh RELCONV [--sanitized] [CASE...]     (cases: the names of the functions below)
set -u  # no pipefail: `... | grep -q` stops reading early on purpose
relconv=$(realpath "$1"); shift
sanitized=0
if [ "${1:-}" = --sanitized ]; then sanitized=1; shift; fi
here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
images=$tests/fuzz/images
work=$(mktemp -d); trap 'cleanup' EXIT
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null; done
  chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"
}
cd "$work"
passed=0 failed=0 skipped=0
# Sanitizers make relconv several times slower and reserve terabytes of address space.
slow=1; [ $sanitized -eq 1 ] && slow=5
mem_kb=$((3 * 1024 * 1024))

mapfile -t formats < <("$relconv" --list-formats | awk '{print $1}')
ext_of() { "$relconv" --list-formats | awk -v f="$1" '$1 == f {split($2, e, ","); print e[1]}'; }
# made FORMAT STEM: a non-empty output of FORMAT for STEM exists, with any of the format's
# extensions (a man page takes its section: .1, .7).
made() {
  local e
  for e in $("$relconv" --list-formats | awk -v f="$1" '$1 == f {gsub(",", " ", $2); print $2}'); do
    [ -s "$2$e" ] && return 0
  done
  return 1
}

# Known failures, reported to the backend's author: "case|start of the check's name". A
# known failure prints KNOWN and does not fail the run; a known failure that no longer
# happens fails it, so this list is kept true. Remove an entry once it is fixed.
known=(
)
known_seen=()
current_case=
fail() {
  local k
  for k in "${known[@]}"; do
    if [ "${k%%|*}" = "$current_case" ] && [[ "$*" == "${k#*|}"* ]]; then
      echo "KNOWN: $*"; known_seen+=("$k"); return
    fi
  done
  echo "FAIL: $*"; failed=$((failed + 1))
}
pass() { passed=$((passed + 1)); }
skip() { echo "SKIP: $*"; skipped=$((skipped + 1)); }
ok() { if eval "$2"; then pass; else fail "$1: $2"; fi; }

# run SECONDS COMMAND...: runs with a time and memory limit; sets $code, out.txt, err.txt.
run() {
  local secs=$(($1 * slow)); shift
  ( [ $sanitized -eq 0 ] && ulimit -v $mem_kb; exec timeout -k 5 "$secs" "$@" ) > out.txt 2> err.txt
  code=$?
  if [ $code -eq 124 ] || [ $code -eq 137 ]; then echo "  (timed out after ${secs}s)" >> err.txt; fi
}
# expect NAME EXIT PATTERN: checks $code and err.txt after run.
expect() {
  local name=$1 want=$2 pattern=$3
  if [ "$code" -ne "$want" ]; then
    fail "$name: exit $code, expected $want"; sed 's/^/    stderr: /' err.txt | head -5; return 1
  fi
  if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" err.txt; then
    fail "$name: stderr does not match /$pattern/"; sed 's/^/    stderr: /' err.txt | head -5; return 1
  fi
  if grep -Eq 'AddressSanitizer|runtime error:|LeakSanitizer|internal error' err.txt; then
    fail "$name: sanitizer report or internal error"; grep -E -m5 'Sanitizer|runtime error|internal' err.txt; return 1
  fi
  pass
}
# The visible text of an output, and its raw bytes made greppable (EPUB unzipped, PDF
# streams uncompressed).
text_of() { "$tests/tools/to_text.sh" "$1" "$2" 2>/dev/null; }
raw_of() {
  case "$1" in
    epub) unzip -p "$2" 2>/dev/null ;;
    pdf) if command -v qpdf > /dev/null; then qpdf --qdf --object-streams=disable "$2" - 2>/dev/null; else cat "$2"; fi ;;
    *) cat "$2" ;;
  esac
}
no_temp_files() { ! find "${1:-.}" -name '.*.relconv-*' | grep -q .; }

# ---------------------------------------------------------------------------------------
case_encoding() {
  printf -- '---\ntitle: Bytes\n---\nCaf\xe9 ok, a NUL \x00 here, \xed\xa0\x80 a surrogate, \xf4\x90\x80\x80 past U+10FFFF.\nLast \xc3 line\n' > enc.md
  for f in "${formats[@]}"; do
    run 20 "$relconv" --to "$f" -o "enc$(ext_of "$f")" enc.md
    expect "encoding/$f" 0 '^enc.md:4:4: warning: invalid UTF-8 replaced with U\+FFFD' || continue
    ok "encoding/$f: NUL at its column" "grep -q '^enc.md:4:16: warning: NUL byte replaced' err.txt"
    ok "encoding/$f: last line" "grep -q '^enc.md:5:6: warning: invalid UTF-8' err.txt"
    ok "encoding/$f: words kept" "text_of $f enc$(ext_of "$f") | grep -q 'past'"
  done
}

case_big() {
  python3 "$here/gen.py" big big.md 50
  run 120 "$relconv" --to txt -o big.txt big.md
  expect "50 MB document to txt" 0 '' && ok "50 MB: last words" "grep -q 'last words of the big document' big.txt"
  run 30 "$relconv" --to txt --max-input-size 10 -o refused.txt big.md
  expect "50 MB over --max-input-size 10" 1 '^big.md: error: input is 51 MiB, more than the limit of 10 MiB'
  ok "refused: no output" "[ ! -e refused.txt ]"
  run 30 sh -c "head -c 100000000 /dev/zero | '$relconv' --to txt --max-input-size 10 -"
  expect "endless standard input is cut at the limit" 1 '^<stdin>: error: input is more than the limit of 10 MiB'
  run 30 "$relconv" --to txt --max-input-size 1 /dev/zero
  expect "/dev/zero as input" 1 '^/dev/zero: error: input is more than the limit of 1 MiB'
  # Every format on a 5 MB document (2 MB under the sanitizers).
  python3 "$here/gen.py" big big5.md $((sanitized ? 2 : 5))
  for f in "${formats[@]}"; do
    run 240 "$relconv" --to "$f" -o "big5$(ext_of "$f")" big5.md
    expect "5 MB document to $f" 0 '' && ok "5 MB $f: last words" "text_of $f big5$(ext_of "$f") | grep -q 'document'"
  done
}

case_nesting() {
  nest quotes lists ordered mixed indented emphasis brackets links
  run 30 "$relconv" --to txt quotes.md
  ok "quotes: flattening warned with position" "grep -q '^quotes.md:1:[0-9]*: warning: content nested deeper than 64 levels is flattened' err.txt"
  run 30 "$relconv" --to txt --max-nesting 5 lists.md
  ok "--max-nesting 5" "grep -q 'deeper than 5 levels' err.txt"
}

# Raw HTML nested 10,000 deep (libxml2 stops at 255 levels).
case_html_nesting() { nest divs spans; }

nest() {
  for kind in "$@"; do
    python3 "$here/gen.py" "$kind" "$kind.md"
    for f in "${formats[@]}"; do
      run 30 "$relconv" --to "$f" -o "$kind$(ext_of "$f")" "$kind.md"
      expect "nesting $kind/$f" 0 '' || continue
      ok "nesting $kind/$f: text kept" "text_of $f $kind$(ext_of "$f") | grep -q 'deep'"
    done
  done
}

case_wide_table() {
  python3 "$here/gen.py" wide wide.md 20000
  for f in "${formats[@]}"; do
    run 60 "$relconv" --to "$f" -o "wide$(ext_of "$f")" wide.md
    expect "20,000-column table/$f" 0 '^wide.md:3:1: warning: a table row of 20000 cells is more than the limit of 1000 \(see --max-table-columns\)' || continue
    ok "wide/$f: last cells kept" "text_of $f wide$(ext_of "$f") | tr -d '\\n ' | grep -q 'c20000|' && text_of $f wide$(ext_of "$f") | grep -q 'After the table'"
  done
  ok "wide: the narrow table's wide row warned" "grep -q '^wide.md:9:1: warning: a table row of 20000 cells' err.txt"
  printf '| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n' > narrow.md
  run 10 "$relconv" --to txt --max-table-columns 2 narrow.md
  expect "--max-table-columns 2" 0 '^narrow.md:1:1: warning: a table row of 3 cells is more than the limit of 2'
}

case_yaml() {
  python3 "$here/gen.py" yaml-bomb bomb.md
  run 10 "$relconv" --to txt -o bomb.txt bomb.md
  expect "YAML bomb" 1 '^bomb.md:[0-9]+:[0-9]+: error: front matter expands to more than' && ok "bomb: no output" "[ ! -e bomb.txt ]"
  python3 "$here/gen.py" yaml-deep ydeep.md
  run 10 "$relconv" --to txt ydeep.md
  expect "YAML nested 10,000 deep" 1 '^ydeep.md:[0-9]+:[0-9]+: error: '
  printf -- '---\ntitle: [a]\n---\nx\n' > t1.md
  run 10 "$relconv" --to txt t1.md
  expect "title: [a]" 1 "^t1.md:2:8: error: 'title' must be text, not a list"
  printf -- '---\ntags: 5\n---\nx\n' > t2.md
  run 10 "$relconv" --to tree t2.md
  expect "tags: 5" 0 "^t2.md:2:7: warning: 'tags' should be a list; using '5' as its only item"
  printf -- '---\npublished: maybe\n---\nx\n' > t3.md
  run 10 "$relconv" --to txt t3.md
  expect "published: maybe" 1 "^t3.md:2:12: error: 'published' must be true or false"
  printf -- '---\ntitle: A\nauthor: x\ntitle: B\n---\nx\n' > dup.md
  run 10 "$relconv" --to tree dup.md
  expect "duplicate key" 0 "^dup.md:4:1: warning: duplicate key 'title'; the first value is used"
  ok "duplicate: first kept" "grep -q 'title \"A\"' out.txt"
  printf -- "---\ntitle: 'never closed\nauthor: Someone\ndate: 2024-01-01\n---\nBody\n" > q1.md
  run 10 "$relconv" --to txt q1.md
  expect "unterminated single quote" 1 "^q1.md:2:8: error: quoted value is never closed: it runs on to line 3"
  printf -- '---\ntitle: "never closed\nauthor: Someone\n---\nBody\n' > q2.md
  run 10 "$relconv" --to txt q2.md
  expect "unterminated double quote" 1 '^q2.md:2:8: error: (quoted value is never closed|malformed YAML)'
  printf -- '---\ntitle: x\n\tauthor: tab\n---\nBody\n' > tab.md
  run 10 "$relconv" --to txt tab.md
  expect "tab-indented YAML" 1 '^tab.md:[0-9]+:[0-9]+: error: malformed YAML'
  printf -- '---\ntitle: x\nauthor: Someone\n\nBody never closed\n' > open.md
  run 10 "$relconv" --to txt open.md
  expect "front matter never closed" 1 '^open.md:1:1: error: front matter opened here is never closed'
  printf -- '- [a, *a]\n' > meta-bomb.yaml
  python3 "$here/gen.py" yaml-bomb mb.md && sed -n '2,11p' mb.md > meta-bomb.yaml
  printf 'x\n' > plain.md
  run 10 "$relconv" --to txt --metadata-file meta-bomb.yaml plain.md
  expect "--metadata-file bomb" 1 '^meta-bomb.yaml:1:20: error: metadata file expands to more than'
  run 10 "$relconv" --to txt -M 'tags=&a [a, *a]' plain.md
  expect "-M with a value that contains itself" 1 "^-M tags:1:5: error: the value of -M tags expands to more than"
  run 10 "$relconv" --to txt -M 'title=[a, b' plain.md
  expect "-M malformed" 1 "^-M title:1:1: error: malformed YAML in the value of -M title '\\[a, b'"
}

case_paths() {
  mkdir -p doc/sub outside
  cp "$images/ok.png" outside/secret.png
  cp "$images/ok.png" doc/inside.png
  ln -s ../outside/secret.png doc/link-out.png
  ln -s inside.png doc/link-in.png
  cat > doc/post.md <<MD
![dots](../outside/secret.png) ![deep](../../../../../../etc/passwd) ![abs]($work/outside/secret.png)
![etc](/etc/passwd) ![link](link-out.png) ![encoded](%2e%2e/outside/secret.png) ![ok](link-in.png)
MD
  for f in "${formats[@]}"; do
    run 20 "$relconv" --to "$f" -o "paths$(ext_of "$f")" doc/post.md
    expect "image paths/$f" 0 '' || continue
    ok "paths/$f: passwd never read" "! raw_of $f paths$(ext_of "$f") | grep -aq 'root:x:0:0'"
    if grep -q 'outside the document' err.txt; then
      ok "paths/$f: six refused" "[ \$(grep -c 'outside the document' err.txt) -eq 6 ]"
      for n in 1:1 1:32 2:1 2:21 2:43; do
        ok "paths/$f: refused at $n" "grep -q '^doc/post.md:$n: warning: image .* lies outside the document.s folder' err.txt"
      done
      ok "paths/$f: link inside allowed" "! grep -q \"'link-in.png'\" err.txt"
      run 20 "$relconv" --to "$f" --resource-path outside -o "allowed$(ext_of "$f")" doc/post.md
      ok "paths/$f: --resource-path allows" "[ \$(grep -c 'outside the document' err.txt) -eq 2 ]"
    fi
  done
}

case_active_content() {
  cat > active.md <<'MD'
Text with <script>alert(1)</script> inline and a [link](javascript:alert(1)) and
[another](JaVaScRiPt:alert(2)) and <a href="javascript:alert(3)">html link</a> and
<img src="ok.png" onerror="alert(4)" alt="pic"> and <span onclick="x()">span</span>.

<script type="text/javascript">
document.write("bad");
</script>

<div onmouseover="alert(5)"><a href=" javascript:alert(6)">spaced</a> <SCRIPT>x</SCRIPT></div>

[ref]: javascript:alert(7)
See [ref]. <iframe src="javascript:alert(8)"></iframe>
MD
  cp "$images/ok.png" .
  for f in "${formats[@]}"; do
    run 20 "$relconv" --to "$f" -o "active$(ext_of "$f")" active.md
    expect "scripts and javascript: links/$f" 0 '' || continue
    for bad in '<script' 'javascript:' 'onerror='; do
      ok "active/$f: no '$bad'" "! raw_of $f active$(ext_of "$f") | grep -aiq -- '$bad'"
    done
    ok "active/$f: link text kept" "text_of $f active$(ext_of "$f") | grep -q 'html link'"
  done
}

case_output_is_input() {
  printf -- '---\ntitle: Keep me\n---\nBody\n' > keep.md
  cp keep.md keep.orig
  run 10 "$relconv" --to txt keep.md -o keep.md
  expect "-o the input" 2 "output 'keep.md' is the input 'keep.md'"
  run 10 "$relconv" --to txt keep.md -o ./././keep.md
  expect "-o the input, spelled differently" 2 "is the input"
  ln -s keep.md keep-link.md; ln keep.md keep-hard.md
  run 10 "$relconv" --to txt keep.md -o keep-link.md
  expect "-o a symlink to the input" 2 "is the input"
  run 10 "$relconv" --to txt keep.md -o keep-hard.md
  expect "-o a hard link to the input" 2 "is the input"
  run 10 "$relconv" --to txt keep.md -o keep.txt --depfile keep.md
  expect "--depfile the input" 2 "depfile 'keep.md' is the input"
  printf 'title: M\n' > meta.yaml
  run 10 "$relconv" --to txt --metadata-file meta.yaml keep.md -o meta.yaml
  expect "-o the metadata file" 2 "is the input 'meta.yaml'"
  printf 'Batch text\n' > notes.txt
  run 10 "$relconv" --to txt --out-dir . notes.txt
  expect "batch output is the input" 2 "^(./)?notes.txt: error: output is the input 'notes.txt'"
  ok "inputs unchanged" "cmp -s keep.md keep.orig && grep -q 'Batch text' notes.txt"
  ok "no temporary files" "no_temp_files"
}

case_unwritable() {
  printf -- '---\ntitle: W\n---\nBody\n' > w.md
  run 10 "$relconv" --to txt w.md -o no/such/folder/w.txt
  expect "output folder missing" 3 '^no/such/folder/w.txt: error: cannot write output: No such file'
  mkdir -p adir
  run 10 "$relconv" --to txt w.md -o adir
  expect "output is a folder" 3 '^adir: error: cannot write output: it is a folder'
  run 10 sh -c "'$relconv' --to txt w.md > /dev/full"
  expect "standard output is full" 3 '^<stdout>: error: cannot write to standard output: No space left on device'
  ln -s /dev/full full.txt
  run 10 "$relconv" --to txt w.md -o full.txt
  expect "-o a link to /dev/full" 3 '^full.txt: error: cannot write output: No space left on device'
  ok "/dev/full is still a device" "[ -c /dev/full ] && [ -L full.txt ]"
  if [ "$(id -u)" -ne 0 ]; then
    mkdir -p ro && chmod 555 ro
    run 10 "$relconv" --to txt w.md -o ro/w.txt
    expect "unwritable folder" 3 '^ro/w.txt: error: cannot write output: Permission denied'
  elif mkdir -p ro full && mount -t tmpfs -o ro,size=64k tmpfs ro 2>/dev/null; then
    mounted+=("$work/ro")
    run 10 "$relconv" --to txt w.md -o ro/w.txt
    expect "read-only folder" 3 '^ro/w.txt: error: cannot write output: Read-only file system'
  else
    skip "unwritable folder: root without mount permission"
  fi
  if [ "$(id -u)" -eq 0 ] && mkdir -p small && mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
    mounted+=("$work/small")
    echo "the previous output" > small/big.txt
    python3 "$here/gen.py" big small-big.md 1
    run 30 "$relconv" --to txt small-big.md -o small/big.txt
    expect "full disk" 3 '^small/big.txt: error: cannot write output: No space left on device'
    ok "full disk: previous output kept" "grep -q 'the previous output' small/big.txt"
    ok "full disk: no temporary file" "no_temp_files small"
  else
    skip "full disk: needs root and mount"
  fi
}

case_images() {
  local names=(ok.png ok.jpg corrupt.png truncated.png corrupt.jpg truncated.jpg interlaced.png palette-trns.png
               huge.png not-an-image.png empty.jpg)
  mkdir -p img && cp "$images"/*.png "$images"/*.jpg img/
  for n in "${names[@]}"; do printf -- '---\ntitle: %s\n---\nBefore ![the %s image](%s) after.\n' "$n" "$n" "$n" > "img/${n%.*}-${n#*.}.md"; done
  for f in "${formats[@]}"; do
    for n in "${names[@]}"; do
      local src="img/${n%.*}-${n#*.}.md" out="img/${n%.*}-${n#*.}$(ext_of "$f")"
      run 30 "$relconv" --to "$f" -o "$out" "$src"
      expect "image $n/$f" 0 '' || continue
      ok "image $n/$f: text kept" "text_of $f $out | grep -q 'after'"
      if [ "$f" = pdf ] && command -v qpdf > /dev/null; then ok "image $n/pdf: qpdf --check" "qpdf --check $out > /dev/null 2>&1"; fi
      if [ "$f" = epub ]; then ok "image $n/epub: zip intact" "unzip -tq $out > /dev/null"; fi
    done
  done
}

case_fonts() {
  if ! printf '%s\n' "${formats[@]}" | grep -qx pdf; then skip "fonts: no pdf backend"; return; fi
  local dejavu=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
  printf -- '---\ntitle: Fonts\n---\nSome *text* in the body.\n' > font.md
  printf 'This is not a font.\n' > text.ttf
  { printf 'OTTO\0\x0a\0\x80\0\x03\0\x20'; head -c 2000 /dev/urandom; } > cff.otf
  [ -f "$dejavu" ] && head -c 4096 "$dejavu" > truncated.ttf || printf 'x' > truncated.ttf
  mkdir -p fontdir
  local name font
  for spec in "missing:$work/no-such-font.ttf" "text:$work/text.ttf" "cff:$work/cff.otf" \
              "truncated:$work/truncated.ttf" "folder:$work/fontdir" "zero:/dev/zero"; do
    name=${spec%%:*} font=${spec#*:}
    printf 'fonts:\n  serif: %s\n' "$font" > "style-$name.yaml"
    run 30 "$relconv" --to pdf --style "style-$name.yaml" -o "font-$name.pdf" font.md
    expect "font $name" 1 'error: .*font' || continue
    ok "font $name: no output" "[ ! -e font-$name.pdf ] && no_temp_files"
  done
  printf 'fonts:\n  serif: [not, a, path]\n' > style-type.yaml
  run 30 "$relconv" --to pdf --style style-type.yaml -o font-type.pdf font.md
  expect "font key of the wrong type: the default font, a warning at the value" 0 \
    "^style-type.yaml:2:10: warning: 'fonts.serif' must be a string; ignored"
}

case_batch() {
  mkdir -p in/sub
  printf -- '---\ntitle: Good one\n---\nFirst good post.\n' > in/a-good.md
  printf -- '---\ntitle: [broken\n---\nBody\n' > in/b-badyaml.md
  python3 "$here/gen.py" yaml-bomb in/c-bomb.md
  printf -- '---\ntitle: Good two\n---\nSecond good post.\n' > in/sub/d-good.md
  python3 "$here/gen.py" wide in/e-wide.md 20000
  ln -s nowhere.md in/f-dangling.md
  printf 'Caf\xe9\n' > in/g-bytes.md
  mkdir -p outb
  run 240 "$relconv" --to "$(IFS=,; echo "${formats[*]}")" --out-dir outb -j 2 in
  expect "batch with broken inputs" 1 'relconv: [0-9]+ of [0-9]+ inputs converted, 3 failed'
  ok "batch: broken YAML reported" "grep -q '^in/b-badyaml.md:[0-9]*:[0-9]*: error: malformed YAML' err.txt"
  ok "batch: bomb reported" "grep -q '^in/c-bomb.md:.*error: front matter expands' err.txt"
  ok "batch: dangling link reported" "grep -q '^in/f-dangling.md: error: cannot read input' err.txt"
  for f in "${formats[@]}"; do
    for good in a-good sub/d-good e-wide g-bytes; do
      ok "batch/$f: $good converted" "made $f outb/$good"
    done
    ok "batch/$f: no output for the broken" "! made $f outb/b-badyaml && ! made $f outb/c-bomb"
  done
  ok "batch: no temporary files" "no_temp_files outb"
}

case_folder_input() {
  mkdir -p folder
  run 10 "$relconv" --to txt folder
  expect "a folder without --out-dir" 1 '^folder: error: cannot read input: it is a folder'
}

all=(encoding big nesting html_nesting wide_table yaml paths active_content output_is_input unwritable images fonts batch folder_input)
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=("${all[@]}")
for c in "${cases[@]}"; do
  start=$SECONDS
  current_case=$c
  "case_$c"
  for k in "${known[@]}"; do
    if [ "${k%%|*}" = "$c" ] && ! printf '%s\n' "${known_seen[@]}" | grep -qxF -- "$k"; then
      echo "FAIL: known failure '${k#*|}' no longer happens: remove it from the list in run.sh"
      failed=$((failed + 1))
    fi
  done
  echo "case $c: $((SECONDS - start)) s" >&2
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
