// The scenario reader: schema phase and compile phase, message formats and
// locations, schedules, parameter paths, distributions, SCHEMA.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/parameters.h"
#include "models/param_address.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/schema.h"
#include "sim/engine/series.h"

namespace mfgsim {
namespace {

namespace fs = std::filesystem;

const std::string kSource = MFGSIM_SOURCE_DIR;
// Two lines: errors in the text after it start on line 3.
const std::string kHead = "name: t\ndata: {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n";

ScenarioLoad load(const std::string& yaml) { return load_scenario_text(yaml, "s.yaml", kSource + "/scenarios"); }

std::vector<std::string> errors(const ScenarioLoad& l) {
  std::vector<std::string> out;
  for (const Diagnostic& d : l.diagnostics.items()) out.push_back(d.format());
  return out;
}

// Exactly one error, equal to `expected`.
void expect_error(const std::string& yaml, const std::string& expected) {
  ScenarioLoad l = load(yaml);
  EXPECT_FALSE(l.scenario);
  std::vector<std::string> e = errors(l);
  ASSERT_EQ(e.size(), 1u) << "for\n" << yaml << "got\n" << l.diagnostics.format();
  EXPECT_EQ(e[0], expected) << "for\n" << yaml;
}

// Exactly one error, at `line:col`, whose message contains `part`.
void expect_error_at(const std::string& yaml, int line, int column, const std::string& part) {
  ScenarioLoad l = load(yaml);
  EXPECT_FALSE(l.scenario);
  ASSERT_EQ(l.diagnostics.items().size(), 1u) << "for\n" << yaml << "got\n" << l.diagnostics.format();
  const Diagnostic& d = l.diagnostics.items()[0];
  EXPECT_EQ(d.where.line, line) << d.format();
  EXPECT_EQ(d.where.column, column) << d.format();
  EXPECT_NE(d.message.find(part), std::string::npos) << d.format() << "\nexpected to contain: " << part;
}

const Scenario& ok(const ScenarioLoad& l) {
  EXPECT_TRUE(l.scenario) << l.diagnostics.format();
  static Scenario empty;
  return l.scenario ? *l.scenario : empty;
}

// ---- good scenarios -----------------------------------------------------------

TEST(ScenarioReader, MinimalScenarioTakesDefaults) {
  ScenarioLoad l = load(kHead);
  const Scenario& s = ok(l);
  ASSERT_TRUE(l.scenario);
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.path, "s.yaml");
  EXPECT_EQ(s.calendar.start, (YearMonth{2022, 1}));
  EXPECT_EQ(s.calendar.months, 120);
  EXPECT_EQ(s.ensemble.members, 1);
  EXPECT_EQ(s.ensemble.seed, 1u);
  EXPECT_FALSE(s.ensemble.stochastic);
  EXPECT_TRUE(s.outputs.empty());
  EXPECT_TRUE(s.uncertain.empty());
  const ModelParams defaults = default_model_params();
  for (const GlobalParamInfo& p : global_params())
    EXPECT_EQ(s.params.global.*p.field, defaults.global.*p.field) << p.path;
  for (const LeverInfo& p : levers()) {
    EXPECT_EQ((s.params.levers.*p.field).kind, Schedule::Kind::constant);
    EXPECT_EQ((s.params.levers.*p.field).value, p.default_value) << p.path;
  }
  ASSERT_EQ(s.params.sectors.size(), 10);
  EXPECT_EQ(s.params.sectors.names[0], "coal_mining");
  EXPECT_EQ(s.params.equipment_sector, s.params.sectors.index_of("env_protection_equipment"));
  EXPECT_EQ(s.params.mode, AdoptionMode::aggregate);
  EXPECT_EQ(s.params.A.rows(), 10);
  EXPECT_DOUBLE_EQ(s.params.A(s.params.sectors.index_of("metallurgy"), s.params.sectors.index_of("equipment")), 0.15);
  EXPECT_EQ(s.resolved["name"], "t");
  EXPECT_EQ(s.resolved["data"]["io"], "../data/io_coefficients.csv");
  EXPECT_EQ(s.files, std::vector<std::string>{"s.yaml"});
}

// `trend_shocks:` switches the persistent trend on (its keys default as
// models/fields.h says); absent or null, it is off.
TEST(ScenarioReader, TrendShocksBlockSwitchesTheTrendOn) {
  EXPECT_FALSE(ok(load(kHead)).params.trend_shocks);
  ScenarioLoad on = load(kHead + std::string("trend_shocks: {}\n"));
  EXPECT_TRUE(ok(on).params.trend_shocks);
  EXPECT_EQ(ok(on).params.global.trend_drift_sigma, 0.0025);
  ScenarioLoad set = load(kHead + std::string("trend_shocks: {drift_sigma: 0.004, drift_persistence: 1}\n"));
  EXPECT_TRUE(ok(set).params.trend_shocks);
  EXPECT_EQ(ok(set).params.global.trend_drift_sigma, 0.004);
  EXPECT_EQ(ok(set).params.global.trend_drift_persistence, 1.0);
  EXPECT_FALSE(ok(load(kHead + std::string("trend_shocks: null\n"))).params.trend_shocks);
}

TEST(ScenarioReader, FullScenario) {
  ScenarioLoad l = load(kHead + R"(
description: "all keys"
calendar: {start: 2021-01, months: 36}
sector_overrides:
  equipment: {demand_trend: 0.07, firms: 1200}
lending: {new_loans_base: 45, long_term_growth: 0.05, maturity: 7, green_tilt: 0.5}
intelligent_manufacturing:
  mode: aggregate
  imitation_q: 0.35
  demonstrations:
    - {month: 2020-07, sector: equipment, national: 2}
    - {month: 2023-07, sector: metallurgy, provincial: 63}
low_carbon: {equipment_sector: equipment, recycling_start: 0.65}
shocks: {common_rho: 0.5}
ensemble: {members: 200, seed: 12345678901, stochastic: true}
outputs: [va, co2]
)");
  const Scenario& s = ok(l);
  ASSERT_TRUE(l.scenario);
  EXPECT_EQ(s.description, "all keys");
  EXPECT_EQ(s.calendar.start, (YearMonth{2021, 1}));
  EXPECT_EQ(s.calendar.months, 36);
  int equipment = s.params.sectors.index_of("equipment");
  EXPECT_DOUBLE_EQ(s.params.sectors.demand_trend[equipment], 0.07);
  EXPECT_DOUBLE_EQ(s.params.sectors.firms[equipment], 1200);
  EXPECT_DOUBLE_EQ(s.params.global.new_loans_base, 45);
  EXPECT_DOUBLE_EQ(s.params.global.maturity, 7);
  EXPECT_DOUBLE_EQ(s.params.levers.long_term_growth.at(0), 0.05);
  EXPECT_DOUBLE_EQ(s.params.global.imitation_q, 0.35);
  EXPECT_DOUBLE_EQ(s.params.global.recycling_start, 0.65);
  EXPECT_DOUBLE_EQ(s.params.global.common_rho, 0.5);
  EXPECT_DOUBLE_EQ(s.params.global.common_sigma, 0.02);  // default
  ASSERT_EQ(s.params.demonstrations.size(), 2u);
  EXPECT_EQ(s.params.demonstrations[0].month, -6);
  EXPECT_EQ(s.params.demonstrations[0].sector, equipment);
  EXPECT_DOUBLE_EQ(s.params.demonstrations[0].national, 2);
  EXPECT_DOUBLE_EQ(s.params.demonstrations[0].provincial, 0);
  EXPECT_EQ(s.params.demonstrations[1].month, 30);
  EXPECT_DOUBLE_EQ(s.params.demonstrations[1].provincial, 63);
  EXPECT_EQ(s.params.equipment_sector, equipment);
  EXPECT_EQ(s.ensemble.members, 200);
  EXPECT_EQ(s.ensemble.seed, 12345678901u);
  EXPECT_TRUE(s.ensemble.stochastic);
  EXPECT_EQ(s.outputs, (std::vector<std::string>{"va", "co2"}));
  EXPECT_EQ(s.resolved["ensemble"]["stochastic"], true);
  EXPECT_EQ(s.resolved["ensemble"]["members"], 200);
}

TEST(ScenarioReader, ShippedScenariosLoad) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    ScenarioLoad l = load_scenario(entry.path().string());
    EXPECT_TRUE(l.scenario) << entry.path() << "\n" << l.diagnostics.format();
  }
  EXPECT_GT(count, 0);
}

