#include "diag/diag.h"

namespace relconv {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) {
    out += d.file;
    if (d.line > 0) {
      out += ':' + std::to_string(d.line);
      if (d.col > 0) out += ':' + std::to_string(d.col);
    }
    out += ": ";
  }
  out += d.severity == Severity::Error ? "error: " : "warning: ";
  out += d.message;
  return out;
}

static Diagnostic make(Severity s, const SourcePos& pos, std::string message) {
  Diagnostic d;
  d.severity = s;
  if (pos.file) d.file = *pos.file;
  d.line = pos.line;
  d.col = pos.col;
  d.message = std::move(message);
  return d;
}

void Diagnostics::add(Diagnostic d) {
  (d.severity == Severity::Error ? errors_ : warnings_)++;
  items_.push_back(std::move(d));
}

void Diagnostics::warning(const SourcePos& pos, std::string message) {
  add(make(Severity::Warning, pos, std::move(message)));
}

void Diagnostics::warning(std::string file, uint32_t line, uint32_t col, std::string message) {
  add(Diagnostic{Severity::Warning, std::move(file), line, col, std::move(message)});
}

void Diagnostics::error(const SourcePos& pos, std::string message) {
  add(make(Severity::Error, pos, std::move(message)));
}

void Diagnostics::error(std::string file, uint32_t line, uint32_t col, std::string message) {
  add(Diagnostic{Severity::Error, std::move(file), line, col, std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.items_) add(d);
}

void Diagnostics::clear() {
  items_.clear();
  warnings_ = errors_ = 0;
}

Error::Error(Diagnostic d, int exit_code)
    : std::runtime_error(format_diagnostic(d)), diag_(std::move(d)), exit_code_(exit_code) {}

Error::Error(const SourcePos& pos, const std::string& message, int exit_code)
    : Error(make(Severity::Error, pos, message), exit_code) {}

Error::Error(const std::string& file, const std::string& message, int exit_code)
    : Error(Diagnostic{Severity::Error, file, 0, 0, message}, exit_code) {}

}  // namespace relconv
