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
  root.children.push_back(make_key(
      "extends", SchemaType::file_list,
      "base scenario file(s) this one is merged onto, relative to this file (see Merge rules)"));

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
  section_for("shocks").doc = "stochastic shocks (used only when `ensemble.stochastic` is true)";
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
      ranged(make_key("members", SchemaType::integer, "number of runs (members)"), {1, 1e7}), "1"));
  ensemble.children.push_back(with_default(
      ranged(make_key("seed", SchemaType::integer, "seed of every member's random streams"), {0, kInf}),
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
      make_key("max_evaluations", SchemaType::integer, "model runs the optimiser may make at most"), {1, 1e7});
  max_evaluations.unit = "runs";
  calibration.children.push_back(with_default(max_evaluations, "2000"));
  SchemaKey tolerance = ranged(
      make_key("tolerance", SchemaType::number,
               "stop when a step changes the objective (weighted sum of squared misses) by less than this"),
      {0, kInf});
  tolerance.unit = "points²";
  calibration.children.push_back(with_default(tolerance, "1e-10"));
  root.children.push_back(calibration);
  root.children.push_back(with_default(
      make_key("outputs", SchemaType::outputs, "`all` or a list of series names to report"), "all"));

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
      "batch name (letters, digits, `_`, `.`, `-`); also the random stream every scenario of the batch draws from")));
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

std::vector<std::string> child_names(const SchemaKey& k) {
  std::vector<std::string> names;
  for (const SchemaKey& c : k.children) names.push_back(c.key);
  return names;
}

std::vector<std::string> sector_columns() {
  std::vector<std::string> names;
  for (const SectorFieldInfo& f : sector_fields()) names.push_back(f.column);
  return names;
}

std::optional<double> parse_bound(const YamlNode& node) {
  if (!node.is_scalar() || node.quoted) return std::nullopt;
  const std::string& t = node.text;
  if (t == "inf" || t == ".inf" || t == "+inf" || t == "+.inf" || t == ".Inf" || t == "+.Inf") return kInf;
  if (t == "-inf" || t == "-.inf" || t == "-.Inf") return -kInf;
  return parse_number(t);
}

std::string join(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (k) out += separator;
    out += names[k];
  }
  return out;
}

class Checker {
 public:
  explicit Checker(Diagnostics& d) : d_(d) {}

  void section(const SchemaKey& schema, const YamlNode& node, const SourceLocation& named_at,
               const std::string& path) {
    if (node.is_null()) {
      missing(schema, node, named_at, path);
      return;
    }
    if (!node.is_map()) {
      d_.error(node.where, (path.empty() ? schema.shape : "`" + path + "`") + " must be a map of keys, got " +
                               node.describe());
      return;
    }
    const std::vector<std::string> names = child_names(schema);
    for (const YamlEntry& e : node.entries) {
      const SchemaKey* child = schema.child(e.key);
      if (!child) {
        // At the root, the schema's key names the document ("the batch"; "" for a scenario).
        unknown_key(e, path.empty() ? schema.key : "`" + path + "`", names);
        continue;
      }
      value(*child, e.value, e.key_where, join_path(path, e.key));
    }
    missing(schema, node, named_at, path);
  }

