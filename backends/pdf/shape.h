// Shaping a paragraph: from its logical text and styles to glyphs.
//
// The stages, each done by a library made for it:
//   1. direction: the Unicode bidirectional algorithm (UAX #9) with FriBidi gives every
//      character its embedding level, from the paragraph's base direction;
//   2. itemisation: runs of one style, level, script and font; a character the style's
//      font lacks falls back to another font (fonts.h), a combining mark stays with its
//      base;
//   3. shaping: HarfBuzz turns each run into glyphs with advances and offsets (kerning,
//      ligatures, Arabic joining, Indic reordering, stacked marks), its glyphs in visual
//      order and each tied to the text it came from (its cluster);
//   4. line-break opportunities: ICU's line BreakIterator (UAX #14, with dictionaries for
//      Thai, Lao, Khmer and Burmese).
// Lines are then chosen and set (lines.cpp) from these, without shaping again.
#pragma once

#include <hb.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/pdf/fonts.h"
#include "backends/pdf/style.h"
#include "doc/model.h"

struct UBreakIterator;

namespace relconv {
class Diagnostics;
}

namespace relconv::pdf {

enum class Direction { Auto, Ltr, Rtl };

// How a stretch of text looks.
struct TextStyle {
  FontFace face = kSerif;
  double size = 10;
  Rgb color;
  int link = -1;        // index in the paragraph's link targets
  double rise = 0;      // baseline shift, up
  bool strike = false;
  double kern = 0;      // space before the span's first character (before a superscript)
  SourcePos pos;        // for warnings about characters no font has
};

// A paragraph's text in logical order, as the inline walker builds it.
struct ParagraphText {
  std::string text;  // UTF-8
  struct Span {
    size_t end;       // covers [previous span's end, end)
    TextStyle style;
  };
  std::vector<Span> spans;
  // An inline image, standing in the text as U+FFFC at byte `at`.
  struct Object {
    size_t at = 0;
    double width = 0, height = 0;
    int image = -1;   // index in Layout::images
    std::string alt;
  };
  std::vector<Object> objects;
  std::vector<size_t> hard_breaks;  // byte offsets of U+2028 put in for forced breaks
  std::vector<std::pair<size_t, std::string>> anchors;  // destinations at a byte offset
  Direction direction = Direction::Auto;

  void append(const std::string& s, const TextStyle& style);
  bool empty() const { return text.empty(); }
};

// One run of the paragraph: one span, font, script and embedding level. Its glyphs are in
// visual order, each glyph's cluster the byte offset in the paragraph where its text starts.
struct ShapedRun {
  size_t begin = 0, end = 0;
  int span = 0;
  int object = -1;            // an inline image instead of text
  uint8_t level = 0;          // odd: right to left
  const FontFile* font = nullptr;
  int font_id = -1;
  std::vector<hb_glyph_info_t> info;
  std::vector<hb_glyph_position_t> pos;
  double scale = 0;           // points per font unit
};

struct ShapedParagraph {
  const ParagraphText* source = nullptr;
  std::vector<ShapedRun> runs;  // in logical order
  bool rtl = false;             // the paragraph's resolved direction
  // Per byte of the text: the width in points of the text before it (the advances of the
  // clusters that start before it), whether a cluster starts there, whether a line may
  // break before it (2: must), and its embedding level.
  std::vector<double> width_before;
  std::vector<uint8_t> cluster_start, breaks, levels;
  double width(size_t b, size_t e) const { return width_before[e] - width_before[b]; }
};

// Makes the paragraph's glyphs. `breaker` points to a line BreakIterator the caller
// keeps (made on first use); nullptr for text that is not broken into lines (a label, a
// line of code), which then has no break opportunities. Characters no font has are warned
// about once per position and drawn as U+FFFD. `lang` is the document's language, for
// HarfBuzz's language-specific forms.
ShapedParagraph shape_paragraph(const ParagraphText& p, Fonts& fonts, Diagnostics& diag,
                                const std::string& lang, UBreakIterator** breaker);

// The direction of the first strong character of `text` (UAX #9, P2 and P3), Auto when
// it has none.
Direction first_strong(const std::string& text);

// Closes a BreakIterator made by shape_paragraph.
void close_breaker(UBreakIterator* breaker);

}  // namespace relconv::pdf
