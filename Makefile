# A thin front for CMake. `make samples` converts samples/ into out/ in every format;
# `make test` runs the whole test suite through ctest. Both install what they need first.
BUILD ?= build
JOBS ?= $(shell nproc)
RELCONV = $(BUILD)/relconv
SAMPLES = $(wildcard samples/*.md)

.PHONY: all setup build samples test clean install

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

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) out
