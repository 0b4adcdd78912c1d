// Raw HTML in Markdown, interpreted into the model with libxml2's HTML parser.
//
// Why libxml2: it is on the base image, security-maintained, never fetches anything with
// HTML_PARSE_NONET, does not expand entity declarations, and handles the HTML found in
// real posts (tables of screenshots, <br>, <small>, <sup>, <kbd>, <a>). gumbo is an HTML5
// parser too, but upstream was archived in 2023.
//
// The rules:
// - a useful subset of HTML maps onto the model (see block_element / inline_element);
// - other known HTML elements keep their text content;
// - a "tag" that is not an HTML element at all (`<module>`, `<pid>`, `<bomb>` in prose) is
//   text, and shows literally; so do declarations (`<!DOCTYPE …>`, `<!ENTITY …>`);
// - script, style, iframe, object, embed and the like never reach the model, nor do
//   attributes other than the few that carry content (href, src, alt, title, width, height,
//   colspan, start, align), nor javascript:/vbscript:/data: links; comments are dropped;
// - inline HTML comes from cmark-gfm one tag at a time: the paragraph's inlines are
//   written out as one fragment (Markdown inlines as placeholders), parsed once, and the
//   placeholders are put back, so mixed HTML and Markdown keep their order.
#include "parse/html.h"
#include "parse/inlines.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>

#include "text/utf8.h"

namespace relconv::detail {

namespace {

std::once_flag g_libxml_once;

// Placeholders for Markdown inlines inside an inline HTML fragment: U+E000 n U+E001.
const char* const kOpen = "\xEE\x80\x80";
const char* const kClose = "\xEE\x80\x81";

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

// True when `name` is an element of HTML (as libxml2 knows them).
bool is_html_element(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::set<std::string> html5 = {"article", "aside", "details", "figcaption", "figure", "footer",
                                              "header", "main", "mark", "nav", "section", "summary", "time",
                                              "picture", "source", "video", "audio", "svg", "math", "template"};
  return htmlTagLookup(reinterpret_cast<const xmlChar*>(lower.c_str())) != nullptr || html5.count(lower);
}

std::string escape_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

// Escapes every `<` that does not open an HTML element, a closing tag of one, or a comment,
// so what only looks like a tag (and declarations) stays text.
std::string escape_non_html(std::string_view html) {
  std::string out;
  out.reserve(html.size() + 16);
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c != '<') {
      out += c;
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      size_t end = html.find("-->", i + 4);
      size_t stop = end == std::string_view::npos ? html.size() : end + 3;
      out.append(html.substr(i, stop - i));
      i = stop;
      continue;
    }
    size_t j = i + 1;
    if (j < html.size() && html[j] == '/') ++j;
    size_t name_start = j;
    while (j < html.size() && is_name_char(html[j])) ++j;
    std::string name(html.substr(name_start, j - name_start));
    bool tag_end = j >= html.size() || html[j] == '>' || html[j] == '/' || html[j] == ' ' || html[j] == '\t' ||
                   html[j] == '\n';
    if (!name.empty() && tag_end && is_html_element(name))
      out += '<';
    else
      out += "&lt;";
    ++i;
  }
  return out;
}

std::string attr(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return "";
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

int int_attr(xmlNode* n, const char* name) {
  std::string s = attr(n, name);
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return 0;
  long v = std::strtol(s.c_str(), nullptr, 10);
  return v > 0 && v < 100000 ? static_cast<int>(v) : 0;
}

std::string name_of(xmlNode* n) { return n->name ? reinterpret_cast<const char*>(n->name) : ""; }


const std::set<std::string>& dropped_elements() {
  static const std::set<std::string> s = {"script", "style", "iframe", "object", "embed", "applet", "frame",
                                          "frameset", "template", "link", "meta", "base", "noscript", "svg",
                                          "math", "head", "title", "input", "select", "textarea", "button",
                                          "video", "audio", "source", "canvas", "map", "area", "param", "col",
                                          "colgroup"};
  return s;
}

bool is_block_element(const std::string& n) {
  static const std::set<std::string> s = {
      "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
      "thead", "tbody", "tfoot", "tr", "td", "th", "figure", "figcaption", "dl", "dt", "dd", "details", "summary",
      "hr", "section", "article", "main", "header", "footer", "aside", "nav", "center", "address", "caption",
      "body", "html", "form", "fieldset", "legend", "menu", "dir", "listing", "xmp", "plaintext"};
  return s.count(n) != 0;
}

Inline make_inline(InlineKind kind, const SourcePos& pos) {
  Inline in;
  in.kind = kind;
  in.pos = pos;
  return in;
}

Inline make_text(const std::string& s, const SourcePos& pos) {
  Inline in;
  in.kind = InlineKind::Text;
  in.literal = s;
  in.pos = pos;
  return in;
}

// Collapses HTML white space (runs of spaces, tabs, newlines) to one space.
std::string collapse_space(const char* s) {
  std::string out;
  bool space = false;
  for (const char* p = s; *p; ++p) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
      space = true;
    } else {
      if (space) out += ' ';
      space = false;
      out += *p;
    }
  }
  if (space) out += ' ';
  return out;
}

}  // namespace

