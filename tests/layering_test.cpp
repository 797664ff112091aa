// The include rules of README.md ("Code map"): each folder may include only
// the folders below it, and the lower layers use no reader, writer or
// console library. A forbidden include fails with its file and line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Layer of a project path ("sim/engine/engine.h" -> "engine", "models/x.h" -> "models").
std::string layer_of(const std::string& path) {
  if (path.rfind("models/", 0) == 0) return "models";
  if (path.rfind("sim/", 0) == 0) {
    const auto slash = path.find('/', 4);
    return slash == std::string::npos ? "sim" : path.substr(4, slash - 4);
  }
  return "";
}

// What each layer may include (itself included), lowest first.
const std::map<std::string, std::set<std::string>>& allowed() {
  static const std::map<std::string, std::set<std::string>> rules = [] {
    const std::vector<std::string> order = {"core", "io", "models", "engine", "scenario",
                                            "ensemble", "output", "batch", "analysis", "cli"};
    std::map<std::string, std::set<std::string>> r;
    r["core"] = {"core"};
    r["io"] = {"core", "io"};
    r["models"] = {"core", "models"};
    r["engine"] = {"core", "models", "engine"};
    for (std::size_t k = 4; k < order.size(); ++k) r[order[k]] = std::set<std::string>(order.begin(), order.begin() + k + 1);
    return r;
  }();
  return rules;
}

// Third-party headers the compute layers must not see: readers, writers,
// the console, MPI.
const std::vector<std::string> kReaderHeaders = {"nlohmann/", "yaml-cpp/", "netcdf", "mpi.h", "spdlog/", "iostream",
                                                 "fstream"};

struct Violation {
  std::string where, what;
};

std::vector<Violation> scan() {
  std::vector<Violation> out;
  const fs::path root = MFGSIM_SOURCE_DIR;
  const std::regex include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  for (const char* top : {"sim", "models"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      const std::string layer = layer_of(rel);
      const auto rule = allowed().find(layer);
      if (rule == allowed().end()) {
        out.push_back({rel, "is in no layer folder (sim/<layer>/ or models/)"});
        continue;
      }
      const bool compute = layer == "core" || layer == "models" || layer == "engine";
      std::ifstream in(entry.path());
      std::string line;
      for (int number = 1; std::getline(in, line); ++number) {
        std::smatch m;
        if (!std::regex_search(line, m, include)) continue;
        const std::string target = m[2];
        const std::string where = rel + ":" + std::to_string(number);
        if (m[1] == "\"") {
          const std::string to = layer_of(target);
          if (to.empty()) continue;  // not a project header
          if (!rule->second.count(to))
            out.push_back({where, "layer `" + layer + "` includes `" + target + "` of layer `" + to + "`"});
        } else if (compute) {
          for (const std::string& banned : kReaderHeaders)
            if (target.rfind(banned, 0) == 0)
              out.push_back({where, "layer `" + layer + "` includes <" + target + ">: reading, writing and the console belong above the engine"});
        }
      }
    }
  }
  return out;
}

TEST(Layering, EveryIncludeGoesDownward) {
  const std::vector<Violation> violations = scan();
  for (const Violation& v : violations) ADD_FAILURE() << v.where << ": " << v.what;
  EXPECT_TRUE(violations.empty());
}

// ---- the library never prints, logs to the console or exits ---------------

// `text` with comments and string and character literals blanked (kept
// newlines, so line numbers stay): what remains is code.
std::string code_only(const std::string& text) {
  std::string out = text;
  enum { code, line_comment, block_comment, string, character, raw } state = code;
  std::string raw_end;  // )delimiter" of a raw string
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k], next = k + 1 < text.size() ? text[k + 1] : '\0';
    switch (state) {
      case code:
        if (c == '/' && next == '/') state = line_comment;
        else if (c == '/' && next == '*') state = block_comment, out[k + 1] = ' ', ++k;
        else if (c == 'R' && next == '"' && (k == 0 || !(std::isalnum(static_cast<unsigned char>(text[k - 1])) || text[k - 1] == '_'))) {
          const std::size_t open = text.find('(', k + 2);
          raw_end = ")" + text.substr(k + 2, open - k - 2) + "\"";
          state = raw;
          k = open;
          continue;
        } else if (c == '"') state = string;
        else if (c == '\'' && !(k > 0 && std::isxdigit(static_cast<unsigned char>(text[k - 1])))) state = character;  // not 1'000
        else continue;
        if (state != code) out[k] = ' ';
        continue;
      case line_comment:
        if (c == '\n') state = code;
        break;
      case block_comment:
        if (c == '*' && next == '/') state = code, out[k + 1] = ' ', ++k;
        break;
      case string:
      case character:
        if (c == '\\') out[k] = ' ', ++k;
        else if ((state == string && c == '"') || (state == character && c == '\'')) state = code;
        break;
      case raw:
        if (text.compare(k, raw_end.size(), raw_end) == 0) {
          k += raw_end.size() - 1;
          state = code;
          continue;
        }
        break;
    }
    if (k < out.size() && out[k] != '\n') out[k] = ' ';
  }
  return out;
}

