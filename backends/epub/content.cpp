// XHTML content documents: the blocks and inlines of the model as EPUB 3 XHTML.
//
// Every piece of document text is written through XmlWriter (the one escaping point).
// Footnotes become EPUB 3 note references (epub:type="noteref", which reading systems
// show as pop-ups) and <aside epub:type="footnote"> at the end of the file that first
// refers to them, each with a link back. Links to ids go through the plan's target table,
// so they resolve across files; a link that cannot resolve becomes its text.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "backends/epub/book.h"
#include "backends/epub/xml_writer.h"
#include "text/utf8.h"

namespace relconv::epub {

namespace {

// A URL as an attribute value epubcheck accepts as a valid IRI (RFC 3987): spaces,
// characters outside ASCII and the characters RFC 3986 excludes are percent-encoded, a
// '%' that starts no escape is encoded, and only the first '#' is kept as a delimiter.
std::string encode_url(const std::string& url) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  bool seen_hash = false;
  for (size_t i = 0; i < url.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(url[i]);
    bool escape = c <= 0x20 || c >= 0x7F || std::strchr("\"<>\\^`{|}", c) != nullptr;
    if (c == '%' && !(i + 2 < url.size() &&
                      std::isxdigit(static_cast<unsigned char>(url[i + 1])) &&
                      std::isxdigit(static_cast<unsigned char>(url[i + 2]))))
      escape = true;
    if (c == '#') {
      if (seen_hash) escape = true;
      seen_hash = true;
    }
    if (escape) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The scheme of a URL in lower case ("https"), or "" for a relative reference.
std::string scheme_of(const std::string& url) {
  size_t i = 0;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' ||
                            url[i] == '-' || url[i] == '.'))
    ++i;
  if (i == 0 || i >= url.size() || url[i] != ':' || !std::isalpha(static_cast<unsigned char>(url[0])))
    return {};
  return ascii_lower(url.substr(0, i));
}

// Lexical normalisation of a relative path ("a/./b/../c" -> "a/c").
std::string normalize_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  bool absolute = !path.empty() && path[0] == '/';
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string p = path.substr(i, j - i);
    if (p == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (!absolute)
        parts.push_back(p);
    } else if (!p.empty() && p != ".") {
      parts.push_back(p);
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
  return out;
}

const char* align_style(Align a) {
  switch (a) {
    case Align::Left: return "text-align: left";
    case Align::Center: return "text-align: center";
    case Align::Right: return "text-align: right";
    case Align::None: break;
  }
  return nullptr;
}

bool blank(const std::string& s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_emoji_shortcode(const std::string& alt) {
  if (alt.size() < 3 || alt.front() != ':' || alt.back() != ':') return false;
  for (size_t i = 1; i + 1 < alt.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(alt[i]);
    if (!(std::islower(c) || std::isdigit(c) || c == '_' || c == '+' || c == '-')) return false;
  }
  return true;
}

bool has_image(const std::vector<Inline>& inlines) {
  for (const Inline& in : inlines)
    if (in.kind == InlineKind::Image || has_image(in.children)) return true;
  return false;
}

class PartWriter {
 public:
  PartWriter(Book& book, size_t part_index, Diagnostics& diag)
      : book_(book),
        diag_(diag),
        part_(book.parts[part_index]),
        index_(part_index),
        chapter_(book.doc.chapters[part_.chapter]),
        plan_(book.chapters[part_.chapter]),
        w_(part_.xhtml) {}

  void write() {
    const char* body_type = book_.doc.is_book() ? "chapter" : "bodymatter";
    xhtml_head(part_.xhtml, plan_.language, part_.title, "../styles/epub.css", body_type);
    if (part_.first_of_chapter && plan_.show_header) write_header();
    for (size_t i = part_.begin; i < part_.end; ++i) block(chapter_.blocks[i]);
    write_footnotes();
    w_.raw("</body>\n</html>\n");
  }

 private:
  Book& book_;
  Diagnostics& diag_;  // the part's own: parts are written on several threads
  Part& part_;
  size_t index_;
  const Chapter& chapter_;
  const ChapterPlan& plan_;
  XmlWriter w_;
  int link_depth_ = 0;                 // inside <a>: no nested links
  std::map<int, int> note_refs_;       // footnote number -> references written so far
  TaskState task_box_ = TaskState::None;  // a task box waiting for its item's first paragraph

  const Footnote* footnote(int number) const {
    for (const Footnote& f : chapter_.footnotes)
      if (f.number == number) return &f;
    return nullptr;
  }

  std::string id_of(const std::string& doc_id) const {
    auto it = book_.xml_ids.find(doc_id);
    return it == book_.xml_ids.end() ? sanitize_id(doc_id) : it->second;
  }

  // href from this file to a target.
  std::string href_to(const Target& t) const {
    std::string h;
    if (t.part != index_) h = book_.parts[t.part].file;
    if (!t.xml_id.empty()) h += "#" + t.xml_id;
    if (h.empty()) h = part_.file;
    return h;
  }

  void write_header() {
    const Metadata& m = chapter_.meta;
    w_.open("header").attr("class", "chapter-header").end_open();
    w_.newline();
    w_.open("h1").attr("class", "chapter-title").attr("id", plan_.xml_id).end_open();
    w_.text(plan_.label);
    w_.close("h1");
    w_.newline();
    if (!m.subtitle.empty()) {
      w_.open("p").attr("class", "subtitle").end_open();
      w_.text(m.subtitle);
      w_.close("p");
      w_.newline();
    }
    std::string authors = join_authors(m.authors);
    if (!authors.empty() || !m.date.empty()) {
      w_.open("p").attr("class", "byline").end_open();
      if (!authors.empty()) {
        w_.open("span").attr("class", "author").end_open();
        w_.text(authors);
        w_.close("span");
      }
      if (!m.date.empty()) {
        if (!authors.empty()) w_.text(" \u00B7 ");
        write_date(m.date);
      }
      if (!m.updated.empty() && m.updated != m.date) {
        w_.text(" (updated ");
        write_date(m.updated);
        w_.text(")");
      }
      w_.close("p");
      w_.newline();
    }
    w_.close("header");
    w_.newline();
  }

  void write_date(const std::string& date) {
    if (date.size() == 10 && valid_w3c_date(date)) {
      w_.open("time").attr("datetime", date).end_open();
      w_.text(display_date(date));
      w_.close("time");
    } else {
      w_.text(date);
    }
  }

  // ----- blocks -------------------------------------------------------------------

  void blocks(const std::vector<Block>& bs) {
    for (const Block& b : bs) block(b);
  }

  void block(const Block& b) {
    switch (b.kind) {
      case BlockKind::Paragraph:
        if (b.inlines.empty() && task_box_ == TaskState::None) return;
        w_.raw("<p>");
        if (task_box_ != TaskState::None) write_task_box();
        inlines(b.inlines);
        w_.raw("</p>\n");
        return;
      case BlockKind::Heading:
        heading(b);
        return;
      case BlockKind::BlockQuote:
        w_.raw("<blockquote>\n");
        blocks(b.children);
        w_.raw("</blockquote>\n");
        return;
      case BlockKind::List:
        list(b);
        return;
      case BlockKind::CodeBlock: {
        w_.open("pre").attr("class", "code").end_open();
        w_.open("code");
        std::string lang = language_class(b.info);
        if (!lang.empty()) w_.attr("class", "language-" + lang);
        w_.end_open();
        std::string text = b.literal;
        if (!text.empty() && text.back() == '\n') text.pop_back();
        w_.text(text);
        w_.raw("</code></pre>\n");
        return;
      }
      case BlockKind::ThematicBreak:
        w_.raw("<hr/>\n");
        return;
      case BlockKind::Table:
        table(b);
        return;
      case BlockKind::Figure:
        figure(b);
        return;
      case BlockKind::DefinitionList:
        w_.raw("<dl>\n");
        for (const DefinitionItem& d : b.definitions) {
          w_.raw("<dt>");
          inlines(d.term);
          w_.raw("</dt>\n");
          for (const auto& def : d.definitions) {
            w_.raw("<dd>");
            item_blocks(def, tight_definition(def));
            w_.raw("</dd>\n");
          }
        }
        w_.raw("</dl>\n");
        return;
      case BlockKind::Div:
        w_.raw(b.dir == "rtl" ? "<div dir=\"rtl\">\n" : b.dir == "ltr" ? "<div dir=\"ltr\">\n" : "<div>\n");
        blocks(b.children);
        w_.raw("</div>\n");
        return;
      case BlockKind::RawHtml: {
        // HTML the parser could not interpret is shown as what it is, never passed on:
        // pasting it would make the file invalid or unsafe.
        std::string text = b.literal;
        while (!text.empty() && text.back() == '\n') text.pop_back();
        if (blank(text)) return;
        w_.open("pre").attr("class", "raw-html").end_open();
        w_.raw("<code>");
        w_.text(text);
        w_.raw("</code></pre>\n");
        return;
      }
    }
  }

  static bool tight_definition(const std::vector<Block>& def) {
    return def.size() == 1 && def[0].kind == BlockKind::Paragraph;
  }

  static std::string language_class(const std::string& info) {
    std::string out;
    for (char c : info) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '+' || c == '#')
        out += c;
      else
        break;
    }
    return out;
  }

