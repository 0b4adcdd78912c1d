// The EPUB 3 backend: a Document becomes one .epub file (a ZIP container holding an OPF
// package document, a navigation document, an NCX for EPUB 2 readers, one XHTML file per
// chapter or section, the images the text uses and a style sheet).
//
// The output is meant to pass epubcheck with neither errors nor warnings and to be
// byte-identical for identical input: ids, file names and manifest order depend only on
// the document, and ZIP entry times come from SOURCE_DATE_EPOCH or the document's dates.
#pragma once

#include <cstddef>
#include <string>

#include "backend/backend.h"

namespace relconv::epub {

const Backend& backend();

// Knobs that the command line does not expose; tests use them to reach every path.
struct PackageOptions {
  // A chapter whose text is longer than this (in bytes of rendered XHTML, roughly)
  // is split into one file per top-level heading. 0 splits every chapter that has
  // top-level headings.
  size_t split_bytes = 48 * 1024;
};

void render_epub(const RenderContext& ctx, const PackageOptions& options, std::string& out);

}  // namespace relconv::epub