TEST(ScenarioReader, ScheduleForms) {
  ScenarioLoad l = load(kHead + R"(calendar: {start: 2022-01}
lending:
  long_term_growth: 0.04
intelligent_manufacturing:
  innovation_p:
    - {from: 2021-07, value: 0.01}
    - {from: 2022-06, value: 0.02}
    - {from: 2023-01, value: 0.03}
low_carbon:
  carbon_price: {from: 2022-01, to: 2023-01, start: 50, end: 110}
)");
  const Scenario& s = ok(l);
  ASSERT_TRUE(l.scenario);
  const Levers& lv = s.params.levers;
  EXPECT_EQ(lv.long_term_growth.kind, Schedule::Kind::constant);
  EXPECT_DOUBLE_EQ(lv.long_term_growth.value, 0.04);
  ASSERT_EQ(lv.innovation_p.kind, Schedule::Kind::steps);
  ASSERT_EQ(lv.innovation_p.steps.size(), 3u);
  EXPECT_EQ(lv.innovation_p.steps[0].from, -6);
  EXPECT_EQ(lv.innovation_p.steps[1].from, 5);
  EXPECT_EQ(lv.innovation_p.steps[2].from, 12);
  EXPECT_DOUBLE_EQ(lv.innovation_p.at(0), 0.01);
  EXPECT_DOUBLE_EQ(lv.innovation_p.at(5), 0.02);
  EXPECT_DOUBLE_EQ(lv.innovation_p.at(40), 0.03);
  ASSERT_EQ(lv.carbon_price.kind, Schedule::Kind::ramp);
  EXPECT_EQ(lv.carbon_price.from, 0);
  EXPECT_EQ(lv.carbon_price.to, 12);
  EXPECT_DOUBLE_EQ(lv.carbon_price.at(6), 80);
  EXPECT_DOUBLE_EQ(lv.recycling_target.value, 0.8);  // default
}

