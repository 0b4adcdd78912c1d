#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <set>
#include <string_view>

#include "diag/diag.h"

namespace relconv::cli {

bool CommandLine::operator==(const CommandLine& o) const {
  auto fields = [](const CommandLine& c) {
    return std::tie(c.inputs, c.to, c.output, c.out_dir, c.metadata_file, c.style, c.depfile, c.order, c.metadata,
                    c.resource_paths, c.tags, c.columns, c.toc_depth, c.jobs, c.max_nesting, c.max_table_columns,
                    c.max_input_mb, c.list_formats, c.include_drafts, c.fail_on_warning, c.quiet, c.toc, c.if_changed);
  };
  return fields(*this) == fields(o);
}

namespace {

// An option: its names as CLI11 takes them ("-t,--to") and how it is added.
struct Spec {
  const char* names;
  void (*add)(CLI::App&, const char* names, CommandLine&);
};

// In the order --help lists them.
const Spec kSpecs[] = {
    {"-t,--to",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.to, "Output format: txt (plain), man, epub, pdf, tree; a comma list with --out-dir")
           ->type_name("FORMAT");
     }},
    {"-o,--output",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.output,
                      "Output file ('-' for standard output); its extension picks the format when --to is not "
                      "given")
           ->type_name("FILE");
     }},
    {"--out-dir",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.out_dir, "Batch mode: convert each input on its own into DIR, mirroring the input folders")
           ->type_name("DIR");
     }},
    {"-M,--metadata",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.metadata, "Set a metadata key (a YAML value), e.g. -M title='My book' -M tags=[a,b]")
           ->type_name("KEY=VALUE")
           ->allow_extra_args(false);
     }},
    {"--metadata-file",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.metadata_file, "Read book metadata from a YAML file")->type_name("FILE");
     }},
    {"--columns",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.columns, "Wrap plain text at this many columns (default 72)")->check(CLI::Range(20, 1000));
     }},
    {"--toc", [](CLI::App& app, const char* n,
                 CommandLine& c) { app.add_flag(n, c.toc, "Add a table of contents (PDF; EPUB always has one)"); }},
    {"--toc-depth",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.toc_depth, "Heading levels in tables of contents (default 2)")->check(CLI::Range(1, 6));
     }},
    {"--style",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.style, "Use this style instead of the default (CSS for EPUB, YAML for PDF)")
           ->type_name("FILE");
     }},
    {"--resource-path",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.resource_paths, "Also allow images from this folder (repeatable)")
           ->type_name("DIR")
           ->allow_extra_args(false);
     }},
    {"--order",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.order, "Chapter order of a book: auto (by date if all posts are dated), date, title, input")
           ->check(CLI::IsMember({"auto", "date", "title", "input"}));
     }},
    {"--include-drafts",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_flag(n, c.include_drafts, "Keep posts marked 'published: false' in books");
     }},
    {"--tag",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.tags, "Keep only posts with this tag in books (repeatable)")
           ->type_name("TAG")
           ->allow_extra_args(false);
     }},
    {"-j,--jobs",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.jobs,
                      "Conversions at once in batch mode, documents parsed at once for a book (default: every core "
                      "relconv may use)")
           ->check(CLI::Range(1, 1024));
     }},
    {"--depfile",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.depfile, "Write a Make/Ninja depfile listing what the output was made from")
           ->type_name("FILE");
     }},
    {"--if-changed",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_flag(n, c.if_changed, "Leave outputs whose bytes would not change untouched");
     }},
    {"--fail-on-warning",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_flag(n, c.fail_on_warning, "Treat warnings as errors (exit code 4, no output)");
     }},
    {"-q,--quiet", [](CLI::App& app, const char* n, CommandLine& c) { app.add_flag(n, c.quiet, "Print errors only"); }},
    {"--max-input-size",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.max_input_mb, "Refuse inputs larger than this many MiB (default 64)")
           ->check(CLI::Range(1, 4096));
     }},
    {"--max-nesting",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.max_nesting, "Flatten lists and quotes nested deeper than this (default 64)")
           ->check(CLI::Range(1, 1000));
     }},
    {"--max-table-columns",
     [](CLI::App& app, const char* n, CommandLine& c) {
       app.add_option(n, c.max_table_columns, "Show table rows with more cells than this as text (default 1000)")
           ->check(CLI::Range(1, 100000));
     }},
    {"--list-formats", [](CLI::App& app, const char* n,
                          CommandLine& c) { app.add_flag(n, c.list_formats, "List the output formats and exit"); }},
};

// The option names the arguments can stand for, as CLI11 reads them: "--name" and
// "--name=value" name "--name"; "-x", "-xVALUE" and "-xyz" (flags run together) name "-x"
// for every letter x in them. More than CLI11 will take (a value's letters) is harmless.
std::set<std::string, std::less<>> named(int argc, const char* const* argv) {
  std::set<std::string, std::less<>> names;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      names.emplace(arg.substr(0, arg.find('=')));
    } else if (arg.size() >= 2 && arg[0] == '-') {
      for (char c : arg.substr(1)) names.insert(std::string{'-', c});
    }
  }
  return names;
}

bool any_named(const std::set<std::string, std::less<>>& names, std::string_view spec) {
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    if (names.count(spec.substr(0, comma))) return true;
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

int parse_command_line(int argc, const char* const* argv, CommandLine& cl, std::ostream& out, std::ostream& err,
                       bool every_option) {
  CLI::App app{
      "relconv converts Markdown documents with YAML front matter into EPUB 3, PDF, man pages and "
      "plain text.\nSeveral inputs with one output make a book; --out-dir converts each input "
      "on its own.",
      "relconv"};
  const auto names = named(argc, argv);
  every_option = every_option || names.count("-h") || names.count("--help");
  if (every_option || names.count("--version"))
    app.set_version_flag("--version", std::string("relconv ") + RELCONV_VERSION);
  app.add_option("inputs", cl.inputs,
                 "Markdown files to convert ('-' reads standard input); with --out-dir, folders are searched for *.md")
      ->type_name("INPUT...");
  for (const Spec& spec : kSpecs)
    if (every_option || any_named(names, spec.names)) spec.add(app, spec.names, cl);
  if (every_option) {
    app.get_formatter()->column_width(32);
    app.footer(
        "Exit codes: 0 success, 1 an input could not be converted, 2 usage error, 3 an output could not be "
        "written, 4 warnings with --fail-on-warning, 70 internal error.\nSee relconv(1).");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "relconv: error: " << e.what() << "\nTry 'relconv --help' for more information.\n";
    return kExitUsageError;
  }
  return -1;
}

}  // namespace relconv::cli
