// Batch mode: many inputs to many outputs (`relconv --to pdf,epub --out-dir DIR INPUTS`).
//
// Folders are walked for Markdown files; each input is parsed once and rendered to every
// format; outputs mirror the input layout under the output folder. Work is spread over
// threads; each input's messages are printed together, in input order, and a broken
// input does not stop the others. The bytes written are the same as converting each file
// alone, whatever the number of jobs.
#pragma once

#include <string>
#include <vector>

#include "backend/backend.h"
#include "convert/convert.h"

namespace relconv {

struct BatchOptions {
  std::string out_dir;
  std::vector<const Backend*> formats;
  int jobs = 0;  // 0: one per core
  bool quiet = false;
  bool fail_on_warning = false;
  WriteOptions write;
};

struct BatchInput {
  std::string path;      // the file to read
  std::string relative;  // its place under the output folder, without extension
};

// Expands files and folders into the inputs of a batch, sorted, each with its output stem.
std::vector<BatchInput> collect_inputs(const std::vector<std::string>& inputs, Diagnostics& diag);

// Runs the batch and returns the exit code (kExitOk, or the first failure's code).
int run_batch(const std::vector<std::string>& inputs, const ConvertOptions& options, const BatchOptions& batch);

}  // namespace relconv
