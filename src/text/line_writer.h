// Line wrapping for the character-cell backends: column, prefix stack, break points.
//
// Text goes in as words glued from pieces; a space is a break opportunity. Lines are
// filled greedily up to `columns` display columns (see display_width); a word is never
// broken, so a URL longer than the line stands on a line of its own. Each nested
// container (quote, list item) pushes a prefix: `first` starts the next line written,
// `rest` every line after it ("- " then "  " for a bullet). No line ends with spaces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace relconv {

class LineWriter {
 public:
  LineWriter(std::string& out, int columns) : out_(out), columns_(columns) {}

  void push_prefix(std::string first, std::string rest);
  void pop_prefix();

  // Adds text: runs of spaces (and tabs, newlines) are break opportunities, everything
  // else joins the word being built.
  void text(std::string_view s);
  // Adds text that may not be broken at its spaces (a non-breaking unit).
  void glue(std::string_view s);
  // A break opportunity, as a single space between words.
  void space();
  // Ends the current line (a hard break). An empty line is written only by blank_line.
  void line_break();
  // Ends the current paragraph: finishes the line, and makes the next block start after
  // one blank line (written with the current prefix, trimmed).
  void end_block();
  // Writes one line as it is, with the prefix but no wrapping (code blocks, tables).
  void verbatim(std::string_view line);
  // Finishes any pending line.
  void finish();

  int columns() const { return columns_; }
  // Display width of the prefix that the next line would get.
  int prefix_width() const;

 private:
  struct Prefix {
    std::string first, rest;
    bool used = false;
  };
  void flush_word();
  void place(std::string_view word, int width);  // puts a finished word on the line
  void start_line();
  void end_line();
  void separate();
  std::string current_prefix(bool consume);

  std::string& out_;
  int columns_;
  std::vector<Prefix> prefixes_;
  std::string line_;      // the line being built, without the prefix
  int line_width_ = 0;    // display width of line_
  bool line_open_ = false;
  int prefix_w_ = 0;      // display width of the open line's prefix
  std::string word_;
  int word_width_ = 0;
  bool pending_space_ = false;
  bool need_blank_ = false;  // a block ended: write a blank line before the next text
  bool wrote_any_ = false;
};

}  // namespace relconv
