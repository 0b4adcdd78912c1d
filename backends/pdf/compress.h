// Stream compression for the PDF writer. libharu writes its streams as they are (its own
// zlib compression is switched off: it runs on one thread, at save); relconv deflates them
// with libdeflate instead, on the --jobs threads, and early: an image's pixels are
// handed over as soon as it is embedded, a page's contents as soon as it is drawn, and are
// deflated in the background while the next pages are drawn. finish() deflates the rest (page contents, font programs,
// ToUnicode maps), waits, and puts every result into its stream. The bytes written do not
// depend on the number of threads.
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "convert/parallel.h"

namespace relconv::pdf {

class StreamCompressor {
 public:
  // `jobs` threads in all, the caller's among them: with 1, nothing runs in the
  // background and finish() does all the work.
  explicit StreamCompressor(int jobs) : queue_(size_t(std::max(jobs, 1))) {}
  StreamCompressor(const StreamCompressor&) = delete;
  StreamCompressor& operator=(const StreamCompressor&) = delete;

  // The data of `dict`'s stream, which holds the same bytes (libharu's copy), to be
  // deflated now in the background; finish() replaces the stream's bytes with the result.
  void add(HPDF_Dict dict, std::vector<uint8_t> data);
  // The same for a stream that is complete (a drawn page's contents): its bytes are read
  // from libharu's copy here, on the caller's thread.
  void add(HPDF_Dict dict);
  // Deflates every other stream of `pdf` without a filter yet, waits for all, and writes
  // the results into their streams. Throws std::bad_alloc when libdeflate cannot work.
  void finish(HPDF_Doc pdf);

 private:
  struct Job {
    HPDF_Dict dict = nullptr;
    std::vector<uint8_t> data, packed;
    bool failed = false;
  };
  std::deque<Job> jobs_;  // in the order added (a deque: their addresses stay)
  TaskQueue queue_;       // after jobs_, which its tasks use
};

}  // namespace relconv::pdf
