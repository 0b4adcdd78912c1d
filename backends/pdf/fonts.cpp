#include "backends/pdf/fonts.h"

#include <fontconfig/fontconfig.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>
#include <map>
#include <mutex>

#include "text/utf8.h"

// From <fontconfig/fcfreetype.h>, declared here because that header pulls in FreeType's
// headers, which the build does not otherwise need; the function itself uses no FreeType
// type.
extern "C" FcPattern* FcFreeTypeQuery(const FcChar8* file, unsigned int id, FcBlanks* blanks,
                                      int* count);

namespace relconv::pdf {

namespace {

// The Basic Multilingual Plane coverage of each font file (one bit per character, 8 KB
// a font), kept for the life of the process: the set of files is the handful a style
// names. (libharu draws nothing beyond the BMP, so that is all that is asked.) Copied out of
// fontconfig's FcCharSet, which is freed at once.
using Coverage = std::vector<uint64_t>;

const Coverage& coverage_of(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, Coverage> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  Coverage bits(65536 / 64, 0);
  int count = 0;
  if (FcPattern* pattern =
          FcFreeTypeQuery(reinterpret_cast<const FcChar8*>(path.c_str()), 0, nullptr, &count)) {
    FcCharSet* cs = nullptr;
    if (FcPatternGetCharSet(pattern, FC_CHARSET, 0, &cs) == FcResultMatch && cs)
      for (FcChar32 cp = 0; cp < 65536; ++cp)
        if (FcCharSetHasChar(cs, cp)) bits[cp / 64] |= uint64_t(1) << (cp % 64);
    FcPatternDestroy(pattern);
  }
  return cache.emplace(path, std::move(bits)).first->second;
}

// libharu 2.3.0 gives a Type0 font with the UTF-8 encoder a ToUnicode CMap that holds a
// `begincidrange` (a CID-keyed CMap operator, not a ToUnicode one: PDF 32000-1:2008,
// 9.10.3). Poppler warns "Invalid 'begincidrange' operator in ToUnicode CMap" for every
// font and macOS Preview copies garbage (libharu#290). The codes it writes are the UCS-2
// values of the characters, so the correct map is the identity, written as bfranges
// (which may not cross a change of the high byte; surrogates are left out).
void fix_to_unicode(HPDF_Font font) {
  auto* dict = static_cast<HPDF_Dict>(font);
  auto* cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(dict, "ToUnicode", HPDF_OCLASS_DICT));
  if (!cmap || !cmap->stream) return;
  HPDF_MemStream_FreeData(cmap->stream);
  std::string text =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<int> highs;
  for (int hi = 0; hi < 256; ++hi)
    if (hi < 0xD8 || hi > 0xDF) highs.push_back(hi);
  for (size_t i = 0; i < highs.size(); i += 100) {
    size_t n = std::min<size_t>(100, highs.size() - i);
    text += std::to_string(n) + " beginbfrange\n";
    for (size_t k = i; k < i + n; ++k) {
      char line[32];
      std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", highs[k], highs[k], highs[k]);
      text += line;
    }
    text += "endbfrange\n";
  }
  text += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                    HPDF_UINT(text.size()));
}

// The segment of a format 4 cmap that holds `code`: the first whose end code is not below
// it, as libharu's HPDF_TTFontDef_GetGlyphid walks to (the replacement at the end of this
// file). libharu asks for the codes in increasing order when it sets a font up, so the
// segment of the last answer, or the one after it, is tried first; then a binary search
// when the end codes are in order, as the TrueType specification requires, else libharu's
// walk. The cache is per thread and emptied whenever a document's fonts are set up or
// freed, so a font's arrays are never mistaken for those of a font freed before.
struct SegmentCache {
  const HPDF_UINT16* ends = nullptr;
  unsigned count = 0;
  bool sorted = false;
  unsigned last = 0;
};
thread_local SegmentCache segment_cache;

void forget_segments() { segment_cache = SegmentCache{}; }

}  // namespace

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

bool font_covers(const std::string& path, char32_t cp) {
  if (cp > 0xFFFF) return false;
  return (coverage_of(path)[cp / 64] >> (cp % 64)) & 1;
}

Fonts::Fonts(HPDF_Doc pdf, const Style& style, ResourceLoader& resources, HaruErrors& errors)
    : pdf_(pdf), style_(style), resources_(resources), errors_(errors) {
  forget_segments();
}

Fonts::~Fonts() { forget_segments(); }

