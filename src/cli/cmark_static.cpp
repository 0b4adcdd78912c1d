// Linked into the relconv program only, when it links cmark-gfm statically
// (RELCONV_STATIC_DEPS, CMakeLists.txt): the loader then has two libraries fewer to map and
// bind for every process, which is most of what one process per document costs above
// cmark-gfm's own CLI (bench/README.md).
//
// cmark-gfm 0.29 keeps the characters that start an extension's inlines in process-wide
// tables that every parser sets and clears around its inline parsing (see
// tables_are_shared() in src/parse/markdown.cpp). With the shared library, relconv
// interposes the function that does it. A static archive has that function inlined into
// cmark_parser_finish, so here the linker routes the two calls underneath it to the
// functions below instead (ld --wrap): they pass through until relconv has set the tables
// once for every parser, and do nothing after, so parsers on several threads no longer
// clear each other's characters.
#include <atomic>

extern "C" {
void __real_cmark_inlines_add_special_character(unsigned char c, bool emphasis);
void __real_cmark_inlines_remove_special_character(unsigned char c, bool emphasis);
}

namespace {
std::atomic<bool> g_tables_fixed{false};
}

extern "C" {

void __wrap_cmark_inlines_add_special_character(unsigned char c, bool emphasis) {
  if (!g_tables_fixed.load(std::memory_order_acquire)) __real_cmark_inlines_add_special_character(c, emphasis);
}

void __wrap_cmark_inlines_remove_special_character(unsigned char c, bool emphasis) {
  if (!g_tables_fixed.load(std::memory_order_acquire)) __real_cmark_inlines_remove_special_character(c, emphasis);
}

// Called by tables_are_shared() once the tables hold every extension's characters.
void relconv_cmark_fix_tables() { g_tables_fixed.store(true, std::memory_order_release); }
}
