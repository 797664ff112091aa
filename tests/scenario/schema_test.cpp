// sim/scenario/schema.h: the schema as data (keys, paths, ranges, defaults)
// and the schema phase's messages at their file:line:col; the generated
// SCHEMA.md (schema_markdown). The Markdown and batch-key tests moved here
// from tests/scenario/scenario_test.cpp.
#include "sim/scenario/schema.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "models/parameters.h"
#include "sim/engine/series.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {
namespace {

const std::string kSource = MFGSIM_SOURCE_DIR;

TEST(Schema, ScenarioKeysWithPathsRangesAndDefaults) {
  const SchemaKey& root = scenario_schema();
  EXPECT_EQ(root.shape, "a scenario");
  ASSERT_NE(root.child("name"), nullptr);
  EXPECT_TRUE(root.child("name")->required);
  EXPECT_EQ(root.child("name")->type, SchemaType::name);
  EXPECT_EQ(root.child("horizon"), nullptr);
  const SchemaKey* months = root.child("calendar")->child("months");
  ASSERT_NE(months, nullptr);
  EXPECT_EQ(months->path, "calendar.months");
  EXPECT_EQ(months->type, SchemaType::integer);
  EXPECT_EQ(months->default_text, "120");
  EXPECT_EQ(format_range(months->range), "[1, 1200]");
  EXPECT_EQ(root.child("calendar")->child("start")->default_text, "2022-01");
  const SchemaKey* data = root.child("data");
  EXPECT_TRUE(data->required && data->child("sectors")->required && data->child("io")->required);
  const SchemaKey* demonstrations = root.child("intelligent_manufacturing")->child("demonstrations");
  ASSERT_NE(demonstrations, nullptr);
  EXPECT_EQ(demonstrations->child("month")->path, "intelligent_manufacturing.demonstrations[].month");
  EXPECT_EQ(demonstrations->any_of, (std::vector<std::string>{"national", "provincial"}));
}

// The distributions list their parameters in UncertainParam's (a, b, c) order.
TEST(Schema, DistributionsAndMethods) {
  const auto& d = distribution_schemas();
  ASSERT_EQ(d.size(), 4u);
  const std::vector<std::vector<std::string>> params = {
      {"mean", "sd"}, {"mu", "sigma"}, {"low", "high"}, {"low", "mode", "high"}};
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(d[k].params, params[k]) << d[k].name;
  EXPECT_STREQ(d[3].name, "triangular");
  EXPECT_EQ(calibration_methods().size(), 10u);
  EXPECT_EQ(calibration_methods().front(), "LN_BOBYQA");
}

TEST(Schema, MarkdownFileIsUpToDate) {
  const std::string path = kSource + "/scenarios/SCHEMA.md";
  const std::string expected = schema_markdown();
  if (const char* regenerate = std::getenv("MFGSIM_REGENERATE_SCHEMA"); regenerate && std::string(regenerate) == "1") {
    std::ofstream(path, std::ios::binary) << expected;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), expected)
      << "scenarios/SCHEMA.md is out of date: run the tests with MFGSIM_REGENERATE_SCHEMA=1 "
         "(or `mfgsim schema > scenarios/SCHEMA.md`)";
}

TEST(Schema, MarkdownListsEveryKeyAndSeries) {
  const std::string md = schema_markdown();
  for (const GlobalParamInfo& p : global_params()) EXPECT_NE(md.find(std::string("`") + p.path + "`"), std::string::npos) << p.path;
  for (const LeverInfo& p : levers()) EXPECT_NE(md.find(std::string("`") + p.path + "`"), std::string::npos) << p.path;
  for (const SectorFieldInfo& f : sector_fields()) EXPECT_NE(md.find(std::string("`") + f.column + "`"), std::string::npos);
  for (const std::string& s : all_series_names()) EXPECT_NE(md.find("- `" + s + "`"), std::string::npos) << s;
  for (const char* key : {"`calendar.start`", "`data.sectors`", "`ensemble.members`", "`low_carbon.equipment_sector`",
                          "`intelligent_manufacturing.mode`", "merge rules", "`triangular`", "`uncertain`"})
    EXPECT_NE(md.find(key), std::string::npos) << key;
}

