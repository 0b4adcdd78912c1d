// Loading the files a document refers to (images, styles, fonts) under one policy.
//
// A relative image path resolves against its chapter's folder. A path that leaves that
// folder (through "..", an absolute path or a symlink) is refused unless it lies under a
// folder the user allowed with --resource-path. Remote URLs are never fetched. Every file
// read is recorded, so --depfile can list what an output was made from.
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diag/diag.h"
#include "doc/model.h"

namespace relconv {

struct Resource {
  std::string path;       // the file's path as read (resolved, for depfiles)
  std::string name;       // a stable, safe name for packaging ("image-1.png")
  std::string media_type; // sniffed from the bytes: "image/png", "image/jpeg", ...
  std::string data;
};

enum class ResourceStatus { Ok, Remote, Missing, Refused, Unreadable, TooLarge };

struct ResourceResult {
  ResourceStatus status = ResourceStatus::Missing;
  Resource resource;  // when Ok
};

class ResourceLoader {
 public:
  // `allowed_roots`: extra folders (from --resource-path) that may be read from.
  explicit ResourceLoader(std::vector<std::string> allowed_roots = {},
                          size_t max_bytes = 64u << 20);

  // Loads an image referenced at `pos` in `chapter`. Warns in `diag` when the image
  // cannot be used (remote, missing, refused, unreadable) and says what will be shown.
  ResourceResult load_image(const Chapter& chapter, const std::string& url,
                            const SourcePos& pos, Diagnostics& diag);

  // Reads a file the user named directly (style, font): no folder policy, but recorded.
  std::optional<std::string> read_file(const std::string& path);
  // Records a file an output depends on without reading it (a font libharu loads).
  void depend(const std::string& path);

  // Every file read or recorded, sorted.
  std::vector<std::string> dependencies() const;

 private:
  std::vector<std::string> roots_;
  size_t max_bytes_;
  mutable std::mutex mutex_;
  std::set<std::string> deps_;
};

// The path of one of relconv's default style files ("epub.css", "pdf.yaml"), or "" when
// none is found. Looked for beside the program first (<bin>/../share/relconv/styles, so an
// installed relconv finds its own copy wherever it was installed), then in the source
// tree of a build, then under the configured install prefix.
std::string find_default_style(const std::string& file);
// The folder the running program is in (from /proc/self/exe), or "" when unknown.
std::string program_dir();

// "%20" and the like decoded into bytes (invalid escapes are kept as written).
std::string percent_decode(const std::string& s);

// True for URLs with a scheme (http:, https:, data:, mailto:, ...) or a network path (//).
bool is_remote_url(const std::string& url);
// The media type of image bytes by their signature, or "" when not an image we know.
std::string sniff_image_type(const std::string& data);

}  // namespace relconv
