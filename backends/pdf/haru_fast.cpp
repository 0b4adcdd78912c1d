// Faster versions of four libharu 2.3.0 internals, put in their place by the dynamic
// linker; each gives the same results, so the PDF bytes do not change.
//
// libhpdf.so calls these functions through its PLT, and a program or module that defines
// a symbol which a library it links also defines is searched first, so libharu's own calls
// come here (ELF symbol interposition, as with malloc; `LD_DEBUG=bindings` shows it).
#include "backends/pdf/haru_fast.h"

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include <dlfcn.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

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
  if (n <= 4) {  // libharu copies 2 bytes at a time 262,144 times per font it sets up
    for (HPDF_UINT i = 0; i < n; ++i) out[i] = in[i];  // forwards, as libharu, if they overlap
    return out + n;
  }
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

// libharu writes an embedded TrueType font (HPDF_TTFontDef_SaveFontData, when the PDF is
// saved) by reading the font file and writing the copy four bytes at a time, each through
// its stream functions, then reading the copy back four bytes at a time for the
// checksums: a quarter of a million calls, 54 million instructions for a post's four
// faces, the biggest single cost of a short PDF. This version reads each table in one
// call and builds the same bytes in memory, step by step as libharu 2.3.0 does
// (hpdf_fontdef_tt.c):
// - a table directory of the 13 tables libharu keeps, with the search fields of the
//   original font, then the tables back to back, unpadded;
// - `head` from the parsed header, with checkSumAdjustment 0xB1B0AFBA minus the sum of
//   the table data's whole 32-bit words (the directory and a last partial word are not
//   counted);
// - `glyf` with only the glyphs marked used, and `loca` pointing into it;
// - `name` with the subset tag put before the family and full names;
// - the other tables copied.
// Anything this version does not expect (a table missing, data beyond the file) is left
// to libharu's own function. tests/unit/test_pdf.cpp compares the two on several fonts.
namespace {

constexpr const char* kSavedTables[] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                        "hmtx", "loca", "maxp", "name", "post", "prep"};
constexpr uint32_t kTableCount = sizeof kSavedTables / sizeof kSavedTables[0];

void put16(std::string& s, uint32_t v) {
  s.push_back(char((v >> 8) & 0xFF));
  s.push_back(char(v & 0xFF));
}

void put32(std::string& s, uint32_t v) {
  put16(s, v >> 16);
  put16(s, v & 0xFFFF);
}

uint32_t word_at(const std::string& s, size_t i) {
  auto b = [&](size_t k) { return uint32_t(static_cast<unsigned char>(s[k])); };
  return b(i) << 24 | b(i + 1) << 16 | b(i + 2) << 8 | b(i + 3);
}

const HPDF_TTFTable* find_table(HPDF_TTFontDefAttr attr, const char* tag) {
  for (HPDF_UINT i = 0; i < attr->offset_tbl.num_tables; ++i)
    if (std::memcmp(attr->offset_tbl.table[i].tag, tag, 4) == 0) return &attr->offset_tbl.table[i];
  return nullptr;
}

// `len` bytes at `offset` of the font file; false when they are not all there.
bool read_at(HPDF_Stream file, uint32_t offset, uint32_t len, std::string& out) {
  out.assign(len, '\0');
  if (len == 0) return true;
  if (HPDF_Stream_Seek(file, HPDF_INT(offset), HPDF_SEEK_SET) != HPDF_OK) return false;
  HPDF_UINT n = len;
  return HPDF_Stream_Read(file, reinterpret_cast<HPDF_BYTE*>(out.data()), &n) == HPDF_OK && n == len;
}

