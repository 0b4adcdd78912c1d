// The table of backends. Adding a format: a folder in backends/ that defines
// `const Backend& relconv::<name>::backend()`, and one line in the table below.
#include "backend/backend.h"

namespace relconv {
namespace epub { const Backend& backend(); }
namespace text { const Backend& backend(); }
namespace man { const Backend& backend(); }
namespace tree { const Backend& backend(); }
namespace pdf { const Backend& backend(); }

const std::vector<const Backend*>& backends() {
  static const std::vector<const Backend*> table = {
      &text::backend(),
      &tree::backend(),
      &man::backend(),
      &epub::backend(),
      &pdf::backend(),
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
