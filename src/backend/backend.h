// The backend interface: a backend turns a Document into the bytes of one output format.
//
// A backend sees nothing but the model (and, through RenderContext, the options, the
// diagnostics sink and the resource loader for images, styles and fonts). Backends are
// stateless singletons: render() may run on several threads at once for different
// documents. Adding a backend is a folder in backends/ and one line in registry.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diag/diag.h"
#include "doc/model.h"
#include "io/resources.h"

namespace relconv {

struct RenderOptions {
  int columns = 72;          // text: wrap width in display columns
  bool toc = false;          // add a table of contents where the format has one
  int toc_depth = 2;         // heading levels in tables of contents
  std::string style_path;    // --style: replaces the backend's default style
  int64_t source_date_epoch = -1;  // SOURCE_DATE_EPOCH, or -1 when unset
  int jobs = 1;              // threads a backend may use (EPUB deflates its entries on them, PDF its streams and images)
};

struct RenderContext {
  const Document& doc;
  const RenderOptions& options;
  Diagnostics& diag;
  ResourceLoader& resources;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // The format's name on the command line ("txt", "man", "epub", "pdf").
  virtual const char* name() const = 0;
  // Other names accepted for it ("plain").
  virtual std::vector<std::string> aliases() const { return {}; }
  // File name endings this backend writes, with the dot; the first is the default.
  virtual std::vector<std::string> extensions() const = 0;
  // The ending to use for this document (man pages take their section: ".1", ".7").
  virtual std::string extension_for(const Document&) const { return extensions().front(); }
  virtual const char* description() const = 0;
  // Whether the output is binary (never written to a terminal).
  virtual bool binary() const { return false; }
  // Renders the document into `out`. Problems in the content are warnings in ctx.diag;
  // a failure that leaves no usable output throws relconv::Error.
  virtual void render(const RenderContext& ctx, std::string& out) const = 0;
};

// Every backend, in the order --list-formats prints them.
const std::vector<const Backend*>& backends();
// The backend named `name` (or one of its aliases), or nullptr.
const Backend* find_backend(const std::string& name);
// The backend that writes files ending in `extension` (".pdf", ".7"), or nullptr.
const Backend* backend_for_extension(const std::string& extension);
// What the relconv program uses for the backends it loads as modules (EPUB, PDF): their
// names, extensions and descriptions, written in the registry; the module is loaded when
// one renders. Listed here so that tests can compare them with the backends themselves.
std::vector<const Backend*> module_stand_ins();

}  // namespace relconv