  void heading(const Block& b) {
    std::string id;
    if (auto it = book_.heading_ids.find(&b); it != book_.heading_ids.end()) id = it->second;
    bool empty = blank(plain_text(b.inlines)) && !has_image(b.inlines);
    if (empty) {
      // A heading with nothing to read (the corpus has `# [](url)`) would be an empty
      // heading for screen readers; its id stays as an anchor.
      if (!b.inlines.empty()) {
        w_.open("p").attr("class", "empty-heading");
        if (!id.empty()) w_.attr("id", id);
        w_.end_open();
        inlines(b.inlines);
        w_.raw("</p>\n");
      } else if (!id.empty()) {
        w_.open("div").attr("id", id).end_open();
        w_.raw("</div>\n");
      }
      return;
    }
    int level = std::clamp(b.level + plan_.level_shift, 1, 6);
    std::string tag = "h" + std::to_string(level);
    w_.open(tag);
    if (!id.empty()) w_.attr("id", id);
    w_.end_open();
    inlines(b.inlines);
    w_.close(tag);
    w_.newline();
  }

  void list(const Block& b) {
    const char* tag = b.list.ordered ? "ol" : "ul";
    w_.open(tag);
    if (b.list.ordered && b.list.start != 1) w_.attr("start", std::to_string(b.list.start));
    bool tasks = std::any_of(b.items.begin(), b.items.end(),
                             [](const ListItem& i) { return i.task != TaskState::None; });
    if (tasks) w_.attr("class", "tasks");
    w_.end_open();
    w_.newline();
    for (const ListItem& item : b.items) {
      w_.open("li");
      if (item.task != TaskState::None)
        w_.attr("class", item.task == TaskState::Checked ? "task done" : "task");
      w_.end_open();
      // A checkbox input would need scripting to mean anything in a reader; a symbol
      // with a text equivalent reads the same everywhere. It goes inside the first
      // paragraph of a loose item, so it stays on the line it belongs to.
      task_box_ = item.task;
      if (task_box_ != TaskState::None &&
          (b.list.tight || item.blocks.empty() || item.blocks[0].kind != BlockKind::Paragraph))
        write_task_box();
      item_blocks(item.blocks, b.list.tight);
      task_box_ = TaskState::None;
      w_.raw("</li>\n");
    }
    w_.close(tag);
    w_.newline();
  }