// The font file as libharu saves it, or false to leave it to libharu.
bool saved_font(HPDF_TTFontDefAttr attr, std::string& out) {
  if (!attr->stream || !attr->glyph_tbl.offsets || !attr->glyph_tbl.flgs) return false;
  const bool short_loca = attr->header.index_to_loc_format == 0;
  const HPDF_UINT glyphs = attr->num_glyphs;
  std::vector<uint32_t> new_offsets(glyphs + 1, 0);
  std::string data, table;
  uint32_t offsets[kTableCount], lengths[kTableCount];
  size_t check_sum_at = 0;
  for (uint32_t i = 0; i < kTableCount; ++i) {
    const char* tag = kSavedTables[i];
    const HPDF_TTFTable* t = find_table(attr, tag);
    if (!t) return false;
    offsets[i] = uint32_t(data.size());
    if (std::strcmp(tag, "head") == 0) {
      const HPDF_TTF_FontHeader& h = attr->header;
      data.append(reinterpret_cast<const char*>(h.version_number), 4);
      put32(data, h.font_revision);
      check_sum_at = data.size();
      put32(data, 0);
      put32(data, h.magic_number);
      put16(data, h.flags);
      put16(data, h.units_per_em);
      data.append(reinterpret_cast<const char*>(h.created), 8);
      data.append(reinterpret_cast<const char*>(h.modified), 8);
      for (int v : {int(h.x_min), int(h.y_min), int(h.x_max), int(h.y_max), int(h.mac_style),
                    int(h.lowest_rec_ppem), int(h.font_direction_hint), int(h.index_to_loc_format),
                    int(h.glyph_data_format)})
        put16(data, uint32_t(v) & 0xFFFF);
    } else if (std::strcmp(tag, "glyf") == 0) {
      if (!read_at(attr->stream, attr->glyph_tbl.base_offset, t->length, table)) return false;
      const size_t start = data.size();
      uint32_t saved = 0;
      for (HPDF_UINT g = 0; g < glyphs; ++g) {
        if (attr->glyph_tbl.flgs[g] != 1) {
          new_offsets[g] = saved;
          continue;
        }
        uint32_t at = attr->glyph_tbl.offsets[g];
        if (attr->glyph_tbl.offsets[g + 1] < at) return false;
        uint32_t len = attr->glyph_tbl.offsets[g + 1] - at;
        new_offsets[g] = uint32_t(data.size() - start);
        if (short_loca) {
          new_offsets[g] /= 2;
          len *= 2;
          at *= 2;
        }
        if (uint64_t(at) + len > table.size()) return false;
        data.append(table, at, len);
        saved = uint32_t(data.size() - start);
        if (short_loca) saved /= 2;
      }
      new_offsets[glyphs] = saved;
    } else if (std::strcmp(tag, "loca") == 0) {
      for (HPDF_UINT g = 0; g <= glyphs; ++g) {
        if (short_loca)
          put16(data, new_offsets[g] & 0xFFFF);
        else
          put32(data, new_offsets[g]);
      }
    } else if (std::strcmp(tag, "name") == 0) {
      if (!read_at(attr->stream, t->offset, t->length, table)) return false;
      const HPDF_TTF_NamingTable& names = attr->name_tbl;
      put16(data, names.format);
      put16(data, names.count);
      put16(data, names.string_offset);
      std::string strings;
      for (HPDF_UINT r = 0; r < names.count; ++r) {
        const HPDF_TTF_NameRecord& rec = names.name_records[r];
        const size_t from = size_t(names.string_offset) + rec.offset;
        if (from + rec.length > table.size()) return false;
        uint32_t len = rec.length;
        const uint32_t at = uint32_t(strings.size());
        if (rec.name_id == 1 || rec.name_id == 4) {
          const bool wide = rec.platform_id == 0 || rec.platform_id == 3;
          const char* prefix = wide ? attr->tag_name2 : attr->tag_name;
          const size_t size = wide ? sizeof attr->tag_name2 : sizeof attr->tag_name;
          strings.append(prefix, size);
          len += uint32_t(size);
        }
        for (uint32_t v : {uint32_t(rec.platform_id), uint32_t(rec.encoding_id), uint32_t(rec.language_id),
                           uint32_t(rec.name_id), len, at})
          put16(data, v & 0xFFFF);
        strings.append(table, from, rec.length);
      }
      data += strings;
    } else {
      if (!read_at(attr->stream, t->offset, t->length, table)) return false;
      data += table;
    }
    lengths[i] = uint32_t(data.size()) - offsets[i];
  }

  const uint32_t base = 12 + 16 * kTableCount;
  out.clear();
  out.reserve(base + data.size());
  put32(out, attr->offset_tbl.sfnt_version);
  put16(out, kTableCount);
  put16(out, attr->offset_tbl.search_range);
  put16(out, attr->offset_tbl.entry_selector);
  put16(out, attr->offset_tbl.range_shift);
  for (uint32_t i = 0; i < kTableCount; ++i) {
    uint32_t sum = 0;
    size_t k = offsets[i];
    const size_t end = size_t(offsets[i]) + lengths[i];
    for (; k + 4 <= end; k += 4) sum += word_at(data, k);
    for (int shift = 24; k < end; ++k, shift -= 8) sum += uint32_t(static_cast<unsigned char>(data[k])) << shift;
    out.append(kSavedTables[i], 4);
    put32(out, sum);
    put32(out, offsets[i] + base);
    put32(out, lengths[i]);
  }
  uint32_t adjustment = 0xB1B0AFBA;
  for (size_t k = 0; k + 4 <= data.size(); k += 4) adjustment -= word_at(data, k);
  std::string word;
  put32(word, adjustment);
  data.replace(check_sum_at, 4, word);
  out += data;
  attr->length1 = HPDF_UINT(data.size() + base);
  return true;
}

}  // namespace

extern "C" HPDF_STATUS HPDF_TTFontDef_SaveFontData(HPDF_FontDef fontdef, HPDF_Stream stream) {
  using Save = HPDF_STATUS (*)(HPDF_FontDef, HPDF_Stream);
  std::string font;
  if (saved_font(static_cast<HPDF_TTFontDefAttr>(fontdef->attr), font))
    return HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(font.data()), HPDF_UINT(font.size()));
  static const Save libharus = reinterpret_cast<Save>(dlsym(RTLD_NEXT, "HPDF_TTFontDef_SaveFontData"));
  if (!libharus) return HPDF_SetError(fontdef->error, HPDF_TTF_MISSING_TABLE, 0);
  return libharus(fontdef, stream);
}