// Printing, console logging and exiting, as code (not in comments or strings).
const std::regex& console_or_exit() {
  static const std::regex pattern(
      R"(std::cout|std::cerr|std::clog|\bspdlog::|(^|[^\w])(std::)?f?printf\s*\(|(^|[^\w])(std::)?(exit|_Exit|quick_exit|abort)\s*\()");
  return pattern;
}

// Each use of console_or_exit() in `text`, as "<file>:<line>: <the line>".
std::vector<std::string> console_uses(const std::string& file, const std::string& text) {
  std::vector<std::string> found;
  const std::string code = code_only(text);
  std::size_t begin = 0;
  for (int number = 1; begin <= code.size(); ++number) {
    const std::size_t end = std::min(code.find('\n', begin), code.size());
    if (std::regex_search(code.begin() + static_cast<std::ptrdiff_t>(begin), code.begin() + static_cast<std::ptrdiff_t>(end),
                          console_or_exit())) {
      std::string line = text.substr(begin, end - begin);
      line.erase(0, line.find_first_not_of(" \t"));
      found.push_back(file + ":" + std::to_string(number) + ": " + line);
    }
    begin = end + 1;
  }
  return found;
}

TEST(Layering, OnlyTheCommandLinePrintsOrExits) {
  const fs::path root = MFGSIM_SOURCE_DIR;
  std::vector<std::string> found;
  for (const char* top : {"sim", "models"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string ext = entry.path().extension().string();
      const std::string rel = fs::relative(entry.path(), root).generic_string();
      if ((ext != ".h" && ext != ".cpp") || rel.rfind("sim/cli/", 0) == 0) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (const std::string& use : console_uses(rel, text)) found.push_back(use);
    }
  }
  for (const std::string& use : found)
    ADD_FAILURE() << use << "\n  the library returns values and takes callbacks (sim/core/progress.h); only sim/cli/ prints or exits";
  EXPECT_TRUE(found.empty());
}

TEST(Layering, ThePrintCheckSeesCodeNotComments) {
  const std::string text =
      "// std::cout << x;  spdlog::info\n"
      "/* std::exit(1);\n"
      "   abort(); */ int a = 1'000;\n"
      "const char* s = \"std::cerr printf(\";\n"
      "std::snprintf(b, 4, \"%d\", 1); vsnprintf(b, 4, f, v); mpi_abort(2); x.exit_code(); on_exit(f);\n"
      "auto r = R\"(std::exit(1))\";\n"
      "  std::cerr << 1;  // printing\n"
      "if (x) exit(3);\n"
      "spdlog::warn(\"w\");\n"
      "std::fprintf(stderr, \"%s\", t);\n";
  const std::vector<std::string> found = console_uses("f.cpp", text);
  ASSERT_EQ(found.size(), 4u) << ::testing::PrintToString(found);
  EXPECT_EQ(found[0], "f.cpp:7: std::cerr << 1;  // printing");
  EXPECT_EQ(found[1], "f.cpp:8: if (x) exit(3);");
  EXPECT_EQ(found[2].rfind("f.cpp:9: ", 0), 0u);
  EXPECT_EQ(found[3].rfind("f.cpp:10: ", 0), 0u);
}

TEST(Layering, TheRuleIsEnforced) {
  // The checker itself: an engine header including a reader is refused.
  const auto& rules = allowed();
  EXPECT_FALSE(rules.at("engine").count("scenario"));
  EXPECT_FALSE(rules.at("models").count("engine"));
  EXPECT_FALSE(rules.at("core").count("io"));
  EXPECT_TRUE(rules.at("cli").count("core"));
  EXPECT_EQ(layer_of("sim/engine/engine.h"), "engine");
  EXPECT_EQ(layer_of("models/block.h"), "models");
}

}  // namespace
