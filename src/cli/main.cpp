// The relconv command line. Options are parsed with CLI11 (the only file that includes
// it: it is slow to compile); the work is done by the library API in src/convert/.
#include <CLI/CLI.hpp>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "backend/backend.h"
#include "convert/batch.h"
#include "convert/convert.h"

namespace {

using namespace relconv;

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::string suggest_format(const std::string& name) {
  std::string best;
  size_t best_d = 3;
  for (const Backend* b : backends()) {
    std::vector<std::string> names = b->aliases();
    names.insert(names.begin(), b->name());
    for (const auto& n : names) {
      size_t d = edit_distance(name, n);
      if (d < best_d) {
        best_d = d;
        best = b->name();
      }
    }
  }
  return best;
}

int usage_error(const std::string& message) {
  std::cerr << "relconv: error: " << message << "\nTry 'relconv --help' for more information.\n";
  return kExitUsageError;
}

void print(const Diagnostics& diag, bool quiet) {
  for (const Diagnostic& d : diag.all())
    if (!quiet || d.severity == Severity::Error) std::cerr << format_diagnostic(d) << '\n';
}

std::string extension_of(const std::string& path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return path.substr(dot);
}

}  // namespace

int main(int argc, char** argv) {
  // A conversion allocates and frees buffers of a few hundred KB (outputs, archives,
  // images) that glibc would take from and give back to the kernel each time, and fault
  // in again page by page: 10,800 page faults for the corpus in batch mode, 850 with the
  // heap kept (bench/README.md). Memory still goes back when the heap's free top passes
  // 128 MiB.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  CLI::App app{
      "relconv converts Markdown documents with YAML front matter into EPUB 3, PDF, man pages and "
      "plain text.\nSeveral inputs with one output make a book; --out-dir converts each input "
      "on its own.",
      "relconv"};
  app.set_version_flag("--version", std::string("relconv ") + RELCONV_VERSION);
  app.get_formatter()->column_width(32);

  std::vector<std::string> inputs;
  std::string to, output, out_dir, metadata_file, style, depfile, order = "auto";
  std::vector<std::string> metadata, resource_paths, tags;
  int columns = 72, toc_depth = 2, jobs = 0, max_nesting = 64, max_table_columns = 1000;
  size_t max_input_mb = 64;
  bool list_formats = false, include_drafts = false, fail_on_warning = false, quiet = false, toc = false,
       if_changed = false;

  app.add_option("inputs", inputs, "Markdown files to convert ('-' reads standard input); with --out-dir, "
                                   "folders are searched for *.md")
      ->type_name("INPUT...");
  app.add_option("-t,--to", to, "Output format: txt (plain), man, epub, pdf, tree; a comma list with --out-dir")
      ->type_name("FORMAT");
  app.add_option("-o,--output", output, "Output file ('-' for standard output); its extension picks the "
                                        "format when --to is not given")
      ->type_name("FILE");
  app.add_option("--out-dir", out_dir, "Batch mode: convert each input on its own into DIR, mirroring the "
                                       "input folders")
      ->type_name("DIR");
  app.add_option("-M,--metadata", metadata, "Set a metadata key (a YAML value), e.g. -M title='My book' "
                                            "-M tags=[a,b]")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  app.add_option("--metadata-file", metadata_file, "Read book metadata from a YAML file")->type_name("FILE");
  app.add_option("--columns", columns, "Wrap plain text at this many columns (default 72)")
      ->check(CLI::Range(20, 1000));
  app.add_flag("--toc", toc, "Add a table of contents (PDF; EPUB always has one)");
  app.add_option("--toc-depth", toc_depth, "Heading levels in tables of contents (default 2)")
      ->check(CLI::Range(1, 6));
  app.add_option("--style", style, "Use this style instead of the default (CSS for EPUB, YAML for PDF)")
      ->type_name("FILE");
  app.add_option("--resource-path", resource_paths, "Also allow images from this folder (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false);
  app.add_option("--order", order, "Chapter order of a book: auto (by date if all posts are dated), date, "
                                   "title, input")
      ->check(CLI::IsMember({"auto", "date", "title", "input"}));
  app.add_flag("--include-drafts", include_drafts, "Keep posts marked 'published: false' in books");
  app.add_option("--tag", tags, "Keep only posts with this tag in books (repeatable)")->type_name("TAG")->allow_extra_args(false);
  app.add_option("-j,--jobs", jobs, "Conversions at once in batch mode, documents parsed at once for a book (default: all cores)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--depfile", depfile, "Write a Make/Ninja depfile listing what the output was made from")
      ->type_name("FILE");
  app.add_flag("--if-changed", if_changed, "Leave outputs whose bytes would not change untouched");
  app.add_flag("--fail-on-warning", fail_on_warning, "Treat warnings as errors (exit code 4, no output)");
  app.add_flag("-q,--quiet", quiet, "Print errors only");
  app.add_option("--max-input-size", max_input_mb, "Refuse inputs larger than this many MiB (default 64)")
      ->check(CLI::Range(1, 4096));
  app.add_option("--max-nesting", max_nesting, "Flatten lists and quotes nested deeper than this (default 64)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--max-table-columns", max_table_columns,
                 "Show table rows with more cells than this as text (default 1000)")
      ->check(CLI::Range(1, 100000));
  app.add_flag("--list-formats", list_formats, "List the output formats and exit");
  app.footer(
      "Exit codes: 0 success, 1 an input could not be converted, 2 usage error, 3 an output could not be "
      "written, 4 warnings with --fail-on-warning, 70 internal error.\nSee relconv(1).");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  if (list_formats) {
    // One format a line: name, extensions (comma-separated), description; easy to read
    // and to cut in scripts (the Makefile does).
    for (const Backend* b : backends()) {
      std::string exts;
      for (const auto& e : b->extensions()) exts += (exts.empty() ? "" : ",") + e;
      std::string desc = b->description();
      std::string aliases;
      for (const auto& a : b->aliases()) aliases += (aliases.empty() ? "" : ", ") + a;
      if (!aliases.empty()) desc += " (also: " + aliases + ")";
      std::printf("%-6s %-24s %s\n", b->name(), exts.c_str(), desc.c_str());
    }
    return kExitOk;
  }

  Diagnostics diag;  // outside the try: warnings said before an error are printed too
  try {
    ConvertOptions options;
    options.parse.max_input_bytes = max_input_mb << 20;
    options.parse.max_nesting = max_nesting;
    options.parse.max_table_columns = max_table_columns;
    options.render.columns = columns;
    options.render.toc = toc;
    options.render.toc_depth = toc_depth;
    options.render.style_path = style;
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
      char* end = nullptr;
      long long v = std::strtoll(sde, &end, 10);
      if (end && *end == '\0' && v >= 0) options.render.source_date_epoch = v;
    }
    for (const auto& kv : metadata) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) return usage_error("-M takes KEY=VALUE, not '" + kv + "'");
      options.metadata.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    options.metadata_file = metadata_file;
    options.order = order == "date" ? ChapterOrder::Date
                    : order == "title" ? ChapterOrder::Title
                    : order == "input" ? ChapterOrder::Input
                                       : ChapterOrder::Auto;
    options.include_drafts = include_drafts;
    options.tags = tags;
    options.resource_paths = resource_paths;
    options.jobs = jobs;

    if (inputs.empty()) return usage_error("no input files (use '-' to read standard input)");

    // Formats: --to (a comma list in batch mode), else the output's extension.
    std::vector<const Backend*> formats;
    if (!to.empty()) {
      size_t start = 0;
      while (start <= to.size()) {
        size_t comma = to.find(',', start);
        std::string name = to.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const Backend* b = find_backend(name);
        if (!b) {
          std::string hint = suggest_format(name);
          return usage_error("unknown format '" + name + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                             " ('relconv --list-formats' lists them)");
        }
        if (std::find(formats.begin(), formats.end(), b) == formats.end()) formats.push_back(b);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (!output.empty() && output != "-") {
      std::string ext = extension_of(output);
      const Backend* b = backend_for_extension(ext);
      if (!b)
        return usage_error("cannot tell the format from '" + output + "'" +
                           (ext.empty() ? "" : " (extension " + ext + ")") + "; give --to FORMAT");
      formats.push_back(b);
    } else {
      return usage_error("no output format: give --to FORMAT, or -o FILE with a known extension");
    }

    if (!out_dir.empty()) {
      if (!output.empty()) return usage_error("--out-dir and -o cannot be used together");
      if (!depfile.empty()) return usage_error("--depfile needs a single output (-o), not --out-dir");
      BatchOptions batch;
      batch.out_dir = out_dir;
      batch.formats = formats;
      batch.jobs = jobs;
      batch.quiet = quiet;
      batch.fail_on_warning = fail_on_warning;
      batch.write.only_if_changed = if_changed;
      return run_batch(inputs, options, batch);
    }

    if (formats.size() > 1) return usage_error("several formats need --out-dir (one output file has one format)");
    // One output: its backend may use the threads (batch mode spreads documents over them).
    options.render.jobs = job_count(jobs);
    const Backend& backend = *formats.front();
    if (output.empty()) output = "-";
    if (output == "-" && backend.binary() && isatty(STDOUT_FILENO))
      return usage_error(std::string("refusing to write ") + backend.name() +
                         " to a terminal; give -o FILE or redirect the output");
    if (output == "-" && !depfile.empty()) return usage_error("--depfile needs an output file (-o FILE)");
    // Nothing relconv reads may be overwritten by what it writes.
    std::vector<std::string> read_files;
    for (const auto& in : inputs)
      if (in != "-") read_files.push_back(in);
    if (!metadata_file.empty()) read_files.push_back(metadata_file);
    if (!style.empty()) read_files.push_back(style);
    for (const auto& in : read_files) {
      if (output != "-" && same_file(in, output))
        return usage_error("output '" + output + "' is the input '" + in + "'; refusing to overwrite it");
      if (!depfile.empty() && same_file(in, depfile))
        return usage_error("depfile '" + depfile + "' is the input '" + in + "'; refusing to overwrite it");
    }
    if (!depfile.empty() && (depfile == output || same_file(depfile, output)))
      return usage_error("--depfile and -o name the same file '" + depfile + "'");
    if (std::count(inputs.begin(), inputs.end(), std::string("-")) > 1)
      return usage_error("standard input ('-') can be read only once");

    Document doc = load_document(inputs, options, diag);
    ResourceLoader resources(options.resource_paths, options.parse.max_input_bytes);
    std::string bytes = render(backend, doc, options.render, diag, resources);
    print(diag, quiet);
    if (fail_on_warning && diag.warning_count() > 0) {
      std::cerr << "relconv: error: " << diag.warning_count()
                << " warning(s) and --fail-on-warning: no output written\n";
      return kExitWarningsFailed;
    }
    write_output(output, bytes, WriteOptions{if_changed});
    if (!depfile.empty()) {
      std::vector<std::string> deps;
      for (const auto& in : inputs) deps.push_back(in);
      if (!metadata_file.empty()) deps.push_back(metadata_file);
      for (const auto& d : resources.dependencies()) deps.push_back(d);
      write_output(depfile, make_depfile(output, deps), WriteOptions{true});
    }
    return kExitOk;
  } catch (const Error& e) {
    print(diag, quiet);
    std::cerr << e.what() << '\n';
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    std::cerr << "relconv: error: out of memory\n";
    return kExitInputError;
  } catch (const std::exception& e) {
    std::cerr << "relconv: internal error: " << e.what() << '\n';
    return kExitInternalError;
  }
}
