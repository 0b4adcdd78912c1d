// Fuzz target: Markdown in, one output format out. The first byte picks the backend
// (its index in the registry, modulo their number), so every backend registered in
// src/backend/registry.cpp is fuzzed without changes here; the rest is the document.
// Relative image paths resolve against tests/fuzz/images/, which holds a valid and a
// corrupt PNG and JPEG, so the image code of EPUB and PDF runs too.
//
// A render may warn, or throw relconv::Error for a document it cannot write; it must
// never crash, hang or grow without bound. (Whether scripts and javascript: links are
// stripped is checked by tests/hostile/, on inputs where the answer is known: prose may
// say "javascript:" and a text format then rightly prints it.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "backend/backend.h"
#include "convert/convert.h"
#include "parse/parse.h"

#ifndef RELCONV_FUZZ_IMAGES
#define RELCONV_FUZZ_IMAGES "."
#endif

// The folder images resolve against; replay_main.cpp --own-folder sets it to each input's
// real folder, so corpus posts find their own images.
extern "C" {
const char* relconv_fuzz_base_dir = nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relconv;
  if (size < 1) return 0;
  const auto& all = backends();
  const Backend& backend = *all[data[0] % all.size()];
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  ParseOptions options;
  options.max_nesting = 16;
  options.max_table_columns = 64;
  options.max_yaml_nodes = 2000;
  Diagnostics diag;
  try {
    Chapter ch = parse_markdown(bytes, "fuzz.md", relconv_fuzz_base_dir ? relconv_fuzz_base_dir : RELCONV_FUZZ_IMAGES,
                                diag, options);
    Document doc = single_document(std::move(ch));
    RenderOptions render_options;
    render_options.columns = 20 + (size % 60);
    render_options.toc = size % 2 == 0;
    render_options.source_date_epoch = 1700000000;
    ResourceLoader resources({}, 1u << 20);
    std::string out = relconv::render(backend, doc, render_options, diag, resources);
  } catch (const Error& e) {
    (void)format_diagnostic(e.diagnostic());
  }
  return 0;
}
