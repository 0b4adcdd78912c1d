// The EPUB backend's plan of a book: which XHTML file holds which blocks, where every id
// ended up, which images are packaged under which name. It is built once from the
// Document (plan_book), then the content files are rendered from it (render_part) and
// the package files (OPF, nav, NCX) are written from the same plan, so links, the table
// of contents and the manifest cannot disagree.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backends/epub/epub.h"

namespace relconv::epub {

// Folder layout inside the container: EPUB/package.opf, EPUB/nav.xhtml, EPUB/toc.ncx,
// EPUB/text/*.xhtml, EPUB/images/*, EPUB/styles/epub.css.
inline constexpr const char* kPackageDir = "EPUB/";

struct Image {
  std::string name;        // "image-1.png", unique in the package
  std::string media_type;  // "image/png", ...
  std::string data;
};

// What an Image inline turned into.
struct ImageUse {
  enum Kind { Packaged, Remote, Unavailable } kind = Unavailable;
  size_t image = 0;  // index into Book::images when Packaged
};

// A place an id points to: an XHTML file (index into Book::parts) and the id written
// there ("" for the start of the file).
struct Target {
  size_t part = 0;
  std::string xml_id;
  size_t chapter = 0;
};

// A heading as the navigation documents list it.
struct NavHeading {
  int depth = 1;  // 1 = the chapter's top heading level
  std::string label;
  std::string xml_id;
};

// One XHTML file: a run of a chapter's top-level blocks.
struct Part {
  size_t chapter = 0;
  size_t begin = 0, end = 0;  // range of Chapter::blocks
  bool first_of_chapter = true;
  std::string file;           // "ch001.xhtml", in EPUB/text/
  std::string title;          // for <title>
  std::vector<int> footnotes; // Footnote::number of the notes printed at its end
  std::vector<NavHeading> headings;
  std::string xhtml;          // filled by render_part
};

struct ChapterPlan {
  std::string xml_id;      // id of the chapter's start (its title heading)
  std::string label;       // navigation label: the title, never empty
  std::string language;
  int min_level = 1;       // smallest top-level heading level in the chapter
  int level_shift = 0;     // added to heading levels when written
  bool show_header = false;  // title/author/date at the chapter start
  std::vector<size_t> parts;
};

struct Book {
  const RenderContext& ctx;
  const Document& doc;
  std::string language;  // of the book
  std::string title;     // of the book, never empty
  bool title_page = false;
  std::vector<ChapterPlan> chapters;
  std::vector<Part> parts;
  std::map<std::string, Target> targets;          // Document id -> place
  std::vector<std::map<std::string, std::string>> heading_slugs;  // per chapter: slug -> id
  std::map<std::string, std::string> xml_ids;     // Document id -> id as written
  std::map<const Block*, std::string> heading_ids;  // every heading -> id as written
  std::map<const Inline*, ImageUse> image_uses;
  std::vector<Image> images;
  size_t image_count = 0;         // Image inlines shown as pictures
  size_t images_without_alt = 0;  // ... of which have no alt text
  bool has_gif = false;           // an animated GIF could flash: hazards unknown

  Book(const RenderContext& c) : ctx(c), doc(c.doc) {}
};

// Plans files, ids and images (loading every image once, with its warnings).
void plan_book(Book& book, const PackageOptions& options);
// Renders part `index` into book.parts[index].xhtml, with its warnings in `diag`. Reads
// nothing but the part and the plan, so parts can be rendered on several threads.
void render_part(Book& book, size_t index, Diagnostics& diag);
// The title page of a book (several chapters), as XHTML.
std::string render_title_page(const Book& book);

// An XHTML document's opening up to and including <body>, with the style sheet linked
// relative to `css_href`.
void xhtml_head(std::string& out, const std::string& language, const std::string& title,
                const std::string& css_href, const char* body_type);

// The key of a footnote in Book::targets and Book::xml_ids: its id, or a made-up key
// when the model left it empty.
inline std::string footnote_key(size_t chapter, const Footnote& f) {
  if (!f.id.empty()) return f.id;
  return "\x01fn-" + std::to_string(chapter + 1) + "-" + std::to_string(f.number);
}

// Helpers shared by content and package code.
std::string sanitize_id(const std::string& id);  // a valid XML NCName
bool valid_w3c_date(const std::string& date);    // a W3CDTF date as OPF dc:date wants
std::string display_date(const std::string& date);  // "7 June 2024" for "2024-06-07"
std::string join_authors(const std::vector<std::string>& authors);

// ZIP container (zip_writer.cpp).
struct ZipEntry {
  std::string name;
  std::string data;
  bool compress = true;
};
// Writes the entries in order (the caller puts `mimetype` first; it is always stored);
// `epoch` is the Unix time every entry gets as its modification time, in UTC. Entries are
// deflated on up to `jobs` threads; the bytes do not depend on it.
std::string write_zip(const std::vector<ZipEntry>& entries, int64_t epoch, int jobs = 1);

// SVG cleaning: returns false (with `why`) when the SVG cannot be made valid for EPUB;
// else `out` holds a version without DOCTYPE, scripts, event handlers, external references
// or paths lacking `d`. Done by clean_svg_with_libxml2 (svg_clean.cpp), which lives in the
// html module: clean_svg loads that module the first time it is called, unless the
// program has it built in. Throws relconv::Error when the module is missing.
bool clean_svg(const std::string& in, std::string& out, std::string& why);
using SvgCleaner = bool (*)(const std::string& in, std::string& out, std::string& why);
bool clean_svg_with_libxml2(const std::string& in, std::string& out, std::string& why);

}  // namespace relconv::epub