TEST(ScenarioReader, ExtendsWithRelativeDataPaths) {
  fs::path dir = fs::temp_directory_path() / ("mfgsim_scenario_extends_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "data");
  fs::create_directories(dir / "scenarios" / "variants");
  fs::copy_file(kSource + "/data/sectors.csv", dir / "data" / "sectors.csv");
  fs::copy_file(kSource + "/data/io_coefficients.csv", dir / "data" / "io_coefficients.csv");
  std::ofstream(dir / "scenarios" / "base.yaml")
      << "name: base\ndata: {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n"
         "lending: {maturity: 4, green_tilt: 0.2}\noutputs: [va, co2]\n";
  std::ofstream(dir / "scenarios" / "variants" / "v.yaml")
      << "extends: ../base.yaml\nname: v\nlending: {green_tilt: 0.9}\noutputs: [co2]\n";
  ScenarioLoad l = load_scenario((dir / "scenarios" / "variants" / "v.yaml").string());
  ASSERT_TRUE(l.scenario) << l.diagnostics.format();
  EXPECT_EQ(l.scenario->name, "v");
  EXPECT_DOUBLE_EQ(l.scenario->params.global.maturity, 4);
  EXPECT_DOUBLE_EQ(l.scenario->params.global.green_tilt, 0.9);
  EXPECT_EQ(l.scenario->outputs, std::vector<std::string>{"co2"});
  ASSERT_EQ(l.scenario->files.size(), 2u);
  EXPECT_EQ(fs::path(l.scenario->files[0]).filename(), "base.yaml");
  EXPECT_FALSE(l.scenario->resolved.contains("extends"));
  EXPECT_EQ(l.scenario->resolved["lending"]["maturity"], 4);

  // An error in a value written by the base is reported in the base file.
  std::ofstream(dir / "scenarios" / "variants" / "w.yaml") << "extends: ../base.yaml\nlending: {maturity: -1}\n";
  ScenarioLoad w = load_scenario((dir / "scenarios" / "variants" / "w.yaml").string());
  ASSERT_EQ(w.diagnostics.items().size(), 1u) << w.diagnostics.format();
  EXPECT_EQ(w.diagnostics.items()[0].format(),
            (dir / "scenarios" / "variants" / "w.yaml").string() +
                ":2:21: error: lending.maturity must be in [0.0833333, 100] (got -1)");
  fs::remove_all(dir);
}

// ---- schema phase ----------------------------------------------------------------

TEST(ScenarioReader, RangeMessage) {
  expect_error(kHead + "lending:\n  maturity: -4\n",
               "s.yaml:4:13: error: lending.maturity must be in [0.0833333, 100] (got -4)");
  expect_error(kHead + "lending: {new_loans_base: 0}\n",
               "s.yaml:3:27: error: lending.new_loans_base must be > 0 (got 0)");
  expect_error(kHead + "shocks: {common_rho: 1}\n", "s.yaml:3:22: error: shocks.common_rho must be in (-1, 1) (got 1)");
}

TEST(ScenarioReader, TypeMessages) {
  expect_error(kHead + "lending:\n  maturity: abc\n", "s.yaml:4:13: error: lending.maturity: expected a number, got 'abc'");
  expect_error(kHead + "lending:\n  maturity: \"5\"\n",
               "s.yaml:4:13: error: lending.maturity: expected a number, got \"5\" (text, not a number; a YAML 1.1 "
               "reader such as PyYAML reads an exponent without a dot, e.g. 1e-10, as text: write 1.0e-10, or pass "
               "the file's path)");
  expect_error(kHead + "lending:\n  maturity: [5]\n", "s.yaml:4:13: error: lending.maturity: expected a number, got a list");
  expect_error(kHead + "lending: 5\n", "s.yaml:3:10: error: `lending` must be a map of keys, got '5'");
}

TEST(ScenarioReader, EnsembleTypeMessages) {
  expect_error(kHead + "ensemble: {stochastic: yes}\n",
               "s.yaml:3:24: error: ensemble.stochastic: expected true or false, got 'yes'");
  expect_error(kHead + "ensemble: {members: 2.5}\n",
               "s.yaml:3:21: error: ensemble.members: expected a whole number, got '2.5'");
  expect_error(kHead + "ensemble: {members: 0}\n", "s.yaml:3:21: error: ensemble.members must be in [1, 10000000] (got 0)");
  expect_error(kHead + "ensemble: {seed: -1}\n", "s.yaml:3:18: error: ensemble.seed must be >= 0 (got -1)");
}

TEST(ScenarioReader, RangeMessages) {
  expect_error(kHead + "calendar: {months: 0}\n", "s.yaml:3:20: error: calendar.months must be in [1, 1200] (got 0)");
  expect_error(kHead + "lending: {maturity: .inf}\n", "s.yaml:3:21: error: lending.maturity: expected a number, got '.inf'");
}

TEST(ScenarioReader, MonthFormat) {
  expect_error(kHead + "calendar:\n  start: 2021-13\n", "s.yaml:4:10: error: calendar.start: expected a month YYYY-MM, got '2021-13'");
  expect_error(kHead + "calendar: {start: 2021-1}\n", "s.yaml:3:19: error: calendar.start: expected a month YYYY-MM, got '2021-1'");
}

TEST(ScenarioReader, NameFormat) {
  expect_error("name: two words\ndata: {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n",
               "s.yaml:1:7: error: name: expected a name of letters, digits, `_`, `.` and `-`, got 'two words'");
}

TEST(ScenarioReader, UnknownKeysSuggest) {
  expect_error(kHead + "lendng: {maturity: 5}\n", "s.yaml:3:1: error: unknown key `lendng` (did you mean `lending`?)");
  expect_error(kHead + "lending:\n  maturty: 5\n",
               "s.yaml:4:3: error: unknown key `maturty` in `lending` (did you mean `maturity`?)");
  expect_error(kHead + "calendar: {strat: 2021-01}\n",
               "s.yaml:3:12: error: unknown key `strat` in `calendar` (did you mean `start`?)");
  expect_error(kHead + "zzzzzz: 1\n", "s.yaml:3:1: error: unknown key `zzzzzz`");
}

TEST(ScenarioReader, RequiredKeys) {
  expect_error("data: {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n",
               "s.yaml:1:1: error: missing required key `name`");
  expect_error("name: x\ndata: {sectors: ../data/sectors.csv}\n", "s.yaml:2:1: error: missing required key `data.io`");
}

TEST(ScenarioReader, EmptyDataReportsBothKeys) {
  ScenarioLoad l = load("name: x\ndata:\n");
  EXPECT_EQ(errors(l), std::vector<std::string>({
      "s.yaml:2:1: error: missing required key `data.sectors`",
      "s.yaml:2:1: error: missing required key `data.io`"}));
}

TEST(ScenarioReader, NotAMap) {
  expect_error("- a\n- b\n", "s.yaml:1:1: error: a scenario must be a map of keys, got a list");
  ScenarioLoad l = load("");
  ASSERT_EQ(errors(l).size(), 2u) << l.diagnostics.format();
  EXPECT_EQ(errors(l)[0], "s.yaml:1:1: error: missing required key `name`");
}

TEST(ScenarioReader, ReportsEveryProblem) {
  ScenarioLoad l = load(R"(name: x
data: {sectors: ../data/sectors.csv}
lending: {maturity: -4, green_tilt: abc, matrity: 1}
calendar: {start: 2021-13, months: 5000}
outputs: [va, vaa]
)");
  EXPECT_EQ(errors(l), std::vector<std::string>({
      "s.yaml:2:1: error: missing required key `data.io`",
      "s.yaml:3:21: error: lending.maturity must be in [0.0833333, 100] (got -4)",
      "s.yaml:3:37: error: lending.green_tilt: expected a number, got 'abc'",
      "s.yaml:3:42: error: unknown key `matrity` in `lending` (did you mean `maturity`?)",
      "s.yaml:4:19: error: calendar.start: expected a month YYYY-MM, got '2021-13'",
      "s.yaml:4:36: error: calendar.months must be in [1, 1200] (got 5000)",
      "s.yaml:5:15: error: unknown output series `vaa` (did you mean `va`?)"}));
}

TEST(ScenarioReader, SyntaxErrorStopsBeforeSchema) {
  ScenarioLoad l = load("name: x\nlending: {maturity: 5\nbad: [\n");
  ASSERT_EQ(l.diagnostics.items().size(), 1u) << l.diagnostics.format();
  EXPECT_EQ(l.diagnostics.items()[0].where.file, "s.yaml");
  EXPECT_GT(l.diagnostics.items()[0].where.line, 0);
}

TEST(ScenarioReader, DuplicateKeyInScenario) {
  expect_error(kHead + "lending:\n  maturity: 5\n  maturity: 6\n",
               "s.yaml:5:3: error: duplicate key `maturity` (first written at line 4)");
}

TEST(ScenarioReader, ScheduleErrors) {
  expect_error(kHead + "low_carbon:\n  carbon_price: -1\n",
               "s.yaml:4:17: error: low_carbon.carbon_price must be in [0, 100000] (got -1)");
  expect_error(kHead + "low_carbon:\n  carbon_price:\n    - {from: 2022-01, value: 5}\n    - {from: 2022-01, value: 6}\n",
               "s.yaml:6:14: error: low_carbon.carbon_price[1].from: months must be strictly increasing "
               "(2022-01 is not after 2022-01)");
  expect_error(kHead + "low_carbon:\n  carbon_price:\n    - {from: 2022-01, value: 5}\n    - {from: 2023-01, value: -6}\n",
               "s.yaml:6:30: error: low_carbon.carbon_price[1].value must be in [0, 100000] (got -6)");
  {
    // An unknown key and the missing one it was probably meant to be: both reported.
    ScenarioLoad l = load(kHead + "low_carbon:\n  carbon_price:\n    - {from: 2022-01, valu: 5}\n");
    EXPECT_EQ(errors(l), std::vector<std::string>({
      "s.yaml:5:23: error: unknown key `valu` in `low_carbon.carbon_price[0]` (did you mean `value`?)",
      "s.yaml:5:7: error: low_carbon.carbon_price[0]: missing required key `value`"}));
  }
  expect_error_at(kHead + "low_carbon:\n  carbon_price:\n    - {from: 2022-01}\n", 5, 7,
                  "low_carbon.carbon_price[0]: missing required key `value`");
  expect_error(kHead + "low_carbon:\n  carbon_price: {from: 2023-01, to: 2022-01, start: 1, end: 2}\n",
               "s.yaml:4:37: error: low_carbon.carbon_price.to must be after low_carbon.carbon_price.from "
               "(got 2022-01, from 2023-01)");
  expect_error(kHead + "low_carbon:\n  recycling_target: {from: 2022-01, to: 2023-01, start: 0.5, end: 1.5}\n",
               "s.yaml:4:67: error: low_carbon.recycling_target.end must be in [0, 1] (got 1.5)");
  expect_error_at(kHead + "low_carbon:\n  carbon_price: {from: 2022-01, to: 2023-01, start: 1}\n", 4, 17,
                  "low_carbon.carbon_price: missing required key `end`");
  expect_error_at(kHead + "low_carbon:\n  carbon_price: {from: 2022-01, value: 1}\n", 4, 17,
                  "steps are written as a list");
  expect_error_at(kHead + "low_carbon:\n  carbon_price: []\n", 4, 17, "needs at least one");
  expect_error_at(kHead + "low_carbon:\n  carbon_price: high\n", 4, 17, "expected a number, a list of");
  expect_error(kHead + "low_carbon:\n  carbon_price: [{from: 2022-1, value: 1}]\n",
               "s.yaml:4:25: error: low_carbon.carbon_price[0].from: expected a month YYYY-MM, got '2022-1'");
}

TEST(ScenarioReader, SectorOverrideSchemaErrors) {
  expect_error(kHead + "sector_overrides:\n  equipment: {demand_trnd: 0.1}\n",
               "s.yaml:4:15: error: unknown column `demand_trnd` in `sector_overrides.equipment` "
               "(did you mean `demand_trend`?)");
  expect_error(kHead + "sector_overrides:\n  equipment: {firms: 2.5}\n",
               "s.yaml:4:22: error: sector_overrides.equipment.firms must be a whole number (got 2.5)");
  expect_error(kHead + "sector_overrides:\n  equipment: {v: 0}\n",
               "s.yaml:4:18: error: sector_overrides.equipment.v must be in (0, 1] (got 0)");
  expect_error_at(kHead + "sector_overrides:\n  equipment: {name: x}\n", 4, 15, "cannot be overridden");
  expect_error_at(kHead + "sector_overrides:\n  equipment: 5\n", 4, 14, "expected a map of column -> value");
}

TEST(ScenarioReader, DemonstrationSchemaErrors) {
  expect_error(kHead + "intelligent_manufacturing:\n  demonstrations:\n    - {sector: equipment, national: 1}\n",
               "s.yaml:5:7: error: missing required key `intelligent_manufacturing.demonstrations[0].month`");
  expect_error(kHead + "intelligent_manufacturing:\n  demonstrations:\n    - {month: 2023-07, sector: equipment}\n",
               "s.yaml:5:7: error: intelligent_manufacturing.demonstrations[0]: give `national`, `provincial` or both");
  expect_error(kHead + "intelligent_manufacturing:\n  demonstrations:\n    - {month: 2023-07, sector: equipment, national: -1}\n",
               "s.yaml:5:53: error: intelligent_manufacturing.demonstrations[0].national must be >= 0 (got -1)");
  ScenarioLoad l = load(kHead + "intelligent_manufacturing:\n  demonstrations:\n"
                                "    - {month: 2023-07, sector: equipment, provincal: 1}\n");
  std::vector<std::string> e = errors(l);
  ASSERT_EQ(e.size(), 2u) << l.diagnostics.format();
  EXPECT_EQ(e[0], "s.yaml:5:43: error: unknown key `provincal` in `intelligent_manufacturing.demonstrations[0]` "
                  "(did you mean `provincial`?)");
  EXPECT_EQ(e[1], "s.yaml:5:7: error: intelligent_manufacturing.demonstrations[0]: give `national`, `provincial` or both");
}

TEST(ScenarioReader, ModeAndChoices) {
  EXPECT_EQ(ok(load(kHead + "intelligent_manufacturing: {mode: firms}\n")).params.mode, AdoptionMode::firms);
  expect_error(kHead + "intelligent_manufacturing: {mode: agregate}\n",
               "s.yaml:3:35: error: intelligent_manufacturing.mode: expected one of aggregate, firms, got 'agregate' "
               "(did you mean `aggregate`?)");
}

TEST(ScenarioReader, Outputs) {
  expect_error(kHead + "outputs: [va, co22]\n", "s.yaml:3:15: error: unknown output series `co22` (did you mean `co2`?)");
  // A repeat is refused at the repeat, as `--outputs va,va` is: reporting it
  // once would drop what the user wrote without a word.
  expect_error(kHead + "outputs: [va, co2, va]\n",
               "s.yaml:3:20: error: outputs: `va` is listed twice (first at line 3, column 11); list each series once");
  expect_error(kHead + "outputs: everything\n",
               "s.yaml:3:10: error: outputs: expected `all` or a list of series names, got 'everything'");
  ScenarioLoad l = load(kHead + "outputs: all\n");
  EXPECT_TRUE(ok(l).outputs.empty());
}

TEST(ScenarioReader, DistributionSchemaErrors) {
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0.5, sd: 0}\n",
               "s.yaml:4:53: error: uncertain.lending.green_tilt.sd must be > 0 (got 0)");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: lognormal, mu: 0.5, sigma: -1}\n",
               "s.yaml:4:57: error: uncertain.lending.green_tilt.sigma must be > 0 (got -1)");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: uniform, low: 0.5, high: 0.5}\n",
               "s.yaml:4:55: error: uncertain.lending.green_tilt: low must be < high (got low 0.5, high 0.5)");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: triangular, low: 0, mode: 2, high: 1}\n",
               "s.yaml:4:56: error: uncertain.lending.green_tilt.mode must be in [low, high] = [0, 1] (got 2)");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: normall, mean: 0, sd: 1}\n",
               "s.yaml:4:30: error: uncertain.lending.green_tilt.dist: expected one of normal, lognormal, uniform, "
               "triangular, got 'normall' (did you mean `normal`?)");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0}\n",
               "s.yaml:4:23: error: uncertain.lending.green_tilt: missing required key `sd`");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0, sd: 1, sdd: 2}\n",
               "s.yaml:4:54: error: unknown key `sdd` in `uncertain.lending.green_tilt` (did you mean `sd`?)");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0, sd: 1, sigma: 2}\n",
               "s.yaml:4:54: error: unknown key `sigma` in `uncertain.lending.green_tilt`");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: uniform, low: 0, high: 1, bounds: [2, 3]}\n",
               "s.yaml:4:64: error: uncertain.lending.green_tilt.bounds [2, 3] do not intersect the distribution's "
               "support [0, 1]");
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0, sd: 1, bounds: [3, 2]}\n",
               "s.yaml:4:62: error: uncertain.lending.green_tilt.bounds: lo must be < hi (got [3, 2])");
  expect_error_at(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0, sd: 1, bounds: [3]}\n", 4, 62,
                  "expected `[lo, hi]`");
  expect_error_at(kHead + "uncertain:\n  lending.green_tilt: 0.5\n", 4, 23, "expected a distribution");
}

