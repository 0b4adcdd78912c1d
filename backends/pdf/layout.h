// The PDF typesetter: turns the document model into a vertical list of items (lines,
// rows, images, rules), each with the drawing operations it needs. Pagination and
// drawing (pdf.cpp) then only move items between pages, so page breaking can look ahead:
// headings keep with what follows, the first and last lines of a paragraph are not left
// alone on a page, and a table's header rows are repeated at the top of a new page.
#pragma once

#include <hpdf.h>

#include <map>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backends/pdf/fonts.h"
#include "backends/pdf/style.h"

namespace relconv::pdf {

// One drawing operation, in points, relative to the top left of the item's box on the
// page (x grows right, y grows down).
struct Op {
  enum Kind { Text, Fill, Stroke, Line, Dots, Image, Uri, GoTo, Anchor, PageRef };
  Kind kind = Text;
  // Text, PageRef: (x, baseline); Line: from (x,y) by (w,h); Dots (leaders): from (x, baseline)
  // over w, ending before the page number of anchor `text` set in size h.
  double x = 0, y = 0, w = 0, h = 0;
  HPDF_Font font = nullptr;
  double size = 0;      // font size, or line width for Line and Stroke
  Rgb color;
  std::string text;     // Text: UTF-8; Uri: the URL; GoTo, Anchor, PageRef: the anchor name;
                        // Image: its alt text, laid invisibly over it for search and copy
  HPDF_Image image = nullptr;
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

struct Layout {
  std::vector<Item> items;
  std::vector<std::vector<Item>> headers;   // repeated table header rows
  std::vector<OutlineEntry> outline;
  std::vector<std::string> running_titles;  // per chapter
};

// Lays out the whole document. Warnings (missing glyphs, images) go to ctx.diag.
Layout typeset(const RenderContext& ctx, const Style& style, Fonts& fonts, HPDF_Doc pdf,
               HaruErrors& errors);

// URL with every byte outside printable ASCII (and space) percent-encoded, as PDF URI
// actions need 7-bit ASCII (PDF 32000-1:2008, 12.6.4.7).
std::string percent_encode(const std::string& url);

}  // namespace relconv::pdf
