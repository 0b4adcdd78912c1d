// `--to tree`: the model as an indented dump, for tests and debugging.
#include "backend/backend.h"
#include "doc/dump.h"

namespace relconv::tree {

namespace {
class TreeBackend final : public Backend {
 public:
  const char* name() const override { return "tree"; }
  std::vector<std::string> extensions() const override { return {".tree"}; }
  const char* description() const override { return "the document model as an indented tree (for debugging)"; }
  void render(const RenderContext& ctx, std::string& out) const override { out = dump(ctx.doc); }
};
}  // namespace

const Backend& backend() {
  static const TreeBackend instance;
  return instance;
}

}  // namespace relconv::tree