namespace {

class Interpreter {
 public:
  Interpreter(HtmlContext& ctx, const SourcePos& pos, std::vector<Inline>* placeholders)
      : ctx_(ctx), pos_(pos), placeholders_(placeholders) {}

  // Block context: fills `out` with blocks.
  // `stop`: the sibling to stop before (nullptr: to the end).
  void blocks(xmlNode* first, std::vector<Block>& out, xmlNode* stop = nullptr) {
    std::vector<Inline> pending;
    auto flush = [&]() {
      merge_texts(pending);
      trim_inlines(pending);
      if (has_visible_content(pending)) {
        Block p;
        p.kind = BlockKind::Paragraph;
        p.pos = pos_;
        p.inlines = std::move(pending);
        if (p.inlines.size() == 1 && p.inlines[0].kind == InlineKind::Image) p.kind = BlockKind::Figure;
        out.push_back(std::move(p));
      }
      pending.clear();
    };
    for (xmlNode* n = first; n && n != stop; n = n->next) {
      if (n->type == XML_ELEMENT_NODE) {
        std::string name = name_of(n);
        if (dropped_elements().count(name)) {
          drop(n, name);
          continue;
        }
        if (name == "br") {
          pending.push_back(make_inline(InlineKind::HardBreak, pos_));
          continue;
        }
        if (is_block_element(name)) {
          flush();
          block_element(n, name, out);
          continue;
        }
      }
      inline_node(n, pending);
    }
    flush();
  }

  // Inline context: fills `out` with inlines; blocks inside become their inline content
  // separated by line breaks.
  void inlines(xmlNode* first, std::vector<Inline>& out) {
    for (xmlNode* n = first; n; n = n->next) inline_node(n, out);
  }

 private:
  SourcePos pos_of(xmlNode* n) const {
    SourcePos p = pos_;
    long line = xmlGetLineNo(n);
    if (line > 1) {
      p.line = pos_.line + static_cast<uint32_t>(line - 1);
      p.col = 1;
    }
    return p;
  }

  void drop(xmlNode* n, const std::string& name) {
    static const std::set<std::string> quiet = {"col", "colgroup", "head", "title", "meta", "link", "base"};
    if (!quiet.count(name))
      ctx_.diag.warning(pos_of(n), "<" + name + "> is not shown (relconv never runs or embeds active content)");
  }

  // Inline content of an element, for contexts that hold only inlines (headings, cells).
  std::vector<Inline> inline_content(xmlNode* n) {
    std::vector<Inline> out;
    inlines(n->children, out);
    merge_texts(out);
    trim_inlines(out);
    return out;
  }

  // While inside an element, new inlines take its line.
  struct PosScope {
    SourcePos& pos;
    SourcePos saved;
    PosScope(SourcePos& p, const SourcePos& now) : pos(p), saved(p) { pos = now; }
    ~PosScope() { pos = saved; }
  };

