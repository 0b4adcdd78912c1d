// Uses relconv as a library: parse a file, render it as plain text, print it.
#include <iostream>

#include "relconv.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  relconv::Diagnostics diag;
  relconv::ConvertOptions options;
  try {
    relconv::Document doc = relconv::load_document({argv[1]}, options, diag);
    relconv::ResourceLoader resources(options.resource_paths);
    std::cout << relconv::render(*relconv::find_backend("txt"), doc, options.render, diag, resources);
  } catch (const relconv::Error& e) {
    std::cerr << e.what() << '\n';
    return e.exit_code();
  }
  return 0;
}
