# A thin front for CMake. `make samples` converts samples/ into out/ in every format;
# `make test` runs the whole test suite through ctest. Both install what they need first.
BUILD ?= build
JOBS ?= $(shell nproc)
RELCONV = $(BUILD)/relconv
SAMPLES = $(wildcard samples/*.md)

ASAN_BUILD ?= build-asan
# Left out of the sanitizer pass: tests that hand the corpus's outputs to third-party
# validators (epubcheck, qpdf, mandoc, the word check). The bytes are the same as in the
# normal pass; the corpus still runs through every backend in-process (fuzz-replay-posts).
ASAN_SKIP ?= (^corpus-|-corpus$$|epubcheck)

.PHONY: all setup build samples test test-asan fuzz clean install

all: build

setup:
	@bash scripts/setup.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Every sample into every format (out/<name>.<ext>), and all samples as one book per
# format (out/book/samples.<ext>).
samples: build
	@mkdir -p out/book
	@$(RELCONV) --list-formats | awk '$$1 != "tree" {split($$2, e, ","); print $$1, e[1]}' | \
	while read -r format ext; do \
	  $(RELCONV) --to $$format --out-dir out samples || exit $$?; \
	  $(RELCONV) --to $$format -M title='Python release announcements' \
	    -o out/book/samples$$ext $(SAMPLES) || exit $$?; \
	done
	@find out -type f | sort

# The suite, then the suite again under the sanitizers with a short fuzzing run
# (test-asan): 11 minutes in all on 2 cores (times below); CI has 90.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan

# The test suite again in ONE instrumented build: clang with RELCONV_FUZZ=ON, i.e.
# AddressSanitizer and UndefinedBehaviorSanitizer (any report fails the test that
# triggered it) plus libFuzzer's coverage, so the same build also has the fuzz targets and
# its ctest includes fuzz-smoke-parse and fuzz-smoke-render (each fuzzed for
# FUZZ_SMOKE_SECONDS; the render target's seeds are every seed in every backend, PDF
# included). clang comes from scripts/setup.sh; without it the configure step fails, so the
# pass fails rather than being skipped. A build folder left by an older gcc sanitizer pass
# is configured afresh (its cache would keep gcc).
# Measured on this 2-core machine, from empty build folders: the whole `make test` 11 min;
# this pass 5.5 of it (build 2 min, tests 3.5: hostile-big 88 s, hostile-html-nesting 42 s,
# fuzz-replay-posts 28 s, fuzz-smoke-parse and -render 27 s each, side by side). With the
# cores shared with another build it took twice as long (build 5.5, tests 5.5).
FUZZ_SMOKE_SECONDS ?= 25
# LeakSanitizer's suppressions for the instrumented pass (a leak inside fontconfig's own
# configuration loader: tests/lsan.supp).
LSAN_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
ASAN_CONFIGURE = if [ -f $(ASAN_BUILD)/CMakeCache.txt ] && \
	  ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang' $(ASAN_BUILD)/CMakeCache.txt; then rm -rf $(ASAN_BUILD); fi; \
	CC=clang CXX=clang++ cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELCONV_FUZZ=ON \
	  -DRELCONV_FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS)
test-asan: setup
	$(ASAN_CONFIGURE)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && $(LSAN_ENV) ctest --output-on-failure -j $(JOBS) -E '$(ASAN_SKIP)'

# Longer fuzzing (tests/fuzz/README.md) in the same instrumented build: each target for
# FUZZ_SECONDS, its learned corpus kept in $(ASAN_BUILD)/fuzz-work for the next run.
FUZZ_SECONDS ?= 60
fuzz: setup
	$(ASAN_CONFIGURE)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target relconv fuzz_parse fuzz_render
	$(LSAN_ENV) tests/fuzz/run.sh --build $(ASAN_BUILD) --seconds $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) out
