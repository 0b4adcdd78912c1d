// Memory for cmark-gfm's trees. Internal to src/parse/.
//
// cmark-gfm allocates every node, every string buffer and every inline-parsing
// temporary on its own, and frees them one by one: 12% of the instructions of a whole
// book as text went to malloc and free on its behalf. A tree that lives in a CmarkArena
// is allocated from a few large blocks and freed all at once: cmark-gfm's free() does
// nothing, and the arena's destructor gives the blocks back. Temporaries are not reused
// while the arena lives, so the parser uses an arena for documents up to a size only
// (kMaxArenaInput), where the memory this costs stays small.
//
// cmark-gfm's allocator has no context argument, so the arena in use is the calling
// thread's innermost live CmarkArena: every cmark-gfm call that allocates for a tree
// (parsing it, cmark_node_get_literal, cmark_iter_new) must happen while its arena is the
// innermost one. Arenas nest strictly (a parse inside a parse, for HTML that holds
// Markdown).
#pragma once

#include <cmark-gfm.h>

#include <cstddef>
#include <vector>

namespace relconv::detail {

class CmarkArena {
 public:
  static constexpr size_t kMaxArenaInput = 2u << 20;

  CmarkArena();   // becomes the calling thread's arena
  ~CmarkArena();  // frees all it holds; the arena before it is the thread's again
  CmarkArena(const CmarkArena&) = delete;
  CmarkArena& operator=(const CmarkArena&) = delete;

  // The allocator to give cmark_parser_new_with_mem().
  static cmark_mem* mem();

  void* allocate(size_t size);
  void* reallocate(void* p, size_t size);

 private:
  std::vector<void*> blocks_;
  char* next_ = nullptr;   // free space in the current block
  size_t left_ = 0;
  char* last_ = nullptr;   // the latest allocation, which may grow where it is
  size_t block_size_ = 64u << 10;
  CmarkArena* previous_;
};

}  // namespace relconv::detail
