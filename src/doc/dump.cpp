#include "doc/dump.h"

namespace relconv {

namespace {

void quote(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  out += '"';
}

class Dumper {
 public:
  explicit Dumper(std::string& out) : out_(out) {}

  void meta(const Metadata& m, int depth) {
    line(depth, "meta");
    auto field = [&](const char* name, const std::string& v) {
      if (v.empty()) return;
      line(depth + 1, name);
      out_.pop_back();
      out_ += ' ';
      quote(out_, v);
      out_ += '\n';
    };
    field("title", m.title);
    field("subtitle", m.subtitle);
    for (const auto& a : m.authors) field("author", a);
    field("date", m.date);
    field("date_text", m.date_text);
    field("updated", m.updated);
    field("description", m.description);
    for (const auto& t : m.tags) field("tag", t);
    field("language", m.language);
    field("identifier", m.identifier);
    if (!m.published) line(depth + 1, "published false");
    field("source_url", m.source_url);
    field("man_name", m.man_name);
    field("man_section", m.man_section);
    for (const auto& kv : m.extra) value(kv.first, kv.second, depth + 1);
  }

  void value(const std::string& key, const MetaValue& v, int depth) {
    std::string head = "extra " + key + " ";
    switch (v.kind) {
      case MetaValue::Kind::Null: line(depth, head + "null"); break;
      case MetaValue::Kind::Bool: line(depth, head + (v.boolean ? "true" : "false")); break;
      case MetaValue::Kind::Number: line(depth, head + "number " + v.string); break;
      case MetaValue::Kind::String:
        line(depth, head);
        out_.pop_back();
        quote(out_, v.string);
        out_ += '\n';
        break;
      case MetaValue::Kind::List:
        line(depth, head + "list");
        for (const auto& item : v.list) value("-", item, depth + 1);
        break;
      case MetaValue::Kind::Map:
        line(depth, head + "map");
        for (const auto& kv : v.map) value(kv.first, kv.second, depth + 1);
        break;
    }
  }

  void blocks(const std::vector<Block>& bs, int depth) {
    for (const Block& b : bs) block(b, depth);
  }

  void block(const Block& b, int depth) {
    std::string head = kind_name(b.kind);
    switch (b.kind) {
      case BlockKind::Heading: head += " level=" + std::to_string(b.level) + " id=" + b.id; break;
      case BlockKind::List:
        head += b.list.ordered ? " ordered start=" + std::to_string(b.list.start) : " bullet";
        head += b.list.tight ? " tight" : " loose";
        break;
      case BlockKind::CodeBlock:
        if (!b.info.empty()) head += " info=" + b.info;
        break;
      case BlockKind::Div:
        if (!b.dir.empty()) head += " dir=" + b.dir;
        break;
      default: break;
    }
    line(depth, head + at(b.pos));
    switch (b.kind) {
      case BlockKind::Paragraph:
      case BlockKind::Heading:
        inlines(b.inlines, depth + 1);
        break;
      case BlockKind::Figure:
        inlines(b.inlines, depth + 1);
        if (!b.caption.empty()) {
          line(depth + 1, "caption");
          inlines(b.caption, depth + 2);
        }
        break;
      case BlockKind::BlockQuote:
      case BlockKind::Div:
        blocks(b.children, depth + 1);
        break;
      case BlockKind::List:
        for (const ListItem& item : b.items) {
          std::string h = "item";
          if (item.task == TaskState::Checked) h += " [x]";
          if (item.task == TaskState::Unchecked) h += " [ ]";
          line(depth + 1, h + at(item.pos));
          blocks(item.blocks, depth + 2);
        }
        break;
      case BlockKind::CodeBlock:
      case BlockKind::RawHtml:
        line(depth + 1, "");
        out_.pop_back();
        quote(out_, b.literal);
        out_ += '\n';
        break;
      case BlockKind::ThematicBreak:
        break;
      case BlockKind::Table: {
        std::string aligns = "aligns";
        for (Align a : b.table->aligns)
          aligns += a == Align::Left ? " left" : a == Align::Center ? " center" : a == Align::Right ? " right" : " none";
        line(depth + 1, aligns);
        for (const TableRow& row : b.table->rows) {
          line(depth + 1, row.header ? "row header" : "row");
          for (const TableCell& cell : row.cells) {
            std::string h = cell.header ? "cell header" : "cell";
            if (cell.colspan > 1) h += " colspan=" + std::to_string(cell.colspan);
            line(depth + 2, h + at(cell.pos));
            inlines(cell.inlines, depth + 3);
          }
        }
        break;
      }
      case BlockKind::DefinitionList:
        for (const DefinitionItem& item : b.definitions) {
          line(depth + 1, "term" + at(item.pos));
          inlines(item.term, depth + 2);
          for (const auto& def : item.definitions) {
            line(depth + 1, "definition");
            blocks(def, depth + 2);
          }
        }
        break;
    }
  }

  void inlines(const std::vector<Inline>& ins, int depth) {
    for (const Inline& in : ins) {
      std::string head = kind_name(in.kind);
      line(depth, head);
      out_.pop_back();
      switch (in.kind) {
        case InlineKind::Text:
        case InlineKind::Code:
          out_ += ' ';
          quote(out_, in.literal);
          break;
        case InlineKind::Link:
        case InlineKind::Image:
          out_ += ' ';
          quote(out_, in.url);
          if (!in.title.empty()) {
            out_ += " title=";
            quote(out_, in.title);
          }
          if (in.width) out_ += " width=" + std::to_string(in.width);
          if (in.height) out_ += " height=" + std::to_string(in.height);
          break;
        case InlineKind::FootnoteRef:
          out_ += " " + std::to_string(in.note);
          break;
        default:
          break;
      }
      out_ += at(in.pos) + '\n';
      inlines(in.children, depth + 1);
    }
  }

 private:
  static std::string at(const SourcePos& p) {
    if (p.line == 0) return "";
    return " @" + std::to_string(p.line) + ":" + std::to_string(p.col);
  }
  void line(int depth, const std::string& s) {
    out_.append(static_cast<size_t>(depth) * 2, ' ');
    out_ += s;
    out_ += '\n';
  }
  std::string& out_;
};

}  // namespace

std::string dump(const Document& doc) {
  std::string out;
  Dumper d(out);
  out += "document\n";
  d.meta(doc.meta, 1);
  for (const Chapter& ch : doc.chapters) {
    out += "  chapter id=" + ch.id + (ch.source ? " source=" + *ch.source : "") + "\n";
    if (doc.is_book()) d.meta(ch.meta, 2);
    d.blocks(ch.blocks, 2);
    for (const Footnote& fn : ch.footnotes) {
      out += "    footnote " + std::to_string(fn.number) + " id=" + fn.id + "\n";
      d.blocks(fn.blocks, 3);
    }
  }
  return out;
}

}  // namespace relconv