// ---- compile phase -------------------------------------------------------------

TEST(ScenarioReader, UnknownSectorsSuggest) {
  expect_error(kHead + "sector_overrides:\n  equipmnt: {demand_trend: 0.1}\n",
               "s.yaml:4:3: error: unknown sector `equipmnt` in `sector_overrides` (did you mean `equipment`?)");
  expect_error(kHead + "intelligent_manufacturing:\n  demonstrations:\n    - {month: 2023-07, sector: metalurgy, national: 1}\n",
               "s.yaml:5:32: error: unknown sector `metalurgy` in a demonstration (did you mean `metallurgy`?)");
  expect_error(kHead + "low_carbon: {equipment_sector: env_protection}\n",
               "s.yaml:3:32: error: unknown sector `env_protection` (low_carbon.equipment_sector) "
               "(did you mean `env_protection_equipment`?)");
}

TEST(ScenarioReader, DataFileErrors) {
  expect_error("name: x\ndata: {sectors: ../data/nothere.csv, io: ../data/io_coefficients.csv}\n",
               "s.yaml:2:17: error: cannot read sector table `" + kSource + "/data/nothere.csv`");
  expect_error("name: x\ndata: {sectors: ../data/sectors.csv, io: nothere.csv}\n",
               "s.yaml:2:42: error: cannot read input-output table `" + kSource + "/scenarios/nothere.csv`");
}

