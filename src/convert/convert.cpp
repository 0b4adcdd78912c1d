#include "convert/convert.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <string_view>
#include <unordered_map>

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert/parallel.h"

namespace relconv {

namespace {

std::string file_stem(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  // A post kept as folder/index.md is named after its folder.
  if ((name == "index.md" || name == "index.mdx" || name == "README.md") && slash != std::string::npos &&
      slash > 0) {
    std::string dir = path.substr(0, slash);
    size_t s2 = dir.rfind('/');
    return s2 == std::string::npos ? dir : dir.substr(s2 + 1);
  }
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

const Block* first_heading(const std::vector<Block>& blocks) {
  for (const Block& b : blocks)
    if (b.kind == BlockKind::Heading) return &b;
  return nullptr;
}

bool has_tag(const Metadata& m, const std::vector<std::string>& tags) {
  for (const auto& t : m.tags)
    if (std::find(tags.begin(), tags.end(), t) != tags.end()) return true;
  return false;
}

// Links to another post of the book (by its source URL, absolute or site-relative) become
// links to that chapter. When several chapters match, the first of the book wins. The URLs
// are looked up in a hash map (exactly, and each '/'-suffix of an absolute URL against the
// site-relative ones), so the cost grows with the links, not links × chapters.
void link_chapters(Document& doc) {
  std::unordered_map<std::string_view, size_t> targets;  // source URL -> first chapter index
  for (size_t c = 0; c < doc.chapters.size(); ++c)
    if (!doc.chapters[c].meta.source_url.empty()) targets.emplace(doc.chapters[c].meta.source_url, c);
  if (targets.empty()) return;
  auto rewrite = [&](auto& self, std::vector<Inline>& ins) -> void {
    for (Inline& in : ins) {
      if (in.kind == InlineKind::Link) {
        std::string_view url = std::string_view(in.url).substr(0, in.url.find('#'));
        size_t best = doc.chapters.size();
        auto it = targets.find(url);
        if (it != targets.end()) best = it->second;
        if (url.find("://") != std::string_view::npos)
          for (size_t p = url.find('/', 1); p != std::string_view::npos; p = url.find('/', p + 1)) {
            auto suffix = targets.find(url.substr(p));
            if (suffix != targets.end() && suffix->second < best) best = suffix->second;
          }
        if (best < doc.chapters.size()) in.url = "#" + doc.chapters[best].id;
      }
      self(self, in.children);
    }
  };
  for (Chapter& ch : doc.chapters)
    for_each_inline_list(ch, [&](std::vector<Inline>& ins) { rewrite(rewrite, ins); });
}

}  // namespace

Document make_book(std::vector<Chapter> chapters, Metadata book_meta, const ConvertOptions& options,
                   Diagnostics& diag) {
  std::vector<Chapter> kept;
  for (Chapter& ch : chapters) {
    if (!ch.meta.published && !options.include_drafts) continue;
    if (!options.tags.empty() && !has_tag(ch.meta, options.tags)) continue;
    if (ch.meta.title.empty()) {
      if (const Block* h = first_heading(ch.blocks))
        ch.meta.title = plain_text(h->inlines);
      else
        ch.meta.title = file_stem(ch.source ? *ch.source : "");
    }
    kept.push_back(std::move(ch));
  }
  ChapterOrder order = options.order;
  if (order == ChapterOrder::Auto) {
    bool all_dated = !kept.empty() &&
                     std::all_of(kept.begin(), kept.end(), [](const Chapter& c) { return !c.meta.date.empty(); });
    order = all_dated ? ChapterOrder::Date : ChapterOrder::Input;
  }
  if (order == ChapterOrder::Date)
    std::stable_sort(kept.begin(), kept.end(), [](const Chapter& a, const Chapter& b) {
      // Undated chapters go last.
      if (a.meta.date.empty() != b.meta.date.empty()) return b.meta.date.empty();
      return a.meta.date < b.meta.date;
    });
  else if (order == ChapterOrder::Title)
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Chapter& a, const Chapter& b) { return a.meta.title < b.meta.title; });

  Document doc;
  doc.book = true;
  doc.meta = std::move(book_meta);
  if (doc.meta.title.empty()) {
    doc.meta.title = "Untitled";
    diag.warning("", 0, 0, "the book has no title; give one with -M title=… or --metadata-file");
  }
  // The book's dates and language, when not given, come from its chapters: the newest
  // post's date, the latest update.
  const bool date_given = !doc.meta.date.empty();
  for (const Chapter& ch : kept) {
    if (!date_given && ch.meta.date > doc.meta.date) doc.meta.date = ch.meta.date;
    std::string upd = ch.meta.updated.empty() ? ch.meta.date : ch.meta.updated;
    if (upd > doc.meta.updated) doc.meta.updated = upd;
  }
  if (doc.meta.language.empty() && !kept.empty()) {
    const std::string& lang = kept.front().meta.language;
    bool same = std::all_of(kept.begin(), kept.end(), [&](const Chapter& c) { return c.meta.language == lang; });
    if (same) doc.meta.language = lang;
  }
  if (doc.meta.authors.empty()) {
    for (const Chapter& ch : kept)
      for (const auto& a : ch.meta.authors)
        if (std::find(doc.meta.authors.begin(), doc.meta.authors.end(), a) == doc.meta.authors.end())
          doc.meta.authors.push_back(a);
  }
  doc.chapters = std::move(kept);
  assign_ids(doc);
  link_chapters(doc);
  return doc;
}