  void block_element(xmlNode* n, const std::string& name, std::vector<Block>& out) {
    // An element that sets the direction of its text (dir="rtl", the Urdu and Arabic
    // READMEs' <div dir="rtl">) is kept as a group that says so, around what it holds.
    std::string dir = attr(n, "dir");
    for (char& c : dir) c = char(std::tolower(static_cast<unsigned char>(c)));
    if ((dir == "rtl" || dir == "ltr") && dir_grouped_ != n) {
      Block group;
      group.kind = BlockKind::Div;
      group.pos = pos_of(n);
      group.dir = dir;
      xmlNode* outer = dir_grouped_;
      dir_grouped_ = n;
      block_element(n, name, group.children);
      dir_grouped_ = outer;
      if (!group.children.empty()) out.push_back(std::move(group));
      return;
    }
    Block b;
    b.pos = pos_of(n);
    PosScope scope(pos_, b.pos);
    if (name == "p" || name == "address" || name == "caption" || name == "legend" || name == "dt" ||
        name == "summary" || name == "figcaption") {
      b.kind = BlockKind::Paragraph;
      b.inlines = inline_content(n);
      if (!has_visible_content(b.inlines)) return;
      if (name == "summary") {
        Inline strong = make_inline(InlineKind::Strong, b.pos);
        strong.children = std::move(b.inlines);
        b.inlines.clear();
        b.inlines.push_back(std::move(strong));
      }
      if (b.inlines.size() == 1 && b.inlines[0].kind == InlineKind::Image) b.kind = BlockKind::Figure;
    } else if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      b.kind = BlockKind::Heading;
      b.level = name[1] - '0';
      b.inlines = inline_content(n);
      if (!has_visible_content(b.inlines)) return;
    } else if (name == "ul" || name == "ol" || name == "menu" || name == "dir") {
      b.kind = BlockKind::List;
      b.list.ordered = name == "ol";
      int start = int_attr(n, "start");
      b.list.start = start > 0 ? start : 1;
      for (xmlNode* li = n->children; li; li = li->next) {
        if (li->type != XML_ELEMENT_NODE) {
          if (li->type == XML_TEXT_NODE && li->content &&
              collapse_space(reinterpret_cast<const char*>(li->content)).find_first_not_of(' ') != std::string::npos) {
            ListItem item;
            item.pos = b.pos;
            blocks(li, item.blocks, li->next);  // stray text: an item of its own
            b.items.push_back(std::move(item));
          }
          continue;
        }
        ListItem item;
        item.pos = pos_of(li);
        if (name_of(li) == "li")
          blocks(li->children, item.blocks);
        else
          blocks(li, item.blocks, li->next);
        // HTML lists are tight unless their items use <p>.
        for (xmlNode* c = li->children; c; c = c->next)
          if (c->type == XML_ELEMENT_NODE && name_of(c) == "p") b.list.tight = false;
        if (!item.blocks.empty()) b.items.push_back(std::move(item));
      }
      if (b.items.empty()) return;
    } else if (name == "li") {
      // An item outside a list: its content.
      blocks(n->children, out);
      return;
    } else if (name == "blockquote") {
      b.kind = BlockKind::BlockQuote;
      blocks(n->children, b.children);
    } else if (name == "pre" || name == "listing" || name == "xmp" || name == "plaintext") {
      b.kind = BlockKind::CodeBlock;
      xmlChar* text = xmlNodeGetContent(n);
      b.literal = text ? reinterpret_cast<const char*>(text) : "";
      xmlFree(text);
      if (!b.literal.empty() && b.literal[0] == '\n') b.literal.erase(0, 1);
      if (!b.literal.empty() && b.literal.back() != '\n') b.literal += '\n';
      for (xmlNode* c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && name_of(c) == "code") {
          std::string cls = attr(c, "class");
          size_t lang = cls.find("language-");
          if (lang != std::string::npos) b.info = cls.substr(lang + 9, cls.find(' ', lang) - lang - 9);
        }
    } else if (name == "hr") {
      b.kind = BlockKind::ThematicBreak;
    } else if (name == "table") {
      table(n, b);
      if (!b.table || b.table->rows.empty()) return;
    } else if (name == "thead" || name == "tbody" || name == "tfoot" || name == "tr" || name == "td" ||
               name == "th") {
      // Table parts outside a table: their content.
      blocks(n->children, out);
      return;
    } else if (name == "figure") {
      figure(n, out);
      return;
    } else if (name == "dl") {
      b.kind = BlockKind::DefinitionList;
      for (xmlNode* c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        std::string cn = name_of(c);
        if (cn == "dt") {
          DefinitionItem item;
          item.pos = pos_of(c);
          item.term = inline_content(c);
          b.definitions.push_back(std::move(item));
        } else if (cn == "dd") {
          if (b.definitions.empty()) b.definitions.push_back(DefinitionItem{pos_of(c), {}, {}});
          std::vector<Block> def;
          blocks(c->children, def);
          b.definitions.back().definitions.push_back(std::move(def));
        }
      }
      if (b.definitions.empty()) return;
    } else {
      // div, section, details, body, center, …: a group with no meaning of its own; its
      // content goes where the group was.
      blocks(n->children, out);
      return;
    }
    out.push_back(std::move(b));
  }

