// The Markdown reference of the scenario and batch schemas (`mfgsim
// schema`, scenarios/SCHEMA.md), generated from the schema data.
#include "sim/scenario/schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "sim/core/calendar.h"
#include "sim/engine/series.h"
#include "sim/scenario/scenario.h"

namespace mfgsim {

// ---- Markdown reference --------------------------------------------------

namespace {

std::string type_text(const SchemaKey& k) {
  switch (k.type) {
    case SchemaType::string: return "string";
    case SchemaType::name: return "name";
    case SchemaType::year_month: return "month `YYYY-MM`";
    case SchemaType::integer: return "integer";
    case SchemaType::number: return "number";
    case SchemaType::boolean: return "boolean";
    case SchemaType::schedule: return "schedule";
    case SchemaType::choice: {
      std::string out;
      for (std::size_t i = 0; i < k.choices.size(); ++i) out += (i ? " \\| `" : "`") + k.choices[i] + "`";
      return out;
    }
    case SchemaType::file: return "file path";
    case SchemaType::file_list: return "file path or list";
    case SchemaType::section: return "map";
    case SchemaType::sector_overrides: return "map";
    case SchemaType::file_sequence: return "list of file paths";
    case SchemaType::map_list: return "list";
    case SchemaType::uncertain: return "map";
    case SchemaType::outputs: return "`all` or list";
    case SchemaType::parameter_ranges: return "map";
    case SchemaType::parameter_paths: return "list";
    case SchemaType::weights: return "map";
  }
  return "";
}

std::string cell(const std::string& text) { return text.empty() ? "" : text; }

std::string key_row(const SchemaKey& k, const std::string& shown) {
  std::string doc = k.doc;
  if (!k.symbol.empty() && k.symbol != "—") doc = k.symbol + ": " + doc;
  if (k.required) doc = "**required.** " + doc;
  std::string def = k.default_text.empty() ? "" : "`" + k.default_text + "`";
  return "| `" + shown + "` | " + type_text(k) + " | " + cell(k.unit) + " | " + def + " | " +
         (k.has_range ? format_range(k.range) : "") + " | " + doc + " |\n";
}

// The row of `k`, then the rows of the keys of its list items or entries.
std::string key_rows(const SchemaKey& k) {
  std::string rows = key_row(k, k.path);
  if (k.type == SchemaType::map_list || k.type == SchemaType::parameter_ranges)
    for (const SchemaKey& c : k.children) rows += key_rows(c);
  return rows;
}

const char* kTableHeader =
    "| key | type | unit | default | valid range | meaning |\n"
    "|---|---|---|---|---|---|\n";

std::string batch_markdown() {
  std::string md;
  md += "## Batch files\n\n";
  md += "A batch file (`mfgsim batch`) lists scenario files and sweeps; a sweep derives one\n"
        "named scenario per sample of its parameters from a base scenario. It is read in the\n"
        "same three phases as a scenario, with the same rules for every type: a boolean is\n"
        "`true`, `True`, `TRUE`, `false`, `False` or `FALSE` unquoted; an integer is a plain\n"
        "whole number (no exponent, no decimal point); a quoted value is a string, never a\n"
        "number or a boolean. The compile phase reads every scenario file and each sweep's\n"
        "base, resolves the swept parameter paths (the forms of `uncertain` above) in the\n"
        "base, and checks every sample with the model's checks before anything runs.\n\n";
  md += kTableHeader;
  for (const SchemaKey& k : batch_schema().children) md += key_rows(k);
  md += "\n";
  md += "Besides the types and ranges above:\n\n"
        "- a batch needs `scenarios`, `sweeps` or both, not both empty;\n"
        "- `lhs` and `sobol` sweeps need `samples`; a `grid` sweep has no `samples` (it has\n"
        "  one sample per combination of its parameters' values, at most 1000000) and each\n"
        "  of its parameters needs `points`, which only grid sweeps take;\n"
        "- `low` and `high` lie in the parameter's valid range, and a swept parameter is not\n"
        "  drawn in the base scenario's `uncertain` block;\n"
        "- a whole-number parameter (a sector's `firms`, `industry` or `manufacturing`) has\n"
        "  whole `low` and `high`, and a grid steps by a whole number ((high - low) /\n"
        "  (points - 1)); `lhs` and `sobol` samples take each whole value of [low, high]\n"
        "  alike (rank u gives low + min(floor(u (high - low + 1)), high - low), so a flag\n"
        "  swept over [0, 1] is 0 for u < 1/2 and 1 above); `scenarios.csv` has the values used;\n"
        "- scenario names (a scenario file's `name`, a sample's `<sweep>_<index>`) are unique\n"
        "  in the batch, and all scenarios share one calendar and one sector table;\n"
        "- `members`, `seed`, `stochastic` and `outputs`, when given, replace every\n"
        "  scenario's own `ensemble.members`, `ensemble.seed`, `ensemble.stochastic` and\n"
        "  `outputs`. Random streams are keyed by the seed alone, so scenarios with one\n"
        "  seed draw common random numbers, in a batch or run alone.\n\n"
        "Samples lie in the unit cube, mapped linearly onto `[low, high]`: a grid takes\n"
        "every combination of each parameter's `points` equally spaced values (the first\n"
        "parameter varies slowest); `lhs` a Latin hypercube whose strata are paired by\n"
        "permutations drawn from the batch seed (the base scenario's when the batch sets\n"
        "none) and the sweep name; `sobol` points 0 to `samples` - 1 of the Sobol sequence\n"
        "with a random digital shift keyed the same way (one sample in each of `samples`\n"
        "equal strata of every parameter when `samples` is a power of two; other counts\n"
        "warn).\n\n"
        "```yaml\n"
        "name: levers\n"
        "description: three levers swept together, with the baseline for reference\n"
        "scenarios: [../baseline.yaml]\n"
        "sweeps:\n"
        "  - name: levers                  # samples levers_000, levers_001, ...\n"
        "    base: ../baseline.yaml\n"
        "    method: sobol\n"
        "    samples: 256\n"
        "    parameters:\n"
        "      low_carbon.retrofit_push.end: {low: 0.05, high: 0.45}\n"
        "      lending.long_term_growth: {low: 0.0, high: 0.15}\n"
        "members: 50\n"
        "seed: 1\n"
        "stochastic: true\n"
        "outputs: [manufacturing_va_ytd_yoy, co2]\n"
        "```\n";
  return md;
}

}  // namespace

std::string schema_markdown() {
  const SchemaKey& root = scenario_schema();
  std::string md;
  md += "# Scenario file reference\n\n";
  md += "Generated from the parameter tables (`models/parameters.cpp`) by `mfgsim schema`;\n"
        "do not edit by hand (a test checks that this file is up to date).\n\n";
  md += "A scenario is one YAML file (plus the files it `extends`). It is read in three\n"
        "phases, and every problem of a phase is reported, compiler style, before the\n"
        "reader stops:\n\n"
        "1. **syntax**: YAML parsing, duplicate keys, `extends` resolution;\n"
        "2. **schema**: types, ranges, required keys, unknown keys (with a \"did you\n"
        "   mean\" suggestion), month formats, distribution parameters;\n"
        "3. **compile**: data files, sector names, parameter paths, the model's\n"
        "   cross-parameter checks: each column of the input-output table sums\n"
        "   below `1 - v` of its sector, `capital_goods_share` sums to at most 1,\n"
        "   some sector borrows (`loan_weight` > 0), some sector is manufacturing\n"
        "   and every manufacturing sector counts in industry, and the reference\n"
        "   final demand of month 0 is not negative. A problem with a value of a\n"
        "   data file is reported at its cell of the file (`file:line:col`), or at\n"
        "   the scenario's override when the scenario sets the value.\n\n"
        "Messages read `file:line:col: error: message` and point at the offending\n"
        "node: the key for an unknown key, the value for a bad value. Every key not\n"
        "listed here is an error. Missing optional keys take the defaults below.\n"
        "Ranges: `[a, b]` includes both ends, `(a, b]` excludes a.\n\n";

  md += "## Top-level keys\n\n";
  md += kTableHeader;
  for (const SchemaKey& k : root.children) md += key_row(k, k.path);
  md += "\n";

  for (const SchemaKey& k : root.children) {
    if (k.type != SchemaType::section) continue;
    md += "## `" + k.key + "`\n\n";
    if (!k.doc.empty()) {
      std::string doc = k.doc;
      doc[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(doc[0])));
      md += doc + ".\n\n";
    }
    md += kTableHeader;
    for (const SchemaKey& c : k.children) md += key_rows(c);
    md += "\n";
    if (k.key == "intelligent_manufacturing") {
      md += "`demonstrations` entries need `month` and `sector`, and `national`, `provincial` or both.\n"
            "Entries dated before `calendar.start` count from month 0 on.\n\n";
    }
    if (k.key == "calibration") {
      md += "Each entry of `parameters` is either a parameter path (the forms of `uncertain`\n"
            "below: a global parameter, `sector_overrides.<sector>.<column>`, a constant lever,\n"
            "or the `start`/`end` of a ramp) with `{low, high}`, or a name of your choice with\n"
            "`{paths: [...], low, high}`: one fitted value written to every listed path (to\n"
            "keep several sectors' columns equal). `low < high`, and both must lie in every\n"
            "path's valid range; a path may be fitted only once. The fit starts from the value\n"
            "the scenario sets (the first path's, for a name), clamped into the bounds.\n"
            "Whole-number parameters (a sector's `firms`, `industry`, `manufacturing`) cannot be\n"
            "fitted: the least-squares fit varies values continuously.\n"
            "A scenario that extends a calibrated one inherits its block as it is; a\n"
            "`calibration:` block in the extending file replaces the inherited one whole (its\n"
            "keys are never merged with the base's), and `calibration: null` drops it (needed\n"
            "when it gives a fitted ramp or constant lever another form). More free parameters\n"
            "(a `paths:` name counts once) than targets is a warning: the targets cannot\n"
            "determine every fitted value.\n\n"
            "`mfgsim calibrate` runs the scenario deterministically (shocks off, no draws) up\n"
            "to the last target month, and minimises the weighted sum of squared misses in\n"
            "percentage points (`sum w (100 (model - published))^2`) over the bounds with\n"
            "NLopt. It writes a scenario named `<name>_calibrated` that `extends` this one and\n"
            "sets only the fitted values (at the same paths; a ramp with a fitted `start` or\n"
            "`end` is written whole). Stops at `max_evaluations` runs, when a step changes\n"
            "the objective by less than `tolerance`, or when a step moves every parameter by\n"
            "less than 1e-8 of its distance from `low`.\n\n"
            "```yaml\n"
            "calibration:\n"
            "  targets: ../data/targets.csv\n"
            "  method: LN_BOBYQA\n"
            "  max_evaluations: 3000\n"
            "  parameters:\n"
            "    lending.new_loans_base: {low: 10, high: 200}\n"
            "    low_carbon.retrofit_push.end: {low: 0, high: 1}\n"
            "    manufacturing_demand_trend:\n"
            "      paths: [sector_overrides.chemicals.demand_trend, sector_overrides.equipment.demand_trend]\n"
            "      low: -0.1\n"
            "      high: 0.3\n"
            "  weights: {mfg_h1_2023: 2}\n"
            "```\n\n";
    }
  }