  void write_task_box() {
    bool done = task_box_ == TaskState::Checked;
    task_box_ = TaskState::None;
    w_.open("span").attr("class", "checkbox").attr("role", "img")
        .attr("aria-label", done ? "done" : "not done").end_open();
    w_.text(done ? "\u2611" : "\u2610");
    w_.raw("</span> ");
  }

  // The blocks of a list item: in a tight list, paragraphs are bare text.
  void item_blocks(const std::vector<Block>& bs, bool tight) {
    for (size_t i = 0; i < bs.size(); ++i) {
      const Block& b = bs[i];
      if (tight && b.kind == BlockKind::Paragraph) {
        if (i > 0 && bs[i - 1].kind == BlockKind::Paragraph) w_.raw("<br/>");
        inlines(b.inlines);
        if (i + 1 < bs.size()) w_.newline();
      } else {
        if (i == 0) w_.newline();
        block(b);
      }
    }
  }

  void table(const Block& b) {
    if (!b.table || b.table->rows.empty()) return;
    const TableData& t = *b.table;
    w_.raw("<div class=\"table-wrap\">\n<table>\n");
    bool in_head = false, in_body = false;
    for (const TableRow& row : t.rows) {
      if (row.header && !in_body) {
        if (!in_head) w_.raw("<thead>\n");
        in_head = true;
      } else if (!in_body) {
        if (in_head) w_.raw("</thead>\n");
        w_.raw("<tbody>\n");
        in_body = true;
      }
      w_.raw("<tr>");
      size_t column = 0;
      for (const TableCell& cell : row.cells) {
        bool th = cell.header || (row.header && !in_body);
        const char* tag = th ? "th" : "td";
        w_.open(tag);
        if (th) w_.attr("scope", row.header && !in_body ? "col" : "row");
        if (cell.colspan > 1) w_.attr("colspan", std::to_string(cell.colspan));
        Align a = column < t.aligns.size() ? t.aligns[column] : Align::None;
        if (const char* style = align_style(a)) w_.attr("style", style);
        w_.end_open();
        inlines(cell.inlines);
        w_.close(tag);
        column += static_cast<size_t>(std::max(1, cell.colspan));
      }
      w_.raw("</tr>\n");
    }
    if (in_body)
      w_.raw("</tbody>\n");
    else if (in_head)
      w_.raw("</thead>\n");
    w_.raw("</table>\n</div>\n");
  }

