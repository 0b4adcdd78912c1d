#include "convert/batch.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include "convert/parallel.h"

namespace fs = std::filesystem;

namespace relconv {

namespace {

bool is_markdown(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".md" || ext == ".markdown" || ext == ".mdx" || ext == ".mkd" || ext == ".ronn";
}

std::string strip_extension(const std::string& rel) {
  size_t slash = rel.rfind('/');
  size_t dot = rel.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot == 0) return rel;
  return rel.substr(0, dot);
}

}  // namespace

std::vector<BatchInput> collect_inputs(const std::vector<std::string>& inputs, Diagnostics& diag) {
  std::vector<BatchInput> out;
  // Outputs are placed relative to the folder the inputs have in common, so that
  // a/index.md and b/index.md become a/index.* and b/index.*, not one index.*; a folder
  // among several inputs keeps its own name (posts/a, posts/b -> a/..., b/...). A folder
  // given alone is mirrored from inside.
  std::error_code dir_ec;
  const bool one_folder = inputs.size() == 1 && fs::is_directory(inputs.front(), dir_ec);
  std::vector<fs::path> anchors;  // each input, absolute, without a trailing slash
  for (const auto& in : inputs) {
    std::error_code ec;
    fs::path a = fs::absolute(in, ec).lexically_normal();
    if (a.filename().empty()) a = a.parent_path();
    anchors.push_back(a);
  }
  fs::path common = anchors.empty() ? fs::path() : anchors.front().parent_path();
  for (const fs::path& p : anchors) {
    while (!common.empty() && common != common.root_path()) {
      auto rel = p.parent_path().lexically_relative(common);
      if (!rel.empty() && rel.native().rfind("..", 0) != 0) break;
      common = common.parent_path();
    }
  }
  for (const auto& in : inputs) {
    std::error_code ec;
    fs::path p(in);
    if (fs::is_directory(p, ec)) {
      std::vector<BatchInput> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        // A link to nowhere is kept, so it fails as an input of its own rather than
        // vanishing from the batch without a word.
        bool dangling = it->is_symlink(ec) && !fs::exists(it->path(), ec);
        if ((it->is_regular_file(ec) || dangling) && is_markdown(it->path())) {
          std::string rel = (one_folder ? fs::relative(it->path(), p, ec)
                                        : fs::absolute(it->path(), ec).lexically_normal().lexically_relative(common))
                                .generic_string();
          found.push_back({it->path().generic_string(), strip_extension(rel)});
        }
      }
      if (ec) diag.error(in, 0, 0, "cannot read folder: " + ec.message());
      std::sort(found.begin(), found.end(), [](const BatchInput& a, const BatchInput& b) { return a.path < b.path; });
      out.insert(out.end(), found.begin(), found.end());
    } else {
      fs::path abs = fs::absolute(p, ec).lexically_normal();
      out.push_back({in, strip_extension(abs.lexically_relative(common).generic_string())});
    }
  }
  return out;
}

int run_batch(const std::vector<std::string>& inputs, const ConvertOptions& options, const BatchOptions& batch) {
  Diagnostics collect_diag;
  std::vector<BatchInput> files = collect_inputs(inputs, collect_diag);
  for (const auto& d : collect_diag.all()) std::cerr << format_diagnostic(d) << '\n';
  if (collect_diag.error_count()) return kExitInputError;
  if (files.empty()) {
    std::cerr << "relconv: error: no Markdown files found in the inputs\n";
    return kExitInputError;
  }
  // Two inputs that would write the same output: the later is refused, not allowed to
  // overwrite the other's result.
  std::map<std::string, std::string> owners;
  std::vector<bool> clash(files.size(), false);
  for (size_t i = 0; i < files.size(); ++i) {
    auto [it, fresh] = owners.emplace(files[i].relative, files[i].path);
    if (!fresh) clash[i] = true;
  }

  struct Result {
    Diagnostics diag;
    int code = kExitOk;
    bool done = false;
  };
  std::vector<Result> results(files.size());
  std::mutex mutex;
  size_t finished = 0;

  auto convert_one = [&](size_t i) {
    Result& r = results[i];
    const BatchInput& in = files[i];
    if (clash[i]) {
      r.diag.error(in.path, 0, 0, "would write the same outputs as '" + owners[in.relative] +
                                      "' (same name in the output folder); not converted");
      r.code = kExitInputError;
      return;
    }
    try {
      Chapter ch = parse_file(in.path, r.diag, options.parse);
      for (const auto& kv : options.metadata) set_metadata(ch.meta, kv.first, kv.second, r.diag);
      Document doc = single_document(std::move(ch));
      ResourceLoader resources(options.resource_paths, options.parse.max_input_bytes);
      for (const Backend* b : batch.formats) {
        size_t warnings_before = r.diag.warning_count();
        std::string bytes = render(*b, doc, options.render, r.diag, resources);
        if (batch.fail_on_warning && r.diag.warning_count() > warnings_before) {
          r.code = kExitWarningsFailed;
          continue;
        }
        // `podman-run.1.md` as a man page is `podman-run.1`, not `podman-run.1.1`: an
        // input whose name ends in the output's extension already keeps it once.
        std::string ext = b->extension_for(doc);
        bool has_ext = !ext.empty() && in.relative.size() > ext.size() &&
                       in.relative.compare(in.relative.size() - ext.size(), ext.size(), ext) == 0 &&
                       in.relative[in.relative.size() - ext.size() - 1] != '/';
        fs::path target = fs::path(batch.out_dir) / (has_ext ? in.relative : in.relative + ext);
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw Error(target.parent_path().string(), "cannot create folder: " + ec.message(), kExitOutputError);
        if (same_file(in.path, target.string()))
          throw Error(target.string(), "output is the input '" + in.path + "'; refusing to overwrite it",
                      kExitUsageError);
        write_output(target.string(), bytes, batch.write);
      }
      if (batch.fail_on_warning && r.diag.warning_count() > 0) r.code = kExitWarningsFailed;
    } catch (const Error& e) {
      r.diag.add(e.diagnostic());
      r.code = e.exit_code();
    } catch (const std::exception& e) {
      r.diag.error(in.path, 0, 0, std::string("internal error: ") + e.what());
      r.code = kExitInternalError;
    }
  };

  const bool progress = !batch.quiet && isatty(STDERR_FILENO);
  size_t printed = 0;
  // Prints the messages of finished inputs in input order; called under the mutex.
  auto flush = [&]() {
    while (printed < files.size() && results[printed].done) {
      for (const auto& d : results[printed].diag.all())
        if (!batch.quiet || d.severity == Severity::Error) {
          if (progress) std::cerr << "\r\033[K";
          std::cerr << format_diagnostic(d) << '\n';
        }
      ++printed;
    }
    if (progress) std::cerr << "\r[" << finished << "/" << files.size() << "] converting" << std::flush;
  };

  parallel_for(files.size(), size_t(job_count(batch.jobs)), [&](size_t i, size_t) {
    convert_one(i);
    std::lock_guard<std::mutex> lock(mutex);
    results[i].done = true;
    ++finished;
    flush();
  });
  if (progress) std::cerr << "\r\033[K";

  size_t failed = 0;
  int code = kExitOk;
  for (const Result& r : results)
    if (r.code != kExitOk) {
      ++failed;
      if (code == kExitOk) code = r.code;
    }
  if (failed)
    std::cerr << "relconv: " << (files.size() - failed) << " of " << files.size() << " inputs converted, " << failed
              << " failed\n";
  return code;
}

}  // namespace relconv
