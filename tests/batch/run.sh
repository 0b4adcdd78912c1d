#!/usr/bin/env bash
# Batch mode, books and build-system options, for every format relconv lists:
# byte-identical results whatever --jobs is and the same as one conversion per file,
# a broken input reported while the rest convert, mirrored folders, depfiles,
# --if-changed, and book selection (drafts, tags, order, metadata file, links between posts).
#   run.sh RELCONV
set -uo pipefail
relconv=$(realpath "$1")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
ok() { if eval "$2"; then passed=$((passed + 1)); else echo "FAIL: $1"; failed=$((failed + 1)); fi; }
formats=$("$relconv" --list-formats | awk '$1 != "tree" {print $1}' | paste -sd, -)

mkdir -p in/2023 in/2024/deep
printf -- '---\ntitle: Old post\ndate: 2023-05-01\ntags: [python]\nlegacyUrl: /2023/05/old.html\n---\n\nThe old post, *emphasis*.\n' > in/2023/old.md
printf -- '---\ntitle: New post\ndate: 2024-02-01\ntags: [release]\n---\n\nSee [the old post](https://blog.example.org/2023/05/old.html).\n' > in/2024/new.md
printf -- '---\ntitle: Draft\ndate: 2024-03-01\npublished: false\n---\n\nNot ready.\n' > in/2024/deep/draft.md
printf -- '---\ntitle: [broken\n---\n\nBody.\n' > in/2024/broken.md

# Batch: one broken input, the rest converted, a summary, exit 1.
"$relconv" --to "$formats" --out-dir out1 --jobs 1 in > log1 2> err1; status=$?
ok "batch exits 1 when an input is broken" "[ $status -eq 1 ]"
ok "the broken input is named with its position" "grep -Eq '^in/2024/broken.md:[0-9]+:[0-9]+: error: malformed YAML' err1"
ok "a summary says how many failed" "grep -q '3 of 4 inputs converted, 1 failed' err1"
ok "outputs mirror the input folders" "[ -f out1/2023/old.txt ] && [ -f out1/2024/deep/draft.txt ] && [ ! -e out1/2024/broken.txt ]"
ok "quiet on stdout" "[ ! -s log1 ]"
for jobs in 2 4; do
  "$relconv" --to "$formats" --out-dir out$jobs --jobs $jobs in 2> /dev/null
  ok "--jobs $jobs gives the same bytes as --jobs 1" "diff -r out1 out$jobs > /dev/null"
done
# The same bytes as converting each file alone, from another folder, in another time zone.
mkdir -p single && cd single
IFS=, read -r -a fmts <<< "$formats"
for f in "${fmts[@]}"; do
  ext=$("$relconv" --list-formats | awk -v f="$f" '$1 == f {split($2, e, ","); print e[1]}')
  for p in 2023/old 2024/new; do
    [ "$f" = man ] && ext=$(ls "../out1/$p".* | grep -v -E '\.(txt|epub|pdf)$' | head -1 | sed 's/.*\././')
    TZ=Pacific/Kiritimati LC_ALL=C "$relconv" --to "$f" -o "x$ext" "../in/$p.md" 2> /dev/null
    ok "$f: batch output of $p equals a single conversion" "cmp -s 'x$ext' '../out1/$p$ext'"
  done
done
cd "$work"

# Files named one by one keep their folders below the folder they share.
mkdir -p posts/a posts/b
printf 'Post a.\n' > posts/a/index.md; printf 'Post b.\n' > posts/b/index.md; printf 'Post c.\n' > posts/b/index.markdown
"$relconv" --to txt --out-dir outf posts/a/index.md posts/b/index.md 2> errf; status=$?
ok "index.md files keep their folders" "[ $status -eq 0 ] && grep -q 'Post a' outf/a/index.txt && grep -q 'Post b' outf/b/index.txt"
"$relconv" --to txt --out-dir outc posts/b/index.md posts/b/index.markdown 2> errc; status=$?
# Folders given together keep their own names (they used to clash: both gave index.*).
"$relconv" --to txt --out-dir outd posts/a posts/b/ 2> errd; status=$?
ok "folders given together keep their names" "[ $status -eq 1 ] && grep -q 'Post a' outd/a/index.txt && grep -Eq 'Post [bc]' outd/b/index.txt && ! grep -q 'posts/a' errd"
ok "folders given together: the clash inside one is still refused" "grep -q 'would write the same outputs' errd"
ok "two inputs with one output name: the second is refused, not overwritten" "[ $status -eq 1 ] && grep -q 'would write the same outputs' errc && grep -q 'Post b' outc/index.txt"