  void figure(const Block& b) {
    w_.raw("<figure>\n");
    if (!b.inlines.empty()) {
      bool simple = b.inlines.size() == 1 && b.inlines[0].kind == InlineKind::Image;
      if (!simple) w_.raw("<p>");
      inlines(b.inlines);
      if (!simple) w_.raw("</p>");
      w_.newline();
    }
    if (!b.caption.empty()) {
      w_.raw("<figcaption>");
      inlines(b.caption);
      w_.raw("</figcaption>\n");
    }
    w_.raw("</figure>\n");
  }

  // ----- footnotes ----------------------------------------------------------------

  void write_footnotes() {
    if (part_.footnotes.empty()) return;
    w_.open("section").attr("class", "footnotes").attr("epub:type", "footnotes")
        .attr("aria-label", "Notes").end_open();
    w_.newline();
    for (int number : part_.footnotes) {
      const Footnote* f = footnote(number);
      if (!f) continue;
      std::string id = id_of(footnote_key(part_.chapter, *f));
      w_.open("aside").attr("id", id).attr("class", "footnote").attr("epub:type", "footnote")
          .attr("role", "doc-footnote").end_open();
      w_.newline();
      // The number links back to the first reference.
      std::string back;
      if (note_refs_.count(number))
        back = "#fnref." + id + ".1";
      auto write_number = [&] {
        if (!back.empty()) {
          w_.open("a").attr("class", "footnote-back").attr("href", back).attr("role", "doc-backlink")
              .attr("aria-label", "Back to reference " + std::to_string(number)).end_open();
          w_.text(std::to_string(number) + ".");
          w_.close("a");
        } else {
          w_.open("span").attr("class", "footnote-number").end_open();
          w_.text(std::to_string(number) + ".");
          w_.close("span");
        }
        w_.raw(" ");
      };
      if (!f->blocks.empty() && f->blocks[0].kind == BlockKind::Paragraph) {
        w_.raw("<p>");
        write_number();
        inlines(f->blocks[0].inlines);
        w_.raw("</p>\n");
        for (size_t i = 1; i < f->blocks.size(); ++i) block(f->blocks[i]);
      } else {
        w_.raw("<p>");
        write_number();
        w_.raw("</p>\n");
        blocks(f->blocks);
      }
      w_.raw("</aside>\n");
    }
    w_.raw("</section>\n");
  }

