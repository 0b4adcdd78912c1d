// The table of backends. Adding a format: a folder in backends/ that defines
// `const Backend& relconv::<name>::backend()`, and one line in the table below.
//
// The backends with big libraries (EPUB and PDF) are reached through
// `relconv_backend_<name>()`. A program linking relconv_core has it built in; the relconv
// program does not, and loads the module relconv-<name>.so (io/modules.h) the first time
// it renders that format, so converting to text or man never loads libzip or libharu.
// Their names, extensions and descriptions are written here so that --list-formats and
// choosing a format by extension load nothing (tests/unit/test_model.cpp checks they
// match).
#include "backend/backend.h"

#include <memory>
#include <mutex>

#include "diag/diag.h"
#include "io/modules.h"

extern "C" {
const relconv::Backend* relconv_backend_epub() __attribute__((weak));
const relconv::Backend* relconv_backend_pdf() __attribute__((weak));
}

namespace relconv {
namespace text { const Backend& backend(); }
namespace man { const Backend& backend(); }
namespace tree { const Backend& backend(); }

namespace {

using Entry = const Backend* (*)();

class ModuleBackend : public Backend {
 public:
  ModuleBackend(const char* name, std::vector<std::string> extensions, const char* description)
      : name_(name), extensions_(std::move(extensions)), description_(description) {}
  const char* name() const override { return name_; }
  std::vector<std::string> extensions() const override { return extensions_; }
  const char* description() const override { return description_; }
  bool binary() const override { return true; }
  std::string extension_for(const Document& doc) const override { return real().extension_for(doc); }
  void render(const RenderContext& ctx, std::string& out) const override { real().render(ctx, out); }

 private:
  // Loads the module once (on whichever thread asks first). Throws relconv::Error.
  const Backend& real() const {
    std::call_once(once_, [this] {
      try {
        loaded_ = reinterpret_cast<Entry>(load_module(name_, std::string("relconv_backend_") + name_))();
        if (!loaded_) error_ = std::string("relconv's ") + name_ + " module has no backend";
      } catch (const Error& e) {
        error_ = e.diagnostic().message;
      }
    });
    if (!loaded_) throw Error("", error_, kExitInternalError);
    return *loaded_;
  }

  const char* name_;
  std::vector<std::string> extensions_;
  const char* description_;
  mutable std::once_flag once_;
  mutable const Backend* loaded_ = nullptr;
  mutable std::string error_;
};

// The stand-ins, one per module backend; they load their module on first use.
const std::vector<std::unique_ptr<ModuleBackend>>& stand_ins() {
  static const auto table = [] {
    std::vector<std::unique_ptr<ModuleBackend>> t;
    t.push_back(std::make_unique<ModuleBackend>("epub", std::vector<std::string>{".epub"},
                                                "EPUB 3 e-book (one file, passes epubcheck)"));
    t.push_back(std::make_unique<ModuleBackend>(
        "pdf", std::vector<std::string>{".pdf"}, "PDF, typeset with embedded fonts, outline and links (libharu)"));
    return t;
  }();
  return table;
}

}  // namespace

std::vector<const Backend*> module_stand_ins() {
  std::vector<const Backend*> out;
  for (const auto& b : stand_ins()) out.push_back(b.get());
  return out;
}

const std::vector<const Backend*>& backends() {
  static const std::vector<const Backend*> table = {
      &text::backend(),
      &tree::backend(),
      &man::backend(),
      relconv_backend_epub ? relconv_backend_epub() : stand_ins()[0].get(),
      relconv_backend_pdf ? relconv_backend_pdf() : stand_ins()[1].get(),
  };
  return table;
}

const Backend* find_backend(const std::string& name) {
  for (const Backend* b : backends()) {
    if (name == b->name()) return b;
    for (const auto& alias : b->aliases())
      if (name == alias) return b;
  }
  return nullptr;
}

const Backend* backend_for_extension(const std::string& extension) {
  for (const Backend* b : backends())
    for (const auto& ext : b->extensions())
      if (extension == ext) return b;
  return nullptr;
}

}  // namespace relconv
