// The title lines that man-page sources write before their text, in the dialects of the
// tools they were written for, read into Metadata. Internal to src/parse/.
//
// - pandoc's title block: `% title`, `% author; author`, `% date` (any of them may be
//   empty, each may continue on lines that start with a space); a title of the form
//   `name(section) rest` gives the page name and section, `rest` the .TH source;
// - go-md2man's title line: `% name section [date [source [manual]]]`, fields quoted
//   when they hold spaces (`% "DOCKER" "1" "JUNE 2014" "Docker Community" "Docker User
//   Manuals"`);
// - buildah's older heading form: `# name "section" "date" "source"`;
// - ronn's header: `name(section) -- description` (or ` - `) underlined with `===`, or as
//   a `#` heading;
// - a file name `name.section.md` (`podman-run.1.md`, `git-lfs.1.ronn`).
// What the front matter says wins over all of these.
#pragma once

#include <string>
#include <string_view>

#include "diag/diag.h"
#include "doc/model.h"

namespace relconv::detail {

// Reads the title lines at the start of `body` into `meta`, returns how many bytes they
// take (0 when there are none) and adds the lines they take to `line` (the 1-based line
// of the body's start in the file).
// `ronn` is set when the header is ronn's.
size_t read_title_lines(std::string_view body, const std::string* file, uint32_t& line, Metadata& meta,
                        Diagnostics& diag, bool* ronn = nullptr);

// The page name and section from a file name like `podman-run.1.md`, when `meta` has
// none; a section that differs from the one the source gives is a warning.
void name_from_file_name(const std::string& path, const std::string* file, Metadata& meta, Diagnostics& diag);

// A date in a common written form as ISO 8601: "June 15, 2006", "15 June 2006",
// "2006-06-15", "2006/06/15" -> "2006-06-15"; "JUNE 2014", "Sep 2021" -> "2014-06",
// "2021-09". Empty when the text is no date of those forms.
std::string normalize_date(const std::string& text);

}  // namespace relconv::detail
