// Golden regression cases: every folder tests/golden/<case>/ is one case,
// run through the built CLI (MFGSIM_BINARY) from the repository root
// (MFGSIM_SOURCE_DIR) and compared with the digest in <case>/expected.txt.
//
// A case folder holds (tests/golden/README.md has the details):
//   args          the command line after `mfgsim`, e.g.
//                 `run scenarios/baseline.yaml --deterministic --out {out}`;
//                 {case} is the case folder (tests/golden/<case>, relative to
//                 the repository root), {out} a fresh output folder. Lines
//                 starting with '#' are comments.
//   *.yaml        the case's own scenario or batch file, if any.
//   keep          optional: `<file> <regex>` lines; the lines of that output
//                 file matching the regex are kept as text in the digest
//                 (default: summary.csv's aggregate rows of 2023-06 and 2030-12).
//   expected.txt  the digest (generated, never edited by hand).
//
// The digest is text, one fact a line, so that a change shows which file,
// which series and which headline numbers moved: the exit code, stdout and
// stderr (output folder replaced by {out}); per output file its SHA-256;
// per CSV file one short digest per (scenario, sector, variable) group and
// the kept lines as text (small CSVs whole); per JSON file one line per
// top-level key. Left out as run-to-run noise: the JSON keys `execution`,
// `started_utc`, `wall_seconds` and `threads` (timings, host, thread count);
// everything else in manifest.json is digested.
//
// REGENERATE after an intended change of the numbers:
//   MFGSIM_REGENERATE_GOLDEN=1 ./build/tests/mfgsim_tests --gtest_filter='*Golden*'
// then review `git diff tests/golden` before committing. Regenerating runs
// each case twice and refuses to write a digest the two runs disagree on.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "sim/io/hashing.h"
#include "tests/cli/cli_support.h"

namespace mfgsim {
namespace {

using namespace cli_harness;

const fs::path kGoldenDir = fs::path(kSource) / "tests" / "golden";
// Keys of any JSON output whose values change from run to run.
const std::set<std::string> kVolatileJsonKeys = {"execution", "started_utc", "wall_seconds", "threads"};
// Default kept lines: summary.csv's aggregate rows (empty sector) at the two headline months.
const char* kDefaultKeep = "summary.csv ^[^,]*,(2023-06|2030-12),,";
constexpr std::size_t kWholeCsvLines = 40;  // CSVs up to this many lines are kept whole
constexpr int kDiffLines = 40;              // differing lines shown on failure

bool regenerating() {
  const char* flag = std::getenv("MFGSIM_REGENERATE_GOLDEN");
  return flag != nullptr && std::string(flag) == "1";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string short_digest(const std::string& bytes) { return sha256_hex(bytes).substr(0, 16); }

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kGoldenDir, ec))
    if (entry.is_directory() && fs::exists(entry.path() / "args")) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The args file as one line of shell words.
std::string args_of(const fs::path& folder) {
  std::string args;
  for (const std::string& line : lines_of(read_file(folder / "args")))
    if (!line.empty() && line[0] != '#') args += (args.empty() ? "" : " ") + line;
  return args;
}

struct KeepRule {
  std::string file;
  std::regex pattern;
};

std::vector<KeepRule> keep_rules(const fs::path& folder) {
  std::vector<std::string> lines = {kDefaultKeep};
  if (fs::exists(folder / "keep")) lines = lines_of(read_file(folder / "keep"));
  std::vector<KeepRule> rules;
  for (const std::string& line : lines) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t space = line.find(' ');
    rules.push_back({line.substr(0, space), std::regex(line.substr(space + 1))});
  }
  return rules;
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

void digest_csv(const std::string& name, const std::string& text, const std::vector<KeepRule>& rules,
                std::string& out) {
  const std::vector<std::string> lines = lines_of(text);
  if (lines.size() <= kWholeCsvLines) {
    for (const std::string& line : lines) out += name + " | " + line + "\n";
    return;
  }
  // One digest per (scenario, sector, variable) group, in order of appearance.
  const std::vector<std::string> header = split_csv(lines[0]);
  std::vector<std::size_t> key_columns;
  for (std::size_t k = 0; k < header.size(); ++k)
    if (header[k] == "scenario" || header[k] == "sector" || header[k] == "variable") key_columns.push_back(k);
  std::vector<std::string> order;
  std::map<std::string, std::pair<std::string, int>> groups;  // key -> (rows, count)
  for (std::size_t n = 1; n < lines.size(); ++n) {
    const std::vector<std::string> fields = split_csv(lines[n]);
    std::string key;
    for (std::size_t k : key_columns) key += (key.empty() ? "" : ",") + (k < fields.size() ? fields[k] : "");
    auto [it, added] = groups.try_emplace(key);
    if (added) order.push_back(key);
    it->second.first += lines[n] + "\n";
    ++it->second.second;
  }
  out += name + " | " + lines[0] + "\n";
  for (const std::string& key : order)
    out += name + " group " + key + " " + short_digest(groups[key].first) + " (" + std::to_string(groups[key].second) +
           " rows)\n";
  for (const KeepRule& rule : rules) {
    if (rule.file != name) continue;
    for (std::size_t n = 1; n < lines.size(); ++n)
      if (std::regex_search(lines[n], rule.pattern)) out += name + " | " + lines[n] + "\n";
  }
}

// Removes the volatile keys at any depth.
void strip_volatile(nlohmann::json& value) {
  if (value.is_object()) {
    for (const std::string& key : kVolatileJsonKeys) value.erase(key);
    for (auto& [key, child] : value.items()) strip_volatile(child);
  } else if (value.is_array()) {
    for (auto& child : value) strip_volatile(child);
  }
}

void digest_json(const std::string& name, const std::string& text, std::string& out) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    out += name + " sha256 " + sha256_hex(text) + " (not JSON)\n";
    return;
  }
  strip_volatile(value);
  out += name + " sha256 " + sha256_hex(value.dump(1)) + " (without";
  for (const std::string& key : kVolatileJsonKeys) out += " " + key;
  out += ")\n";
  if (!value.is_object()) return;
  for (auto& [key, child] : value.items()) {
    const std::string dumped = child.dump();
    out += name + " ." + key + " = " + (dumped.size() <= 100 ? dumped : "sha256:" + short_digest(dumped)) + "\n";
  }
}

