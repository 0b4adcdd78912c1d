#include "backends/pdf/style.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <functional>
#include <map>

namespace relconv::pdf {

Style::Style() {
  const std::string d = "/usr/share/fonts/truetype/dejavu/";
  fonts[kSerif] = d + "DejaVuSerif.ttf";
  fonts[kSerifBold] = d + "DejaVuSerif-Bold.ttf";
  fonts[kSerifItalic] = d + "DejaVuSerif-Italic.ttf";
  fonts[kSerifBoldItalic] = d + "DejaVuSerif-BoldItalic.ttf";
  fonts[kSans] = d + "DejaVuSans.ttf";
  fonts[kSansBold] = d + "DejaVuSans-Bold.ttf";
  fonts[kSansItalic] = d + "DejaVuSans-Oblique.ttf";
  fonts[kSansBoldItalic] = d + "DejaVuSans-BoldOblique.ttf";
  fonts[kMono] = d + "DejaVuSansMono.ttf";
  fonts[kMonoBold] = d + "DejaVuSansMono-Bold.ttf";
  fonts[kMonoItalic] = d + "DejaVuSansMono-Oblique.ttf";
  fonts[kMonoBoldItalic] = d + "DejaVuSansMono-BoldOblique.ttf";
  fonts[kFallback] = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
  // As in styles/pdf.yaml: DejaVu has some Arabic and Hebrew letters, but fontconfig
  // would take them from DejaVu Sans for serif text too.
  script_fonts = {{"arab", "Noto Naskh Arabic"}, {"arab-sans", "Noto Sans Arabic"},
                  {"hebr", "Noto Serif Hebrew"}, {"hebr-sans", "Noto Sans Hebrew"}};
}

namespace {

// Walks one YAML file, applying known keys and warning about the rest with positions.
class Reader {
 public:
  Reader(const std::string& name, Diagnostics& diag) : name_(name), diag_(diag) {}

  void warn(const YAML::Node& node, const std::string& message) {
    const YAML::Mark m = node.Mark();
    diag_.warning(name_, m.line >= 0 ? uint32_t(m.line + 1) : 0,
                  m.column >= 0 ? uint32_t(m.column + 1) : 0, message);
  }

  void number(const YAML::Node& n, double& out, const std::string& key, double lo = 0,
              double hi = 10000) {
    try {
      double v = n.as<double>();
      if (v < lo || v > hi) {
        warn(n, "'" + key + "' must be between " + fmt(lo) + " and " + fmt(hi) + "; ignored");
        return;
      }
      out = v;
    } catch (const YAML::Exception&) {
      warn(n, "'" + key + "' must be a number; ignored");
    }
  }

  void boolean(const YAML::Node& n, bool& out, const std::string& key) {
    try {
      out = n.as<bool>();
    } catch (const YAML::Exception&) {
      warn(n, "'" + key + "' must be true or false; ignored");
    }
  }

  void string(const YAML::Node& n, std::string& out, const std::string& key) {
    if (!n.IsScalar()) {
      warn(n, "'" + key + "' must be a string; ignored");
      return;
    }
    out = n.Scalar();
  }

  void color(const YAML::Node& n, Rgb& out, const std::string& key) {
    std::string s = n.IsScalar() ? n.Scalar() : "";
    unsigned r, g, b;
    char tail;
    if (s.size() == 7 && s[0] == '#' &&
        std::sscanf(s.c_str() + 1, "%2x%2x%2x%c", &r, &g, &b, &tail) == 3) {
      out = Rgb{r / 255.0, g / 255.0, b / 255.0};
    } else {
      warn(n, "'" + key + "' must be a colour like \"#336699\"; ignored");
    }
  }

  using Handlers = std::map<std::string, std::function<void(const YAML::Node&)>>;

  // Applies `handlers` to the keys of the map `node`, warning about unknown keys.
  void map(const YAML::Node& node, const std::string& where, const Handlers& handlers) {
    if (!node.IsMap()) {
      warn(node, "'" + where + "' must be a map of keys; ignored");
      return;
    }
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      auto it = handlers.find(key);
      if (it == handlers.end()) {
        std::string known;
        for (const auto& h : handlers) known += (known.empty() ? "" : ", ") + h.first;
        warn(kv.first, "unknown style key '" + (where.empty() ? key : where + "." + key) +
                           "' (known here: " + known + ")");
        continue;
      }
      it->second(kv.second);
    }
  }