  md += "## `sector_overrides`\n\n";
  md += "`sector_overrides.<sector>.<column>: value` replaces one value of the sector table\n"
        "(`data.sectors`); `<sector>` must be a sector of the table, `<column>` any column\n"
        "below. The sector table itself has a `name` column plus all of these columns, in\n"
        "any order.\n\n";
  md += "| column | type | unit | valid range | meaning |\n|---|---|---|---|---|\n";
  for (const SectorFieldInfo& f : sector_fields()) {
    std::string doc = f.doc;
    if (std::string(f.symbol) != "—" && std::string(f.symbol) != f.column) doc = std::string(f.symbol) + ": " + doc;
    md += "| `" + std::string(f.column) + "` | " + (f.integer ? "integer" : "number") + " | " + f.unit + " | " +
          format_range(f.range) + " | " + doc + " |\n";
  }
  md += "\nThe input-output table (`data.io`) has a first column `supplier` naming the\n"
        "supplying sector of each row and one column per using sector; rows and columns\n"
        "must name exactly the sectors of the sector table (any order). Values are finite\n"
        "and >= 0.\n\n";

  md += "## Schedules\n\n";
  md += "Keys of type *schedule* (the levers, marked (t) in MODEL.md) take one of three forms:\n\n"
        "```yaml\n"
        "carbon_price: 60                      # constant\n"
        "carbon_price:                         # steps: each value holds from its month on\n"
        "  - {from: 2022-01, value: 50}\n"
        "  - {from: 2024-01, value: 80}        # months strictly increasing\n"
        "carbon_price: {from: 2022-01, to: 2030-01, start: 50, end: 150}   # linear ramp, to > from\n"
        "```\n\n"
        "Months are calendar months; they may lie before `calendar.start`. Before its first\n"
        "entry a schedule takes its first value; a ramp is `start` up to `from` and `end`\n"
        "from `to` on. Every value a schedule takes must lie in the lever's range.\n\n"
        "In a file that `extends` another, a schedule replaces the inherited one whole (a\n"
        "ramp's keys are never merged with the base's), and a dated schedule (steps or a\n"
        "ramp) replaces it **from its first month on only**: before that month the lever\n"
        "keeps the inherited values (the base's schedule, or the lever's default when no\n"
        "base sets it). A constant replaces the whole run. So \"the baseline, but carbon at\n"
        "¥200/t by 2027\" is\n\n"
        "```yaml\n"
        "extends: baseline.yaml\n"
        "low_carbon:\n"
        "  carbon_price: {from: 2024-01, to: 2027-01, start: 96, end: 200}   # the baseline's prices before 2024-01\n"
        "```\n\n"
        "A ramp with `before: start` holds its `start` before `from` also in an extending\n"
        "file. In a file that extends nothing, MODEL.md's rule above holds. When an\n"
        "extending file changes a lever in the calibrated window (the months up to the last\n"
        "target of the scenario's `calibration:` block) and the block does not fit that\n"
        "lever, loading the scenario gives a warning naming the lever and the months: the\n"
        "inherited fitted values were fitted to the inherited schedule there.\n\n";

