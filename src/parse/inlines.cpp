#include "parse/inlines.h"

#include <cctype>

namespace relconv::detail {

bool is_blank_text(const Inline& in) {
  if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::HardBreak) return true;
  return in.kind == InlineKind::Text && in.literal.find_first_not_of(" \t\n") == std::string::npos;
}

bool has_visible_content(const std::vector<Inline>& inlines) {
  for (const Inline& in : inlines) {
    switch (in.kind) {
      case InlineKind::Text:
        if (!is_blank_text(in)) return true;
        break;
      case InlineKind::SoftBreak:
      case InlineKind::HardBreak:
        break;
      case InlineKind::Code:
      case InlineKind::Image:
      case InlineKind::FootnoteRef:
        return true;
      default:
        if (has_visible_content(in.children)) return true;
    }
  }
  return false;
}

// Removes leading and trailing breaks and blank text, so a block's inlines start and end
// with content.
void trim_inlines(std::vector<Inline>& inlines) {
  while (!inlines.empty() && (inlines.back().kind == InlineKind::SoftBreak ||
                              inlines.back().kind == InlineKind::HardBreak || is_blank_text(inlines.back())))
    inlines.pop_back();
  size_t lead = 0;
  while (lead < inlines.size() && is_blank_text(inlines[lead])) ++lead;
  inlines.erase(inlines.begin(), inlines.begin() + static_cast<long>(lead));
  if (!inlines.empty() && inlines.front().kind == InlineKind::Text) {
    auto& s = inlines.front().literal;
    s.erase(0, s.find_first_not_of(" \t"));
  }
  if (!inlines.empty() && inlines.back().kind == InlineKind::Text) {
    auto& s = inlines.back().literal;
    s.erase(s.find_last_not_of(" \t") + 1);
  }
}

void merge_texts(std::vector<Inline>& ins) {
  std::vector<Inline> out;
  out.reserve(ins.size());
  for (Inline& in : ins) {
    if (in.kind == InlineKind::Text && !out.empty() && out.back().kind == InlineKind::Text && in.url.empty() &&
        out.back().url.empty()) {
      std::string& left = out.back().literal;
      if (!left.empty() && left.back() == ' ' && !in.literal.empty() && in.literal[0] == ' ')
        left.append(in.literal, 1, std::string::npos);
      else
        left += in.literal;
    } else {
      out.push_back(std::move(in));
    }
  }
  ins = std::move(out);
}

bool is_active_url(const std::string& url) {
  // The scheme as a browser reads it: spaces and control characters (C locale: bytes up
  // to 0x20, and 0x7F) skipped, ASCII lower-cased; 16 characters tell.
  char buf[16];
  size_t n = 0;
  for (char ch : url) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F) continue;
    buf[n++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (n == sizeof buf) break;
  }
  std::string_view s(buf, n);
  auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
  return starts("javascript:") || starts("vbscript:") || (starts("data:") && !starts("data:image/"));
}

}  // namespace relconv::detail