  void figure(xmlNode* n, std::vector<Block>& out) {
    std::vector<Inline> image, caption;
    std::vector<Block> rest;
    for (xmlNode* c = n->children; c; c = c->next) {
      std::string cn = c->type == XML_ELEMENT_NODE ? name_of(c) : "";
      if (cn == "figcaption") {
        caption = inline_content(c);
      } else if (cn == "img" && image.empty()) {
        inline_node(c, image);
      } else {
        blocks(c, rest, c->next);
      }
    }
    if (!image.empty() && image[0].kind == InlineKind::Image) {
      Block f;
      f.kind = BlockKind::Figure;
      f.pos = pos_of(n);
      f.inlines = std::move(image);
      f.caption = std::move(caption);
      out.push_back(std::move(f));
      for (Block& b : rest) out.push_back(std::move(b));
    } else {
      for (Block& b : rest) out.push_back(std::move(b));
      if (has_visible_content(caption)) {
        Block p;
        p.kind = BlockKind::Paragraph;
        p.pos = pos_of(n);
        p.inlines = std::move(caption);
        out.push_back(std::move(p));
      }
    }
  }

  void table(xmlNode* n, Block& b) {
    b.kind = BlockKind::Table;
    auto data = std::make_shared<TableData>();
    std::vector<Align> aligns;
    auto row = [&](xmlNode* tr, bool in_head) {
      TableRow r;
      r.header = in_head;
      size_t col = 0;
      bool all_th = true;
      for (xmlNode* c = tr->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        std::string cn = name_of(c);
        if (cn != "td" && cn != "th") continue;
        TableCell cell;
        cell.pos = pos_of(c);
        PosScope scope(pos_, cell.pos);
        cell.header = cn == "th" || in_head;
        all_th = all_th && cn == "th";
        int span = int_attr(c, "colspan");
        cell.colspan = span > 0 ? std::min(span, 1000) : 1;
        cell.inlines = cell_content(c);
        std::string align = attr(c, "align");
        std::string style = attr(c, "style");
        Align a = align == "right" || style.find("text-align: right") != std::string::npos ? Align::Right
                  : align == "center" || style.find("text-align: center") != std::string::npos ? Align::Center
                  : align == "left" ? Align::Left
                                    : Align::None;
        if (aligns.size() < col + 1) aligns.resize(col + 1, Align::None);
        if (a != Align::None && aligns[col] == Align::None) aligns[col] = a;
        col += static_cast<size_t>(cell.colspan);
        r.cells.push_back(std::move(cell));
      }
      if (r.cells.empty()) return;
      // A first row of <th> only is the table's head.
      if (data->rows.empty() && all_th) r.header = true;
      data->rows.push_back(std::move(r));
    };
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string cn = name_of(c);
      if (cn == "tr") {
        row(c, false);
      } else if (cn == "thead" || cn == "tbody" || cn == "tfoot") {
        for (xmlNode* tr = c->children; tr; tr = tr->next)
          if (tr->type == XML_ELEMENT_NODE && name_of(tr) == "tr") row(tr, cn == "thead");
      }
    }
    // Header rows first (a <thead> after the body is still the head), and every row as
    // many columns wide as the widest.
    std::stable_partition(data->rows.begin(), data->rows.end(), [](const TableRow& r) { return r.header; });
    size_t columns = aligns.size();
    for (const TableRow& r : data->rows) {
      size_t w = 0;
      for (const TableCell& c : r.cells) w += static_cast<size_t>(c.colspan);
      columns = std::max(columns, w);
    }
    aligns.resize(columns, Align::None);
    for (TableRow& r : data->rows) {
      size_t w = 0;
      for (const TableCell& c : r.cells) w += static_cast<size_t>(c.colspan);
      for (; w < columns; ++w) r.cells.push_back(TableCell{r.cells.empty() ? b.pos : r.cells.back().pos, {}, 1, r.header});
    }
    data->aligns = std::move(aligns);
    b.table = std::move(data);
  }

  // A cell holds inlines: its blocks become lines.
  std::vector<Inline> cell_content(xmlNode* c) {
    std::vector<Block> cell_blocks;
    blocks(c->children, cell_blocks);
    std::vector<Inline> out;
    for (Block& b : cell_blocks) {
      if (!out.empty()) out.push_back(make_inline(InlineKind::HardBreak, b.pos));
      flatten(b, out);
    }
    trim_inlines(out);
    return out;
  }

  void flatten(Block& b, std::vector<Inline>& out) {
    for (Inline& in : b.inlines) out.push_back(std::move(in));
    if (!b.caption.empty()) {
      out.push_back(make_inline(InlineKind::HardBreak, b.pos));
      for (Inline& in : b.caption) out.push_back(std::move(in));
    }
    if (b.kind == BlockKind::CodeBlock) {
      Inline code;
      code.kind = InlineKind::Code;
      code.pos = b.pos;
      code.literal = b.literal;
      while (!code.literal.empty() && code.literal.back() == '\n') code.literal.pop_back();
      out.push_back(std::move(code));
    }
    std::vector<Block>* groups[] = {&b.children};
    for (auto* g : groups)
      for (Block& c : *g) {
        if (!out.empty()) out.push_back(make_inline(InlineKind::HardBreak, c.pos));
        flatten(c, out);
      }
    for (ListItem& item : b.items)
      for (Block& c : item.blocks) {
        if (!out.empty()) out.push_back(make_inline(InlineKind::HardBreak, c.pos));
        flatten(c, out);
      }
    if (b.table)
      for (TableRow& r : b.table->rows) {
        if (!out.empty()) out.push_back(make_inline(InlineKind::HardBreak, b.pos));
        for (size_t i = 0; i < r.cells.size(); ++i) {
          if (i) out.push_back(make_text(" ", b.pos));
          for (Inline& in : r.cells[i].inlines) out.push_back(std::move(in));
        }
      }
    for (DefinitionItem& d : b.definitions) {
      if (!out.empty()) out.push_back(make_inline(InlineKind::HardBreak, d.pos));
      for (Inline& in : d.term) out.push_back(std::move(in));
      for (auto& def : d.definitions)
        for (Block& c : def) {
          out.push_back(make_inline(InlineKind::HardBreak, c.pos));
          flatten(c, out);
        }
    }
  }

  // Text, with placeholders put back.
  void text(const std::string& s, std::vector<Inline>& out) {
    size_t start = 0;
    while (placeholders_) {
      size_t open = s.find(kOpen, start);
      if (open == std::string::npos) break;
      size_t close = s.find(kClose, open);
      if (close == std::string::npos) break;
      if (open > start) out.push_back(make_text(s.substr(start, open - start), pos_));
      size_t index = std::strtoul(s.c_str() + open + 3, nullptr, 10);
      if (index < placeholders_->size()) out.push_back(std::move((*placeholders_)[index]));
      start = close + 3;
    }
    if (start < s.size()) out.push_back(make_text(s.substr(start), pos_));
  }

  void wrap(InlineKind kind, xmlNode* n, std::vector<Inline>& out) {
    Inline in = make_inline(kind, pos_);
    inlines(n->children, in.children);
    merge_texts(in.children);
    if (!in.children.empty()) out.push_back(std::move(in));
  }

  void inline_node(xmlNode* n, std::vector<Inline>& out) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) text(collapse_space(reinterpret_cast<const char*>(n->content)), out);
      return;
    }
    if (n->type != XML_ELEMENT_NODE) return;  // comments, processing instructions
    std::string name = name_of(n);
    if (dropped_elements().count(name)) {
      drop(n, name);
      return;
    }
    if (name == "em" || name == "i" || name == "cite" || name == "var" || name == "dfn") {
      wrap(InlineKind::Emph, n, out);
    } else if (name == "strong" || name == "b") {
      wrap(InlineKind::Strong, n, out);
    } else if (name == "s" || name == "del" || name == "strike") {
      wrap(InlineKind::Strike, n, out);
    } else if (name == "sup") {
      wrap(InlineKind::Superscript, n, out);
    } else if (name == "sub") {
      wrap(InlineKind::Subscript, n, out);
    } else if (name == "small") {
      wrap(InlineKind::Small, n, out);
    } else if (name == "kbd") {
      wrap(InlineKind::Kbd, n, out);
    } else if (name == "code" || name == "tt" || name == "samp") {
      // Code holds text; markup inside it (a link in code) keeps only its text.
      std::vector<Inline> inner;
      inlines(n->children, inner);
      bool plain = true;
      for (const Inline& in : inner) plain = plain && (in.kind == InlineKind::Text || in.kind == InlineKind::Code);
      if (plain) {
        Inline code = make_inline(InlineKind::Code, pos_);
        for (const Inline& in : inner) code.literal += in.literal;
        if (!code.literal.empty()) out.push_back(std::move(code));
      } else {
        Inline c = make_inline(InlineKind::Code, pos_);
        c.literal = plain_text(inner);
        out.push_back(std::move(c));
      }
    } else if (name == "a") {
      std::string href = attr(n, "href");
      if (href.empty() || is_active_url(href)) {
        if (!href.empty()) ctx_.diag.warning(pos_of(n), "link to '" + href.substr(0, 40) + "' removed (it would run code)");
        inlines(n->children, out);
        return;
      }
      Inline link = make_inline(InlineKind::Link, pos_);
      link.url = href;
      link.title = attr(n, "title");
      inlines(n->children, link.children);
      merge_texts(link.children);
      trim_inlines(link.children);
      if (!has_visible_content(link.children)) link.children.push_back(make_text(href, pos_));
      out.push_back(std::move(link));
    } else if (name == "img") {
      std::string src = attr(n, "src");
      if (is_active_url(src)) {
        ctx_.diag.warning(pos_of(n), "image source '" + src.substr(0, 40) + "' removed");
        src.clear();
      }
      Inline img = make_inline(InlineKind::Image, pos_);
      img.url = src;
      img.title = attr(n, "title");
      std::string alt = attr(n, "alt");
      if (!alt.empty()) img.children.push_back(make_text(collapse_space(alt.c_str()), pos_));
      img.width = int_attr(n, "width");
      img.height = int_attr(n, "height");
      out.push_back(std::move(img));
    } else if (name == "br") {
      out.push_back(make_inline(InlineKind::HardBreak, pos_));
    } else if (name == "q") {
      out.push_back(make_text("\u201C", pos_));
      inlines(n->children, out);
      out.push_back(make_text("\u201D", pos_));
    } else if (is_block_element(name)) {
      // A block inside inline content: its inlines, on lines of their own.
      std::vector<Block> inner;
      block_element(n, name, inner);
      for (Block& b : inner) {
        if (!out.empty()) out.push_back(make_inline(InlineKind::HardBreak, b.pos));
        flatten(b, out);
      }
      if (!inner.empty()) out.push_back(make_inline(InlineKind::HardBreak, pos_));
    } else {
      // span, font, u, ins, mark, abbr, time, label, …: their content.
      inlines(n->children, out);
    }
  }

  HtmlContext& ctx_;
  SourcePos pos_;
  std::vector<Inline>* placeholders_;
  xmlNode* dir_grouped_ = nullptr;  // the element block_element is making a dir group for
};

