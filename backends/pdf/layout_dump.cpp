// The layout as text: what the golden tests of tests/golden/pdf-layout/ hold. Positions are
// in points, rounded to a hundredth; a glyph run shows its font's PostScript name, its
// size, and each glyph as id@x, then the text its glyphs stand for (ActualText clusters
// in [brackets]), so that a change in shaping, fallback or line breaking shows as a diff.
#include <cmath>
#include <cstdio>

#include "backends/pdf/layout.h"

namespace relconv::pdf {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::abs(v) < 0.005 ? 0.0 : v);
  return buf;
}

const char* kind_of(Op::Kind k) {
  switch (k) {
    case Op::Text: return "text";
    case Op::Fill: return "fill";
    case Op::Stroke: return "stroke";
    case Op::Line: return "line";
    case Op::Dots: return "dots";
    case Op::Image: return "image";
    case Op::Uri: return "uri";
    case Op::GoTo: return "goto";
    case Op::Anchor: return "anchor";
    case Op::PageRef: return "pageref";
  }
  return "?";
}

void op_line(std::string& out, const Op& op, Fonts& fonts, const std::string& indent) {
  out += indent + kind_of(op.kind) + " x=" + num(op.x) + " y=" + num(op.y);
  switch (op.kind) {
    case Op::Text: {
      const Glyphs& g = op.glyphs;
      const UsedGlyphs* used = g.font >= 0 && size_t(g.font) < fonts.used().size() ? &fonts.used()[size_t(g.font)] : nullptr;
      out += " " + (used ? used->file->postscript_name : std::string("?")) + " " + num(op.size);
      if (op.invisible) out += " invisible";
      if (g.rtl) out += " rtl";
      out += "\n" + indent + "  glyphs";
      for (size_t i = 0; i < g.ids.size(); ++i) {
        out += " " + std::to_string(g.ids[i]) + "@" + num(g.x[i]);
        if (!g.y.empty() && g.y[i] != 0) out += "^" + num(g.y[i]);
      }
      out += "\n" + indent + "  text \"";
      size_t a = 0;
      for (size_t i = 0; i < g.ids.size(); ++i) {
        if (a < g.actual.size() && g.actual[a].first == i) {
          out += "[" + g.actual[a].text + "]";
          i += g.actual[a].count - 1;
          ++a;
          continue;
        }
        if (used) {
          auto t = used->glyphs.find(g.ids[i]);
          if (t != used->glyphs.end()) out += t->second;
        }
      }
      out += "\" width=" + num(g.width);
      break;
    }
    case Op::Fill:
    case Op::Stroke:
    case Op::Line:
    case Op::Dots:
      out += " w=" + num(op.w) + " h=" + num(op.h);
      break;
    case Op::Image:
      out += " w=" + num(op.w) + " h=" + num(op.h) + " image=" + std::to_string(op.image);
      break;
    case Op::Uri:
    case Op::GoTo:
      out += " w=" + num(op.w) + " h=" + num(op.h) + " " + op.text;
      break;
    case Op::Anchor:
    case Op::PageRef:
      out += " " + op.text;
      break;
  }
  out += "\n";
}

void item_lines(std::string& out, const Item& it, Fonts& fonts, const std::string& indent) {
  out += indent + "item h=" + num(it.height) + " before=" + num(it.space_before);
  if (it.keep_with_next) out += " keep";
  if (it.new_page) out += " new-page";
  if (it.header >= 0) out += " header=" + std::to_string(it.header);
  out += "\n";
  for (const Op& op : it.ops) op_line(out, op, fonts, indent + "  ");
}

}  // namespace

std::string dump_layout(const Layout& layout, Fonts& fonts) {
  std::string out;
  for (size_t c = 0; c < layout.running_heads.size(); ++c) {
    out += "running head " + std::to_string(c) + "\n";
    for (const Op& op : layout.running_heads[c]) op_line(out, op, fonts, "  ");
  }
  for (const Item& it : layout.items) item_lines(out, it, fonts, "");
  for (size_t h = 0; h < layout.headers.size(); ++h) {
    out += "header " + std::to_string(h) + "\n";
    for (const Item& it : layout.headers[h]) item_lines(out, it, fonts, "  ");
  }
  for (const OutlineEntry& e : layout.outline)
    out += "outline " + std::to_string(e.level) + " " + e.anchor + " \"" + e.title + "\"\n";
  for (const LayoutImage& im : layout.images)
    out += "image " + im.url + " " + std::to_string(im.width) + "x" + std::to_string(im.height) + "\n";
  return out;
}

}  // namespace relconv::pdf
