// Escaping text for roff (see escape.h for the rules and their references).
#include "backends/man/escape.h"

#include <cstdio>

#include "text/utf8.h"

namespace relconv::man {

namespace {

// Named glyphs of groff_char(7) that mandoc_char(7) also documents, for the punctuation
// blog posts use most; they read better in the page source than \[uXXXX].
const char* named_glyph(char32_t cp) {
  switch (cp) {
    case 0x2014: return "\\(em";
    case 0x2013: return "\\(en";
    case 0x2018: return "\\(oq";
    case 0x2019: return "\\(cq";
    case 0x201C: return "\\(lq";
    case 0x201D: return "\\(rq";
    case 0x2022: return "\\(bu";
    case 0x00A9: return "\\(co";
    case 0x00AE: return "\\(rg";
    case 0x00B0: return "\\(de";
    case 0x00D7: return "\\(mu";
    case 0x2122: return "\\(tm";
    case 0x2192: return "\\(->";
    case 0x2190: return "\\(<-";
    default: return nullptr;
  }
}

// Characters the PostScript fonts groff uses by default have (measured with groff 1.22.4:
// `echo '\[uXXXX]' | groff -ww -z` is silent for these): Latin-1, some of Latin
// Extended-A, Greek, and the common punctuation, arrows and mathematical signs. Anything
// else gets a fallback definition (glyph_fallbacks); one that was not needed costs
// nothing but a line.
bool surely_in_ps_fonts(char32_t cp) {
  static const char32_t ranges[][2] = {
      {0x00A0, 0x00FF}, {0x0106, 0x0107}, {0x011E, 0x011F}, {0x0130, 0x0133},
      {0x0141, 0x0142}, {0x0152, 0x0153}, {0x015E, 0x0161}, {0x0178, 0x0178},
      {0x017D, 0x017E}, {0x0192, 0x0192}, {0x0391, 0x03A1}, {0x03A3, 0x03A9},
      {0x03B1, 0x03C9}, {0x2010, 0x2010}, {0x2013, 0x2014}, {0x2018, 0x201A},
      {0x201C, 0x201E}, {0x2020, 0x2022}, {0x2026, 0x2026}, {0x2030, 0x2030},
      {0x2032, 0x2033}, {0x2039, 0x203A}, {0x20AC, 0x20AC}, {0x2122, 0x2122},
      {0x2190, 0x2195}, {0x21D0, 0x21D4}, {0x2212, 0x2212}, {0x2260, 0x2260},
      {0x2264, 0x2265}};
  for (const auto& r : ranges)
    if (cp >= r[0] && cp <= r[1]) return true;
  return named_glyph(cp) != nullptr;
}

void append_unicode(std::string& out, char32_t cp, std::set<char32_t>* used) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(cp));
  out += buf;
  if (used && !surely_in_ps_fonts(cp)) used->insert(cp);
}

bool is_word_start(std::string_view s, size_t i) {
  if (i == 0) return true;
  char p = s[i - 1];
  return p == ' ' || p == '\t' || p == '\n' || p == '(' || p == '[' || p == '/';
}

// A prose word like "--enable-shared" or "-O2" is an option: its hyphens are minus signs
// (groff_man(7): "use \- for options").
bool starts_option_word(std::string_view s, size_t i) {
  if (s[i] != '-' || !is_word_start(s, i)) return false;
  size_t j = i + 1;
  if (j < s.size() && s[j] == '-') ++j;
  return j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                          (s[j] >= '0' && s[j] <= '9'));
}

// Bytes that escape() copies as they are: printable ASCII but for the ones roff reads
// (or, like '-', that depend on where they are).
struct PlainBytes {
  bool plain[256] = {};
  PlainBytes() {
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = true;
    for (unsigned char c : std::string_view("\\-\"~^'`")) plain[c] = false;
  }
};
const PlainBytes kPlain;

bool is_ascii_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

}  // namespace