// Parses a fragment and returns the element that holds it (the wrapper <div>).
struct ParsedFragment {
  htmlDocPtr doc = nullptr;
  xmlNode* root = nullptr;
  ~ParsedFragment() {
    if (doc) xmlFreeDoc(doc);
  }
};

// `html` with each end tag that closes no element opened before it in the fragment (a
// block of a README that begins with the "</div>" of a <div> opened in an earlier block)
// blanked out, keeping every other character where it was: libxml2 would let a stray
// "</div>" close the wrapper element, and everything after it would be lost.
std::string without_stray_end_tags(const std::string& html) {
  static const char* voids[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                "meta", "param", "source", "track", "wbr"};
  std::string out = html;
  std::vector<std::string> open;
  size_t i = 0;
  while ((i = out.find('<', i)) != std::string::npos) {
    if (out.compare(i, 4, "<!--") == 0) {
      const size_t end = out.find("-->", i + 4);
      if (end == std::string::npos) break;
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < out.size() && out[i + 1] == '/';
    size_t k = i + (closing ? 2 : 1);
    std::string name;
    while (k < out.size() && (std::isalnum(static_cast<unsigned char>(out[k])) || out[k] == '-'))
      name += char(std::tolower(static_cast<unsigned char>(out[k++])));
    const size_t gt = out.find('>', k);
    if (name.empty() || gt == std::string::npos) {
      ++i;
      continue;
    }
    if (closing) {
      auto it = std::find(open.rbegin(), open.rend(), name);
      if (it == open.rend()) {
        for (size_t c = i; c <= gt; ++c)
          if (out[c] != '\n') out[c] = ' ';
      } else {
        open.erase(std::next(it).base(), open.end());
      }
    } else if (out[gt - 1] != '/' && std::find(std::begin(voids), std::end(voids), name) == std::end(voids)) {
      open.push_back(name);
      if (name == "script" || name == "style") {  // their text is not markup
        const size_t end = out.find("</" + name, gt);
        if (end == std::string::npos) break;
        i = end;
        continue;
      }
    }
    i = gt + 1;
  }
  return out;
}

// Parses a fragment. Returns false when libxml2 gave up part way: it stops at 256 levels
// of nesting ("Excessive depth", without XML_PARSE_HUGE, which relconv does not set so
// that the interpreter's own recursion stays bounded) and drops the rest of the text.
bool parse_fragment(const std::string& html, ParsedFragment& out) {
  std::call_once(g_libxml_once, [] { xmlInitParser(); });
  // The fragment goes in a wrapper element on the first line, so libxml2's line numbers
  // are the fragment's.
  std::string doc = "<div id=\"relconv-root\">" + without_stray_end_tags(html) + "</div>";
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (!ctxt) return false;
  out.doc = htmlCtxtReadMemory(ctxt, doc.data(), static_cast<int>(doc.size()), nullptr, "UTF-8",
                               HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_NODEFDTD);
  bool complete = ctxt->lastError.code != XML_ERR_INTERNAL_ERROR;
  htmlFreeParserCtxt(ctxt);
  if (!out.doc || !complete) return false;
  xmlNode* html_el = xmlDocGetRootElement(out.doc);
  // html > body > div#relconv-root
  for (xmlNode* n = html_el ? html_el->children : nullptr; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE && name_of(n) == "body")
      for (xmlNode* c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && name_of(c) == "div") {
          out.root = c;
          return true;
        }
  return false;
}

bool starts_with_declaration(const std::string& html) {
  size_t b = html.find_first_not_of(" \t\n");
  return b != std::string::npos && html.compare(b, 2, "<!") == 0 && html.compare(b, 4, "<!--") != 0;
}

// CommonMark's grammar of an open or closing tag (spec 0.29, "Raw HTML"): what real HTML
// looks like. Returns the index after the tag, or npos.
size_t valid_tag_end(const std::string& s, size_t i) {
  auto alpha = [&](size_t k) { return k < s.size() && std::isalpha(static_cast<unsigned char>(s[k])); };
  auto ws = [&](size_t k) { return k < s.size() && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n'); };
  if (i >= s.size() || s[i] != '<') return std::string::npos;
  ++i;
  bool closing = i < s.size() && s[i] == '/';
  if (closing) ++i;
  if (!alpha(i)) return std::string::npos;
  while (i < s.size() && is_name_char(s[i])) ++i;
  if (closing) {
    while (ws(i)) ++i;
    return i < s.size() && s[i] == '>' ? i + 1 : std::string::npos;
  }
  for (;;) {
    size_t before = i;
    while (ws(i)) ++i;
    if (i < s.size() && s[i] == '>') return i + 1;
    if (i + 1 < s.size() && s[i] == '/' && s[i + 1] == '>') return i + 2;
    if (i == before) return std::string::npos;  // attributes need white space before them
    auto name_start = [&](size_t k) { return alpha(k) || (k < s.size() && (s[k] == '_' || s[k] == ':')); };
    if (!name_start(i)) return std::string::npos;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.' ||
                            s[i] == ':' || s[i] == '-'))
      ++i;
    size_t j = i;
    while (ws(j)) ++j;
    if (j < s.size() && s[j] == '=') {
      ++j;
      while (ws(j)) ++j;
      if (j >= s.size()) return std::string::npos;
      if (s[j] == '"' || s[j] == '\'') {
        size_t close = s.find(s[j], j + 1);
        if (close == std::string::npos) return std::string::npos;
        i = close + 1;
      } else {
        size_t k = j;
        while (k < s.size() && !std::isspace(static_cast<unsigned char>(s[k])) && std::strchr("\"'=<>`", s[k]) == nullptr)
          ++k;
        if (k == j) return std::string::npos;
        i = k;
      }
    }
  }
}

