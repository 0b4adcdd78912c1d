// The PDF typesetter: turns the document model into a vertical list of items (lines,
// rows, images, rules), each with the drawing operations it needs. Pagination and
// drawing (pdf.cpp) then only move items between pages, so page breaking can look ahead:
// headings keep with what follows, the first and last lines of a paragraph are not left
// alone on a page, and a table's header rows are repeated at the top of a new page.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backends/pdf/fonts.h"
#include "backends/pdf/images.h"
#include "backends/pdf/style.h"

namespace relconv::pdf {

// Glyphs drawn with one font at one size, in visual order (left to right on the page).
// A glyph that stands alone for its text is mapped to it by the font's ToUnicode map
// (Fonts::used() keeps the text each glyph was first drawn for); a cluster of several
// glyphs (a reordered Indic syllable), or a glyph drawn for other text than its map
// says, is marked with its ActualText (text_layer.h).
struct GlyphCluster {
  uint32_t first = 0, count = 0;  // glyphs [first, first + count)
  std::string text;               // UTF-8
};

struct Glyphs {
  int font = -1;                  // index in Fonts::used()
  std::vector<uint32_t> ids;      // glyph ids of the original font
  std::vector<float> x, y;        // each glyph's origin from the op's (x, baseline); y up,
                                  // empty when every glyph sits on the baseline
  std::vector<GlyphCluster> actual;  // the clusters that need ActualText, in order
  double width = 0;               // advance of the whole run
  bool rtl = false;               // set right to left
  bool empty() const { return ids.empty(); }
};

// One drawing operation, in points, relative to the top left of the item's box on the
// page (x grows right, y grows down).
struct Op {
  enum Kind { Text, Fill, Stroke, Line, Dots, Image, Uri, GoTo, Anchor, PageRef };
  Kind kind = Text;
  // Text, PageRef: (x, baseline); Line: from (x,y) by (w,h); Dots (leaders): from (x, baseline)
  // over w, ending before the page number of anchor `text` set in size h.
  // PageRef: x is where the number ends (it is set flush right).
  double x = 0, y = 0, w = 0, h = 0;
  double size = 0;      // font size, or line width for Line and Stroke
  FontFace face = kSerif;  // PageRef: the face of the number
  Rgb color;
  std::string text;     // Uri: the URL; GoTo, Anchor, PageRef, Dots: the anchor name;
                        // Image: its alt text
  Glyphs glyphs;        // Text
  bool invisible = false;  // Text: an image's alt text, for search and copy only
  int image = -1;       // Image: index in Layout::images
};

struct Item {
  double height = 0;
  double space_before = 0;   // dropped at the top of a page
  bool keep_with_next = false;
  bool new_page = false;     // starts a chapter
  int chapter = 0;
  int header = -1;           // index in Layout::headers, repeated when this item opens a page
  std::vector<Op> ops;
};

struct OutlineEntry {
  int level = 1;             // 0 for a chapter of a book
  std::string title;
  std::string anchor;
};

// An image the layout draws, decoded and checked; the writer (pdf.cpp) embeds it.
struct LayoutImage {
  SourcePos pos;        // where it was first used, for messages
  std::string url;
  DecodedImage png;     // a PNG, decoded
  std::string jpeg;     // or a JPEG, checked, embedded as it is
  int width = 0, height = 0;
};

struct Layout {
  std::vector<Item> items;
  std::vector<std::vector<Item>> headers;   // repeated table header rows
  std::vector<OutlineEntry> outline;
  std::vector<std::vector<Op>> running_heads;  // per chapter, shortened to the measure
  std::vector<LayoutImage> images;
};

// Lays out the whole document. Warnings (missing glyphs, images) go to ctx.diag. Nothing
// here knows libharu: the layout is a page description the writer draws, and dump_layout
// prints it.
Layout typeset(const RenderContext& ctx, const Style& style, Fonts& fonts);

// The layout as readable text (items, ops, glyph runs with their fonts' names and the text
// each glyph stands for), for golden tests (tests/golden/pdf-layout/).
std::string dump_layout(const Layout& layout, Fonts& fonts);

// `text` set on one line in `face` at `size` (page numbers, labels), with its direction
// from its first strong character and its baseline at (x, y): Text ops appended to `ops`.
// Returns its width.
double shape_label(Fonts& fonts, Diagnostics& diag, const std::string& lang, FontFace face, double size,
                   const Rgb& color, const std::string& text, double x, double y, std::vector<Op>& ops,
                   bool invisible = false);

// URL with every byte outside printable ASCII (and space) percent-encoded, as PDF URI
// actions need 7-bit ASCII (PDF 32000-1:2008, 12.6.4.7).
std::string percent_encode(const std::string& url);

}  // namespace relconv::pdf
