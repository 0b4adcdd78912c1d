#include "doc/model.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

#include "text/utf8.h"

namespace relconv {

static void append_plain(std::string& out, const std::vector<Inline>& inlines) {
  for (const Inline& in : inlines) {
    switch (in.kind) {
      case InlineKind::Text:
      case InlineKind::Code:
        out += in.literal;
        break;
      case InlineKind::SoftBreak:
      case InlineKind::HardBreak:
        out += ' ';
        break;
      case InlineKind::FootnoteRef:
        break;
      case InlineKind::Emph:
      case InlineKind::Strong:
      case InlineKind::Strike:
      case InlineKind::Superscript:
      case InlineKind::Subscript:
      case InlineKind::Small:
      case InlineKind::Kbd:
      case InlineKind::Link:
      case InlineKind::Image:
        append_plain(out, in.children);
        break;
    }
  }
}

std::string plain_text(const std::vector<Inline>& inlines) {
  std::string out;
  append_plain(out, inlines);
  // Collapse runs of white space and trim, so labels made from it read cleanly.
  std::string clean;
  bool space = false;
  for (char c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !clean.empty();
    } else {
      if (space) clean += ' ';
      space = false;
      clean += c;
    }
  }
  return clean;
}

std::string slugify(const std::string& text) {
  // GitHub's rule: lower-case, keep letters, digits, '-' and '_', turn spaces into '-',
  // drop the rest.
  std::string folded = utf8_casefold(text);
  std::string slug;
  size_t i = 0;
  while (i < folded.size()) {
    char32_t cp = utf8_decode(folded, i);
    if (is_alnum(cp) || cp == '_' || cp == '-')
      utf8_append(slug, cp);
    else if (is_space(cp))
      slug += '-';
  }
  // Trim dashes at the ends and squeeze long runs, so ids stay readable.
  std::string out;
  for (char c : slug) {
    if (c == '-' && (out.empty() || out.back() == '-')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "section" : out;
}

namespace {

class IdSet {
 public:
  std::string claim(const std::string& wanted) {
    // XML ids may not start with a digit; prefix such slugs.
    std::string base = wanted;
    if (!base.empty() && (base[0] >= '0' && base[0] <= '9')) base = "s-" + base;
    if (used_.insert(base).second) return base;
    // The smallest free "base-n". Every n below next_[base] is taken (by an earlier claim
    // of this base, or by a heading that slugged to "base-n" itself), so the search
    // resumes there: a heading repeated k times costs k steps, not k².
    int& n = next_[base];
    if (n == 0) n = 1;
    std::string id;
    do id = base + "-" + std::to_string(n++);
    while (!used_.insert(id).second);
    return id;
  }

 private:
  std::unordered_set<std::string> used_;
  std::unordered_map<std::string, int> next_;
};

// `local` claims the id each heading would have in its own document, `ids` the one it
// gets in the whole book; `renamed` maps the first to the second.
void assign_block_ids(std::vector<Block>& blocks, IdSet& ids, IdSet& local,
                      std::map<std::string, std::string>& renamed) {
  for (Block& b : blocks) {
    if (b.kind == BlockKind::Heading) {
      std::string slug = b.id.empty() ? slugify(plain_text(b.inlines)) : b.id;
      std::string own = local.claim(slug);
      b.id = ids.claim(slug);
      if (own != b.id) renamed.emplace(own, b.id);
    }
    assign_block_ids(b.children, ids, local, renamed);
    for (ListItem& item : b.items) assign_block_ids(item.blocks, ids, local, renamed);
    for (DefinitionItem& item : b.definitions)
      for (auto& def : item.definitions) assign_block_ids(def, ids, local, renamed);
  }
}

void rewrite_links(std::vector<Inline>& ins, const std::map<std::string, std::string>& renamed) {
  for (Inline& in : ins) {
    if (in.kind == InlineKind::Link && in.url.size() > 1 && in.url[0] == '#') {
      auto it = renamed.find(in.url.substr(1));
      if (it != renamed.end()) in.url = "#" + it->second;
    }
    rewrite_links(in.children, renamed);
  }
}

// Heading ids were claimed before (by the parser or an earlier call); drop them so a
// second call gives the same answer as the first.
void clear_block_ids(std::vector<Block>& blocks, bool keep_explicit) {
  for (Block& b : blocks) {
    if (b.kind == BlockKind::Heading && !keep_explicit) b.id.clear();
    clear_block_ids(b.children, keep_explicit);
    for (ListItem& item : b.items) clear_block_ids(item.blocks, keep_explicit);
    for (DefinitionItem& item : b.definitions)
      for (auto& def : item.definitions) clear_block_ids(def, keep_explicit);
  }
}

}  // namespace

void assign_ids(Document& doc) {
  IdSet ids;
  const bool book = doc.is_book();
  for (size_t c = 0; c < doc.chapters.size(); ++c) {
    Chapter& ch = doc.chapters[c];
    ch.id = ids.claim("chapter-" + std::to_string(c + 1));
    const std::string prefix = book ? "c" + std::to_string(c + 1) + "-" : "";
    for (Footnote& fn : ch.footnotes) fn.id = ids.claim(prefix + "fn-" + std::to_string(fn.number));
  }
  for (Chapter& ch : doc.chapters) {
    clear_block_ids(ch.blocks, false);
    for (Footnote& fn : ch.footnotes) clear_block_ids(fn.blocks, false);
    IdSet local;
    std::map<std::string, std::string> renamed;
    assign_block_ids(ch.blocks, ids, local, renamed);
    for (Footnote& fn : ch.footnotes) assign_block_ids(fn.blocks, ids, local, renamed);
    // A chapter's own links to its headings follow them when the book renamed them.
    if (!renamed.empty())
      for_each_inline_list(ch, [&](std::vector<Inline>& ins) { rewrite_links(ins, renamed); });
  }
}

void for_each_inline_list(const Block& b, const std::function<void(const std::vector<Inline>&)>& f) {
  f(b.inlines);
  if (!b.caption.empty()) f(b.caption);
  for_each_inline_list(b.children, f);
  for (const ListItem& item : b.items) for_each_inline_list(item.blocks, f);
  if (b.table)
    for (const TableRow& row : b.table->rows)
      for (const TableCell& cell : row.cells) f(cell.inlines);
  for (const DefinitionItem& d : b.definitions) {
    f(d.term);
    for (const auto& def : d.definitions) for_each_inline_list(def, f);
  }
}

void for_each_inline_list(const std::vector<Block>& blocks,
                          const std::function<void(const std::vector<Inline>&)>& f) {
  for (const Block& b : blocks) for_each_inline_list(b, f);
}

void for_each_inline_list(std::vector<Block>& blocks, const std::function<void(std::vector<Inline>&)>& f) {
  // One walk serves both: the blocks are not const here, so neither are their inlines.
  const std::vector<Block>& view = blocks;
  for_each_inline_list(view, [&](const std::vector<Inline>& ins) { f(const_cast<std::vector<Inline>&>(ins)); });
}

void for_each_inline_list(Chapter& chapter, const std::function<void(std::vector<Inline>&)>& f) {
  for_each_inline_list(chapter.blocks, f);
  for (Footnote& fn : chapter.footnotes) for_each_inline_list(fn.blocks, f);
}

const char* kind_name(BlockKind kind) {
  switch (kind) {
    case BlockKind::Paragraph: return "paragraph";
    case BlockKind::Heading: return "heading";
    case BlockKind::BlockQuote: return "blockquote";
    case BlockKind::List: return "list";
    case BlockKind::CodeBlock: return "code_block";
    case BlockKind::ThematicBreak: return "thematic_break";
    case BlockKind::Table: return "table";
    case BlockKind::Figure: return "figure";
    case BlockKind::DefinitionList: return "definition_list";
    case BlockKind::Div: return "div";
    case BlockKind::RawHtml: return "raw_html";
  }
  return "?";
}

const char* kind_name(InlineKind kind) {
  switch (kind) {
    case InlineKind::Text: return "text";
    case InlineKind::Emph: return "emph";
    case InlineKind::Strong: return "strong";
    case InlineKind::Strike: return "strike";
    case InlineKind::Superscript: return "superscript";
    case InlineKind::Subscript: return "subscript";
    case InlineKind::Small: return "small";
    case InlineKind::Kbd: return "kbd";
    case InlineKind::Code: return "code";
    case InlineKind::Link: return "link";
    case InlineKind::Image: return "image";
    case InlineKind::SoftBreak: return "softbreak";
    case InlineKind::HardBreak: return "hardbreak";
    case InlineKind::FootnoteRef: return "footnote_ref";
  }
  return "?";
}

}  // namespace relconv