 private:
  static std::string join_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
  }

  // `in`: where the key was written ("`lending`", "the batch"; "" at a scenario's root).
  void unknown_key(const YamlEntry& e, const std::string& in, const std::vector<std::string>& names) {
    d_.error(e.key_where, "unknown key `" + e.key + "`" + (in.empty() ? "" : " in " + in) + did_you_mean(e.key, names));
  }

  void missing(const SchemaKey& schema, const YamlNode& node, const SourceLocation& named_at,
               const std::string& path) {
    for (const SchemaKey& c : schema.children)
      if (c.required && !node.find(c.key))
        d_.error(named_at, "missing required key `" + join_path(path, c.key) + "`");
  }

  void value(const SchemaKey& k, const YamlNode& v, const SourceLocation& key_where, const std::string& path) {
    switch (k.type) {
      case SchemaType::string:
      case SchemaType::file:
        if (!v.is_scalar() || (k.type == SchemaType::file && v.text.empty()))
          d_.error(v.where, path + ": expected " + (k.type == SchemaType::file ? "a file path" : "a string") +
                                ", got " + v.describe());
        return;
      case SchemaType::file_list:
        if (v.is_scalar()) return;
        if (v.is_sequence()) {
          for (const YamlNode& item : v.items)
            if (!item.is_scalar()) d_.error(item.where, path + ": expected a file path, got " + item.describe());
          return;
        }
        d_.error(v.where, path + ": expected a file path or a list of file paths, got " + v.describe());
        return;
      case SchemaType::file_sequence:
        if (!v.is_sequence()) {
          d_.error(v.where, path + ": expected a list of file paths, got " + v.describe());
          return;
        }
        for (const YamlNode& item : v.items)
          if (!item.is_scalar() || item.text.empty())
            d_.error(item.where, path + ": expected a file path, got " + item.describe());
        return;
      case SchemaType::name: {
        bool ok = v.is_scalar() && !v.text.empty();
        if (ok)
          for (char c : v.text)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') ok = false;
        if (!ok)
          d_.error(v.where, path + ": expected a name of letters, digits, `_`, `.` and `-`, got " + v.describe());
        return;
      }
      case SchemaType::year_month:
        month(v, path);
        return;
      case SchemaType::integer: return integer(v, path, k.range);
      case SchemaType::number:
        number(v, path, k.range);
        return;
      case SchemaType::boolean:
        if (!parse_boolean(v))
          d_.error(v.where, path + ": expected true or false, got " + v.describe());
        return;
      case SchemaType::schedule: return schedule(v, path, k.range);
      case SchemaType::choice:
        if (!v.is_scalar() || std::find(k.choices.begin(), k.choices.end(), v.text) == k.choices.end())
          d_.error(v.where, path + ": expected one of " + join(k.choices, ", ") + ", got " + v.describe() +
                                (v.is_scalar() ? did_you_mean(v.text, k.choices) : ""));
        return;
      case SchemaType::section:
        if (k.nullable && v.is_null()) return;
        section(k, v, key_where, path);
        return;
      case SchemaType::sector_overrides: return sector_overrides(v, path);
      case SchemaType::map_list: return map_list(k, v, path);
      case SchemaType::uncertain: return uncertain(v, path);
      case SchemaType::outputs: return outputs(v, path);
      case SchemaType::parameter_ranges: return parameter_ranges(k, v, path);
      case SchemaType::parameter_paths: return parameter_paths(v, path);
      case SchemaType::weights: return weights(v, path);
    }
  }

  // The shape of a map (list item or entry) written out: `{a, b, c}`.
  static std::string braces(const SchemaKey& k) {
    return k.shape.empty() ? "`{" + join(child_names(k), ", ") + "}`" : k.shape;
  }

  void parameter_ranges(const SchemaKey& k, const YamlNode& v, const std::string& path) {
    if (!v.is_map() || v.entries.empty()) {
      d_.error(v.where, path + ": expected a map of parameter path -> `{low: x, high: y}` (at least one), got " +
                            v.describe());
      return;
    }
    std::vector<std::string> needed;
    for (const SchemaKey& c : k.children)
      if (c.required) needed.push_back(c.key);
    for (const YamlEntry& e : v.entries) {
      const std::string p = path + "." + e.key;
      if (!keys(e.value, p, child_names(k), needed, braces(k).c_str())) continue;
      for (const YamlEntry& r : e.value.entries)
        if (const SchemaKey* c = k.child(r.key)) value(*c, r.value, r.key_where, p + "." + r.key);
      const YamlNode* low = e.value.find("low");
      const YamlNode* high = e.value.find("high");
      const auto number_of = [](const YamlNode* n) {
        return n && n->is_scalar() && !n->quoted ? parse_number(n->text) : std::nullopt;
      };
      const std::optional<double> lo = number_of(low), hi = number_of(high);
      if (lo && hi && !(*lo < *hi))
        d_.error(high->where, p + ": low must be < high (got low " + low->text + ", high " + high->text + ")");
    }
  }

  void parameter_paths(const YamlNode& v, const std::string& path) {
    if (!v.is_sequence() || v.items.empty()) {
      d_.error(v.where, path + ": expected a list of parameter paths (at least one), got " + v.describe());
      return;
    }
    for (const YamlNode& item : v.items)
      if (!item.is_scalar() || item.text.empty())
        d_.error(item.where, path + ": expected a parameter path, got " + item.describe());
  }

  void weights(const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected a map of target id -> weight, got " + v.describe());
      return;
    }
    for (const YamlEntry& e : v.entries) number(e.value, path + "." + e.key, {0, kInf});
  }

  std::optional<YearMonth> month(const YamlNode& v, const std::string& path) {
    std::optional<YearMonth> ym;
    if (v.is_scalar()) ym = parse_year_month(v.text);
    if (!ym) d_.error(v.where, path + ": expected a month YYYY-MM, got " + v.describe());
    return ym;
  }

  std::optional<double> number(const YamlNode& v, const std::string& path, const ParamRange& range,
                               bool whole = false) {
    std::optional<double> x;
    if (v.is_scalar() && !v.quoted) x = parse_number(v.text);
    if (!x) {
      d_.error(v.where, path + ": expected a number, got " + v.describe());
      return std::nullopt;
    }
    if (whole && std::floor(*x) != *x) {
      d_.error(v.where, path + " must be a whole number (got " + v.text + ")");
      return std::nullopt;
    }
    if (!range.contains(*x)) {
      d_.error(v.where, path + " must be " + range_requirement(range) + " (got " + v.text + ")");
      return std::nullopt;
    }
    return x;
  }

  void integer(const YamlNode& v, const std::string& path, const ParamRange& range) {
    std::optional<long long> x;
    if (v.is_scalar() && !v.quoted) x = parse_integer(v.text);
    if (!x) {
      d_.error(v.where, path + ": expected a whole number, got " + v.describe());
      return;
    }
    if (!range.contains(static_cast<double>(*x)))
      d_.error(v.where, path + " must be " + range_requirement(range) + " (got " + v.text + ")");
  }

  // Checks the keys of a map against `allowed`; reports unknown ones and
  // missing `needed` ones (at the map). Returns false when not a map.
  bool keys(const YamlNode& v, const std::string& path, const std::vector<std::string>& allowed,
            const std::vector<std::string>& needed, const char* what) {
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected " + what + ", got " + v.describe());
      return false;
    }
    for (const YamlEntry& e : v.entries)
      if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end())
        unknown_key(e, "`" + path + "`", allowed);
    for (const std::string& n : needed)
      if (!v.find(n)) d_.error(v.where, path + ": missing required key `" + n + "`");
    return true;
  }

  void schedule(const YamlNode& v, const std::string& path, const ParamRange& range) {
    const char* forms = "a number, a list of `{from: YYYY-MM, value: x}` steps or a "
                        "`{from: YYYY-MM, to: YYYY-MM, start: x, end: y}` ramp";
    if (v.is_scalar()) {
      std::optional<double> x;
      if (!v.quoted) x = parse_number(v.text);
      if (!x) {
        d_.error(v.where, path + ": expected " + std::string(forms) + ", got " + v.describe());
        return;
      }
      number(v, path, range);
      return;
    }
    if (v.is_sequence()) {
      if (v.items.empty()) {
        d_.error(v.where, path + ": a step schedule needs at least one `{from: YYYY-MM, value: x}` entry");
        return;
      }
      std::optional<YearMonth> previous;
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        const YamlNode& item = v.items[i];
        std::string item_path = path + "[" + std::to_string(i) + "]";
        if (!keys(item, item_path, {"from", "value"}, {"from", "value"}, "a `{from: YYYY-MM, value: x}` step")) {
          previous.reset();
          continue;
        }
        if (const YamlNode* value = item.find("value")) number(*value, item_path + ".value", range);
        const YamlNode* from = item.find("from");
        std::optional<YearMonth> ym = from ? month(*from, item_path + ".from") : std::nullopt;
        if (ym && previous && months_between(*previous, *ym) <= 0)
          d_.error(from->where, item_path + ".from: months must be strictly increasing (" +
                                    format_year_month(*ym) + " is not after " + format_year_month(*previous) + ")");
        if (ym) previous = ym;
      }
      return;
    }
    if (v.is_map()) {
      if (v.find("value")) {
        d_.error(v.where, path + ": steps are written as a list: `[{from: YYYY-MM, value: x}, ...]`");
        return;
      }
      if (!keys(v, path, {"from", "to", "start", "end"}, {"from", "to", "start", "end"}, "a ramp")) return;
      for (const char* key : {"start", "end"})
        if (const YamlNode* x = v.find(key)) number(*x, path + "." + key, range);
      const YamlNode* from = v.find("from");
      const YamlNode* to = v.find("to");
      std::optional<YearMonth> from_ym = from ? month(*from, path + ".from") : std::nullopt;
      std::optional<YearMonth> to_ym = to ? month(*to, path + ".to") : std::nullopt;
      if (from_ym && to_ym && months_between(*from_ym, *to_ym) <= 0)
        d_.error(to->where, path + ".to must be after " + path + ".from (got " + format_year_month(*to_ym) +
                                ", from " + format_year_month(*from_ym) + ")");
      return;
    }
    d_.error(v.where, path + ": expected " + std::string(forms) + ", got " + v.describe());
  }

  void sector_overrides(const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected a map of sector name -> {column: value}, got " + v.describe());
      return;
    }
    const std::vector<std::string> columns = sector_columns();
    for (const YamlEntry& sector : v.entries) {
      std::string sector_path = path + "." + sector.key;
      if (sector.value.is_null()) continue;
      if (!sector.value.is_map()) {
        d_.error(sector.value.where, sector_path + ": expected a map of column -> value, got " + sector.value.describe());
        continue;
      }
      for (const YamlEntry& e : sector.value.entries) {
        const SectorFieldInfo* field = find_sector_field(e.key);
        if (!field) {
          d_.error(e.key_where, "unknown column `" + e.key + "` in `" + sector_path + "`" +
                                    (e.key == "name" ? std::string(" (a sector's name cannot be overridden)")
                                                     : did_you_mean(e.key, columns)));
          continue;
        }
        number(e.value, sector_path + "." + e.key, field->range, field->integer);
      }
    }
  }

  void map_list(const SchemaKey& k, const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_sequence()) {
      d_.error(v.where, path + ": expected a list of " + braces(k) + ", got " + v.describe());
      return;
    }
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      const YamlNode& item = v.items[i];
      std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!item.is_map()) {
        d_.error(item.where, item_path + ": expected a map " + braces(k) + ", got " + item.describe());
        continue;
      }
      section(k, item, item.where, item_path);
      any_of(k, item, item_path);
    }
  }

  // "give `national`, `provincial` or both"
  void any_of(const SchemaKey& k, const YamlNode& v, const std::string& path) {
    if (k.any_of.empty()) return;
    for (const std::string& key : k.any_of)
      if (v.find(key)) return;
    std::string keys;
    for (std::size_t i = 0; i < k.any_of.size(); ++i)
      keys += std::string(i == 0 ? "" : i + 1 == k.any_of.size() ? " or " : ", ") + "`" + k.any_of[i] + "`";
    d_.error(v.where, path + ": give " + (k.any_of.size() == 2 ? "`" + k.any_of[0] + "`, `" + k.any_of[1] + "` or both"
                                                               : "at least one of " + keys));
  }

  void uncertain(const YamlNode& v, const std::string& path) {
    if (v.is_null()) return;
    if (!v.is_map()) {
      d_.error(v.where, path + ": expected a map of parameter path -> distribution, got " + v.describe());
      return;
    }
    std::vector<std::string> dist_names;
    for (const auto& d : distribution_schemas()) dist_names.push_back(d.name);
    for (const YamlEntry& e : v.entries) {
      std::string p = path + "." + e.key;
      const YamlNode& spec = e.value;
      if (!spec.is_map()) {
        d_.error(spec.where, p + ": expected a distribution `{dist: normal, mean: x, sd: y}`, got " + spec.describe());
        continue;
      }
      const YamlNode* dist = spec.find("dist");
      if (!dist) {
        d_.error(spec.where, p + ": missing required key `dist` (one of " + join(dist_names, ", ") + ")");
        continue;
      }
      const DistributionSchema* schema = nullptr;
      for (const auto& d : distribution_schemas())
        if (dist->is_scalar() && dist->text == d.name) schema = &d;
      if (!schema) {
        d_.error(dist->where, p + ".dist: expected one of " + join(dist_names, ", ") + ", got " + dist->describe() +
                                  (dist->is_scalar() ? did_you_mean(dist->text, dist_names) : ""));
        continue;
      }
      std::vector<std::string> allowed = schema->params;
      allowed.push_back("dist");
      allowed.push_back("bounds");
      keys(spec, p, allowed, schema->params, "a distribution");
      std::map<std::string, double> x;
      bool ok = true;
      for (const std::string& name : schema->params) {
        const YamlNode* node = spec.find(name);
        if (!node) {
          ok = false;
          continue;
        }
        auto value = number(*node, p + "." + name, ParamRange{});
        if (value) x[name] = *value;
        else ok = false;
      }
      double support_lo = -kInf, support_hi = kInf;
      if (ok) {
        std::string name = schema->name;
        if (name == "normal" && !(x["sd"] > 0))
          d_.error(spec.find("sd")->where, p + ".sd must be > 0 (got " + spec.find("sd")->text + ")");
        if (name == "lognormal") {
          support_lo = 0;
          if (!(x["sigma"] > 0))
            d_.error(spec.find("sigma")->where, p + ".sigma must be > 0 (got " + spec.find("sigma")->text + ")");
        }
        if (name == "uniform" || name == "triangular") {
          support_lo = x["low"];
          support_hi = x["high"];
          if (!(x["low"] < x["high"]))
            d_.error(spec.find("high")->where, p + ": low must be < high (got low " + spec.find("low")->text +
                                                   ", high " + spec.find("high")->text + ")");
          else if (name == "triangular" && !(x["low"] <= x["mode"] && x["mode"] <= x["high"]))
            d_.error(spec.find("mode")->where, p + ".mode must be in [low, high] = [" + spec.find("low")->text +
                                                   ", " + spec.find("high")->text + "] (got " +
                                                   spec.find("mode")->text + ")");
        }
      }
      if (const YamlNode* bounds = spec.find("bounds")) {
        std::optional<double> lo, hi;
        if (bounds->is_sequence() && bounds->items.size() == 2) {
          lo = parse_bound(bounds->items[0]);
          hi = parse_bound(bounds->items[1]);
        }
        if (!lo || !hi) {
          d_.error(bounds->where, p + ".bounds: expected `[lo, hi]` (two numbers; `-inf`, `inf` allowed), got " +
                                      bounds->describe());
        } else if (!(*lo < *hi)) {
          d_.error(bounds->where, p + ".bounds: lo must be < hi (got [" + format_number(*lo) + ", " +
                                      format_number(*hi) + "])");
        } else if (ok && !(std::max(*lo, support_lo) < std::min(*hi, support_hi))) {
          d_.error(bounds->where, p + ".bounds [" + format_number(*lo) + ", " + format_number(*hi) +
                                      "] do not intersect the distribution's support " +
                                      format_range({support_lo, support_hi, false, false}));
        }
      }
    }
  }

  void outputs(const YamlNode& v, const std::string& path) {
    const std::vector<std::string> names = all_series_names();
    if (v.is_scalar() && v.text == "all") return;
    if (v.is_sequence()) {
      for (const YamlNode& item : v.items) {
        if (!item.is_scalar()) {
          d_.error(item.where, path + ": expected a series name, got " + item.describe());
        } else if (!is_known_series(item.text)) {
          d_.error(item.where, "unknown output series `" + item.text + "`" + did_you_mean(item.text, names));
        }
      }
      return;
    }
    d_.error(v.where, path + ": expected `all` or a list of series names, got " + v.describe());
  }

  Diagnostics& d_;
};

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

