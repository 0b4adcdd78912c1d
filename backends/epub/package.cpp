// The package around the content: OPF package document (metadata, manifest, spine),
// the EPUB 3 navigation document, the NCX for EPUB 2 reading systems, the container file
// and the ZIP itself. Everything is derived from the plan (book.h), so the table of
// contents, the manifest and the links agree by construction.
// XXH3 from libxxhash-dev's header alone, compiled in: nothing more to load.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>

#include "backends/epub/book.h"
#include "backends/epub/xml_writer.h"
#include "convert/parallel.h"

namespace relconv::epub {

namespace {

// ----- dates ------------------------------------------------------------------------

bool digits(const std::string& s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Seconds since the epoch of an ISO 8601 date ("2024-06-07", "2024-06-07T10:20:30Z"),
// read as UTC; -1 when it is not one.
int64_t parse_epoch(const std::string& s) {
  if (!digits(s, 0, 4) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2))
    return -1;
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
  int hh = 0, mm = 0, ss = 0;
  if (s.size() >= 19 && (s[10] == 'T' || s[10] == ' ') && digits(s, 11, 2) && s[13] == ':' &&
      digits(s, 14, 2) && s[16] == ':' && digits(s, 17, 2)) {
    hh = std::stoi(s.substr(11, 2));
    mm = std::stoi(s.substr(14, 2));
    ss = std::stoi(s.substr(17, 2));
  }
  // Days from civil (Howard Hinnant's algorithm), independent of the local time zone.
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + hh * 3600 + mm * 60 + ss;
}

std::string format_utc(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The time the book is stamped with: SOURCE_DATE_EPOCH, else the newest date in the
// document, else 1980-01-01 (the first time a ZIP can hold). Never the clock.
int64_t book_epoch(const Book& book) {
  if (book.ctx.options.source_date_epoch >= 0) return book.ctx.options.source_date_epoch;
  int64_t newest = -1;
  auto consider = [&](const Metadata& m) {
    newest = std::max({newest, parse_epoch(m.date), parse_epoch(m.updated)});
  };
  consider(book.doc.meta);
  for (const Chapter& ch : book.doc.chapters) consider(ch.meta);
  return newest >= 315532800 ? newest : 315532800;
}

// ----- identifier ---------------------------------------------------------------------

// A UUID (RFC 9562 version 8, whose bits are the maker's to define) from a 128-bit XXH3
// hash of the content, each part preceded by its length. XXH3 reads the book's 2.4 MB (the
// corpus's, images included) in a tenth of a millisecond; the FNV-1a it replaced, a byte
// at a time, took 6 ms. A book keeps its identifier as long as relconv makes the same
// bytes of it.
std::string content_uuid(const std::vector<const std::string*>& parts) {
  XXH3_state_t state;
  XXH3_INITSTATE(&state);
  XXH3_128bits_reset(&state);
  for (const std::string* p : parts) {
    unsigned char size[8];
    for (int i = 0; i < 8; ++i) size[i] = static_cast<unsigned char>(uint64_t(p->size()) >> (8 * i));
    XXH3_128bits_update(&state, size, sizeof size);
    XXH3_128bits_update(&state, p->data(), p->size());
  }
  const XXH128_hash_t h = XXH3_128bits_digest(&state);
  const uint64_t h1 = h.high64, h2 = h.low64;
  unsigned char b[16];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<unsigned char>(h1 >> (56 - 8 * i));
    b[8 + i] = static_cast<unsigned char>(h2 >> (56 - 8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x80);  // version 8
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC variant
  char out[40];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return std::string("urn:uuid:") + out;
}

// ----- navigation ---------------------------------------------------------------------

struct NavEntry {
  std::string label;
  std::string href;  // relative to EPUB/
  std::vector<NavEntry> children;
};

// Nests a flat list of headings by depth, keeping entries up to `max_depth`.
void nest(std::vector<NavEntry>& into, const std::vector<std::pair<int, NavEntry>>& flat, int max_depth) {
  std::vector<std::pair<int, std::vector<NavEntry>*>> stack = {{0, &into}};
  for (const auto& [depth, entry] : flat) {
    if (depth > max_depth) continue;
    while (stack.size() > 1 && stack.back().first >= depth) stack.pop_back();
    stack.back().second->push_back(entry);
    stack.push_back({depth, &stack.back().second->back().children});
  }
}

std::vector<NavEntry> navigation(const Book& book, int toc_depth) {
  std::vector<NavEntry> top;
  auto headings_of = [&](size_t c) {
    std::vector<std::pair<int, NavEntry>> flat;
    for (size_t pi : book.chapters[c].parts) {
      const Part& part = book.parts[pi];
      for (const NavHeading& h : part.headings)
        flat.push_back({h.depth, NavEntry{h.label, "text/" + part.file + "#" + h.xml_id, {}}});
    }
    return flat;
  };
  if (book.doc.is_book()) {
    for (size_t c = 0; c < book.chapters.size(); ++c) {
      const ChapterPlan& plan = book.chapters[c];
      NavEntry e{plan.label, "text/" + book.parts[plan.parts.front()].file, {}};
      nest(e.children, headings_of(c), toc_depth - 1);
      top.push_back(std::move(e));
    }
  } else if (!book.chapters.empty()) {
    // One document: its title leads to the start, its headings follow.
    const ChapterPlan& plan = book.chapters[0];
    std::vector<std::pair<int, NavEntry>> flat = headings_of(0);
    const Part& first = book.parts[plan.parts.front()];
    bool starts_with_heading = !first.headings.empty() && first.begin < first.end &&
                               book.doc.chapters[0].blocks[first.begin].kind == BlockKind::Heading &&
                               !plan.show_header;
    if (!starts_with_heading) top.push_back(NavEntry{plan.label, "text/" + first.file, {}});
    nest(top, flat, toc_depth);
  }
  return top;
}

int nav_depth(const std::vector<NavEntry>& entries) {
  int d = 0;
  for (const NavEntry& e : entries) d = std::max(d, 1 + nav_depth(e.children));
  return d;
}

void write_nav_list(XmlWriter& w, const std::vector<NavEntry>& entries) {
  w.raw("<ol>\n");
  for (const NavEntry& e : entries) {
    w.raw("<li>");
    w.open("a").attr("href", e.href).end_open();
    w.text(e.label);
    w.raw("</a>");
    if (!e.children.empty()) {
      w.newline();
      write_nav_list(w, e.children);
    }
    w.raw("</li>\n");
  }
  w.raw("</ol>\n");
}

std::string nav_document(const Book& book, const std::vector<NavEntry>& toc) {
  std::string out;
  xhtml_head(out, book.language, book.title, "styles/epub.css", nullptr);
  XmlWriter w(out);
  w.raw("<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h1>Contents</h1>\n");
  write_nav_list(w, toc);
  w.raw("</nav>\n");
  w.raw("<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>Landmarks</h2>\n<ol>\n");
  if (book.title_page) w.raw("<li><a epub:type=\"titlepage\" href=\"text/title.xhtml\">Title page</a></li>\n");
  w.raw("<li><a epub:type=\"toc\" href=\"#toc\">Contents</a></li>\n");
  if (!book.parts.empty()) {
    w.raw("<li>");
    w.open("a").attr("epub:type", "bodymatter").attr("href", "text/" + book.parts.front().file).end_open();
    w.raw("Start of content</a></li>\n");
  }
  w.raw("</ol>\n</nav>\n</body>\n</html>\n");
  return out;
}

void write_ncx_points(XmlWriter& w, const std::vector<NavEntry>& entries, int& order) {
  for (const NavEntry& e : entries) {
    ++order;
    w.open("navPoint").attr("id", "np-" + std::to_string(order)).attr("playOrder", std::to_string(order))
        .end_open();
    w.raw("<navLabel><text>");
    w.text(e.label);
    w.raw("</text></navLabel>");
    w.open("content").attr("src", e.href).end_empty();
    w.newline();
    write_ncx_points(w, e.children, order);
    w.raw("</navPoint>\n");
  }
}

std::string ncx_document(const Book& book, const std::vector<NavEntry>& toc, const std::string& uid) {
  std::string out;
  XmlWriter w(out);
  w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  w.open("ncx").attr("xmlns", "http://www.daisy.org/z3986/2005/ncx/").attr("version", "2005-1")
      .attr("xml:lang", book.language).end_open();
  w.raw("\n<head>\n");
  w.open("meta").attr("name", "dtb:uid").attr("content", uid).end_empty();
  w.newline();
  w.open("meta").attr("name", "dtb:depth").attr("content", std::to_string(std::max(1, nav_depth(toc))))
      .end_empty();
  w.raw("\n<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n");
  w.raw("</head>\n<docTitle><text>");
  w.text(book.title);
  w.raw("</text></docTitle>\n<navMap>\n");
  int order = 0;
  write_ncx_points(w, toc, order);
  w.raw("</navMap>\n</ncx>\n");
  return out;
}

// ----- package document -----------------------------------------------------------------

void meta_property(XmlWriter& w, const char* property, const std::string& value) {
  w.open("meta").attr("property", property).end_open();
  w.text(value);
  w.raw("</meta>\n");
}

std::string package_document(const Book& book, const std::string& uid, int64_t epoch, bool has_toc_headings) {
  const Metadata& m = book.doc.meta;
  std::string out;
  XmlWriter w(out);
  w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  w.open("package").attr("xmlns", "http://www.idpf.org/2007/opf").attr("version", "3.0")
      .attr("unique-identifier", "uid").attr("xml:lang", book.language).end_open();
  w.raw("\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
  w.open("dc:identifier").attr("id", "uid").end_open();
  w.text(uid);
  w.raw("</dc:identifier>\n");
  w.open("dc:title").attr("id", "title").end_open();
  w.text(book.title);
  w.raw("</dc:title>\n");
  if (!m.subtitle.empty()) {
    w.raw("<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
    w.open("dc:title").attr("id", "subtitle").end_open();
    w.text(m.subtitle);
    w.raw("</dc:title>\n<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
  }
  std::vector<std::string> authors = m.authors;
  if (authors.empty() && book.doc.chapters.size() == 1) authors = book.doc.chapters[0].meta.authors;
  if (authors.empty() && book.doc.is_book()) {
    // A book without its own author: every chapter author, in order of appearance.
    for (const Chapter& ch : book.doc.chapters)
      for (const std::string& a : ch.meta.authors)
        if (std::find(authors.begin(), authors.end(), a) == authors.end()) authors.push_back(a);
  }
  for (size_t i = 0; i < authors.size(); ++i) {
    std::string id = "creator-" + std::to_string(i + 1);
    w.open("dc:creator").attr("id", id).end_open();
    w.text(authors[i]);
    w.raw("</dc:creator>\n");
    w.open("meta").attr("refines", "#" + id).attr("property", "role").attr("scheme", "marc:relators")
        .end_open();
    w.raw("aut</meta>\n");
  }
  w.element("dc:language", book.language);
  w.newline();
  if (!m.date.empty()) {
    if (valid_w3c_date(m.date)) {
      w.element("dc:date", m.date);
      w.newline();
    } else {
      SourcePos pos;
      if (auto it = m.positions.find("date"); it != m.positions.end()) pos = it->second;
      book.ctx.diag.warning(pos, "date '" + m.date +
                                     "' is not an ISO 8601 date (YYYY-MM-DD); it is left out of the EPUB metadata");
    }
  }
  if (!m.description.empty()) {
    w.element("dc:description", m.description);
    w.newline();
  }
  std::vector<std::string> subjects;
  for (const std::string& t : m.tags)
    if (!t.empty() && std::find(subjects.begin(), subjects.end(), t) == subjects.end()) subjects.push_back(t);
  for (const std::string& s : subjects) {
    w.element("dc:subject", s);
    w.newline();
  }
  // The post's address, when it is one a reader can follow (not a site-relative path).
  if (!m.source_url.empty() && !book.doc.is_book() &&
      (m.source_url.rfind("https://", 0) == 0 || m.source_url.rfind("http://", 0) == 0)) {
    w.element("dc:source", m.source_url);
    w.newline();
  }
  meta_property(w, "dcterms:modified", format_utc(epoch));

  // Accessibility metadata (EPUB Accessibility 1.1, schema.org properties), stated only
  // as far as it is true of this content.
  bool images = book.image_count > 0;
  bool all_alt = book.images_without_alt == 0;
  meta_property(w, "schema:accessMode", "textual");
  if (images) meta_property(w, "schema:accessMode", "visual");
  if (!images || all_alt) meta_property(w, "schema:accessModeSufficient", "textual");
  if (images) meta_property(w, "schema:accessModeSufficient", "textual,visual");
  meta_property(w, "schema:accessibilityFeature", "tableOfContents");
  meta_property(w, "schema:accessibilityFeature", "readingOrder");
  if (has_toc_headings) meta_property(w, "schema:accessibilityFeature", "structuralNavigation");
  if (images && all_alt) meta_property(w, "schema:accessibilityFeature", "alternativeText");
  meta_property(w, "schema:accessibilityFeature", "displayTransformability");
  // An animated GIF may flash; relconv does not look inside it.
  meta_property(w, "schema:accessibilityHazard", book.has_gif ? "unknown" : "none");
  std::string summary =
      "Reflowable text with a table of contents" +
      std::string(has_toc_headings ? " and headings for navigation" : "") + ". ";
  if (!images)
    summary += "The publication has no images.";
  else if (all_alt)
    summary += "Every image has a text alternative.";
  else
    summary += "Images without a text alternative: " + std::to_string(book.images_without_alt) + " of " +
               std::to_string(book.image_count) + ".";
  meta_property(w, "schema:accessibilitySummary", summary);
  if (all_alt) meta_property(w, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
  w.raw("</metadata>\n<manifest>\n");

  w.raw("<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n");
  w.raw("<item id=\"ncx\" href=\"toc.ncx\" media-type=\"application/x-dtbncx+xml\"/>\n");
  w.raw("<item id=\"css\" href=\"styles/epub.css\" media-type=\"text/css\"/>\n");
  if (book.title_page)
    w.raw("<item id=\"title-page\" href=\"text/title.xhtml\" media-type=\"application/xhtml+xml\"/>\n");
  for (size_t i = 0; i < book.parts.size(); ++i) {
    w.open("item").attr("id", "x-" + book.parts[i].file.substr(0, book.parts[i].file.size() - 6))
        .attr("href", "text/" + book.parts[i].file).attr("media-type", "application/xhtml+xml").end_empty();
    w.newline();
  }
  for (size_t i = 0; i < book.images.size(); ++i) {
    w.open("item").attr("id", "img-" + std::to_string(i + 1)).attr("href", "images/" + book.images[i].name)
        .attr("media-type", book.images[i].media_type).end_empty();
    w.newline();
  }
  w.raw("</manifest>\n<spine toc=\"ncx\">\n");
  if (book.title_page) w.raw("<itemref idref=\"title-page\"/>\n");
  // The contents page is in the spine (out of the reading order) so that the landmarks
  // may point at it (epubcheck RSC-011).
  w.raw("<itemref idref=\"nav\" linear=\"no\"/>\n");
  for (const Part& p : book.parts) {
    w.open("itemref").attr("idref", "x-" + p.file.substr(0, p.file.size() - 6)).end_empty();
    w.newline();
  }
  w.raw("</spine>\n</package>\n");
  return out;
}

// The default style sheet, styles/epub.css (see find_default_style for where it is looked for).
std::string default_style(ResourceLoader& resources) {
  std::string path = find_default_style("epub.css");
  if (!path.empty())
    if (auto css = resources.read_file(path)) return *css;
  throw Error(std::string("epub.css"),
              "the default EPUB style sheet is missing (is relconv installed completely?); "
              "give one with --style");
}

}  // namespace

bool valid_w3c_date(const std::string& d) {
  // W3CDTF (https://www.w3.org/TR/NOTE-datetime): YYYY, YYYY-MM, YYYY-MM-DD, optionally
  // with a time and zone.
  if (!digits(d, 0, 4)) return false;
  if (d.size() == 4) return true;
  if (d[4] != '-' || !digits(d, 5, 2)) return false;
  int month = std::stoi(d.substr(5, 2));
  if (month < 1 || month > 12) return false;
  if (d.size() == 7) return true;
  if (d[7] != '-' || !digits(d, 8, 2)) return false;
  int day = std::stoi(d.substr(8, 2));
  if (day < 1 || day > 31) return false;
  if (d.size() == 10) return true;
  return parse_epoch(d) >= 0 && d[10] == 'T' && (d.back() == 'Z' || d.find('+', 10) != std::string::npos ||
                                                  d.find('-', 10) != std::string::npos);
}

std::string display_date(const std::string& date) {
  static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
  if (date.size() < 10 || !valid_w3c_date(date.substr(0, 10))) return date;
  int m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
  return std::to_string(d) + " " + months[m - 1] + " " + date.substr(0, 4);
}

std::string join_authors(const std::vector<std::string>& authors) {
  std::string out;
  for (size_t i = 0; i < authors.size(); ++i) {
    if (i > 0) out += i + 1 == authors.size() ? (authors.size() > 2 ? ", and " : " and ") : ", ";
    out += authors[i];
  }
  return out;
}

void render_epub(const RenderContext& ctx, const PackageOptions& options, std::string& out) {
  if (ctx.doc.chapters.empty()) throw Error(std::string(), "nothing to convert: the document has no chapters");
  Book book(ctx);
  plan_book(book, options);
  // The parts are rendered on the --jobs threads; their warnings are kept apart and
  // handed on in order, so the messages are the same as one after another.
  struct Rendered {
    Diagnostics diag;
    std::exception_ptr error;
  };
  std::vector<Rendered> rendered(book.parts.size());
  parallel_for(book.parts.size(), size_t(std::max(ctx.options.jobs, 1)), [&](size_t i, size_t) {
    try {
      render_part(book, i, rendered[i].diag);
    } catch (...) {
      rendered[i].error = std::current_exception();
    }
  });
  for (const Rendered& r : rendered) {
    ctx.diag.append(r.diag);
    if (r.error) std::rethrow_exception(r.error);
  }

  std::string css;
  if (!ctx.options.style_path.empty()) {
    auto s = ctx.resources.read_file(ctx.options.style_path);
    if (!s) throw Error(ctx.options.style_path, "cannot read the style sheet");
    css = xml_clean(*s);
    // Only the style sheet itself is packaged: whatever it loads would be a missing
    // resource for the reader (and an epubcheck error).
    if (css.find("@import") != std::string::npos || css.find("url(") != std::string::npos)
      ctx.diag.warning(ctx.options.style_path, 0, 0,
                       "the style sheet refers to other files (@import or url()); they are not "
                       "packaged into the EPUB, so readers will not find them");
  } else {
    css = default_style(ctx.resources);
  }

  std::string title_page = book.title_page ? render_title_page(book) : std::string();
  std::string uid = ctx.doc.meta.identifier;
  if (uid.empty()) {
    std::vector<const std::string*> parts = {&book.title, &title_page, &css};
    for (const Part& p : book.parts) parts.push_back(&p.xhtml);
    for (const Image& img : book.images) parts.push_back(&img.data);
    uid = content_uuid(parts);
  }
  int toc_depth = std::clamp(ctx.options.toc_depth, 1, 6);
  std::vector<NavEntry> toc = navigation(book, toc_depth);
  bool has_headings = false;
  for (const Part& p : book.parts) has_headings = has_headings || !p.headings.empty();
  int64_t epoch = book_epoch(book);

  std::vector<ZipEntry> entries;
  entries.push_back({"mimetype", "application/epub+zip", false});
  entries.push_back({"META-INF/container.xml",
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
                     "<rootfiles>\n"
                     "<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
                     "</rootfiles>\n</container>\n",
                     true});
  std::string dir = kPackageDir;
  entries.push_back({dir + "package.opf", package_document(book, uid, epoch, has_headings), true});
  entries.push_back({dir + "nav.xhtml", nav_document(book, toc), true});
  entries.push_back({dir + "toc.ncx", ncx_document(book, toc, uid), true});
  entries.push_back({dir + "styles/epub.css", std::move(css), true});
  if (book.title_page) entries.push_back({dir + "text/title.xhtml", std::move(title_page), true});
  for (Part& p : book.parts) entries.push_back({dir + "text/" + p.file, std::move(p.xhtml), true});
  for (Image& img : book.images) {
    bool compress = img.media_type == "image/svg+xml";  // the others are compressed already
    entries.push_back({dir + "images/" + img.name, std::move(img.data), compress});
  }
  out = write_zip(entries, epoch, ctx.options.jobs);
}

namespace {

class EpubBackend : public Backend {
 public:
  const char* name() const override { return "epub"; }
  std::vector<std::string> extensions() const override { return {".epub"}; }
  const char* description() const override { return "EPUB 3 e-book (one file, passes epubcheck)"; }
  bool binary() const override { return true; }
  void render(const RenderContext& ctx, std::string& out) const override {
    render_epub(ctx, PackageOptions{}, out);
  }
};

}  // namespace

const Backend& backend() {
  static const EpubBackend instance;
  return instance;
}

}  // namespace relconv::epub

// The entry point the registry finds: linked in (relconv_core) or in the module
// relconv-epub.so that the relconv program loads when it writes this format.
extern "C" const relconv::Backend* relconv_backend_epub() { return &relconv::epub::backend(); }
