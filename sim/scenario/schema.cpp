#include "sim/scenario/schema.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/core/calendar.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/series.h"

namespace mfgsim {


// ---- the schema ----------------------------------------------------------

const SchemaKey* SchemaKey::child(std::string_view name) const {
  for (const SchemaKey& k : children)
    if (k.key == name) return &k;
  return nullptr;
}

namespace {

SchemaKey make_key(std::string key, SchemaType type, std::string doc) {
  SchemaKey k;
  k.key = std::move(key);
  k.type = type;
  k.doc = std::move(doc);
  return k;
}

SchemaKey ranged(SchemaKey k, ParamRange range) {
  k.has_range = true;
  k.range = range;
  return k;
}

SchemaKey with_default(SchemaKey k, std::string text) {
  k.default_text = std::move(text);
  return k;
}

SchemaKey required(SchemaKey k) {
  k.required = true;
  return k;
}

void set_paths(SchemaKey& k, const std::string& parent) {
  k.path = parent.empty() ? k.key : parent + "." + k.key;
  // Keys of a list item are written `path[i].key`; the schema keeps
  // `path[].key`. Keys of a range entry: `path.<path>.key`.
  std::string prefix = k.type == SchemaType::map_list           ? k.path + "[]"
                       : k.type == SchemaType::parameter_ranges ? k.path + ".<path>"
                                                                : k.path;
  for (SchemaKey& c : k.children) set_paths(c, prefix);
}

SchemaKey build_schema() {
  SchemaKey root = make_key("", SchemaType::section, "");
  root.shape = "a scenario";

  root.children.push_back(required(make_key(
      "name", SchemaType::name, "scenario name (letters, digits, `_`, `.`, `-`), written into result files")));
  root.children.push_back(make_key("description", SchemaType::string, "free text, copied into the manifest"));
  root.children.push_back(make_key("region", SchemaType::string,
                                   "the region the data describe (e.g. `Shanxi`), shown in plot titles and reports"));
  root.children.push_back(make_key(
      "extends", SchemaType::file_list,
      "base scenario file(s) (`.yaml`, `.yml`) this one is merged onto, relative to this file (see Merge rules)"));

  SchemaKey calendar = make_key("calendar", SchemaType::section, "the run's time axis");
  calendar.children.push_back(
      with_default(make_key("start", SchemaType::year_month, "calendar month of month index 0"), "2022-01"));
  SchemaKey months = ranged(make_key("months", SchemaType::integer, "number of monthly steps"), {1, 1200});
  months.unit = "months";
  calendar.children.push_back(with_default(months, "120"));
  root.children.push_back(calendar);

  SchemaKey data = required(make_key("data", SchemaType::section, "input data files, relative to the file where each key is written"));
  data.children.push_back(required(make_key(
      "sectors", SchemaType::file,
      "sector table CSV: a `name` column and every column of the sector table below, in any order")));
  data.children.push_back(required(make_key(
      "io", SchemaType::file,
      "input-output coefficients CSV: `supplier` column, then one column per sector; one row per sector")));
  root.children.push_back(data);

  root.children.push_back(make_key("sector_overrides", SchemaType::sector_overrides,
                                   "sector name -> {column: value}: replaces values of the sector table"));

  // Model parameters: one section per path prefix, keys from the tables.
  std::vector<SchemaKey> sections;
  auto section_for = [&](const std::string& name) -> SchemaKey& {
    for (SchemaKey& s : sections)
      if (s.key == name) return s;
    sections.push_back(make_key(name, SchemaType::section, ""));
    return sections.back();
  };
  auto split = [](const char* path) {
    std::string p(path);
    auto dot = p.find('.');
    return std::pair{p.substr(0, dot), p.substr(dot + 1)};
  };
  section_for("lending").doc = "credit: new medium/long-term loans and their allocation";
  SchemaKey& im = section_for("intelligent_manufacturing");
  im.doc = "intelligent-manufacturing adoption (Bass diffusion with credit and demonstrations)";
  SchemaKey mode = make_key("mode", SchemaType::choice,
                            "`aggregate`: adoption shares per sector; `firms`: firm by firm (MODEL.md \"Firm mode\")");
  mode.choices = {"aggregate", "firms"};
  im.children.push_back(with_default(mode, "aggregate"));
  SchemaKey designation = make_key(
      "designation", SchemaType::choice,
      "firm mode only: `recognition`: a designation names the largest adopted firms not yet designated and "
      "changes no firm's adoption; `adoption`: it names the largest firms not yet designated, which adopt at "
      "designation (the rule before issue 18) (MODEL.md \"Designations in firm mode\")");
  designation.choices = {"recognition", "adoption"};
  im.children.push_back(with_default(designation, "recognition"));
  section_for("low_carbon").doc = "low-carbon upgrades, carbon price and recycling";
  section_for("shocks").doc =
      "shocks: the random ones (`common_rho`, `common_sigma`: used only when `ensemble.stochastic` is true) and the "
      "dated demand shock `final_demand` (every run; models/MODEL.md \"Demand shocks\")";
  section_for("trend_shocks").doc =
      "persistent stochastic trend of final demand (models/MODEL.md \"Persistent trend\"): on when this block is "
      "present (`trend_shocks: {}` takes the defaults), off when absent; `trend_shocks: null` drops an inherited "
      "block; used only when `ensemble.stochastic` is true";
  section_for("trend_shocks").nullable = true;
  // Levers and globals: one key per row of models/fields.h.
  auto add_param = [&](const auto& info, SchemaType type) {
    auto [section, key] = split(info.path);
    SchemaKey k = ranged(make_key(key, type, info.doc), info.range);
    k.symbol = info.symbol;
    k.unit = info.unit;
    k.default_text = format_number(info.default_value);
    section_for(section).children.push_back(k);
  };
  for (const LeverInfo& lever : levers()) add_param(lever, SchemaType::schedule);
  for (const GlobalParamInfo& param : global_params()) add_param(param, SchemaType::number);
  SchemaKey demonstrations = make_key(
      "demonstrations", SchemaType::map_list,
      "demonstration enterprises named: list of `{month, sector, national, provincial}`");
  demonstrations.any_of = {"national", "provincial"};
  demonstrations.children.push_back(required(make_key("month", SchemaType::year_month, "month of designation")));
  demonstrations.children.push_back(required(make_key("sector", SchemaType::string, "sector name")));
  SchemaKey national = ranged(make_key("national", SchemaType::number, "national demonstration enterprises named"), {0, kInf});
  national.unit = "count";
  demonstrations.children.push_back(with_default(national, "0"));
  SchemaKey provincial = ranged(make_key("provincial", SchemaType::number, "provincial demonstration enterprises named"), {0, kInf});
  provincial.unit = "count";
  demonstrations.children.push_back(with_default(provincial, "0"));
  section_for("intelligent_manufacturing").children.push_back(demonstrations);
  section_for("low_carbon").children.push_back(with_default(
      make_key("equipment_sector", SchemaType::string,
               "sector that supplies retrofit equipment (receives all retrofit spending as demand)"),
      "env_protection_equipment"));
  for (SchemaKey& s : sections) root.children.push_back(std::move(s));

  SchemaKey ensemble = make_key("ensemble", SchemaType::section, "members of the run and their random streams");
  ensemble.children.push_back(with_default(
      ranged(make_key("members", SchemaType::integer, "number of runs (members)"), kMembersRange.as_param_range()),
      "1"));
  ensemble.children.push_back(with_default(
      // kSeedRange: every 64-bit value; the schema checker reads whole
      // numbers up to 2^64 - 1 exactly, so the open end is that limit.
      ranged(make_key("seed", SchemaType::integer,
                      "seed of every member's random streams (0 to 18446744073709551615 = 2^64 - 1)"),
             {0, kInf}),
      "1"));
  ensemble.children.push_back(with_default(
      make_key("stochastic", SchemaType::boolean, "draw shocks and `uncertain` parameters (false: deterministic)"),
      "false"));
  root.children.push_back(ensemble);

  root.children.push_back(make_key("uncertain", SchemaType::uncertain,
                                   "parameter path -> distribution drawn once per stochastic member"));
  SchemaKey calibration = make_key(
      "calibration", SchemaType::section,
      "free parameters, targets and optimiser of `mfgsim calibrate` (ignored by `mfgsim run`)");
  calibration.nullable = true;  // `calibration: null` drops an inherited block
  SchemaKey fitted = required(make_key(
      "parameters", SchemaType::parameter_ranges,
      "parameter path -> `{low: x, high: y}`, the bounds of the fit; or a name -> `{paths: [...], low, high}` "
      "to fit one value written to several paths"));
  fitted.shape = "bounds `{low: x, high: y}`";
  fitted.children.push_back(required(make_key("low", SchemaType::number, "lower bound of the fit")));
  fitted.children.push_back(required(make_key("high", SchemaType::number, "upper bound of the fit (> `low`)")));
  fitted.children.push_back(make_key(
      "paths", SchemaType::parameter_paths,
      "parameter paths the one fitted value is written to (the entry's key is then a name of your choice)"));
  calibration.children.push_back(fitted);
  calibration.children.push_back(make_key(
      "targets", SchemaType::file,
      "targets CSV (`id,series,sector,measure,month,value,source`), relative to this file; "
      "`mfgsim calibrate --targets` overrides it"));
  calibration.children.push_back(make_key(
      "weights", SchemaType::weights, "target id -> weight of its squared miss (targets not listed weigh 1)"));
  SchemaKey method = make_key("method", SchemaType::choice,
                              "NLopt algorithm (derivative-free, bounded); `mfgsim calibrate --method` overrides it");
  method.choices = calibration_methods();
  calibration.children.push_back(with_default(method, "LN_BOBYQA"));
  SchemaKey max_evaluations = ranged(
      make_key("max_evaluations", SchemaType::integer, "model runs the optimiser may make at most"),
      kMaxEvaluationsRange.as_param_range());
  max_evaluations.unit = "runs";
  calibration.children.push_back(with_default(max_evaluations, "2000"));
  SchemaKey tolerance = ranged(
      make_key("tolerance", SchemaType::number,
               "stop when a step changes the objective (weighted sum of squared misses) by less than this"),
      kToleranceRange);
  tolerance.unit = "points²";
  calibration.children.push_back(with_default(tolerance, "1e-10"));
  calibration.children.push_back(with_default(
      make_key("accept_misses", SchemaType::boolean,
               "write the least-squares compromise even when targets miss their tolerance (misses reported); "
               "`mfgsim calibrate --accept-misses` sets it"),
      "false"));
  SchemaKey half_life = ranged(
      make_key("recency_half_life", SchemaType::number,
               "recency weights: a target this many months older than the latest weighs half as much "
               "(absent: equal weights); `mfgsim calibrate --recency-half-life` overrides it"),
      kRecencyHalfLifeRange);
  half_life.unit = "months";
  calibration.children.push_back(half_life);
  root.children.push_back(calibration);
  root.children.push_back(with_default(
      make_key("outputs", SchemaType::outputs, "`all` or a list of series names to report (at least one)"), "all"));

  for (SchemaKey& k : root.children) set_paths(k, "");
  return root;
}

// A copy of the scenario key at `path` (section.key) under another doc: a
// batch's overrides take exactly the values the scenario's key takes.
SchemaKey scenario_key(const SchemaKey& scenario, std::string_view section, std::string_view key,
                       std::string doc) {
  const SchemaKey* k = section.empty() ? scenario.child(key) : scenario.child(section)->child(key);
  SchemaKey copy = *k;
  copy.doc = std::move(doc);
  copy.default_text.clear();  // unset: each scenario's own
  return copy;
}

SchemaKey build_batch_schema(const SchemaKey& scenario) {
  SchemaKey root = make_key("the batch", SchemaType::section, "");
  root.shape = "a batch";
  root.children.push_back(required(make_key(
      "name", SchemaType::name,
      "batch name (letters, digits, `_`, `.`, `-`)")));
  root.children.push_back(make_key("description", SchemaType::string, "free text, copied into the manifest"));
  root.children.push_back(make_key(
      "scenarios", SchemaType::file_sequence,
      "scenario files, relative to the batch file, each run as it is (but for the overrides below)"));

  SchemaKey sweeps = make_key("sweeps", SchemaType::map_list,
                              "sweeps: each derives one scenario per sample of its parameters from `base`");
  sweeps.children.push_back(required(make_key(
      "name", SchemaType::name, "sweep name; its samples are named `<name>_000`, `<name>_001`, ...")));
  sweeps.children.push_back(required(make_key(
      "base", SchemaType::file, "the scenario file every sample starts from, relative to the batch file")));
  SchemaKey method = required(make_key(
      "method", SchemaType::choice,
      "`grid`: every combination of the parameters' `points`; `lhs`: Latin hypercube; `sobol`: Sobol sequence"));
  method.choices = {"grid", "lhs", "sobol"};
  sweeps.children.push_back(method);
  SchemaKey samples = ranged(make_key("samples", SchemaType::integer,
                                      "number of samples; required by `lhs` and `sobol`, not allowed in a `grid`"),
                             {1, 1e6});
  samples.unit = "scenarios";
  sweeps.children.push_back(samples);
  SchemaKey parameters = required(make_key(
      "parameters", SchemaType::parameter_ranges,
      "parameter path (as in `uncertain`) -> `{low: x, high: y}`, the range its samples are mapped onto"));
  parameters.shape = "`{low: x, high: y}` (in a grid sweep `{low: x, high: y, points: n}`)";
  parameters.children.push_back(required(make_key(
      "low", SchemaType::number, "lowest value; inside the parameter's valid range")));
  parameters.children.push_back(required(make_key(
      "high", SchemaType::number, "highest value (> `low`); inside the parameter's valid range")));
  SchemaKey points = ranged(make_key("points", SchemaType::integer,
                                     "grid sweeps only, and required there: equally spaced values, ends included"),
                            {2, 1e4});
  points.unit = "values";
  parameters.children.push_back(points);
  sweeps.children.push_back(parameters);
  root.children.push_back(sweeps);

  root.children.push_back(scenario_key(scenario, "ensemble", "members", "overrides every scenario's `ensemble.members`"));
  root.children.push_back(scenario_key(scenario, "ensemble", "seed", "overrides every scenario's `ensemble.seed`"));
  root.children.push_back(
      scenario_key(scenario, "ensemble", "stochastic", "overrides every scenario's `ensemble.stochastic`"));
  root.children.push_back(scenario_key(scenario, "", "outputs", "overrides every scenario's `outputs`"));

  for (SchemaKey& k : root.children) set_paths(k, "");
  return root;
}

}  // namespace

const SchemaKey& scenario_schema() {
  static const SchemaKey schema = build_schema();
  return schema;
}

const SchemaKey& batch_schema() {
  static const SchemaKey schema = build_batch_schema(scenario_schema());
  return schema;
}

bool schema_boolean(const YamlNode& node) { return parse_boolean(node).value_or(false); }

const std::vector<std::string>& calibration_methods() {
  static const std::vector<std::string> methods = {
      "LN_BOBYQA", "LN_COBYLA", "LN_NEWUOA_BOUND", "LN_NELDERMEAD", "LN_SBPLX",
      "GN_DIRECT", "GN_DIRECT_L", "GN_CRS2_LM", "GN_ISRES", "GN_ESCH",
  };
  return methods;
}

const std::vector<DistributionSchema>& distribution_schemas() {
  static const std::vector<DistributionSchema> schemas = {
      {"normal", {"mean", "sd"}, "normal with mean `mean` and standard deviation `sd` > 0"},
      {"lognormal", {"mu", "sigma"}, "log of the value is normal with mean `mu` and standard deviation `sigma` > 0"},
      {"uniform", {"low", "high"}, "uniform on [low, high], low < high"},
      {"triangular", {"low", "mode", "high"}, "triangular on [low, high] peaking at mode, low <= mode <= high, low < high"},
  };
  return schemas;
}

}  // namespace mfgsim
