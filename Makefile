# A thin front for CMake. `make samples` converts samples/ into out/ in every format;
# `make test` runs the whole test suite through ctest. Both install what they need first.
BUILD ?= build
JOBS ?= $(shell nproc)
RELCONV = $(BUILD)/relconv
SAMPLES = $(wildcard samples/*.md)

ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# Left out of the sanitizer pass: tests that hand the corpus's outputs to third-party
# validators (epubcheck, qpdf, mandoc, the word check). The bytes are the same as in the
# normal pass; the corpus still runs through every backend in-process (fuzz-replay-posts).
# Also consumer-project: it links the installed, instrumented library into a project built
# without the sanitizers, which cannot link.
ASAN_SKIP ?= (^corpus-|-corpus$$|epubcheck|^consumer-project$$)

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

# The suite, then the suite again under the sanitizers (test-asan): about 8 minutes more on
# 2 cores (build 3.5-5, tests 3.5), measured with every backend in; CI has 90.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) test-asan

# The test suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer (any
# report fails the test that triggered it).
test-asan: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELCONV_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -E '$(ASAN_SKIP)'

# libFuzzer (clang): build, then fuzz each target for FUZZ_SECONDS (tests/fuzz/README.md).
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/setup.sh --fuzz
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DRELCONV_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target relconv fuzz_parse fuzz_render
	tests/fuzz/run.sh --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) out
