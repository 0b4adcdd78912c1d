// relconv's library API: everything the command line does, as functions.
//
//   relconv::Diagnostics diag;
//   relconv::ConvertOptions opt;
//   relconv::Document doc = relconv::load_document({"post.md"}, opt, diag);
//   relconv::ResourceLoader resources(opt.resource_paths);
//   std::string pdf = relconv::render(*relconv::find_backend("pdf"), doc, opt.render, diag, resources);
//   relconv::write_output("post.pdf", pdf, {});
//
// Every function is safe to call from several threads on different documents.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"
#include "diag/diag.h"
#include "doc/model.h"
#include "io/resources.h"
#include "parse/parse.h"

namespace relconv {

enum class ChapterOrder { Auto, Date, Title, Input };

struct ConvertOptions {
  ParseOptions parse;
  RenderOptions render;
  std::vector<std::pair<std::string, std::string>> metadata;  // -M key=value, in order
  std::string metadata_file;                                  // --metadata-file
  ChapterOrder order = ChapterOrder::Auto;  // Auto: by date when every chapter has one
  bool include_drafts = false;              // keep chapters with published: false
  std::vector<std::string> tags;            // keep only chapters with one of these tags
  std::vector<std::string> resource_paths;  // folders images may also come from
  int jobs = 0;                             // threads parsing a book's inputs (0: one per core)
};

// The number of threads for a `jobs` setting: itself when positive, else one per core.
int job_count(int jobs);

// Parses the inputs ("-" is standard input) into one Document: a single document when
// there is one input, otherwise a book with a chapter per input (ordered and filtered as
// `options` says, links between its posts made internal). -M values and the metadata
// file apply to the book (and, for one input, to that document). Throws relconv::Error.
Document load_document(const std::vector<std::string>& inputs, const ConvertOptions& options,
                       Diagnostics& diag);

// Combines parsed chapters into a book.
Document make_book(std::vector<Chapter> chapters, Metadata book_meta, const ConvertOptions& options,
                   Diagnostics& diag);

// Renders with one backend. Throws relconv::Error when the backend fails.
std::string render(const Backend& backend, const Document& doc, const RenderOptions& options,
                   Diagnostics& diag, ResourceLoader& resources);

struct WriteOptions {
  bool only_if_changed = false;  // leave the file (and its time stamp) alone if the bytes match
};

// Writes `data` to `path` through a temporary file in the same folder and a rename, so a
// reader never sees a half-written file and a failure leaves what was there. "-" is
// standard output. Returns false when only_if_changed kept the old file. Throws
// relconv::Error (exit code kExitOutputError) on failure.
bool write_output(const std::string& path, const std::string& data, const WriteOptions& options);

// True when `output` names the same file as one of `inputs` (refused: the input would be
// lost).
bool same_file(const std::string& a, const std::string& b);

// Writes a Make/Ninja depfile: `target: dep dep ...` with spaces escaped.
std::string make_depfile(const std::string& target, const std::vector<std::string>& deps);

}  // namespace relconv