HPDF_Font Fonts::font(FontFace face) {
  if (loaded_[face]) return loaded_[face];
  const std::string& path = style_.fonts[face];
  // Faces that share a file share one embedded font.
  for (int f = 0; f < kFaceCount; ++f)
    if (loaded_[f] && style_.fonts[f] == path) return loaded_[face] = loaded_[f];
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (!probe) throw Error(path, "cannot open the font file (set another in the style's fonts:)");
  std::fclose(probe);
  resources_.depend(path);
  const char* name = HPDF_LoadTTFontFromFile(pdf_, path.c_str(), HPDF_TRUE);
  HPDF_Font font = name ? HPDF_GetFont(pdf_, name, "UTF-8") : nullptr;
  if (!font) {
    char code[64];
    std::snprintf(code, sizeof code, "0x%04X/%u", unsigned(errors_.code), unsigned(errors_.detail));
    HPDF_ResetError(pdf_);
    errors_ = HaruErrors{};
    throw Error(path, std::string("libharu cannot load this font (error ") + code +
                          "); it needs a TrueType font with glyf outlines, not CFF/OpenType");
  }
  fix_to_unicode(font);
  // The font program, its CIDToGIDMap and ToUnicode are written uncompressed: compact_fonts()
  // trims them and compresses them once. (libharu compressing whole font programs that
  // compact_fonts then had to inflate cost more than all the pages' text.)
  static_cast<HPDF_Dict>(font)->filter = HPDF_STREAM_FILTER_NONE;
  return loaded_[face] = font;
}

double Fonts::width(FontFace face, double size, const std::string& text) {
  if (text.empty()) return 0;
  // libharu does no kerning, so a text's width is the sum of its characters' widths, each
  // an integer in thousandths of the size: they are asked of libharu once per face and
  // character and kept. (Asking libharu for every word measured cost more than the rest
  // of the typesetting.) Its first answer for a character also marks the glyph for
  // embedding, as measuring the whole text would.
  std::vector<int32_t>& known = advances_[face];
  if (known.empty()) known.assign(65536, -1);
  HPDF_Font f = font(face);
  long total = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    bool ok = true;
    const char32_t cp = utf8_decode(text, i, &ok);
    if (!ok || cp > 0xFFFF) {  // not cached: libharu measures the bytes as they are
      total += long(HPDF_Font_TextWidth(f, reinterpret_cast<const HPDF_BYTE*>(text.data() + start),
                                        HPDF_UINT(i - start)).width);
      continue;
    }
    int32_t& w = known[cp];
    if (w < 0)
      w = int32_t(HPDF_Font_TextWidth(f, reinterpret_cast<const HPDF_BYTE*>(text.data() + start),
                                      HPDF_UINT(i - start)).width);
    total += w;
  }
  return double(total) * size / 1000.0;
}

FontFace Fonts::pick(FontFace want, char32_t cp) {
  // libharu's UTF-8 encoder handles only the Basic Multilingual Plane (LIBRARIES.md:
  // characters beyond it are dropped), whatever the font has.
  if (cp > 0xFFFF) return kFaceCount;
  if (font_covers(style_.fonts[want], cp)) return want;
  FontFace sans = FontFace(kSans + int(want) % 4);
  if (want != kFallback && font_covers(style_.fonts[sans], cp)) return sans;
  if (font_covers(style_.fonts[kFallback], cp)) return kFallback;
  return kFaceCount;
}

}  // namespace relconv::pdf

// A faster HPDF_TTFontDef_GetGlyphid for libharu 2.3.0, put in its place by the dynamic
// linker.
//
// libharu finds a character's glyph by walking the font's cmap segments one by one, and
// it does so for each of the 65,536 UCS-2 codes every time a TrueType font is set up with
// the UTF-8 encoder (CIDFontType2_New, to build CIDToGIDMap and /W), and again for each
// character it measures. DejaVu Sans has about 900 segments: setting up one face cost about
// 60 million instructions, a sixth of the time of a 275-page book, and most of the time of
// a short post made into a PDF.
//
// libhpdf.so calls the function through its PLT, and a program that defines a symbol which
// a shared library it links also defines exports it, so libharu's own calls come here
// (ELF symbol interposition, as with malloc). This version finds the same segment with
// find_segment() above (the last one found, else a binary search) and reads the same
// arrays, so the PDF bytes do not change (tests/unit/test_pdf.cpp compares every code of
// three default fonts, in both orders, with libharu's own function, found with
// dlsym(RTLD_NEXT)).
extern "C" HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode) {
  auto* attr = static_cast<HPDF_TTFontDefAttr>(fontdef->attr);
  const HPDF_TTF_CmapRange& cmap = attr->cmap;
  if (cmap.format == 0) return cmap.glyph_id_array[unicode & 0xFF];
  if (cmap.seg_count_x2 == 0) {
    HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
    return 0;
  }
  const unsigned seg_count = cmap.seg_count_x2 / 2u;
  const unsigned i = relconv::pdf::find_segment(cmap.end_count, seg_count, unicode);
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
