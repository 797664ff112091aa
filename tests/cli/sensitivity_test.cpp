// mfgsim sensitivity's chart through the binary: the Sobol bars are
// horizontal (factor names level, not rotated) and the title carries the
// output's spread over the design, from the manifest's output_variance.
#include <gtest/gtest.h>

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_support.h"

namespace {

using namespace cli_harness;

TEST(CliSensitivity, SobolChartShowsTheOutputSpread) {
  TempDir dir;
  const std::string out = dir / "sob";
  const Result r = mfgsim("sensitivity scenarios/baseline.yaml --method sobol --samples 16 --parameters calibration "
                          "--at 2023-06 --log-level warn --out " + shell_quote(out));
  ASSERT_EQ(r.code, 0) << describe(r);
  const nlohmann::json manifest = nlohmann::json::parse(read_file(fs::path(out) / "manifest.json"));
  const double variance = manifest.at("output_variance").get<double>();
  ASSERT_GT(variance, 0.0);
  const std::string script = read_file(fs::path(out) / "sensitivity.gp");
  const std::string sd = fmt::format("sd {:.3g} percentage points", 100.0 * std::sqrt(variance));
  EXPECT_NE(script.find(sd), std::string::npos) << sd << "\n" << script;
  EXPECT_EQ(script.find("rotate"), std::string::npos) << script;
  EXPECT_NE(script.find(":ytic(1) with boxxyerror"), std::string::npos) << script;
  EXPECT_TRUE(fs::file_size(fs::path(out) / "sensitivity.png") > 0);
}

}  // namespace
