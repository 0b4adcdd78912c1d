// The PDF text layer, which relconv writes itself: libharu 2.3.0 draws text by character
// through its encoders (no glyph ids, nothing beyond U+FFFF, composite glyphs losing their
// components), so it cannot draw shaped text. Everything else (pages, graphics, images,
// outline, links, the info dictionary) stays libharu's; this writer adds objects through
// libharu's object API and operators to libharu's page content streams.
//
// Each font the document draws with becomes a Type0 font with the Identity-H encoding
// (PDF 32000-1:2008, 9.7): a CIDFontType2 (TrueType outlines, FontFile2) or CIDFontType0
// (CFF outlines, FontFile3/CIDFontType0C) whose program is a subset made by HarfBuzz's
// hb-subset holding only the glyphs drawn. Its ToUnicode map gives each glyph the text it
// was first drawn for; a cluster whose glyphs do not each stand for their own text (an
// Indic syllable with a reordered vowel sign, a glyph drawn for different text elsewhere)
// is marked with its ActualText (14.9.4), so text extraction gives back the source text in
// logical order.
//
// Use: use() every Glyphs in the order they will be drawn, embed(), then per page
// begin_page(), show() each, end_page(), and finish() before saving.
#pragma once

#include <hpdf.h>

#include <map>
#include <string>
#include <vector>

#include "backends/pdf/fonts.h"
#include "backends/pdf/layout.h"

namespace relconv::pdf {

class TextLayer {
 public:
  TextLayer(HPDF_Doc pdf, Fonts& fonts);
  ~TextLayer();
  TextLayer(const TextLayer&) = delete;
  TextLayer& operator=(const TextLayer&) = delete;

  // Records the glyphs and what they stand for; every glyph drawn must be used first.
  void use(const Glyphs& glyphs);
  // Subsets and embeds every font used. Throws relconv::Error when HarfBuzz cannot
  // subset a font.
  void embed();

  void begin_page(HPDF_Page page, double page_height);
  // Draws `glyphs` with the baseline origin at (x, y) from the page's top left (y down).
  void show(const Glyphs& glyphs, double size, const Rgb& color, double x, double y, bool invisible);
  void end_page();
  // Writes the fonts' width arrays and ToUnicode maps.
  void finish();

 private:
  struct Font {
    const FontFile* file = nullptr;
    hb_set_t* glyphs = nullptr;            // original glyph ids drawn
    std::vector<int32_t> code;             // original glyph id -> its code (CID), -1: none
    std::vector<int32_t> width;            // code -> advance in thousandths of the size
    HPDF_Dict type0 = nullptr, cid_font = nullptr;
  };
  HPDF_Doc pdf_;
  Fonts& fonts_;
  std::vector<Font> used_;
  HPDF_Page page_ = nullptr;
  double page_height_ = 0;
  std::string ops_;  // the page's text operators
  int cur_font_ = -1;
  double cur_size_ = -1;
  Rgb cur_color_{-1, -1, -1};
  int cur_mode_ = 0;
  std::map<int, std::string> page_names_;  // font -> its resource name on this page
};

}  // namespace relconv::pdf