void check_schema(const SchemaKey& schema, const YamlNode& root, Diagnostics& diagnostics) {
  Checker checker(diagnostics);
  SourceLocation named_at = root.where;
  if (named_at.line == 0) named_at = {root.where.file, 1, 1};
  checker.section(schema, root, named_at, "");
}

void check_schema(const YamlNode& root, Diagnostics& diagnostics) { check_schema(scenario_schema(), root, diagnostics); }

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
        "- scenario names (a scenario file's `name`, a sample's `<sweep>_<index>`) are unique\n"
        "  in the batch, and all scenarios share one calendar and one sector table;\n"
        "- `members`, `seed`, `stochastic` and `outputs`, when given, replace every\n"
        "  scenario's own `ensemble.members`, `ensemble.seed`, `ensemble.stochastic` and\n"
        "  `outputs`. All scenarios draw from one random stream named after the batch.\n\n"
        "Samples lie in the unit cube, mapped linearly onto `[low, high]`: a grid takes\n"
        "every combination of each parameter's `points` equally spaced values (the first\n"
        "parameter varies slowest); `lhs` a Latin hypercube whose strata are paired by\n"
        "permutations drawn from the batch seed (the base scenario's when the batch sets\n"
        "none) and the sweep name; `sobol` the first `samples` points of the Sobol sequence\n"
        "after its all-zero point.\n\n"
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
            "Entries dated before `calendar.start` count from month 0 on. `mode: firms` is not\n"
            "implemented yet and is rejected.\n\n";
    }
    if (k.key == "calibration") {
      md += "Each entry of `parameters` is either a parameter path (the forms of `uncertain`\n"
            "below: a global parameter, `sector_overrides.<sector>.<column>`, a constant lever,\n"
            "or the `start`/`end` of a ramp) with `{low, high}`, or a name of your choice with\n"
            "`{paths: [...], low, high}`: one fitted value written to every listed path (to\n"
            "keep several sectors' columns equal). `low < high`, and both must lie in every\n"
            "path's valid range; a path may be fitted only once. The fit starts from the value\n"
            "the scenario sets (the first path's, for a name), clamped into the bounds.\n"
            "A scenario that extends a calibrated one inherits its block; `calibration: null`\n"
            "drops it (needed when it gives a fitted ramp or constant lever another form).\n\n"
            "`mfgsim calibrate` runs the scenario deterministically (shocks off, no draws) up\n"
            "to the last target month, and minimises the weighted sum of squared misses in\n"
            "percentage points (`sum w (100 (model - published))^2`) over the bounds with\n"
            "NLopt. It writes a scenario that `extends` this one and sets only the fitted\n"
            "values (at the same paths). Stops at `max_evaluations` runs, when a step changes\n"
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
        "from `to` on. Every value a schedule takes must lie in the lever's range.\n\n";

  md += "## `uncertain`\n\n";
  md += "`uncertain: {<parameter path>: <distribution>}`: with `ensemble.stochastic: true`,\n"
        "each member draws the parameter once from the distribution (from its own random\n"
        "stream). A parameter path is\n\n"
        "- a global parameter: `lending.maturity`;\n"
        "- a sector column: `sector_overrides.<sector>.<column>`;\n"
        "- a lever whose schedule is a constant: `low_carbon.carbon_price`;\n"
        "- the start or end value of a lever whose schedule is a ramp:\n"
        "  `low_carbon.retrofit_push.start`, `low_carbon.retrofit_push.end`.\n\n"
        "Step schedules cannot be uncertain. Distributions:\n\n";
  md += "| `dist` | parameters | meaning |\n|---|---|---|\n";
  for (const DistributionSchema& d : distribution_schemas()) {
    std::string params;
    for (const std::string& p : d.params) params += (params.empty() ? "`" : ", `") + p + "`";
    md += "| `" + std::string(d.name) + "` | " + params + " | " + d.doc + " |\n";
  }
  md += "\nAny distribution may add `bounds: [lo, hi]` (lo < hi; `-inf`, `inf` allowed): draws\n"
        "then follow the distribution conditioned on [lo, hi] (inverse CDF at\n"
        "`F(lo) + u (F(hi) - F(lo))`). The support, the bounds and the parameter's valid\n"
        "range must overlap.\n\n"
        "```yaml\n"
        "uncertain:\n"
        "  lending.green_tilt: {dist: normal, mean: 0.5, sd: 0.1, bounds: [0, 1]}\n"
        "  sector_overrides.equipment.tfp_gain: {dist: lognormal, mu: -2, sigma: 0.3}\n"
        "  low_carbon.retrofit_push.end: {dist: uniform, low: 0.05, high: 0.2}\n"
        "  intelligent_manufacturing.imitation_q: {dist: triangular, low: 0.2, mode: 0.3, high: 0.5}\n"
        "```\n\n";

  md += "## `extends`: merge rules\n\n";
  md += "- `extends: base.yaml` or `extends: [a.yaml, b.yaml]`; paths are relative to the\n"
        "  file that contains the `extends` key.\n"
        "- Each base is resolved first (its own `extends`, recursively); the bases are merged\n"
        "  in list order, a later one winning over an earlier one; the extending file's own\n"
        "  keys are merged last and win over all bases.\n"
        "- Maps are merged key by key, recursively. Lists (e.g. `demonstrations`, steps of a\n"
        "  schedule, `outputs`) and single values replace the earlier value whole; a ramp\n"
        "  (a map) is merged key by key like any other map.\n"
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
