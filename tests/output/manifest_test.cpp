// sim/output/manifest.h: the pieces every manifest is built from.
#include "sim/output/manifest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace mfgsim {
namespace {

TEST(Manifest, HeadOutputsAndQuantiles) {
  const nlohmann::json head = manifest_head("run");
  EXPECT_EQ(head.size(), 3u);
  EXPECT_EQ(head["program"], "mfgsim");
  EXPECT_EQ(head["command"], "run");
  EXPECT_TRUE(head["version"].is_string());
  EXPECT_EQ(outputs_entry({}), "all");
  EXPECT_EQ(outputs_entry({{"va", "co2"}}).dump(), R"(["va","co2"])");
  EXPECT_EQ(quantiles_entry(true, 0.01), "exact");
  EXPECT_EQ(quantiles_entry(false, 1e-3).dump(), R"({"sketch_relative_error":0.001})");
}

// Each file with its SHA-256 (FIPS 180-2: "abc"), in order, `skip` left out;
// no key at all when nothing is listed.
TEST(Manifest, FilesWithTheirDigests) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("mfgsim_manifest_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string a = (dir / "a.yaml").string(), b = (dir / "b.yaml").string();
  std::ofstream(a) << "abc";
  std::ofstream(b) << "";
  nlohmann::json manifest = manifest_head("batch");
  add_files(manifest, "files", {a, b, a}, b);
  add_files(manifest, "none", {b}, b);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(manifest["files"].size(), 2u);
  EXPECT_EQ(manifest["files"][0]["path"], a);
  EXPECT_EQ(manifest["files"][1]["sha256"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(manifest.contains("none"));
}

TEST(Manifest, StampTimeIsUtcSecondsAndElapsedWallTime) {
  nlohmann::json block;
  const auto start = std::chrono::steady_clock::now() - std::chrono::milliseconds(1500);
  stamp_time(block, start);
  const std::string utc = block["started_utc"];
  EXPECT_TRUE(std::regex_match(utc, std::regex(R"(20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z)")))
      << utc;
  EXPECT_GE(block["wall_seconds"].get<double>(), 1.5);
  EXPECT_LT(block["wall_seconds"].get<double>(), 60.0);
}

}  // namespace
}  // namespace mfgsim
