// Faster versions of three libharu 2.3.0 internals, put in their place by the dynamic
// linker; each gives the same results, so the PDF bytes do not change.
//
// libhpdf.so calls these functions through its PLT, and a program or module that defines
// a symbol which a library it links also defines is searched first, so libharu's own calls
// come here (ELF symbol interposition, as with malloc; `LD_DEBUG=bindings` shows it).
#include "backends/pdf/haru_fast.h"

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include <algorithm>
#include <cstring>

namespace {

// The segment of a format 4 cmap that holds `code`: the first whose end code is not below
// it, as libharu's HPDF_TTFontDef_GetGlyphid walks to (below). libharu asks for the codes
// in increasing order when it sets a font up, so the segment of the last answer, or the
// one after it, is tried first; then a binary search when the end codes are in order, as
// the TrueType specification requires, else libharu's walk. The cache is per thread and
// emptied whenever a document's fonts are set up or freed, so a font's arrays are never
// mistaken for those of a font freed before.
struct SegmentCache {
  const HPDF_UINT16* ends = nullptr;
  unsigned count = 0;
  bool sorted = false;
  unsigned last = 0;
};
// initial-exec: the module is loaded by dlopen, where the default model calls
// __tls_get_addr on every access (a third of the lookup's cost).
__attribute__((tls_model("initial-exec"))) thread_local SegmentCache segment_cache;

unsigned find_segment(const HPDF_UINT16* ends, unsigned n, HPDF_UINT16 code) {
  SegmentCache& c = segment_cache;
  if (c.ends != ends || c.count != n) c = SegmentCache{ends, n, std::is_sorted(ends, ends + n), 0};
  if (!c.sorted) {
    unsigned i = 0;
    while (i < n && code > ends[i]) ++i;
    return i;
  }
  for (unsigned i : {c.last, c.last + 1})
    if (i < n && code <= ends[i] && (i == 0 || ends[i - 1] < code)) return c.last = i;
  const unsigned i = unsigned(std::lower_bound(ends, ends + n, code) - ends);
  if (i < n) c.last = i;
  return i;
}

}  // namespace

namespace relconv::pdf {

void forget_glyph_lookups() { segment_cache = SegmentCache{}; }

}  // namespace relconv::pdf

// libharu finds a character's glyph by walking the font's cmap segments one by one, and
// it does so for each of the 65,536 UCS-2 codes every time a TrueType font is set up with
// the UTF-8 encoder (CIDFontType2_New, to build CIDToGIDMap and /W), and again for each
// character it measures. DejaVu Sans has 193 segments: setting up one face cost about
// 60 million instructions, a sixth of the time of a 275-page book, and most of the time of
// a short post made into a PDF.
//
// This version finds the same segment with find_segment() and reads the same arrays
// (tests/unit/test_pdf.cpp compares every code of three default fonts, in both orders,
// with libharu's own function, found with dlsym(RTLD_NEXT)).
extern "C" HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode) {
  auto* attr = static_cast<HPDF_TTFontDefAttr>(fontdef->attr);
  const HPDF_TTF_CmapRange& cmap = attr->cmap;
  if (cmap.format == 0) return cmap.glyph_id_array[unicode & 0xFF];
  if (cmap.seg_count_x2 == 0) {
    HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
    return 0;
  }
  const unsigned seg_count = cmap.seg_count_x2 / 2u;
  const unsigned i = find_segment(cmap.end_count, seg_count, unicode);
  // Past the last segment (a font without the final 0xFFFF segment): libharu reads one
  // entry beyond its arrays here; there is no glyph.
  if (i == seg_count) return 0;
  if (cmap.start_count[i] > unicode) return 0;
  if (cmap.id_range_offset[i] == 0) return HPDF_UINT16(unicode + cmap.id_delta[i]);
  const HPDF_UINT idx = cmap.id_range_offset[i] / 2u + (unicode - cmap.start_count[i]) - (seg_count - i);
  // libharu's own test lets idx == count through (one entry past the array); this one
  // does not.
  if (idx >= cmap.glyph_id_array_count) return 0;
  return HPDF_UINT16(cmap.glyph_id_array[idx] + cmap.id_delta[i]);
}

// libharu copies and fills memory one byte at a time (hpdf_utils.c): moving the pages'
// content and images through its memory streams cost a tenth of a book's PDF. These
// return what libharu's do (the end of what was written) and, where the two ranges
// overlap with the target after the source, copy forwards byte by byte as libharu does.
extern "C" HPDF_BYTE* HPDF_MemCpy(HPDF_BYTE* out, const HPDF_BYTE* in, HPDF_UINT n) {
  if (out > in && out < in + n) {
    while (n > 0) {
      *out++ = *in++;
      --n;
    }
    return out;
  }
  std::memmove(out, in, n);
  return out + n;
}

extern "C" void* HPDF_MemSet(void* s, HPDF_BYTE c, HPDF_UINT n) {
  std::memset(s, c, n);
  return static_cast<HPDF_BYTE*>(s) + n;
}