namespace {

// The inputs of a book, parsed on up to options.jobs threads. Messages are kept per input
// and handed on in input order, and the first input (in order) that fails throws, after
// the messages of the inputs before it: the same as parsing one after another.
std::vector<Chapter> parse_files(const std::vector<std::string>& inputs, const ConvertOptions& options,
                                 Diagnostics& diag) {
  struct Slot {
    Chapter chapter;
    Diagnostics diag;
    std::exception_ptr error;
  };
  std::vector<Slot> slots(inputs.size());
  size_t jobs = size_t(job_count(options.jobs));
  // Standard input cannot be shared out; nor is a thread worth starting for a few files.
  if (std::find(inputs.begin(), inputs.end(), "-") != inputs.end() || inputs.size() < 4) jobs = 1;
  parallel_for(inputs.size(), jobs, [&](size_t i, size_t) {
    try {
      slots[i].chapter = parse_file(inputs[i], slots[i].diag, options.parse);
    } catch (...) {
      slots[i].error = std::current_exception();
    }
  });

  std::vector<Chapter> chapters;
  chapters.reserve(inputs.size());
  for (Slot& s : slots) {
    diag.append(s.diag);
    if (s.error) std::rethrow_exception(s.error);
    chapters.push_back(std::move(s.chapter));
  }
  return chapters;
}

}  // namespace

int job_count(int jobs) {
  if (jobs > 0) return jobs;
  // The processors this process may run on (taskset, cgroup cpusets), in one system call;
  // std::thread::hardware_concurrency() reads a file in /sys for the machine's count.
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Document load_document(const std::vector<std::string>& inputs, const ConvertOptions& options, Diagnostics& diag) {
  auto apply_overrides = [&](Metadata& meta) {
    if (!options.metadata_file.empty()) read_metadata_file(meta, options.metadata_file, diag, options.parse);
    for (const auto& kv : options.metadata) set_metadata(meta, kv.first, kv.second, diag);
  };
  if (inputs.size() == 1) {
    Chapter ch = parse_file(inputs[0], diag, options.parse);
    apply_overrides(ch.meta);
    return single_document(std::move(ch));
  }
  std::vector<Chapter> chapters = parse_files(inputs, options, diag);
  Metadata book;
  apply_overrides(book);
  return make_book(std::move(chapters), std::move(book), options, diag);
}

std::string render(const Backend& backend, const Document& doc, const RenderOptions& options, Diagnostics& diag,
                   ResourceLoader& resources) {
  std::string out;
  RenderContext ctx{doc, options, diag, resources};
  backend.render(ctx, out);
  return out;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (stat(a.c_str(), &sa) != 0 || stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

namespace {

// Writes all of `data` to an open descriptor; false (with errno) on failure.
bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

bool write_output(const std::string& path_arg, const std::string& data, const WriteOptions& options) {
  if (path_arg == "-") {
    errno = 0;
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    if (!std::cout)
      throw Error(std::string("<stdout>"),
                  std::string("cannot write to standard output") + (errno ? std::string(": ") + std::strerror(errno) : ""),
                  kExitOutputError);
    return true;
  }
  std::string path = path_arg;
  struct stat target;
  if (stat(path.c_str(), &target) == 0) {
    if (S_ISDIR(target.st_mode))
      throw Error(path_arg, "cannot write output: it is a folder", kExitOutputError);
    // A device, pipe or socket (/dev/null, a FIFO), or a descriptor named through /dev or
    // /proc (/dev/stdout, /dev/fd/3): written in place, as a shell's `>` would. A rename
    // would replace the device node or the link itself (as root, /dev/stdout).
    bool special = !S_ISREG(target.st_mode) || path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
    if (special) {
      int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
      if (fd < 0) throw Error(path_arg, std::string("cannot write output: ") + std::strerror(errno), kExitOutputError);
      bool ok = write_all(fd, data);
      int err = errno;
      if (::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
      }
      if (!ok) throw Error(path_arg, std::string("cannot write output: ") + std::strerror(err), kExitOutputError);
      return true;
    }
    // A symlink to a file: replace the file it points at and keep the link.
    struct stat link;
    if (lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      char buf[PATH_MAX];
      if (realpath(path.c_str(), buf)) path = buf;
    }
  }
  if (options.only_if_changed) {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream ss;
      ss << in.rdbuf();
      if (ss.str() == data) return false;
    }
  }
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".relconv-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0)
    throw Error(path_arg, std::string("cannot write output: ") + std::strerror(errno), kExitOutputError);
  std::string tmp(name.data());
  auto fail = [&](const char* what) {
    int err = errno;
    close(fd);
    unlink(tmp.c_str());
    throw Error(path_arg, std::string(what) + std::strerror(err), kExitOutputError);
  };
  // mkstemp makes the file 0600; give it the mode of the file it replaces, or the one a
  // plain create would have.
  struct stat old;
  mode_t mode;
  if (stat(path.c_str(), &old) == 0) {
    mode = old.st_mode & 07777;
  } else {
    const mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0) fail("cannot write output: ");
  if (!write_all(fd, data)) fail("cannot write output: ");
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    throw Error(path_arg, std::string("cannot write output: ") + std::strerror(err), kExitOutputError);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    throw Error(path_arg, std::string("cannot write output: ") + std::strerror(err), kExitOutputError);
  }
  return true;
}

std::string make_depfile(const std::string& target, const std::vector<std::string>& deps) {
  auto escape = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == ' ' || c == '#' || c == '\\') out += '\\';
      if (c == '$') out += '$';
      out += c;
    }
    return out;
  };
  std::string out = escape(target) + ":";
  for (const auto& d : deps) out += " \\\n  " + escape(d);
  out += "\n";
  return out;
}

}  // namespace relconv
