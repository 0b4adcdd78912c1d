#include "parse/cmark_arena.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

// Under AddressSanitizer every allocation is a block of its own, so that overflows of
// cmark-gfm's buffers are still caught (blocks are still freed only with the arena).
#if defined(__SANITIZE_ADDRESS__)
#define RELCONV_ARENA_EACH_BLOCK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RELCONV_ARENA_EACH_BLOCK 1
#endif
#endif

namespace relconv::detail {

namespace {

thread_local CmarkArena* t_arena = nullptr;

// Each allocation is preceded by its size, rounded up, in a 16-byte header.
constexpr size_t kHeader = 16;
size_t round16(size_t n) { return (n + 15) & ~size_t(15); }
size_t& size_of(void* p) { return *reinterpret_cast<size_t*>(static_cast<char*>(p) - kHeader); }

void* arena_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / 2 / size) std::abort();  // as cmark-gfm's own xcalloc
  void* p = t_arena->allocate(count * size);
  std::memset(p, 0, count * size);
  return p;
}
void* arena_realloc(void* p, size_t size) { return t_arena->reallocate(p, size); }
void arena_free(void*) {}

cmark_mem g_mem = {arena_calloc, arena_realloc, arena_free};

}  // namespace

CmarkArena::CmarkArena() : previous_(t_arena) { t_arena = this; }

CmarkArena::~CmarkArena() {
  for (void* b : blocks_) std::free(b);
  t_arena = previous_;
}

cmark_mem* CmarkArena::mem() { return &g_mem; }

void* CmarkArena::allocate(size_t size) {
  const size_t need = kHeader + round16(size);
#ifndef RELCONV_ARENA_EACH_BLOCK
  if (need <= left_) {
    char* p = next_ + kHeader;
    next_ += need;
    left_ -= need;
    size_of(p) = need - kHeader;
    last_ = p;
    return p;
  }
  if (need <= block_size_ / 4) {
    char* block = static_cast<char*>(std::malloc(block_size_));
    if (!block) std::abort();
    blocks_.push_back(block);
    next_ = block;
    left_ = block_size_;
    if (block_size_ < (1u << 20)) block_size_ *= 2;
    return allocate(size);
  }
#endif
  // Big (or, under the sanitizer, every) allocation: a block of its own.
  char* block = static_cast<char*>(std::malloc(need));
  if (!block) std::abort();
  blocks_.push_back(block);
  char* p = block + kHeader;
  size_of(p) = need - kHeader;
  return p;
}

void* CmarkArena::reallocate(void* p, size_t size) {
  if (!p) return allocate(size);
  const size_t old = size_of(p);
  if (size <= old) return p;
#ifndef RELCONV_ARENA_EACH_BLOCK
  const size_t grow = round16(size) - old;
  if (p == last_ && grow <= left_) {
    next_ += grow;
    left_ -= grow;
    size_of(p) = old + grow;
    return p;
  }
#endif
  void* q = allocate(size);
  std::memcpy(q, p, old);
  return q;
}

}  // namespace relconv::detail
