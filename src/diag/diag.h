// Diagnostics: warnings and errors with a source position, printed the way compilers
// print them (`file:line:col: warning: message`) so editors and build tools can jump to
// them. One Diagnostics object collects what one conversion says; the caller prints it.
// Errors that stop a conversion are thrown as relconv::Error.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "doc/model.h"

namespace relconv {

// The process exit codes, documented in the README and in relconv(1).
enum ExitCode : int {
  kExitOk = 0,
  kExitInputError = 1,     // an input could not be read or converted (bad front matter, ...)
  kExitUsageError = 2,     // the command line is wrong
  kExitOutputError = 3,    // an output could not be written
  kExitWarningsFailed = 4, // --fail-on-warning and there were warnings
  kExitInternalError = 70, // a bug in relconv (EX_SOFTWARE)
};

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Warning;
  std::string file;  // empty when not about a file
  uint32_t line = 0;  // 0 when not known
  uint32_t col = 0;
  std::string message;
};

// "file:line:col: warning: message" (parts that are unknown are left out).
std::string format_diagnostic(const Diagnostic& d);

class Diagnostics {
 public:
  void warning(const SourcePos& pos, std::string message);
  void warning(std::string file, uint32_t line, uint32_t col, std::string message);
  void error(const SourcePos& pos, std::string message);
  void error(std::string file, uint32_t line, uint32_t col, std::string message);
  void add(Diagnostic d);
  void append(const Diagnostics& other);

  const std::vector<Diagnostic>& all() const { return items_; }
  size_t warning_count() const { return warnings_; }
  size_t error_count() const { return errors_; }
  void clear();

 private:
  std::vector<Diagnostic> items_;
  size_t warnings_ = 0;
  size_t errors_ = 0;
};

// An error that stops a conversion. Carries its diagnostic and the exit code it maps to.
class Error : public std::runtime_error {
 public:
  Error(Diagnostic d, int exit_code = kExitInputError);
  Error(const SourcePos& pos, const std::string& message, int exit_code = kExitInputError);
  Error(const std::string& file, const std::string& message, int exit_code = kExitInputError);
  const Diagnostic& diagnostic() const { return diag_; }
  int exit_code() const { return exit_code_; }

 private:
  Diagnostic diag_;
  int exit_code_;
};

}  // namespace relconv
