// Finishes a PDF written by libharu 2.3.0: compresses its streams and shrinks its fonts.
//
// libharu writes every stream uncompressed (pdf.cpp sets no compression), because it
// would deflate them one after another while it saves. They are deflated here instead, on
// the --jobs threads: a book's pages and images are a third of its time.
//
// libharu "subsets" a TrueType font only by emptying the outlines of unused glyphs; it
// embeds the glyph-name table (post), every glyph's metrics (hmtx) and a 65,536-entry
// CIDToGIDMap whole (LIBRARIES.md section 3). That is 40-55 KB per DejaVu face even for a
// few words. PDF viewers take glyph widths from the font's /W array and names from
// nowhere, so this pass rewrites each embedded program with a version 3 post table (no
// names) and zero metrics for unused glyphs, and keeps /W widths and CIDToGIDMap entries
// only for the characters drawn, which leaves the pages unchanged and the file a quarter
// of the size.
//
// The PDF is then reassembled with a new cross-reference table. Anything unexpected in
// the input leaves it as it is: a valid PDF, but uncompressed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace relconv::pdf {

// The codes (UCS-2 values) drawn with a font: a bit per code, 65,536 of them.
using DrawnCodes = std::vector<bool>;

// Returns `pdf` with its streams deflated and smaller font programs, or `pdf` itself
// when it does not have the shape libharu writes. `used` maps a font's name
// (HPDF_Font_GetFontName) to the codes drawn with it; a font with an entry keeps widths
// and glyph mappings for those codes only, a font without one keeps them all. Streams are
// deflated on up to `jobs` threads; the bytes do not depend on it.
std::string finish_pdf(std::string pdf, const std::map<std::string, DrawnCodes>& used, int jobs);

}  // namespace relconv::pdf