// Every key of both schemas, list-item and range-entry keys included, has
// a row in the generated reference.
void expect_documented(const std::string& md, const SchemaKey& k) {
  for (const SchemaKey& c : k.children) {
    EXPECT_NE(md.find("| `" + c.path + "` |"), std::string::npos) << c.path;
    EXPECT_FALSE(c.doc.empty()) << c.path;
    if (c.type == SchemaType::section || c.type == SchemaType::map_list || c.type == SchemaType::parameter_ranges)
      expect_documented(md, c);
  }
}

TEST(Schema, MarkdownDocumentsEveryScenarioAndBatchKey) {
  const std::string md = schema_markdown();
  expect_documented(md, scenario_schema());
  const std::size_t batch_section = md.find("## Batch files");
  ASSERT_NE(batch_section, std::string::npos);
  expect_documented(md.substr(batch_section), batch_schema());
  for (const char* path : {"sweeps[].parameters.<path>.points", "sweeps[].samples", "stochastic", "scenarios"})
    EXPECT_NE(md.find(std::string("| `") + path + "` |", batch_section), std::string::npos) << path;
}

// The batch's overrides are the scenario's keys: same type, range, choices.
TEST(Schema, BatchOverridesAreTheScenarioKeys) {
  const SchemaKey& scenario = scenario_schema();
  const SchemaKey& batch = batch_schema();
  const std::vector<std::pair<const SchemaKey*, const SchemaKey*>> pairs = {
      {scenario.child("ensemble")->child("members"), batch.child("members")},
      {scenario.child("ensemble")->child("seed"), batch.child("seed")},
      {scenario.child("ensemble")->child("stochastic"), batch.child("stochastic")},
      {scenario.child("outputs"), batch.child("outputs")},
      {scenario.child("name"), batch.child("name")}};
  for (const auto& [a, b] : pairs) {
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->type, b->type) << b->path;
    EXPECT_EQ(a->has_range, b->has_range) << b->path;
    EXPECT_EQ(format_range(a->range), format_range(b->range)) << b->path;
  }
}

std::string schema_errors(const std::string& yaml) {
  Diagnostics d;
  const std::optional<YamlNode> root = parse_yaml(yaml, "s.yaml", d);
  if (root) check_schema(*root, d);
  return d.format();
}

TEST(Schema, CheckReportsEveryProblemAtItsPlace) {
  EXPECT_EQ(schema_errors("name: demo\n"
                          "calendar: {start: 2022-01, months: 0}\n"
                          "data: {sectors: s.csv, io: io.csv}\n"
                          "lending: {bogus: 1}\n"
                          "calender: {}\n"),
            "s.yaml:2:36: error: calendar.months must be in [1, 1200] (got 0)\n"
            "s.yaml:4:11: error: unknown key `bogus` in `lending`\n"
            "s.yaml:5:1: error: unknown key `calender` (did you mean `calendar`?)\n");
  EXPECT_EQ(schema_errors("name: demo\ndata: {sectors: s.csv, io: io.csv}\n"), "");
}

TEST(Schema, BooleansAreUnquotedTrueOrFalseInThreeSpellings) {
  for (const char* spelling : {"true", "True", "TRUE"}) {
    Diagnostics d;
    const auto root = parse_yaml(std::string("x: ") + spelling + "\n", "b.yaml", d);
    ASSERT_TRUE(root.has_value()) << d.format();
    EXPECT_TRUE(schema_boolean(*root->find("x"))) << spelling;
  }
  Diagnostics d;
  const auto root = parse_yaml("x: FALSE\n", "b.yaml", d);
  ASSERT_TRUE(root.has_value());
  EXPECT_FALSE(schema_boolean(*root->find("x")));
}

}  // namespace
}  // namespace mfgsim
