#!/usr/bin/env bash
# Installs every Debian 12 package that relconv's build, tests and benchmarks need.
# Runs apt-get as root, through sudo otherwise; prints nothing when all is already there.
set -euo pipefail

# Build: compilers, CMake, the libraries relconv links. clang and its sanitizer and
# libFuzzer runtimes build the instrumented pass of `make test` (ASan+UBSan and fuzz-smoke).
build_pkgs=(g++ clang libclang-rt-14-dev cmake ninja-build pkg-config make
  libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-cpp-dev libzip-dev libhpdf-dev
  libcli11-dev doctest-dev libutf8proc-dev libdeflate-dev libxxhash-dev libxml2-dev libpng-dev libjpeg-dev zlib1g-dev
  libfontconfig-dev libfreetype-dev fonts-dejavu-core fonts-dejavu-extra fonts-droid-fallback
  libharfbuzz-dev libfribidi-dev libicu-dev
  fonts-noto-core fonts-noto-cjk fonts-symbola)
# Tests: third-party validators and readers of what relconv writes.
test_pkgs=(epubcheck default-jre-headless qpdf poppler-utils mandoc groff groff-base man-db python3 cmark-gfm bsdextrautils
  unzip libxml2-utils python3-fonttools python3-pikepdf mupdf-tools fontconfig go-md2man ronn)
# Optional extras by flag: --bench adds the tools the benchmark compares against. --fuzz is
# kept for old scripts and adds nothing: clang is in the default set now.
extra_pkgs=()
for arg in "$@"; do
  case "$arg" in
    --bench) extra_pkgs+=(pandoc lowdown go-md2man time) ;;
    --fuzz) ;;
    *) echo "setup.sh: unknown option '$arg' (known: --bench, --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}" "${extra_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
