// Inputs that crashed, hung, exhausted memory or hit undefined behaviour in
// a reader: found by the fuzz targets (tests/fuzz/, scripts/fuzz.sh) or fed
// to them by hand while fuzzing, each reduced to its cause. Every reader
// must now return diagnostics for them; a regression hangs (ctest's
// timeout), crashes, or fails an assertion here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/batch/batch.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

const std::string kSource = MFGSIM_SOURCE_DIR;

// As the fuzz targets read them: scenarios/fuzz.yaml and scenarios/batches/fuzz.yaml.
ScenarioLoad scenario(const std::string& text) { return load_scenario_text(text, "fuzz.yaml", kSource + "/scenarios"); }
BatchLoad batch(const std::string& text) { return load_batch_text(text, "fuzz.yaml", kSource + "/scenarios/batches"); }

std::vector<std::string> errors(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d.items()) out.push_back(x.format());
  return out;
}

// fuzz_scenario, timeout: yaml-cpp 0.7 reads a `,` outside brackets as the
// start of an empty document, endlessly, and the reader asked for documents
// until there were none.
TEST(FuzzRegression, StrayCommaIsAnErrorNotEndlessDocuments) {
  const std::string comma = "unexpected `,` (commas separate items only inside `[...]` or `{...}`)";
  EXPECT_EQ(errors(scenario(",\nextends: baseline.yaml\n").diagnostics),
            std::vector<std::string>{"fuzz.yaml:1:1: error: " + comma});
  EXPECT_EQ(errors(scenario("[a],\n").diagnostics), std::vector<std::string>{"fuzz.yaml:1:4: error: " + comma});
  EXPECT_EQ(errors(batch(",").diagnostics), std::vector<std::string>{"fuzz.yaml:1:1: error: " + comma});
  // A real second document is still reported as one.
  EXPECT_EQ(errors(scenario("name: a\n---\nname: b\n").diagnostics),
            std::vector<std::string>{"fuzz.yaml:2:1: error: a scenario file holds one YAML document (found a second one)"});
}

// UBSan (signed overflow) in the batch reader: the grid's size, the product
// of the parameters' `points` (up to 10000 each), overflowed 64 bits with
// five parameters and the message gave a wrapped count.
TEST(FuzzRegression, HugeGridIsAnErrorWithoutOverflow) {
  const std::string text =
      "name: g\n"
      "sweeps:\n"
      "  - name: s\n"
      "    base: ../baseline.yaml\n"
      "    method: grid\n"
      "    parameters:\n"
      "      lending.long_term_growth: {low: 0.0, high: 0.2, points: 10000}\n"
      "      lending.investment_pass: {low: 0.3, high: 0.7, points: 10000}\n"
      "      lending.new_loans_base: {low: 30, high: 50, points: 10000}\n"
      "      lending.maturity: {low: 3, high: 8, points: 10000}\n"
      "      lending.short_term_growth: {low: 0.0, high: 0.1, points: 10000}\n";
  EXPECT_EQ(errors(batch(text).diagnostics),
            std::vector<std::string>{"fuzz.yaml:3:5: error: sweeps[0]: the grid has more than 1000000 combinations "
                                     "(the product of the parameters' `points`)"});
}

// Out of memory in the YAML reader (an input written by hand while
// fuzzing): aliases were copied without limit, so nine lines of nested
// aliases, ten to a list, made a billion nodes from 500 bytes.
TEST(FuzzRegression, AliasBombIsAnError) {
  const std::string text =
      "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
      "a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n"
      "a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\n"
      "a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\n"
      "a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n"
      "a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n"
      "a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]\n"
      "a7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]\n"
      "a8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]\n";
  ASSERT_LT(text.size(), 600u);
  const std::string message = "anchors and aliases (`&name`, `*name`) copy more than 100000 values in this document";
  EXPECT_EQ(errors(scenario(text).diagnostics), std::vector<std::string>{"fuzz.yaml:5:40: error: " + message});
  EXPECT_EQ(errors(batch(text).diagnostics), std::vector<std::string>{"fuzz.yaml:5:40: error: " + message});
  // Aliases within the limit are still copies.
  const ScenarioLoad ok = scenario("name: t\ndata: &d {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n"
                                   "description: *d\n");
  ASSERT_EQ(errors(ok.diagnostics), std::vector<std::string>{"fuzz.yaml:3:14: error: description: expected a string, got a map"});
}

}  // namespace
}  // namespace mfgsim
