#include "text/line_writer.h"

#include "text/utf8.h"

namespace relconv {

void LineWriter::push_prefix(std::string first, std::string rest) {
  flush_word();
  prefixes_.push_back(Prefix{std::move(first), std::move(rest), false});
}

void LineWriter::pop_prefix() {
  flush_word();
  if (line_open_) end_line();
  if (!prefixes_.empty()) prefixes_.pop_back();
}

std::string LineWriter::current_prefix(bool consume) {
  std::string p;
  for (Prefix& pr : prefixes_) {
    p += pr.used ? pr.rest : pr.first;
    if (consume) pr.used = true;
  }
  return p;
}

int LineWriter::prefix_width() const {
  int w = 0;
  for (const Prefix& pr : prefixes_) w += display_width(pr.used ? pr.rest : pr.first);
  return w;
}

static void trim_right(std::string& s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
}

void LineWriter::separate() {
  // The blank line between two blocks carries the prefixes of the containers that have
  // already started (so a quote stays one quote), but not those of a container whose
  // first line is still to come.
  std::string p;
  for (const Prefix& pr : prefixes_)
    if (pr.used) p += pr.rest;
  trim_right(p);
  out_ += p;
  out_ += '\n';
  need_blank_ = false;
}

void LineWriter::start_line() {
  if (need_blank_) separate();
  std::string p = current_prefix(true);
  prefix_w_ = display_width(p);
  line_ = std::move(p);
  line_width_ = 0;
  line_open_ = true;
}

void LineWriter::end_line() {
  trim_right(line_);
  out_ += line_;
  out_ += '\n';
  line_.clear();
  line_open_ = false;
  line_width_ = 0;
  wrote_any_ = true;
}

void LineWriter::place(std::string_view word, int width) {
  if (!line_open_) {
    start_line();
  } else if (pending_space_) {
    if (prefix_w_ + line_width_ + 1 + width > columns_ && line_width_ > 0) {
      end_line();
      start_line();
    } else {
      line_ += ' ';
      ++line_width_;
    }
  }
  line_ += word;
  line_width_ += width;
  pending_space_ = false;
}

void LineWriter::flush_word() {
  if (word_.empty()) return;
  place(word_, word_width_);
  word_.clear();
  word_width_ = 0;
}

void LineWriter::text(std::string_view s) {
  size_t start = 0;
  bool plain = true;  // the word so far is printable ASCII: a column a byte
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (i > start) {
        // A whole word: straight onto the line, unless it continues a glued one.
        std::string_view w = s.substr(start, i - start);
        if (word_.empty()) place(w, plain ? static_cast<int>(w.size()) : display_width(w));
        else glue(w);
      }
      space();
      start = i + 1;
      plain = true;
    } else if (c < 0x21 || c > 0x7E) {
      plain = false;
    }
  }
  if (start < s.size()) glue(s.substr(start));
}

void LineWriter::glue(std::string_view s) {
  word_.append(s);
  word_width_ += display_width(s);
}

void LineWriter::space() {
  flush_word();
  if (line_open_) pending_space_ = true;
}

void LineWriter::line_break() {
  flush_word();
  if (line_open_) end_line();
  pending_space_ = false;
}

void LineWriter::end_block() {
  flush_word();
  if (line_open_) end_line();
  pending_space_ = false;
  need_blank_ = wrote_any_;
}

void LineWriter::verbatim(std::string_view line) {
  flush_word();
  if (line_open_) end_line();
  start_line();
  line_.append(line);
  end_line();
  pending_space_ = false;
}

void LineWriter::finish() {
  flush_word();
  if (line_open_) end_line();
}

}  // namespace relconv