// A block that starts with a tag that is not valid HTML (`<h1 id=)-   [](…`) is broken
// markup, not HTML; CommonMark still makes it an HTML block running to the next blank
// line, which would swallow the Markdown after it.
bool broken_first_tag(const std::string& html) {
  size_t b = html.find_first_not_of(" \t");
  if (b == std::string::npos || html[b] != '<' || html.compare(b, 2, "<!") == 0 || html.compare(b, 2, "<?") == 0)
    return false;
  return valid_tag_end(html, b) == std::string::npos;
}

}  // namespace

void interpret_html_block(const std::string& html, const SourcePos& pos, HtmlContext& ctx,
                          std::vector<Block>& out) {
  if (html.find_first_not_of(" \t\n") == std::string::npos) return;
  auto as_written = [&]() {
    Block b;
    b.kind = BlockKind::RawHtml;
    b.pos = pos;
    b.literal = html;
    out.push_back(std::move(b));
  };
  // Declarations (<!DOCTYPE …>, <!ENTITY …>) in a post are examples: show them as written.
  if (starts_with_declaration(html)) return as_written();
  if (broken_first_tag(html) && ctx.parse_markdown && ctx.reparse_depth < 4) {
    // Read it as Markdown instead, its first '<' written as an entity so that it starts
    // a paragraph rather than an HTML block (line numbers stay the same).
    std::string markdown = html;
    markdown.replace(markdown.find('<'), 1, "&lt;");
    ctx.parse_markdown(markdown, pos.line, out);
    return;
  }
  ParsedFragment frag;
  if (!parse_fragment(escape_non_html(html), frag)) {
    ctx.diag.warning(pos, "HTML nested too deeply (over 255 levels) is shown as written");
    return as_written();
  }
  Interpreter interp(ctx, pos, nullptr);
  interp.blocks(frag.root->children, out);
}

