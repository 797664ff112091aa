// The include rules of README.md ("Code map"): each folder may include only
// the folders below it, and the lower layers use no reader, writer or
// console library. A forbidden include fails with its file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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