 private:
  static std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  const std::string& name_;
  Diagnostics& diag_;
};

}  // namespace

void apply_style_yaml(Style& s, const std::string& yaml, const std::string& name,
                      Diagnostics& diag) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    Diagnostic d;
    d.severity = Severity::Error;
    d.file = name;
    d.line = e.mark.line >= 0 ? uint32_t(e.mark.line + 1) : 0;
    d.col = e.mark.column >= 0 ? uint32_t(e.mark.column + 1) : 0;
    d.message = "cannot parse the style: " + e.msg;
    throw Error(d, kExitUsageError);
  }
  if (root.IsNull()) return;
  Reader r(name, diag);
  using H = Reader::Handlers;
  auto num = [&r](double& out, const char* key, double lo = 0, double hi = 10000) {
    return [&r, &out, key, lo, hi](const YAML::Node& n) { r.number(n, out, key, lo, hi); };
  };
  auto col = [&r](Rgb& out, const char* key) {
    return [&r, &out, key](const YAML::Node& n) { r.color(n, out, key); };
  };
  auto str = [&r](std::string& out, const char* key) {
    return [&r, &out, key](const YAML::Node& n) { r.string(n, out, key); };
  };

  H page = {
      {"size",
       [&](const YAML::Node& n) {
         std::string v = n.IsScalar() ? n.Scalar() : "";
         if (v == "A4" || v == "a4") {
           s.page_width = 595.276;
           s.page_height = 841.89;
         } else if (v == "Letter" || v == "letter") {
           s.page_width = 612;
           s.page_height = 792;
         } else {
           r.warn(n, "'page.size' must be A4 or Letter; ignored");
         }
       }},
      {"margin-top", num(s.margin_top, "page.margin-top", 0, 300)},
      {"margin-bottom", num(s.margin_bottom, "page.margin-bottom", 0, 300)},
      {"margin-left", num(s.margin_left, "page.margin-left", 0, 300)},
      {"margin-right", num(s.margin_right, "page.margin-right", 0, 300)},
  };
  H fonts = {
      {"serif", str(s.fonts[kSerif], "fonts.serif")},
      {"serif-bold", str(s.fonts[kSerifBold], "fonts.serif-bold")},
      {"serif-italic", str(s.fonts[kSerifItalic], "fonts.serif-italic")},
      {"serif-bold-italic", str(s.fonts[kSerifBoldItalic], "fonts.serif-bold-italic")},
      {"sans", str(s.fonts[kSans], "fonts.sans")},
      {"sans-bold", str(s.fonts[kSansBold], "fonts.sans-bold")},
      {"sans-italic", str(s.fonts[kSansItalic], "fonts.sans-italic")},
      {"sans-bold-italic", str(s.fonts[kSansBoldItalic], "fonts.sans-bold-italic")},
      {"mono", str(s.fonts[kMono], "fonts.mono")},
      {"mono-bold", str(s.fonts[kMonoBold], "fonts.mono-bold")},
      {"mono-italic", str(s.fonts[kMonoItalic], "fonts.mono-italic")},
      {"mono-bold-italic", str(s.fonts[kMonoBoldItalic], "fonts.mono-bold-italic")},
      {"fallback", str(s.fonts[kFallback], "fonts.fallback")},
      {"scripts",
       [&](const YAML::Node& n) {
         // ISO 15924 script codes or language tags to a font file ("path", "path#face")
         // or a family name fontconfig knows.
         if (!n.IsMap()) {
           r.warn(n, "'fonts.scripts' must map script codes or languages to fonts; ignored");
           return;
         }
         for (const auto& kv : n) {
           std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
           for (char& c : key) c = char(std::tolower(static_cast<unsigned char>(c)));
           std::string value;
           r.string(kv.second, value, "fonts.scripts." + key);
           if (!key.empty() && !value.empty()) s.script_fonts[key] = value;
         }
       }},
  };
  H body = {
      {"size", num(s.body_size, "body.size", 4, 72)},
      {"leading", num(s.body_leading, "body.leading", 0.8, 4)},
      {"justify", [&](const YAML::Node& n) { r.boolean(n, s.justify, "body.justify"); }},
      {"color", col(s.body_color, "body.color")},
      {"paragraph-space", num(s.paragraph_space, "body.paragraph-space", 0, 100)},
      {"link-color", col(s.link_color, "body.link-color")},
  };
  H headings = {
      {"sizes",
       [&](const YAML::Node& n) {
         if (!n.IsSequence() || n.size() != 6) {
           r.warn(n, "'headings.sizes' must be a list of six sizes (h1 to h6); ignored");
           return;
         }
         for (size_t i = 0; i < 6; ++i) r.number(n[i], s.heading_sizes[i], "headings.sizes", 4, 72);
       }},
      {"color", col(s.heading_color, "headings.color")},
      {"space-before", num(s.heading_space_before, "headings.space-before", 0, 200)},
      {"space-after", num(s.heading_space_after, "headings.space-after", 0, 200)},
  };
  H title = {
      {"size", num(s.title_size, "title.size", 4, 96)},
      {"subtitle-size", num(s.subtitle_size, "title.subtitle-size", 4, 72)},
      {"meta-size", num(s.meta_size, "title.meta-size", 4, 72)},
      {"meta-color", col(s.meta_color, "title.meta-color")},
      {"space-after", num(s.title_space_after, "title.space-after", 0, 300)},
  };
  H code = {
      {"size", num(s.code_size, "code.size", 4, 72)},
      {"leading", num(s.code_leading, "code.leading", 0.8, 4)},
      {"color", col(s.code_color, "code.color")},
      {"background", col(s.code_background, "code.background")},
      {"padding", num(s.code_padding, "code.padding", 0, 50)},
      {"inline-color", col(s.inline_code_color, "code.inline-color")},
  };
  H quote = {
      {"indent", num(s.quote_indent, "quote.indent", 0, 200)},
      {"rule-color", col(s.quote_rule_color, "quote.rule-color")},
      {"rule-width", num(s.quote_rule_width, "quote.rule-width", 0, 20)},
      {"color", col(s.quote_color, "quote.color")},
  };
  H list = {
      {"indent", num(s.list_indent, "list.indent", 4, 200)},
      {"item-space", num(s.list_item_space, "list.item-space", 0, 100)},
  };
  H table = {
      {"size", num(s.table_size, "table.size", 4, 72)},
      {"padding", num(s.table_padding, "table.padding", 0, 50)},
      {"rule-color", col(s.table_rule_color, "table.rule-color")},
      {"header-background", col(s.table_header_background, "table.header-background")},
  };
  H footnotes = {{"size", num(s.footnote_size, "footnotes.size", 4, 72)}};
  H running = {
      {"size", num(s.running_size, "running.size", 4, 72)},
      {"color", col(s.running_color, "running.color")},
  };
  H rule = {{"color", col(s.rule_color, "rule.color")}};

  auto section = [&r](const char* name, const H& h) {
    return [&r, name, &h](const YAML::Node& n) { r.map(n, name, h); };
  };
  H top = {
      {"page", section("page", page)},       {"fonts", section("fonts", fonts)},
      {"body", section("body", body)},       {"headings", section("headings", headings)},
      {"title", section("title", title)},    {"code", section("code", code)},
      {"quote", section("quote", quote)},    {"list", section("list", list)},
      {"table", section("table", table)},    {"footnotes", section("footnotes", footnotes)},
      {"running", section("running", running)}, {"rule", section("rule", rule)},
  };
  r.map(root, "", top);
}

Style load_style(const RenderContext& ctx) {
  Style style;
  std::string path = ctx.options.style_path;
  bool required = !path.empty();
  if (path.empty()) {
    path = find_default_style("pdf.yaml");
    if (path.empty()) return style;  // the built-in values equal the default file
  }
  std::optional<std::string> text = ctx.resources.read_file(path);
  if (!text) {
    if (required) throw Error(path, "cannot read the style file", kExitUsageError);
    return style;
  }
  apply_style_yaml(style, *text, path, ctx.diag);
  return style;
}

}  // namespace relconv::pdf