# Man pages: .ronn files are found in folders, and a page is written name.section.
mkdir -p pages
printf 'tool-x(1) -- Do x\n=================\n\n## DESCRIPTION\n\nText.\n' > pages/tool-x.1.ronn
printf '## NAME\npodman\\-run - Run a command\n' > pages/podman-run.1.md
SOURCE_DATE_EPOCH=1700000000 "$relconv" --to man --out-dir outm pages 2> errm; status=$?
ok "a .ronn file in a folder is converted" "[ $status -eq 0 ] && grep -q '^.TH TOOL\\\\-X 1 ' outm/tool-x.1"
ok "podman-run.1.md is written podman-run.1" "[ -f outm/podman-run.1 ] && [ ! -e outm/podman-run.1.1 ]"

# Depfile and --if-changed.
"$relconv" --to txt --depfile d.d -o one.txt in/2023/old.md
ok "depfile names the output and the input" "grep -q '^one.txt:' d.d && grep -q 'in/2023/old.md' d.d"
before=$(stat -c %y one.txt); sleep 1
"$relconv" --to txt --if-changed -o one.txt in/2023/old.md
ok "--if-changed leaves an unchanged output alone" "[ \"$(stat -c %y one.txt)\" = \"$before\" ]"
"$relconv" --to txt -o one.txt in/2023/old.md
ok "without it the file is rewritten" "[ \"$(stat -c %y one.txt)\" != \"$before\" ]"

# Books.
good=(in/2023/old.md in/2024/new.md in/2024/deep/draft.md)
"$relconv" --to tree -M title=Blog "${good[@]}" > book.tree
ok "drafts are left out of books" "! grep -q 'Not ready' book.tree"
"$relconv" --to tree -M title=Blog --include-drafts "${good[@]}" > book.tree
ok "--include-drafts keeps them" "grep -q 'Not ready' book.tree"
"$relconv" --to tree -M title=Blog --tag release "${good[@]}" > book.tree
ok "--tag keeps only posts with the tag" "grep -q 'New post' book.tree && ! grep -q 'Old post' book.tree"
"$relconv" --to tree -M title=Blog in/2024/new.md in/2023/old.md > book.tree
ok "books are ordered by date" "[ \"\$(grep -o 'title \"[A-Z][a-z]* post\"' book.tree | head -1)\" = 'title \"Old post\"' ]"
"$relconv" --to tree -M title=Blog --order input in/2024/new.md in/2023/old.md > book.tree
ok "--order input keeps the order given" "[ \"\$(grep -o 'title \"[A-Z][a-z]* post\"' book.tree | head -1)\" = 'title \"New post\"' ]"
"$relconv" --to tree -M title=Blog in/2024/new.md in/2023/old.md > book.tree
ok "a link to another post of the book becomes internal" "grep -q 'link \"#chapter-1\"' book.tree"
ok "each chapter keeps its own title and date" "grep -q 'title \"Old post\"' book.tree && grep -q 'date \"2024-02-01\"' book.tree"
printf 'title: From a file\nauthor: [A, B]\nlang: en-GB\n' > meta.yaml
"$relconv" --to tree --metadata-file meta.yaml in/2024/new.md in/2023/old.md > book.tree
ok "--metadata-file sets the book's metadata" "sed -n '2,8p' book.tree | grep -q 'title \"From a file\"' && grep -q 'language \"en-GB\"' book.tree"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