  // ----- inlines ------------------------------------------------------------------

  void inlines(const std::vector<Inline>& ins) {
    for (const Inline& in : ins) inline_(in);
  }

  void wrap(const char* tag, const Inline& in) {
    w_.raw("<");
    w_.raw(tag);
    w_.raw(">");
    inlines(in.children);
    w_.raw("</");
    w_.raw(tag);
    w_.raw(">");
  }

  void inline_(const Inline& in) {
    switch (in.kind) {
      case InlineKind::Text: w_.text(in.literal); return;
      case InlineKind::Emph: wrap("em", in); return;
      case InlineKind::Strong: wrap("strong", in); return;
      case InlineKind::Strike: wrap("s", in); return;
      case InlineKind::Superscript: wrap("sup", in); return;
      case InlineKind::Subscript: wrap("sub", in); return;
      case InlineKind::Small: wrap("small", in); return;
      case InlineKind::Kbd: wrap("kbd", in); return;
      case InlineKind::Code:
        w_.raw("<code>");
        w_.text(in.literal);
        w_.raw("</code>");
        return;
      case InlineKind::Link: link(in); return;
      case InlineKind::Image: image(in); return;
      case InlineKind::SoftBreak: w_.newline(); return;
      case InlineKind::HardBreak: w_.raw("<br/>\n"); return;
      case InlineKind::FootnoteRef: noteref(in); return;
    }
  }

  void noteref(const Inline& in) {
    const Footnote* f = footnote(in.note);
    std::string number = std::to_string(in.note);
    if (!f) {
      w_.raw("<sup>");
      w_.text(number);
      w_.raw("</sup>");
      return;
    }
    std::string key = footnote_key(part_.chapter, *f);
    auto t = book_.targets.find(key);
    if (link_depth_ > 0 || t == book_.targets.end()) {
      w_.raw("<sup>");
      w_.text(number);
      w_.raw("</sup>");
      return;
    }
    int k = ++note_refs_[in.note];
    std::string ref_id = "fnref." + id_of(key) + "." + std::to_string(k);
    w_.raw("<sup>");
    w_.open("a").attr("id", ref_id).attr("class", "noteref").attr("href", href_to(t->second))
        .attr("epub:type", "noteref").attr("role", "doc-noteref").end_open();
    w_.text(number);
    w_.raw("</a></sup>");
  }

  // Finds where `#fragment` in this chapter points.
  const Target* resolve_fragment(const std::string& fragment) const {
    std::string frag = percent_decode(fragment);
    // Ids are unique in the document, but a book renames repeated ones; the chapter's own
    // heading with that slug wins over another chapter's.
    auto it = book_.targets.find(frag);
    if (it != book_.targets.end() && it->second.chapter == part_.chapter) return &it->second;
    const auto& slugs = book_.heading_slugs[part_.chapter];
    if (auto s = slugs.find(frag); s != slugs.end()) {
      auto t = book_.targets.find(s->second);
      if (t != book_.targets.end()) return &t->second;
    }
    if (it != book_.targets.end()) return &it->second;
    return nullptr;
  }

