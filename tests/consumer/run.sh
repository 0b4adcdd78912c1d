#!/usr/bin/env bash
# Installs relconv from BUILD into a temporary prefix and builds tests/consumer/project with
# Ninja and with Make: the first build converts, a second does nothing, touching the image
# of post A rebuilds exactly post A and the book, and the library links and runs.
#   run.sh BUILD_DIR FORMAT
set -uo pipefail
build=$(realpath "$1") format=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failed=0 passed=0
ok() { if eval "$2"; then passed=$((passed + 1)); else echo "FAIL: $1"; failed=$((failed + 1)); fi; }
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
# A sanitizer build's library is instrumented: the consumer is compiled by the same
# compiler and linked with the sanitizer runtimes, as any project using such a build must.
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
extra=()
if [ "$(cache RELCONV_SANITIZE)" = ON ] || [ "$(cache RELCONV_FUZZ)" = ON ]; then
  extra=(-DCMAKE_CXX_COMPILER="$(cache CMAKE_CXX_COMPILER)" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined)
fi
stamp() { stat -c %Y.%y "$1" 2>/dev/null; }
# An installed relconv reads the styles installed beside it, wherever the prefix is.
echo "/* the installed copy */" >> "$work/prefix/share/relconv/styles/epub.css"
"$work/prefix/bin/relconv" -o "$work/styled.epub" "$here/project/docs/b/index.md" 2> /dev/null
ok "the installed program uses its installed styles" "unzip -p '$work/styled.epub' EPUB/styles/epub.css | grep -q 'the installed copy'"
# ... and loads the EPUB and PDF modules installed beside it, not those of the build folder.
for m in epub pdf; do
  LD_DEBUG=files "$work/prefix/bin/relconv" -o "$work/module.$m" "$here/project/docs/b/index.md" 2> "$work/ld.log"
  ok "the installed program loads its installed $m module" \
    "grep -q 'file=$work/prefix/[^ ]*/relconv/relconv-$m.so' '$work/ld.log' && [ -s '$work/module.$m' ]"
  if [ "$m" = epub ]; then ok "an EPUB without SVG images loads no libxml2" "! grep -q libxml2 '$work/ld.log'"; fi
done
# ... and the html module, which cleans SVG images, for an EPUB with one.
printf '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4" onload="x()"><path/></svg>\n' > "$work/dot.svg"
printf '# Plot\n\n![A dot](dot.svg)\n' > "$work/svg.md"
LD_DEBUG=files "$work/prefix/bin/relconv" -o "$work/svg.epub" "$work/svg.md" 2> "$work/ld.log"
ok "an EPUB with an SVG image loads the installed html module to clean it" \
  "grep -q 'file=$work/prefix/[^ ]*/relconv/relconv-html.so' '$work/ld.log' && unzip -p '$work/svg.epub' EPUB/images/image-1.svg | grep -q 'path d=\"\"' && ! unzip -p '$work/svg.epub' EPUB/images/image-1.svg | grep -q onload"
# Text from a document without raw HTML loads none of the modules' libraries.
LD_DEBUG=files "$work/prefix/bin/relconv" -o "$work/plain.txt" "$here/project/docs/b/index.md" 2> "$work/ld.log"
ok "text without raw HTML loads no module" "[ -s '$work/plain.txt' ] && ! grep -Eq 'relconv-|libxml2|libzip|libhpdf' '$work/ld.log'"
# ... and its raw-HTML module, for a document with raw HTML.
printf 'Text with <b>raw</b> HTML.\n\n<table><tr><td>cell</td></tr></table>\n' > "$work/html.md"
LD_DEBUG=files "$work/prefix/bin/relconv" -o "$work/html.txt" "$work/html.md" 2> "$work/ld.log"
ok "the installed program loads its installed html module" \
  "grep -q 'file=$work/prefix/[^ ]*/relconv/relconv-html.so' '$work/ld.log' && grep -q cell '$work/html.txt' && ! grep -q '<b>' '$work/html.txt'"
for gen in Ninja "Unix Makefiles"; do
  src="$work/src-${gen// /_}" bld="$work/build-${gen// /_}"
  cp -r "$here/project" "$src"
  cmake -S "$src" -B "$bld" -G "$gen" -DCMAKE_PREFIX_PATH="$work/prefix" -DFORMAT="$format" "${extra[@]}" > "$work/cfg.log" 2>&1 \
    || { echo "FAIL: configure with $gen"; cat "$work/cfg.log"; failed=$((failed + 1)); continue; }
  cmake --build "$bld" > "$work/b1.log" 2>&1 || { echo "FAIL: first build with $gen"; cat "$work/b1.log"; failed=$((failed + 1)); continue; }
  ok "$gen: first build converts" "[ -s '$bld/a.$format' ] && [ -s '$bld/b.$format' ] && [ -s '$bld/book.$format' ]"
  ok "$gen: depfile lists the image" "grep -q 'docs/a/pic.png' '$bld/a.$format.d'"
  a1=$(stamp "$bld/a.$format") b1=$(stamp "$bld/b.$format") k1=$(stamp "$bld/book.$format")
  sleep 1
  cmake --build "$bld" > "$work/b2.log" 2>&1
  ok "$gen: second build converts nothing" "! grep -q 'relconv:' '$work/b2.log' && [ '$(stamp "$bld/a.$format")' = '$a1' ]"
  touch "$src/docs/a/pic.png"
  cmake --build "$bld" > "$work/b3.log" 2>&1
  ok "$gen: touching the image rebuilds post A" "[ '$(stamp "$bld/a.$format")' != '$a1' ]"
  ok "$gen: ... and the book that includes it" "[ '$(stamp "$bld/book.$format")' != '$k1' ]"
  ok "$gen: ... but not post B" "[ '$(stamp "$bld/b.$format")' = '$b1' ]"
  ok "$gen: the library API works" "'$bld/use_api' '$src/docs/b/index.md' | grep -q 'Post B has only text.'"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
