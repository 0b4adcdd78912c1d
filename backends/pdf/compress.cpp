#include "backends/pdf/compress.h"

#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <libdeflate.h>

#include <algorithm>
#include <new>

namespace relconv::pdf {

namespace {

// libharu writes a stream with no filter of its own as it is, and drops any /Filter key
// from its dictionary (HPDF_Dict_Write); a dictionary's write_fn runs after its keys are
// written, so it names the filter of the data deflated here.
HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

// Streams shorter than this are left as they are: a filter would not pay for its name.
constexpr size_t kMinSize = 32;

// A compressor per thread, for the thread's lifetime.
struct Deflater {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  ~Deflater() {
    if (c) libdeflate_free_compressor(c);
  }
};

}  // namespace

void StreamCompressor::add(HPDF_Dict dict, std::vector<uint8_t> data) {
  if (data.size() < kMinSize) return;
  Job& j = jobs_.emplace_back();
  j.dict = dict;
  j.data = std::move(data);
  // Marked as taken: finish() skips a stream with a write_fn.
  dict->write_fn = write_flate_filter;
  queue_.submit([&j] {
    thread_local Deflater deflater;
    if (!deflater.c) {
      j.failed = true;
    } else {
      j.packed.resize(libdeflate_zlib_compress_bound(deflater.c, j.data.size()));
      const size_t n = libdeflate_zlib_compress(deflater.c, j.data.data(), j.data.size(), j.packed.data(),
                                                j.packed.size());
      j.failed = n == 0;
      j.packed.resize(n);
    }
    std::vector<uint8_t>().swap(j.data);
  });
}

void StreamCompressor::add(HPDF_Dict dict) {
  if (!dict->stream || dict->filter != HPDF_STREAM_FILTER_NONE || dict->write_fn) return;
  const HPDF_UINT32 size = HPDF_Stream_Size(dict->stream);
  if (size < kMinSize) return;
  std::vector<uint8_t> data(size);
  HPDF_UINT len = size;
  HPDF_Stream_Seek(dict->stream, 0, HPDF_SEEK_SET);
  HPDF_Stream_Read(dict->stream, data.data(), &len);
  data.resize(len);
  add(dict, std::move(data));
}

void StreamCompressor::finish(HPDF_Doc pdf) {
  // The rest: every stream without a filter, largest first, so that a big one does not
  // come last to a thread.
  std::vector<std::pair<HPDF_UINT32, HPDF_Dict>> rest;
  HPDF_List entries = pdf->xref->entries;
  for (HPDF_UINT i = 0; i < entries->count; ++i) {
    auto* entry = static_cast<HPDF_XrefEntry>(HPDF_List_ItemAt(entries, i));
    if (!entry || !entry->obj) continue;
    auto* header = static_cast<HPDF_Obj_Header*>(entry->obj);
    if ((header->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT) continue;
    auto* dict = static_cast<HPDF_Dict>(entry->obj);
    // A stream with a write_fn is taken already, or written by libharu's own code.
    if (!dict->stream || dict->filter != HPDF_STREAM_FILTER_NONE || dict->write_fn) continue;
    rest.push_back({HPDF_Stream_Size(dict->stream), dict});
  }
  std::stable_sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& r : rest) add(r.second);
  queue_.wait();
  for (const Job& j : jobs_)
    if (j.failed) throw std::bad_alloc();
  for (Job& j : jobs_) {
    HPDF_MemStream_FreeData(j.dict->stream);
    HPDF_Stream_Write(j.dict->stream, j.packed.data(), HPDF_UINT(j.packed.size()));
    std::vector<uint8_t>().swap(j.packed);
  }
  jobs_.clear();
}

}  // namespace relconv::pdf