  // Finds the chapter a relative link to another input file points at.
  const Target* resolve_file(const std::string& path, const std::string& fragment) const {
    std::string wanted = normalize_path(chapter_.base_dir.empty() ? path : chapter_.base_dir + "/" + path);
    for (size_t c = 0; c < book_.doc.chapters.size(); ++c) {
      const Chapter& ch = book_.doc.chapters[c];
      if (!ch.source) continue;
      std::string src = normalize_path(*ch.source);
      std::string dir = normalize_path(ch.base_dir);
      if (src == wanted || (!dir.empty() && dir == wanted)) {
        if (!fragment.empty()) {
          // The id as that file spelled it: exact, or the slug its heading had before
          // the book renamed repeated ids.
          std::string frag = percent_decode(fragment);
          auto it = book_.targets.find(frag);
          if (it != book_.targets.end() && it->second.chapter == c) return &it->second;
          const auto& slugs = book_.heading_slugs[c];
          if (auto s = slugs.find(frag); s != slugs.end())
            if (auto t = book_.targets.find(s->second); t != book_.targets.end()) return &t->second;
        }
        auto it = book_.targets.find(ch.id);
        if (it != book_.targets.end()) return &it->second;
      }
    }
    return nullptr;
  }

  void link(const Inline& in) {
    std::string href;
    const std::string& url = in.url;
    std::string scheme = scheme_of(url);
    if (link_depth_ > 0) {
      inlines(in.children);
      return;
    }
    if (!url.empty() && url[0] == '#') {
      if (const Target* t = resolve_fragment(url.substr(1))) {
        href = href_to(*t);
      } else {
        diag_.warning(in.pos, "link target '" + url +
                                           "' is not an id in this document; the link is shown as text");
      }
    } else if (!scheme.empty()) {
      if (scheme == "javascript" || scheme == "file" || scheme == "data" || scheme == "vbscript") {
        diag_.warning(in.pos, "'" + scheme + ":' link cannot be used in an EPUB; shown as text");
      } else {
        href = encode_url(url);
      }
    } else if (url.size() > 1 && url[0] == '/' && url[1] == '/') {
      href = "https:" + encode_url(url);  // a network-path reference
    } else if (!url.empty()) {
      size_t hash = url.find('#');
      std::string path = url.substr(0, hash);
      std::string frag = hash == std::string::npos ? "" : url.substr(hash + 1);
      if (const Target* t = resolve_file(percent_decode(path), frag)) {
        href = href_to(*t);
      } else {
        diag_.warning(in.pos, "relative link '" + url +
                                           "' has no target inside the EPUB; the link is shown as text");
      }
    }
    if (href.empty()) {
      inlines(in.children);
      return;
    }
    w_.open("a").attr("href", href);
    if (!in.title.empty()) w_.attr("title", in.title);
    w_.end_open();
    ++link_depth_;
    inlines(in.children);
    --link_depth_;
    w_.raw("</a>");
  }