  md += "## `uncertain`\n\n";
  md += "`uncertain: {<parameter path>: <distribution>}`: with `ensemble.stochastic: true`,\n"
        "each member draws the parameter once from the distribution (from its own random\n"
        "stream). A parameter path is\n\n"
        "- a global parameter: `lending.maturity`;\n"
        "- a sector column: `sector_overrides.<sector>.<column>`;\n"
        "- a lever whose schedule is a constant: `low_carbon.carbon_price`;\n"
        "- the start or end value of a lever whose schedule is a ramp:\n"
        "  `low_carbon.retrofit_push.start`, `low_carbon.retrofit_push.end`.\n\n"
        "Step schedules cannot be uncertain.\n\n"
        "In a file that `extends` another, each entry replaces the inherited entry of the\n"
        "same path whole (a distribution's keys are never merged with the base's), and\n"
        "`<path>: null` removes an inherited entry (an error when no base draws that path).\n"
        "A value that a file sets for a parameter that an inherited entry draws is an error\n"
        "at the value, naming the entry (the draw would replace the value in every\n"
        "stochastic member), unless the same file removes the entry or gives a new one.\n\n"
        "Distributions:\n\n";
  md += "| `dist` | parameters | meaning |\n|---|---|---|\n";
  for (const DistributionSchema& d : distribution_schemas()) {
    std::string params;
    for (const std::string& p : d.params) params += (params.empty() ? "`" : ", `") + p + "`";
    md += "| `" + std::string(d.name) + "` | " + params + " | " + d.doc + " |\n";
  }
  md += "\nAny distribution may add `bounds: [lo, hi]` (lo < hi; `-inf`, `inf` allowed): draws\n"
        "then follow the distribution conditioned on [lo, hi] (inverse CDF at\n"
        "`F(lo) + u (F(hi) - F(lo))`). The support, the bounds and the parameter's valid\n"
        "range must overlap. A whole-number parameter (a sector's `firms`, `industry` or\n"
        "`manufacturing`) is drawn only from `uniform` with whole `low` and `high` and no\n"
        "`bounds`: each whole value between them equally likely.\n\n"
        "```yaml\n"
        "uncertain:\n"
        "  lending.green_tilt: {dist: normal, mean: 0.5, sd: 0.1, bounds: [0, 1]}\n"
        "  sector_overrides.equipment.tfp_gain: {dist: lognormal, mu: -2, sigma: 0.3}\n"
        "  low_carbon.retrofit_push.end: {dist: uniform, low: 0.05, high: 0.2}\n"
        "  intelligent_manufacturing.imitation_q: {dist: triangular, low: 0.2, mode: 0.3, high: 0.5}\n"
        "```\n\n";