// Files below `dir`, relative, sorted.
std::vector<std::string> files_below(const fs::path& dir) {
  std::vector<std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), dir).generic_string());
  std::sort(files.begin(), files.end());
  return files;
}

// Runs the case once and returns its digest.
std::string run_case(const std::string& name) {
  const fs::path folder = kGoldenDir / name;
  TempDir temp;
  const std::string out_dir = temp / "out";
  const std::string case_dir = "tests/golden/" + name;
  const std::string args = replace_all(replace_all(args_of(folder), "{case}", case_dir), "{out}", out_dir);
  const Result r = cli_harness::mfgsim(args);
  std::string digest = "# golden case " + name + ": mfgsim " + args_of(folder) +
                       "\n# generated by MFGSIM_REGENERATE_GOLDEN=1 (tests/golden/README.md); do not edit by hand\n";
  digest += "exit " + std::to_string(r.code) + "\n";
  for (const auto& [stream, text] : {std::pair{"stdout", &r.out}, std::pair{"stderr", &r.err}})
    for (const std::string& line : lines_of(replace_all(*text, out_dir, "{out}"))) digest += std::string(stream) + " | " + line + "\n";
  const std::vector<KeepRule> rules = keep_rules(folder);
  for (const std::string& file : files_below(out_dir)) {
    const std::string bytes = read_file(fs::path(out_dir) / file);
    const std::string extension = fs::path(file).extension().string();
    if (extension == ".json") {
      digest_json(file, bytes, digest);
      continue;
    }
    digest += file + " sha256 " + sha256_hex(bytes) + "\n";
    if (extension == ".csv") digest_csv(file, bytes, rules, digest);
  }
  return digest;
}

std::vector<std::string> compared_lines(const std::string& text) {
  std::vector<std::string> lines;
  for (const std::string& line : lines_of(text))
    if (line.empty() || line[0] != '#') lines.push_back(line);
  return lines;
}