  void image(const Inline& in) {
    std::string alt = plain_text(in.children);
    auto use = book_.image_uses.find(&in);
    if (use != book_.image_uses.end() && use->second.kind == ImageUse::Packaged) {
      const Image& img = book_.images[use->second.image];
      if (img.media_type == "image/webp") {
        // WebP is a core media type only from EPUB 3.3; epubcheck 4.2 (EPUB 3.2 rules)
        // wants a fallback (MED-003). An <object> carries its own: readers that cannot
        // show WebP show the alt text inside it.
        w_.open("object").attr("data", "../images/" + img.name).attr("type", img.media_type);
        if (in.width > 0) w_.attr("width", std::to_string(in.width));
        if (in.height > 0) w_.attr("height", std::to_string(in.height));
        w_.end_open();
        w_.open("span").attr("class", "image-alt").end_open();
        w_.text(blank(alt) ? "[image]" : alt);
        w_.raw("</span></object>");
        return;
      }
      w_.open("img").attr("src", "../images/" + img.name).attr("alt", alt);
      // Blog exports write emoji as pictures whose alt text is the shortcode
      // (":warning:"); they belong at text size, not at the picture's 72 px.
      if (is_emoji_shortcode(alt)) w_.attr("class", "emoji");
      if (!in.title.empty()) w_.attr("title", in.title);
      if (in.width > 0) w_.attr("width", std::to_string(in.width));
      if (in.height > 0) w_.attr("height", std::to_string(in.height));
      w_.end_empty();
      return;
    }
    // Not packaged: its alt text stands in, linked to the original when it is remote.
    std::string shown = alt;
    bool remote = use != book_.image_uses.end() && use->second.kind == ImageUse::Remote;
    if (blank(shown)) {
      std::string name = in.url;
      size_t slash = name.find_last_of('/');
      if (slash != std::string::npos && slash + 1 < name.size()) name = name.substr(slash + 1);
      shown = "[image: " + name + "]";
    }
    if (remote && link_depth_ == 0 && !is_bad_scheme(in.url)) {
      w_.open("a").attr("class", "image-link").attr("href", encode_url(in.url)).end_open();
      w_.text(shown);
      w_.close("a");
    } else {
      w_.open("span").attr("class", "image-alt").end_open();
      w_.text(shown);
      w_.close("span");
    }
  }

  static bool is_bad_scheme(const std::string& url) {
    std::string s = scheme_of(url);
    return s == "javascript" || s == "file" || s == "data" || s == "vbscript";
  }
};

}  // namespace

void render_part(Book& book, size_t index, Diagnostics& diag) {
  book.parts[index].xhtml.clear();
  PartWriter(book, index, diag).write();
}

void xhtml_head(std::string& out, const std::string& language, const std::string& title,
                const std::string& css_href, const char* body_type) {
  XmlWriter w(out);
  w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
  w.open("html").attr("xmlns", "http://www.w3.org/1999/xhtml")
      .attr("xmlns:epub", "http://www.idpf.org/2007/ops").attr("xml:lang", language)
      .attr("lang", language).end_open();
  w.raw("\n<head>\n<meta charset=\"utf-8\"/>\n");
  w.element("title", title);
  w.newline();
  w.open("link").attr("rel", "stylesheet").attr("type", "text/css").attr("href", css_href).end_empty();
  w.raw("\n</head>\n");
  w.open("body");
  if (body_type) w.attr("epub:type", body_type);
  w.end_open();
  w.newline();
}

std::string render_title_page(const Book& book) {
  std::string out;
  xhtml_head(out, book.language, book.title, "../styles/epub.css", "titlepage");
  XmlWriter w(out);
  const Metadata& m = book.doc.meta;
  w.open("section").attr("class", "title-page").end_open();
  w.newline();
  w.open("h1").attr("class", "book-title").end_open();
  w.text(book.title);
  w.raw("</h1>\n");
  if (!m.subtitle.empty()) {
    w.open("p").attr("class", "subtitle").end_open();
    w.text(m.subtitle);
    w.raw("</p>\n");
  }
  std::string authors = join_authors(m.authors);
  if (!authors.empty()) {
    w.open("p").attr("class", "book-author").end_open();
    w.text(authors);
    w.raw("</p>\n");
  }
  if (!m.date.empty()) {
    w.open("p").attr("class", "book-date").end_open();
    if (m.date.size() == 10 && valid_w3c_date(m.date)) {
      w.open("time").attr("datetime", m.date).end_open();
      w.text(display_date(m.date));
      w.close("time");
    } else {
      w.text(m.date);
    }
    w.raw("</p>\n");
  }
  if (!m.description.empty()) {
    w.open("p").attr("class", "book-description").end_open();
    w.text(m.description);
    w.raw("</p>\n");
  }
  w.raw("</section>\n</body>\n</html>\n");
  return out;
}

}  // namespace relconv::epub