TEST(ScenarioReader, UncertainPaths) {
  ScenarioLoad l = load(kHead + R"(low_carbon:
  retrofit_push: {from: 2022-01, to: 2025-01, start: 0.02, end: 0.1}
uncertain:
  lending.green_tilt: {dist: normal, mean: 0.5, sd: 0.1, bounds: [0, 1]}
  sector_overrides.equipment.tfp_gain: {dist: lognormal, mu: -2, sigma: 0.3}
  low_carbon.retrofit_push.end: {dist: uniform, low: 0.05, high: 0.2}
  intelligent_manufacturing.imitation_q: {dist: triangular, low: 0.2, mode: 0.3, high: 0.5}
  low_carbon.carbon_price: {dist: uniform, low: 40, high: 80, bounds: [-inf, 70]}
)");
  const Scenario& s = ok(l);
  ASSERT_EQ(s.uncertain.size(), 5u);
  EXPECT_EQ(s.uncertain[0].address.kind, ParamAddress::Kind::global);
  EXPECT_EQ(s.uncertain[0].dist, UncertainParam::Dist::normal);
  EXPECT_DOUBLE_EQ(s.uncertain[0].a, 0.5);
  EXPECT_DOUBLE_EQ(s.uncertain[0].b, 0.1);
  EXPECT_DOUBLE_EQ(s.uncertain[0].lo, 0);
  EXPECT_DOUBLE_EQ(s.uncertain[0].hi, 1);
  EXPECT_EQ(s.uncertain[1].address.kind, ParamAddress::Kind::sector);
  EXPECT_EQ(s.uncertain[1].address.sector, s.params.sectors.index_of("equipment"));
  EXPECT_EQ(s.uncertain[1].dist, UncertainParam::Dist::lognormal);
  EXPECT_TRUE(std::isinf(s.uncertain[1].lo));
  EXPECT_EQ(s.uncertain[2].address.kind, ParamAddress::Kind::lever_end);
  EXPECT_EQ(s.uncertain[3].dist, UncertainParam::Dist::triangular);
  EXPECT_DOUBLE_EQ(s.uncertain[3].a, 0.2);
  EXPECT_DOUBLE_EQ(s.uncertain[3].b, 0.5);
  EXPECT_DOUBLE_EQ(s.uncertain[3].c, 0.3);
  EXPECT_EQ(s.uncertain[4].address.kind, ParamAddress::Kind::lever_value);
  EXPECT_DOUBLE_EQ(s.uncertain[4].hi, 70);
  EXPECT_TRUE(std::isinf(s.uncertain[4].lo));
}