std::string escape(std::string_view text, TextMode mode, std::set<char32_t>* used) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  // Inside a prose word that started as an option ("--enable-shared") hyphens are minus
  // signs. The state only matters at hyphens, so it is brought up to date there: a space
  // since the last hyphen ends the word.
  bool option_word = false;
  size_t last_dash = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t run = i;
    while (run < text.size() && kPlain.plain[static_cast<unsigned char>(text[run])]) ++run;
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      if (i == text.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      char32_t cp = utf8_decode(text, i);
      if (cp == 0xA0) out += "\\ ";          // unbreakable space
      else if (cp == 0xAD) out += "\\%";     // soft hyphen: a hyphenation point
      else if (cp == 0x200B) out += "\\:";   // zero-width space: a break point
      else if (cp == 0xFEFF) {}              // byte order mark: nothing to show
      else if (const char* g = named_glyph(cp)) out += g;
      else append_unicode(out, cp, used);
      continue;
    }
    switch (c) {
      case '\\': out += "\\(rs"; break;
      case '-':
        if (mode == TextMode::Prose) {
          for (size_t k = last_dash; option_word && k < i; ++k) option_word = !is_ascii_space(text[k]);
          option_word = option_word || starts_option_word(text, i);
          last_dash = i;
        }
        out += (mode == TextMode::Code || option_word) ? "\\-" : "-";
        break;
      case '"': out += "\\(dq"; break;
      case '~': out += "\\(ti"; break;
      case '^': out += "\\(ha"; break;
      case '\'': out += mode == TextMode::Code ? "\\(aq" : "'"; break;
      case '`': out += mode == TextMode::Code ? "\\(ga" : "`"; break;
      case '\n': case '\t': case '\r': out += ' '; break;
      default: break;  // controls are dropped
    }
    ++i;
  }
  return out;
}

std::string escape_url(std::string_view url, std::set<char32_t>* used) {
  // Break points go after each '/' of the path, before '?', '#' and '&', and, inside a
  // long run without them (a slug of a hundred characters), after '-', '_' and '.'.
  std::string out;
  size_t start = 0;   // start of the part not yet written
  size_t run = 0;     // characters since the last break point
  bool in_path = false;  // the host name is never broken
  auto emit = [&](size_t end) {
    out += escape(url.substr(start, end - start), TextMode::Code, used);
    start = end;
  };
  for (size_t i = 0; i < url.size(); ++i) {
    char c = url[i];
    if ((c == '?' || c == '#' || c == '&') && i > start) {
      emit(i);
      out += "\\:";
      run = 0;
    }
    ++run;
    bool last = i + 1 == url.size();
    bool slash = c == '/' && !(i + 1 < url.size() && url[i + 1] == '/') &&
                 !(i > 0 && url[i - 1] == '/');
    bool long_run = in_path && (c == '-' || c == '_' || c == '.') && run >= 20;
    in_path = in_path || slash;
    if (!last && (slash || long_run)) {
      emit(i + 1);
      out += "\\:";
      run = 0;
    }
  }
  emit(url.size());
  return out;
}

std::string quote_arg(const std::string& escaped) {
  if (!escaped.empty() && escaped.find(' ') == std::string::npos) return escaped;
  return "\"" + escaped + "\"";
}

std::string protect_line(std::string line) {
  if (!line.empty() && (line[0] == '.' || line[0] == '\'' || line[0] == ' '))
    line.insert(0, "\\&");
  return line;
}

std::string glyph_fallbacks(const std::set<char32_t>& used) {
  std::string out;
  for (char32_t cp : used) {
    char buf[96];
    std::snprintf(buf, sizeof buf, ".if !c\\[u%04X] .char \\[u%04X] <U+%04X>\n",
                  static_cast<unsigned>(cp), static_cast<unsigned>(cp), static_cast<unsigned>(cp));
    out += buf;
  }
  return out;
}

}  // namespace relconv::man
