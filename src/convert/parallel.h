// Work shared out over threads: the inputs of a book, the documents of a batch, the files
// of an EPUB. Results go into slots by index, so what is written never depends on which
// thread did what.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace relconv {

// Calls fn(i, worker) for every i in [0, count) on up to `threads` threads, the caller's
// among them; `worker` (below min(threads, count)) says which thread it is, for state kept
// per thread. Each thread takes the next index when it has finished one. fn must not
// throw: keep a failure in its slot.
template <typename Fn>
void parallel_for(size_t count, size_t threads, Fn&& fn) {
  threads = std::max<size_t>(1, std::min(threads, count));
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    for (size_t i; (i = next++) < count;) fn(i, worker);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
}

}  // namespace relconv
