#include "io/modules.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <vector>

#include "diag/diag.h"
#include "io/resources.h"

namespace relconv {

namespace {

std::vector<std::string> module_dirs() {
  std::vector<std::string> dirs;
  if (std::string bin = program_dir(); !bin.empty()) dirs.push_back(bin + "/../" RELCONV_INSTALLED_MODULES_SUBDIR);
  dirs.push_back(RELCONV_MODULES_DIR);
  dirs.push_back(RELCONV_INSTALLED_MODULES_DIR);
  return dirs;
}

}  // namespace

void* load_module(const std::string& name, const std::string& symbol) {
  const std::string file = "relconv-" + name + ".so";
  for (const auto& dir : module_dirs()) {
    const std::string path = dir + "/" + file;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw Error("", "cannot load " + path + ": " + dlerror(), kExitInternalError);
    void* address = dlsym(handle, symbol.c_str());
    if (!address) throw Error("", path + " is not relconv's " + name + " module", kExitInternalError);
    return address;
  }
  throw Error("",
              "relconv's " + name + " module is not installed: " + file +
                  " is neither in relconv's library folder nor in " RELCONV_INSTALLED_MODULES_DIR,
              kExitInternalError);
}

}  // namespace relconv