// Lines of `want` missing from `got` (-) and of `got` missing from `want`
// (+), in order: each line names its file, so this reads as "which file,
// which group or headline row changed".
std::string readable_diff(const std::string& want, const std::string& got, int* differing) {
  const std::vector<std::string> w = compared_lines(want), g = compared_lines(got);
  const std::multiset<std::string> w_set(w.begin(), w.end()), g_set(g.begin(), g.end());
  std::string text;
  int shown = 0;
  *differing = 0;
  for (const auto& [lines, other, sign] : {std::tuple{&w, &g_set, "  - "}, std::tuple{&g, &w_set, "  + "}})
    for (const std::string& line : *lines)
      if (other->count(line) == 0) {
        ++*differing;
        if (shown++ < kDiffLines) text += sign + line + "\n";
      }
  if (shown > kDiffLines) text += "  ... " + std::to_string(shown - kDiffLines) + " more\n";
  if (*differing == 0 && w != g) {  // same lines, other order or count
    *differing = 1;
    text += "  (the same lines in another order or number)\n";
  }
  return text;
}

class Golden : public ::testing::TestWithParam<std::string> {};

// Builds with and without AVX-512 (-march=native) differ in the last bits
// of some stochastic cases (seen on an AMD Zen 3 AVX2 machine against the
// digests of the AVX-512 machine of earlier sessions: 1 ulp in some
// quantiles and ESS values; the deterministic cases and
// baseline_ensemble_small agree). The cause is not found yet: not the Zen
// tuning's uncontracted a * b + c (a build with -mtune-ctrl=^avoid_fma_chains,
// ^avoid_fma256_chains gave the same digests here), not a member's lanes
// within one machine (tests/engine StochasticBlockSizeInvariance). A case whose digest differs without
// AVX-512 keeps it in expected.no-avx512.txt beside expected.txt (the
// AVX-512 digest); tests/golden/README.md says how to regenerate both.
#if defined(__AVX512F__)
constexpr bool kAvx512 = true;
#else
constexpr bool kAvx512 = false;
#endif

fs::path expected_file(const std::string& name) {
  const fs::path other = kGoldenDir / name / "expected.no-avx512.txt";
  if (!kAvx512 && fs::exists(other)) return other;
  return kGoldenDir / name / "expected.txt";
}

TEST_P(Golden, MatchesExpectedDigest) {
  const std::string name = GetParam();
  fs::path expected_path = expected_file(name);
  const std::string got = run_case(name);
  if (regenerating()) {
    // Without AVX-512 a digest that differs from expected.txt goes to expected.no-avx512.txt.
    if (!kAvx512 && fs::exists(kGoldenDir / name / "expected.txt") &&
        read_file(kGoldenDir / name / "expected.txt") != got)
      expected_path = kGoldenDir / name / "expected.no-avx512.txt";
    // Exactly reproducible or not written: a second run must agree.
    const std::string again = run_case(name);
    int differing = 0;
    const std::string diff = readable_diff(got, again, &differing);
    ASSERT_EQ(differing, 0) << name << ": two runs disagree (- first, + second), expected.txt not written:\n" << diff;
    std::ofstream(expected_path, std::ios::binary) << got;
    std::cout << "[ golden ] regenerated " << expected_path.string() << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path.string()
                                         << " is missing; create it with MFGSIM_REGENERATE_GOLDEN=1";
  const std::string want = read_file(expected_path);
  int differing = 0;
  const std::string diff = readable_diff(want, got, &differing);
  EXPECT_EQ(differing, 0) << expected_path.string() << ": " << differing
                          << " line(s) differ (- expected.txt, + this build):\n"
                          << diff
                          << "If the change is intended, regenerate with MFGSIM_REGENERATE_GOLDEN=1 and review "
                             "`git diff tests/golden`.";
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(GoldenCases, EveryFolderIsACase) {
  // At least the eight cases of issue 11; a folder without `args` would be
  // skipped silently, so there must be none.
  EXPECT_GE(case_names().size(), 8u);
  for (const auto& entry : fs::directory_iterator(kGoldenDir))
    if (entry.is_directory()) {
      EXPECT_TRUE(fs::exists(entry.path() / "args")) << entry.path().string() << " has no args file";
    }
}

}  // namespace
}  // namespace mfgsim
