// Fonts for one PDF: the style's TrueType faces, loaded into libharu on first use, text
// measurement, and the per-character fallback chain (face -> sans of the same weight and
// slant -> the CJK fallback font).
//
// libharu draws .notdef (or nothing) for a character its font lacks, without a word, so
// coverage is checked here first, with fontconfig's charset of each font file. Those
// charsets are computed once per font file per process and shared between threads.
#pragma once

#include <hpdf.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "backends/pdf/style.h"
#include "io/resources.h"

namespace relconv::pdf {

// What libharu's error handler saw last (it is called instead of longjmp/abort).
struct HaruErrors {
  HPDF_STATUS code = 0;
  HPDF_STATUS detail = 0;
};

class Fonts {
 public:
  Fonts(HPDF_Doc pdf, const Style& style, ResourceLoader& resources, HaruErrors& errors);
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  // The libharu font for `face`, loading (and embedding) it on first use. Throws
  // relconv::Error when the style's font file cannot be used.
  HPDF_Font font(FontFace face);
  // Width of UTF-8 `text` in points at `size`.
  double width(FontFace face, double size, const std::string& text);
  // The face that draws `cp` for text styled in `want`: `want` itself, else the sans face
  // of the same weight and slant, else the fallback font; kFaceCount when none has it.
  FontFace pick(FontFace want, char32_t cp);

 private:
  HPDF_Doc pdf_;
  const Style& style_;
  ResourceLoader& resources_;
  HaruErrors& errors_;
  bool covers(FontFace face, char32_t cp);  // cp in the BMP

  std::array<HPDF_Font, kFaceCount> loaded_{};
  // Each face's coverage (a bit per BMP character), once looked up.
  std::array<const std::vector<uint64_t>*, kFaceCount> coverage_{};
  // Advance widths by face and UCS-2 code (thousandths of the size); -1: not asked yet.
  // In blocks of 256 codes, made when a code of the block is first measured: a post uses a
  // few blocks, and 4 faces' full tables were a megabyte to fill for each PDF.
  std::array<std::array<std::unique_ptr<int32_t[]>, 256>, kFaceCount> advances_;
};

// Whether the font file at `path` has a glyph for `cp` (false when it cannot be read).
// Thread-safe; each file is queried once per process.
bool font_covers(const std::string& path, char32_t cp);

}  // namespace relconv::pdf