TEST(ScenarioReader, UncertainPathErrors) {
  expect_error(kHead + "uncertain:\n  lending.green_tlt: {dist: normal, mean: 0, sd: 1}\n",
               "s.yaml:4:3: error: uncertain: unknown parameter `lending.green_tlt` (did you mean `lending.green_tilt`?)");
  expect_error(kHead + "uncertain:\n  sector_overrides.equipmnt.tfp_gain: {dist: normal, mean: 0, sd: 1}\n",
               "s.yaml:4:3: error: uncertain: unknown sector `equipmnt` in `sector_overrides.equipmnt.tfp_gain` "
               "(did you mean `equipment`?)");
  expect_error_at(kHead + "low_carbon: {carbon_price: [{from: 2022-01, value: 1}]}\n"
                          "uncertain:\n  low_carbon.carbon_price: {dist: normal, mean: 0, sd: 1}\n",
                  5, 3, "is a step schedule");
  expect_error_at(kHead + "low_carbon: {carbon_price: {from: 2022-01, to: 2023-01, start: 1, end: 2}}\n"
                          "uncertain:\n  low_carbon.carbon_price: {dist: normal, mean: 0, sd: 1}\n",
                  5, 3, "is a ramp: name its `low_carbon.carbon_price.start` or `low_carbon.carbon_price.end`");
  expect_error_at(kHead + "uncertain:\n  low_carbon.carbon_price.end: {dist: normal, mean: 0, sd: 1}\n", 4, 3,
                  "is not a ramp");
  // Support and bounds outside the parameter's range (green_tilt in (-1, 100]).
  expect_error(kHead + "uncertain:\n  lending.green_tilt: {dist: uniform, low: -5, high: -2}\n",
               "s.yaml:4:23: error: uncertain.lending.green_tilt: the distribution (support [-5, -2]) never falls in "
               "the parameter's range (-1, 100]");
  expect_error_at(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0, sd: 1, bounds: [-10, -2]}\n", 4,
                  23, "never falls in the parameter's range");
  expect_error_at(kHead + "uncertain:\n  lending.green_tilt: {dist: normal, mean: 0, sd: 0.01, bounds: [50, 60]}\n",
                  4, 65, "no probability");
}

