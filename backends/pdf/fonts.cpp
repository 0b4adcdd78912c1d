#include "backends/pdf/fonts.h"
#include "backends/pdf/haru_fast.h"

#include <fontconfig/fontconfig.h>
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
    if (FcPatternGetCharSet(pattern, FC_CHARSET, 0, &cs) == FcResultMatch && cs) {
      // The set's pages of 256 characters, each a bitmap of eight 32-bit words.
      FcChar32 map[FC_CHARSET_MAP_SIZE];
      FcChar32 next = 0;
      for (FcChar32 base = FcCharSetFirstPage(cs, map, &next); base != FC_CHARSET_DONE && base < 65536;
           base = FcCharSetNextPage(cs, map, &next))
        for (int w = 0; w < FC_CHARSET_MAP_SIZE; ++w) {
          const FcChar32 first = base + 32 * FcChar32(w);
          bits[first / 64] |= uint64_t(map[w]) << (first % 64);
        }
    }
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

}  // namespace

bool font_covers(const std::string& path, char32_t cp) {
  if (cp > 0xFFFF) return false;
  return (coverage_of(path)[cp / 64] >> (cp % 64)) & 1;
}

Fonts::Fonts(HPDF_Doc pdf, const Style& style, ResourceLoader& resources, HaruErrors& errors)
    : pdf_(pdf), style_(style), resources_(resources), errors_(errors) {
  forget_glyph_lookups();
}

Fonts::~Fonts() { forget_glyph_lookups(); }

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
  // Like every stream, the font program, its CIDToGIDMap and ToUnicode are written
  // uncompressed: finish_pdf() trims them and compresses them once.
  return loaded_[face] = font;
}

double Fonts::width(FontFace face, double size, const std::string& text) {
  if (text.empty()) return 0;
  // libharu does no kerning, so a text's width is the sum of its characters' widths, each
  // an integer in thousandths of the size: they are asked of libharu once per face and
  // character and kept. (Asking libharu for every word measured cost more than the rest
  // of the typesetting.) Its first answer for a character also marks the glyph for
  // embedding, as measuring the whole text would.
  auto& blocks = advances_[face];
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
    std::unique_ptr<int32_t[]>& block = blocks[cp >> 8];
    if (!block) {
      block.reset(new int32_t[256]);
      std::fill_n(block.get(), 256, -1);
    }
    int32_t& w = block[cp & 0xFF];
    if (w < 0)
      w = int32_t(HPDF_Font_TextWidth(f, reinterpret_cast<const HPDF_BYTE*>(text.data() + start),
                                      HPDF_UINT(i - start)).width);
    total += w;
  }
  return double(total) * size / 1000.0;
}

bool Fonts::covers(FontFace face, char32_t cp) {
  // Looked up once per face, not per character: the table is shared and locked.
  if (!coverage_[face]) coverage_[face] = &coverage_of(style_.fonts[face]);
  return ((*coverage_[face])[cp / 64] >> (cp % 64)) & 1;
}

FontFace Fonts::pick(FontFace want, char32_t cp) {
  // libharu's UTF-8 encoder handles only the Basic Multilingual Plane (LIBRARIES.md:
  // characters beyond it are dropped), whatever the font has.
  if (cp > 0xFFFF) return kFaceCount;
  if (covers(want, cp)) return want;
  FontFace sans = FontFace(kSans + int(want) % 4);
  if (want != kFallback && covers(sans, cp)) return sans;
  if (covers(kFallback, cp)) return kFallback;
  return kFaceCount;
}

}  // namespace relconv::pdf
