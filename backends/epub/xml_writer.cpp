#include "backends/epub/xml_writer.h"

namespace relconv::epub {

namespace {

// Decodes one UTF-8 sequence at s[i] and advances i; returns 0xFFFD for a malformed or
// overlong sequence (and advances one byte), so the output is always valid UTF-8.
char32_t decode(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x3F >> (len - 1));
  for (int k = 1; k < len; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  static const char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return cp;
}

// XML 1.0 Char production, minus what HTML forbids in documents (controls and
// noncharacters, HTML Living Standard 13.2.3.5).
bool allowed(char32_t cp) {
  if (cp == 0x9 || cp == 0xA) return true;
  if (cp < 0x20) return false;                 // C0 controls (CR is folded into LF)
  if (cp >= 0x7F && cp <= 0x9F) return false;  // DEL and C1 controls
  if (cp >= 0xFDD0 && cp <= 0xFDEF) return false;
  if ((cp & 0xFFFE) == 0xFFFE) return false;   // U+xFFFE and U+xFFFF in every plane
  return true;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void append_escaped(std::string& out, std::string_view s, bool attribute) {
  size_t i = 0;
  while (i < s.size()) {
    // A run of printable ASCII that needs no escaping is copied at once.
    size_t run = i;
    while (run < s.size()) {
      unsigned char r = static_cast<unsigned char>(s[run]);
      if (r < 0x20 || r >= 0x7F || r == '&' || r == '<' || r == '>' || r == '"') break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '&': out += "&amp;"; continue;
        case '<': out += "&lt;"; continue;
        case '>': out += "&gt;"; continue;  // so "]]>" never appears in text
        case '"':
          if (attribute) {
            out += "&quot;";
            continue;
          }
          break;
        case '\r':
          // CRLF and lone CR are line ends (XML 1.0 section 2.11).
          if (i < s.size() && s[i] == '\n') continue;
          c = '\n';
          break;
        default:
          break;
      }
      if (attribute && (c == '\n' || c == '\t')) {
        out += c == '\n' ? "&#10;" : "&#9;";
        continue;
      }
      if (c == '\n' || c == '\t' || c >= 0x20) {
        if (c != 0x7F) out += static_cast<char>(c);
      }
      continue;
    }
    size_t start = i;
    char32_t cp = decode(s, i);
    if (!allowed(cp)) continue;
    if (cp == 0xFFFD && !(i - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD"))
      append_utf8(out, cp);  // replacement for malformed bytes
    else
      out.append(s.data() + start, i - start);
  }
}

std::string xml_clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t cp = decode(s, i);
    if (cp == '\r') {
      if (i < s.size() && s[i] == '\n') continue;
      cp = '\n';
    }
    if (!allowed(cp)) continue;
    if (i - start == 1)
      out += static_cast<char>(cp);
    else
      append_utf8(out, cp);
  }
  return out;
}

XmlWriter& XmlWriter::open(std::string_view name) {
  out_ += '<';
  out_ += name;
  return *this;
}

XmlWriter& XmlWriter::attr(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  append_escaped(out_, value, true);
  out_ += '"';
  return *this;
}

void XmlWriter::close(std::string_view name) {
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void XmlWriter::element(std::string_view name, std::string_view text) {
  open(name).end_open();
  this->text(text);
  close(name);
}

}  // namespace relconv::epub