TEST(ScenarioReader, ModelIssuesPointAtTheirSource) {
  // Column sum of A into equipment is 0.49: v = 0.6 makes it exceed 1 - v.
  ScenarioLoad l = load(kHead + "sector_overrides:\n  equipment: {v: 0.6}\n");
  ASSERT_FALSE(l.scenario);
  ASSERT_GE(l.diagnostics.items().size(), 1u);
  const Diagnostic& d = l.diagnostics.items()[0];
  EXPECT_EQ(d.where.file, "s.yaml");
  EXPECT_EQ(d.where.line, 4);
  EXPECT_EQ(d.where.column, 18);
  EXPECT_NE(d.message.find("equipment"), std::string::npos) << d.format();
  EXPECT_TRUE(d.message.ends_with("(the column is at " + kSource + "/data/io_coefficients.csv:1:89)")) << d.format();

  // The same value written in the CSV: equipment's column of the
  // input-output table, whose sum is too large; the message says where v is.
  fs::path dir = fs::temp_directory_path() / ("mfgsim_scenario_issue_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ifstream in(kSource + "/data/sectors.csv");
  std::ostringstream csv;
  std::string line;
  int line_number = 0, equipment_line = 0, equipment_v_column = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.rfind("equipment,", 0) == 0) {
      equipment_line = line_number;
      equipment_v_column = static_cast<int>(line.find(",0.22,")) + 2;
      line.replace(line.find(",0.22,"), 6, ",0.6,");  // v of equipment
    }
    csv << line << "\n";
  }
  std::ofstream(dir / "sectors.csv") << csv.str();
  fs::copy_file(kSource + "/data/io_coefficients.csv", dir / "io.csv", fs::copy_options::overwrite_existing);
  ScenarioLoad m = load_scenario_text("name: t\ndata: {sectors: sectors.csv, io: io.csv}\n", "m.yaml", dir.string());
  ASSERT_FALSE(m.scenario);
  ASSERT_GE(m.diagnostics.items().size(), 1u);
  const Diagnostic& e = m.diagnostics.items()[0];
  EXPECT_EQ(e.where.file, (dir / "io.csv").string());
  EXPECT_EQ(e.where.line, 1);
  EXPECT_EQ(e.where.column, 89);  // supplier,coal_mining,...,metallurgy,building_materials,equipment
  EXPECT_TRUE(e.message.ends_with("which must be below 1 - v = 0.4 (v is at " + (dir / "sectors.csv").string() + ":" +
                                  std::to_string(equipment_line) + ":" + std::to_string(equipment_v_column) + ")"))
      << e.format();
  fs::remove_all(dir);
}

