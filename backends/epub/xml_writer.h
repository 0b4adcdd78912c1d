// Writing XML (XHTML, OPF, NCX, SVG) with escaping in one place.
//
// Every character of text or of an attribute value that reaches an EPUB goes through
// XmlWriter::text() or XmlWriter::attr(), which apply the XML 1.0 rules (section 2.2
// "Characters" and 2.4 "Character Data"): `&`, `<` and `>` become references, `"` too in
// attribute values, and characters XML 1.0 does not allow (C0 controls other than tab and
// newline, U+FFFE/U+FFFF, unpaired surrogates, invalid UTF-8) are dropped. C1 controls and
// noncharacters are legal XML but invalid in HTML documents, so they are dropped as well.
// Markup (element and attribute names, which the backend spells itself) goes through
// raw(). Nothing else appends to the output.
#pragma once

#include <string>
#include <string_view>

namespace relconv::epub {

// Appends `s` to `out` with the characters XML 1.0 forbids removed and the markup
// characters escaped. In attribute values also `"` and whitespace other than a space are
// written as references, so they survive attribute-value normalisation.
void append_escaped(std::string& out, std::string_view s, bool attribute);

// `s` without the characters XML 1.0 forbids (invalid UTF-8 becomes U+FFFD), unescaped.
std::string xml_clean(std::string_view s);

class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}

  // <name  (attributes follow with attr(), then end_open() or end_empty())
  XmlWriter& open(std::string_view name);
  XmlWriter& attr(std::string_view name, std::string_view value);
  void end_open() { out_ += '>'; }
  void end_empty() { out_ += "/>"; }
  void close(std::string_view name);

  // <name>text</name> in one call.
  void element(std::string_view name, std::string_view text);

  void text(std::string_view s) { append_escaped(out_, s, false); }
  void raw(std::string_view markup) { out_ += markup; }
  void newline() { out_ += '\n'; }

  std::string& out() { return out_; }

 private:
  std::string& out_;
};

}  // namespace relconv::epub