  md += "## `extends`: merge rules\n\n";
  md += "- `extends: base.yaml` or `extends: [a.yaml, b.yaml]`; paths are relative to the\n"
        "  file that contains the `extends` key. A base is a scenario file (`.yaml` or\n"
        "  `.yml`, a map of keys); anything else (a data table) is an error at its entry.\n"
        "- Each base is resolved first (its own `extends`, recursively); the bases are merged\n"
        "  in list order, a later one winning over an earlier one; the extending file's own\n"
        "  keys are merged last and win over all bases.\n"
        "- Maps are merged key by key, recursively. Lists (e.g. `demonstrations`, steps of a\n"
        "  schedule, `outputs`) and single values replace the earlier value whole.\n"
        "- Replaced whole, never merged key by key: a lever's schedule (a ramp too; a dated\n"
        "  schedule keeps the inherited values before its first month, see Schedules), each\n"
        "  `uncertain:` entry (`<path>: null` removes one) and the `calibration:` block\n"
        "  (`calibration: null` drops it).\n"
        "- A value set for a parameter that an inherited `uncertain:` entry draws is an\n"
        "  error unless the same file removes or replaces the entry (see `uncertain`).\n"
        "- Relative paths (`data.sectors`, `data.io`, nested `extends`) resolve against the\n"
        "  directory of the file in which they are written.\n"
        "- A cycle (`a.yaml -> b.yaml -> a.yaml`) and a missing base file are errors at the\n"
        "  `extends` entry.\n\n";

  md += "## Output series\n\n";
  md += "Names that `outputs` may list (see MODEL.md, Reported series):\n\n";
  for (const std::string& name : all_series_names()) md += "- `" + name + "`\n";
  md += "\n";
  md += "## Example\n\n";
  md += "```yaml\n"
        "name: baseline\n"
        "description: \"Shanxi 2021-2030, report figures\"\n"
        "calendar: {start: 2021-01, months: 120}\n"
        "data: {sectors: ../data/sectors.csv, io: ../data/io_coefficients.csv}\n"
        "sector_overrides:\n"
        "  equipment: {demand_trend: 0.07}\n"
        "lending: {new_loans_base: 45, long_term_growth: 0.05, green_tilt: 0.5}\n"
        "intelligent_manufacturing:\n"
        "  demonstrations:\n"
        "    - {month: 2023-07, sector: equipment, provincial: 63}\n"
        "low_carbon:\n"
        "  carbon_price: {from: 2022-01, to: 2030-01, start: 55, end: 150}\n"
        "ensemble: {members: 100, seed: 7, stochastic: true}\n"
        "outputs: [va, manufacturing_va, co2]\n"
        "```\n\n";
  md += batch_markdown();
  return md;
}

}  // namespace mfgsim