// ---- parameter paths ------------------------------------------------------------

ModelParams compiled_params() {
  ScenarioLoad l = load(kHead + "low_carbon: {retrofit_push: {from: 2022-01, to: 2023-01, start: 0.1, end: 0.2},\n"
                                "  carbon_price: [{from: 2022-01, value: 1}]}\n");
  EXPECT_TRUE(l.scenario) << l.diagnostics.format();
  return l.scenario ? l.scenario->params : ModelParams{};
}

TEST(ParamAddress, ResolveGetSet) {
  ModelParams p = compiled_params();
  std::string error;

  auto global = resolve_param_path("lending.maturity", p, &error);
  ASSERT_TRUE(global) << error;
  EXPECT_EQ(global->kind, ParamAddress::Kind::global);
  EXPECT_EQ(global->path, "lending.maturity");
  EXPECT_DOUBLE_EQ(get_param(p, *global), 5.0);
  set_param(p, *global, 8.0);
  EXPECT_DOUBLE_EQ(p.global.maturity, 8.0);
  EXPECT_DOUBLE_EQ(global->range().lo, 1.0 / 12.0);
  EXPECT_DOUBLE_EQ(global->range().hi, 100);

  auto sector = resolve_param_path("sector_overrides.equipment.tfp_gain", p, &error);
  ASSERT_TRUE(sector) << error;
  EXPECT_EQ(sector->kind, ParamAddress::Kind::sector);
  int equipment = p.sectors.index_of("equipment");
  EXPECT_EQ(sector->sector, equipment);
  EXPECT_DOUBLE_EQ(get_param(p, *sector), 0.12);
  set_param(p, *sector, 0.3);
  EXPECT_DOUBLE_EQ(p.sectors.tfp_gain[equipment], 0.3);
  EXPECT_DOUBLE_EQ(sector->range().hi, 10);

  auto constant = resolve_param_path("intelligent_manufacturing.innovation_p", p, &error);
  ASSERT_TRUE(constant) << error;
  EXPECT_EQ(constant->kind, ParamAddress::Kind::lever_value);
  set_param(p, *constant, 0.05);
  EXPECT_DOUBLE_EQ(p.levers.innovation_p.at(7), 0.05);
  EXPECT_DOUBLE_EQ(get_param(p, *constant), 0.05);

  auto start = resolve_param_path("low_carbon.retrofit_push.start", p, &error);
  auto end = resolve_param_path("low_carbon.retrofit_push.end", p, &error);
  ASSERT_TRUE(start && end) << error;
  EXPECT_EQ(start->kind, ParamAddress::Kind::lever_start);
  EXPECT_EQ(end->kind, ParamAddress::Kind::lever_end);
  EXPECT_DOUBLE_EQ(get_param(p, *start), 0.1);
  EXPECT_DOUBLE_EQ(get_param(p, *end), 0.2);
  set_param(p, *end, 0.4);
  EXPECT_DOUBLE_EQ(p.levers.retrofit_push.at(12), 0.4);
  EXPECT_DOUBLE_EQ(end->range().hi, 50);
}

TEST(ParamAddress, Errors) {
  ModelParams p = compiled_params();
  std::string error;
  EXPECT_FALSE(resolve_param_path("lending.maturty", p, &error));
  EXPECT_EQ(error, "unknown parameter `lending.maturty` (did you mean `lending.maturity`?)");
  EXPECT_FALSE(resolve_param_path("sector_overrides.equipment.tfp_gian", p, &error));
  EXPECT_EQ(error, "unknown sector column `tfp_gian` in `sector_overrides.equipment.tfp_gian` (did you mean `tfp_gain`?)");
  EXPECT_FALSE(resolve_param_path("sector_overrides.equipment", p, &error));
  EXPECT_NE(error.find("expected `sector_overrides.<sector>.<column>`"), std::string::npos);
  EXPECT_FALSE(resolve_param_path("low_carbon.retrofit_push", p, &error));
  EXPECT_NE(error.find("is a ramp"), std::string::npos);
  EXPECT_FALSE(resolve_param_path("low_carbon.carbon_price", p, &error));
  EXPECT_NE(error.find("step schedule"), std::string::npos);
  EXPECT_FALSE(resolve_param_path("low_carbon.carbon_price.start", p, &error));
  EXPECT_NE(error.find("is not a ramp"), std::string::npos);
  EXPECT_FALSE(resolve_param_path("lending.maturity.start", p, &error));
  EXPECT_EQ(error, "unknown parameter `lending.maturity.start` (did you mean `lending.maturity`?)");
  EXPECT_FALSE(resolve_param_path("intelligent_manufacturing.innovation_p.end", p, &error));
  EXPECT_NE(error.find("(name `intelligent_manufacturing.innovation_p` itself)"), std::string::npos);
}

}  // namespace
}  // namespace mfgsim
