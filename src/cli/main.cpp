// The relconv program: the command line is read in src/cli/command_line.cpp; the work is
// done by the library API in src/convert/.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "backend/backend.h"
#include "cli/command_line.h"
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
  cli::CommandLine cl;
  if (int code = cli::parse_command_line(argc, argv, cl, std::cout, std::cerr); code >= 0) return code;

  if (cl.list_formats) {
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
    options.parse.max_input_bytes = cl.max_input_mb << 20;
    options.parse.max_nesting = cl.max_nesting;
    options.parse.max_table_columns = cl.max_table_columns;
    options.render.columns = cl.columns;
    options.render.toc = cl.toc;
    options.render.toc_depth = cl.toc_depth;
    options.render.style_path = cl.style;
    if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
      char* end = nullptr;
      long long v = std::strtoll(sde, &end, 10);
      if (end && *end == '\0' && v >= 0) options.render.source_date_epoch = v;
    }
    for (const auto& kv : cl.metadata) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) return usage_error("-M takes KEY=VALUE, not '" + kv + "'");
      options.metadata.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    options.metadata_file = cl.metadata_file;
    options.order = cl.order == "date" ? ChapterOrder::Date
                    : cl.order == "title" ? ChapterOrder::Title
                    : cl.order == "input" ? ChapterOrder::Input
                                       : ChapterOrder::Auto;
    options.include_drafts = cl.include_drafts;
    options.tags = cl.tags;
    options.resource_paths = cl.resource_paths;
    options.jobs = cl.jobs;

    if (cl.inputs.empty()) return usage_error("no input files (use '-' to read standard input)");

    // Formats: --to (a comma list in batch mode), else the output's extension.
    std::vector<const Backend*> formats;
    if (!cl.to.empty()) {
      size_t start = 0;
      while (start <= cl.to.size()) {
        size_t comma = cl.to.find(',', start);
        std::string name = cl.to.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
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
    } else if (!cl.output.empty() && cl.output != "-") {
      std::string ext = extension_of(cl.output);
      const Backend* b = backend_for_extension(ext);
      if (!b)
        return usage_error("cannot tell the format from '" + cl.output + "'" +
                           (ext.empty() ? "" : " (extension " + ext + ")") + "; give --to FORMAT");
      formats.push_back(b);
    } else {
      return usage_error("no output format: give --to FORMAT, or -o FILE with a known extension");
    }

    if (!cl.out_dir.empty()) {
      if (!cl.output.empty()) return usage_error("--out-dir and -o cannot be used together");
      if (!cl.depfile.empty()) return usage_error("--depfile needs a single output (-o), not --out-dir");
      BatchOptions batch;
      batch.out_dir = cl.out_dir;
      batch.formats = formats;
      batch.jobs = cl.jobs;
      batch.quiet = cl.quiet;
      batch.fail_on_warning = cl.fail_on_warning;
      batch.write.only_if_changed = cl.if_changed;
      return run_batch(cl.inputs, options, batch);
    }

    if (formats.size() > 1) return usage_error("several formats need --out-dir (one output file has one format)");
    // One output: its backend may use the threads (batch mode spreads documents over them).
    options.render.jobs = job_count(cl.jobs);
    const Backend& backend = *formats.front();
    if (cl.output.empty()) cl.output = "-";
    if (cl.output == "-" && backend.binary() && isatty(STDOUT_FILENO))
      return usage_error(std::string("refusing to write ") + backend.name() +
                         " to a terminal; give -o FILE or redirect the output");
    if (cl.output == "-" && !cl.depfile.empty()) return usage_error("--depfile needs an output file (-o FILE)");
    // Nothing relconv reads may be overwritten by what it writes.
    std::vector<std::string> read_files;
    for (const auto& in : cl.inputs)
      if (in != "-") read_files.push_back(in);
    if (!cl.metadata_file.empty()) read_files.push_back(cl.metadata_file);
    if (!cl.style.empty()) read_files.push_back(cl.style);
    for (const auto& in : read_files) {
      if (cl.output != "-" && same_file(in, cl.output))
        return usage_error("output '" + cl.output + "' is the input '" + in + "'; refusing to overwrite it");
      if (!cl.depfile.empty() && same_file(in, cl.depfile))
        return usage_error("depfile '" + cl.depfile + "' is the input '" + in + "'; refusing to overwrite it");
    }
    if (!cl.depfile.empty() && (cl.depfile == cl.output || same_file(cl.depfile, cl.output)))
      return usage_error("--depfile and -o name the same file '" + cl.depfile + "'");
    if (std::count(cl.inputs.begin(), cl.inputs.end(), std::string("-")) > 1)
      return usage_error("standard input ('-') can be read only once");

    Document doc = load_document(cl.inputs, options, diag);
    ResourceLoader resources(options.resource_paths, options.parse.max_input_bytes);
    std::string bytes = render(backend, doc, options.render, diag, resources);
    print(diag, cl.quiet);
    if (cl.fail_on_warning && diag.warning_count() > 0) {
      std::cerr << "relconv: error: " << diag.warning_count()
                << " warning(s) and --fail-on-warning: no output written\n";
      return kExitWarningsFailed;
    }
    write_output(cl.output, bytes, WriteOptions{cl.if_changed});
    if (!cl.depfile.empty()) {
      std::vector<std::string> deps;
      for (const auto& in : cl.inputs) deps.push_back(in);
      if (!cl.metadata_file.empty()) deps.push_back(cl.metadata_file);
      for (const auto& d : resources.dependencies()) deps.push_back(d);
      write_output(cl.depfile, make_depfile(cl.output, deps), WriteOptions{true});
    }
    return kExitOk;
  } catch (const Error& e) {
    print(diag, cl.quiet);
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