void interpret_inline_html(std::vector<Inline>& inlines, HtmlContext& ctx) {
  if (!has_raw_html(inlines)) return;

  // Write the inlines out as one HTML fragment: raw tags as they are, text escaped, every
  // other inline as a placeholder to put back after parsing.
  std::string html;
  std::vector<Inline> placeholders;
  SourcePos pos = inlines.front().pos;
  for (Inline& in : inlines) {
    if (in.kind == InlineKind::Text && in.url == kRawHtmlMarker) {
      bool is_comment = in.literal.compare(0, 4, "<!--") == 0;
      if (in.literal.compare(0, 2, "<!") == 0 && !is_comment)
        html += escape_text(in.literal);  // a declaration in prose: text
      else if (in.literal.compare(0, 2, "<?") == 0)
        html += escape_text(in.literal);
      else
        html += escape_non_html(in.literal);
    } else if (in.kind == InlineKind::Text) {
      if (in.literal.find(kOpen) != std::string::npos) {
        // The text holds our placeholder character: leave the paragraph as it is.
        for (Inline& r : inlines) r.url.clear();
        return;
      }
      html += escape_text(in.literal);
    } else if (in.kind == InlineKind::SoftBreak) {
      html += "\n";
    } else {
      html += kOpen + std::to_string(placeholders.size()) + kClose;
      placeholders.push_back(std::move(in));
    }
  }
  ParsedFragment frag;
  std::vector<Inline> out;
  if (!parse_fragment(html, frag)) {
    // Too deep for the HTML parser: keep the paragraph as written, tags and all.
    ctx.diag.warning(pos, "HTML nested too deeply (over 255 levels) is shown as written");
    // Every inline but text and soft breaks went into `placeholders`, in order (a moved
    // inline keeps its kind): put them back where they were.
    size_t next = 0;
    for (Inline& in : inlines) {
      if (in.kind == InlineKind::Text || in.kind == InlineKind::SoftBreak) {
        in.url.clear();
        out.push_back(std::move(in));
      } else if (next < placeholders.size()) {
        out.push_back(std::move(placeholders[next++]));
      }
    }
  } else {
    Interpreter interp(ctx, pos, &placeholders);
    interp.inlines(frag.root->children, out);
  }
  merge_texts(out);
  inlines = std::move(out);
}

}  // namespace relconv::detail

// The module's entry (and the built-in one of a program linking relconv_core).
extern "C" const relconv::detail::HtmlInterpreter* relconv_html_interpreter() {
  static const relconv::detail::HtmlInterpreter interpreter{&relconv::detail::interpret_html_block,
                                                            &relconv::detail::interpret_inline_html};
  return &interpreter;
}
