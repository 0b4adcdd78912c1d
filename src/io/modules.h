// Modules: the parts of relconv that need big libraries (EPUB: libzip; PDF: libharu and
// friends; raw HTML and SVG images: libxml2 with ICU), built as shared objects that the
// relconv program loads the first time it needs them. Loading those libraries costs more
// than converting a typical post to text or man (bench/README.md). A program linking
// relconv_core has them all built in and never loads a module.
#pragma once

#include <string>

namespace relconv {

// Loads relconv-<name>.so and returns the address of `symbol` in it. Looks beside an
// installed program (<bin>/../lib/relconv), then in the build folder, then in the
// installed library folder. Throws relconv::Error (kExitInternalError) when the module is
// missing, cannot be loaded, or lacks `symbol`.
void* load_module(const std::string& name, const std::string& symbol);

}  // namespace relconv
