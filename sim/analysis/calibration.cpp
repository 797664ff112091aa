#include "sim/analysis/calibration.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <nlopt.hpp>
#include <set>

#include "models/validate.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/schema.h"
#include "sim/engine/series.h"
#include "sim/core/text.h"

namespace mfgsim {

namespace fs = std::filesystem;

// ---- the one place that reads the engine's results ---------------------------

namespace {

std::optional<SectorSeries> sector_series_named(std::string_view name) {
  for (int s = 0; s < kSectorSeriesCount; ++s)
    if (series_name(static_cast<SectorSeries>(s)) == name) return static_cast<SectorSeries>(s);
  return std::nullopt;
}

std::optional<AggregateSeries> aggregate_series_named(std::string_view name) {
  for (int a = 0; a < kAggregateSeriesCount; ++a)
    if (series_name(static_cast<AggregateSeries>(a)) == name) return static_cast<AggregateSeries>(a);
  return std::nullopt;
}

// One deterministic member of `scenario` (shocks off, no draws), every series kept.
std::unique_ptr<SeriesStore> run_deterministic(const Scenario& scenario) {
  EnsembleRequest request;
  request.members = 1;
  request.stochastic = false;
  request.threads = 1;
  request.keep_members = true;
  return run_ensemble(scenario, request).store;
}

}  // namespace

double model_value(const SeriesStore& store, const std::string& variable, int sector, int t, std::int64_t member) {
  if (sector >= 0) {
    if (auto s = sector_series_named(variable)) return store.cell(*s, sector, t)[member];
  } else if (auto a = aggregate_series_named(variable)) {
    return store.cell(*a, t)[member];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// ---- targets -----------------------------------------------------------------------

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<std::vector<CalibrationTarget>> match_targets(const Scenario& scenario,
                                                            const std::vector<Observation>& observations,
                                                            const std::vector<CalibrationSettings::Weight>& weights,
                                                            Diagnostics& diagnostics) {
  Diagnostics local;
  const Calendar& calendar = scenario.calendar;
  const std::string first = format_year_month(calendar.at(0));
  const std::string last = format_year_month(calendar.at(calendar.months - 1));
  std::vector<CalibrationTarget> out;
  std::map<std::string, int> line_of_id;
  for (const Observation& obs : observations) {
    CalibrationTarget target;
    target.observation = obs;
    std::string& id = target.observation.id;
    if (id.empty()) id = obs.variable + (obs.sector.empty() ? "" : "/" + obs.sector) + "@" + obs.month;
    if (auto [it, inserted] = line_of_id.emplace(id, obs.where.line); !inserted)
      local.error(obs.where, "target id '" + id + "' already used on line " + std::to_string(it->second));
    bool ok = true;
    if (!obs.sector.empty()) {
      target.sector = scenario.params.sectors.index_of(obs.sector);
      if (target.sector < 0) {
        local.error(obs.where, "unknown sector '" + obs.sector + "'" + did_you_mean(obs.sector, scenario.params.sectors.names));
        ok = false;
      } else if (!sector_series_named(obs.variable)) {
        local.error(obs.where, "'" + obs.variable + "' is an aggregate series: leave the sector empty");
        ok = false;
      }
    } else if (!aggregate_series_named(obs.variable)) {
      local.error(obs.where, "'" + obs.variable + "' is a per-sector series: name a sector");
      ok = false;
    }
    const std::optional<YearMonth> ym = parse_year_month(obs.month);
    if (!ym) continue;  // read_observations reported it
    target.month = calendar.index_of(*ym);
    if (target.month < 0 || target.month >= calendar.months) {
      local.error(obs.where, "month " + obs.month + " is outside the run (" + first + " to " + last + ")");
      ok = false;
    } else if (ends_with(obs.variable, "_ytd_yoy") && calendar.index_of({ym->year - 1, 1}) < 0) {
      local.error(obs.where, "year-to-date growth in " + obs.month + " needs the run from " +
                                 format_year_month({ym->year - 1, 1}) + " (it starts " + first + ")");
      ok = false;
    } else if (!ends_with(obs.variable, "_ytd_yoy") && ends_with(obs.variable, "_yoy") && target.month < 12) {
      local.error(obs.where, "year-on-year growth in " + obs.month + " needs the run from " +
                                 format_year_month(add_months(*ym, -12)) + " (it starts " + first + ")");
      ok = false;
    }
    target.growth = ends_with(obs.variable, "_yoy");
    if (ok) out.push_back(std::move(target));
  }
  std::vector<std::string> ids;
  for (const auto& [id, line] : line_of_id) ids.push_back(id);
  for (const CalibrationSettings::Weight& w : weights) {
    auto it = std::find_if(out.begin(), out.end(), [&](const CalibrationTarget& t) { return t.observation.id == w.target_id; });
    if (it == out.end() && !line_of_id.count(w.target_id)) {
      local.error(w.where, "calibration.weights: no target has the id `" + w.target_id + "`" + did_you_mean(w.target_id, ids));
      continue;
    }
    if (it != out.end()) it->weight = w.weight;
  }
  // More free parameters than targets: the fit cannot pin them all down.
  if (local.ok() && scenario.calibration && out.size() < scenario.calibration->parameters.size())
    local.warn(scenario.calibration->where,
               "calibration: " + std::to_string(scenario.calibration->parameters.size()) +
                   " free parameters for " + std::to_string(out.size()) +
                   " targets: some fitted values are not determined by the targets (free fewer "
                   "parameters or add targets)");
  diagnostics.append(local);
  if (!local.ok()) return std::nullopt;
  return out;
}

// ---- the fit ------------------------------------------------------------------------

CalibrationOptions CalibrationOptions::from(const CalibrationSettings& settings) {
  CalibrationOptions options;
  options.method = settings.method;
  options.max_evaluations = settings.max_evaluations;
  options.tolerance = settings.tolerance;
  return options;
}

bool CalibrationResult::all_within() const {
  return std::all_of(fits.begin(), fits.end(), [](const TargetFit& f) { return f.within; });
}

namespace {

std::vector<TargetFit> fits_of(const SeriesStore& store, const std::vector<CalibrationTarget>& targets) {
  std::vector<TargetFit> fits;
  for (const CalibrationTarget& target : targets) {
    TargetFit fit;
    fit.target = &target;
    fit.model = model_value(store, target.observation.variable, target.sector, target.month, 0);
    fit.miss_points = 100.0 * (fit.model - target.observation.value);
    fit.within = std::isfinite(fit.miss_points) && std::abs(fit.miss_points) <= target.tolerance_points() + 1e-12;
    fits.push_back(fit);
  }
  return fits;
}

// The scenario cut at the last target month, deterministic.
Scenario fitting_copy(const Scenario& scenario, const std::vector<CalibrationTarget>& targets) {
  Scenario copy = scenario;
  int last = 0;
  for (const CalibrationTarget& t : targets) last = std::max(last, t.month);
  copy.calendar.months = last + 1;
  copy.uncertain.clear();
  copy.ensemble.stochastic = false;
  copy.ensemble.members = 1;
  return copy;
}

void set_values(ModelParams& params, const CalibrationSettings& settings, const std::vector<double>& x) {
  for (std::size_t k = 0; k < settings.parameters.size(); ++k)
    for (const ParamAddress& address : settings.parameters[k].addresses) set_param(params, address, x[k]);
}

// Objective value of a point the model rejects (far above any real fit).
constexpr double kRejected = 1e12;

struct Objective {
  Scenario scenario;  // fitting copy; its parameters are overwritten at every evaluation
  const CalibrationSettings* settings = nullptr;
  const std::vector<CalibrationTarget>* targets = nullptr;
  int evaluations = 0;
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> best_x;

  double operator()(const std::vector<double>& x) {
    ++evaluations;
    set_values(scenario.params, *settings, x);
    double value = kRejected;
    if (validate_model(scenario.params, scenario.calendar).empty()) {
      try {
        std::unique_ptr<SeriesStore> store = run_deterministic(scenario);
        double sum = 0.0;
        for (const TargetFit& fit : fits_of(*store, *targets)) sum += fit.target->weight * fit.miss_points * fit.miss_points;
        if (std::isfinite(sum)) value = sum;
      } catch (const RunError&) {
      }
    }
    if (value < best) {
      best = value;
      best_x = x;
    }
    return value;
  }
};

std::string result_name(nlopt::result r) { return nlopt_result_to_string(static_cast<nlopt_result>(r)); }

}  // namespace

std::vector<TargetFit> evaluate_targets(const Scenario& scenario, const std::vector<CalibrationTarget>& targets) {
  const Scenario copy = fitting_copy(scenario, targets);
  return fits_of(*run_deterministic(copy), targets);
}

CalibrationResult calibrate(const Scenario& scenario, const std::vector<CalibrationTarget>& targets,
                            const CalibrationOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const CalibrationSettings& settings = *scenario.calibration;
  const std::size_t n = settings.parameters.size();
  CalibrationResult result;
  for (const CalibrationParameter& p : settings.parameters)
    result.start.push_back(std::clamp(get_param(scenario.params, p.addresses.front()), p.low, p.high));

  Objective objective;
  objective.scenario = fitting_copy(scenario, targets);
  objective.settings = &settings;
  objective.targets = &targets;

  // The optimiser works on u in [0, 1]^n, x = low + u (high - low): every
  // parameter on the same scale, whatever its unit.
  auto to_x = [&](const std::vector<double>& u) {
    std::vector<double> x(n);
    for (std::size_t k = 0; k < n; ++k) {
      const CalibrationParameter& p = settings.parameters[k];
      x[k] = std::clamp(p.low + u[k] * (p.high - p.low), p.low, p.high);
    }
    return x;
  };
  std::vector<double> u(n);
  for (std::size_t k = 0; k < n; ++k) {
    const CalibrationParameter& p = settings.parameters[k];
    u[k] = (result.start[k] - p.low) / (p.high - p.low);
  }
  const double start_value = objective(to_x(u));
  if (!(start_value < kRejected)) {
    // Say why: run the starting point again and let its error through.
    Scenario copy = objective.scenario;
    set_values(copy.params, settings, result.start);
    for (const ModelIssue& issue : validate_model(copy.params, copy.calendar))
      throw RunError("the starting point of the fit is not a valid model: " + issue.message);
    run_deterministic(copy);
    throw RunError("the starting point of the fit gives undefined target values");
  }

  // The start was one evaluation; NLopt gets the rest of the budget.
  nlopt::result status = nlopt::FAILURE;
  if (n > 0 && options.max_evaluations <= 1) {
    status = nlopt::MAXEVAL_REACHED;
  } else if (n > 0) {
    const nlopt::algorithm algorithm = static_cast<nlopt::algorithm>(nlopt_algorithm_from_string(options.method.c_str()));
    nlopt::opt opt(algorithm, static_cast<unsigned>(n));
    opt.set_lower_bounds(std::vector<double>(n, 0.0));
    opt.set_upper_bounds(std::vector<double>(n, 1.0));
    opt.set_maxeval(options.max_evaluations - 1);
    opt.set_ftol_abs(options.tolerance);
    opt.set_xtol_rel(1e-8);
    std::vector<double> step(n);
    for (std::size_t k = 0; k < n; ++k) step[k] = std::min(0.1, std::max(u[k], 1.0 - u[k]) / 2);
    opt.set_initial_step(step);
    struct Data {
      Objective* objective;
      decltype(to_x)* point_of;
      static double call(const std::vector<double>& point, std::vector<double>&, void* data) {
        auto* self = static_cast<Data*>(data);
        return (*self->objective)((*self->point_of)(point));
      }
    } data{&objective, &to_x};
    opt.set_min_objective(&Data::call, &data);
    double value = 0.0;
    try {
      status = opt.optimize(u, value);
    } catch (const nlopt::roundoff_limited&) {
      status = nlopt::ROUNDOFF_LIMITED;
    } catch (const nlopt::forced_stop&) {
      status = nlopt::FORCED_STOP;
    } catch (const std::invalid_argument&) {
      status = nlopt::INVALID_ARGS;
    } catch (const std::bad_alloc&) {
      status = nlopt::OUT_OF_MEMORY;
    } catch (const std::runtime_error&) {
      status = nlopt::FAILURE;
    }
  } else {
    status = nlopt::SUCCESS;
  }
  result.method = options.method;
  result.status = result_name(status);
  result.optimiser_ok = status > 0 || status == nlopt::ROUNDOFF_LIMITED;
  result.evaluations = objective.evaluations;
  result.values = objective.best_x;  // the best point seen, whatever NLopt returned

  Scenario fitted = objective.scenario;
  set_values(fitted.params, settings, result.values);
  result.fits = fits_of(*run_deterministic(fitted), targets);
  result.objective = objective.best;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

// ---- output ---------------------------------------------------------------------

namespace {

std::string shortest(double x) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc() ? std::string(buffer, end) : format_number(x);
}

bool plain_yaml(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' && c != '/') return false;
  return text.front() != '-';
}

std::string yaml_scalar(const std::string& text) {
  if (plain_yaml(text)) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Keys from the document root to the value an address names.
std::vector<std::string> yaml_keys(const ModelParams& params, const ParamAddress& address) {
  if (address.kind == ParamAddress::Kind::sector)
    return {"sector_overrides", params.sectors.names[address.sector], address.field->column};
  std::vector<std::string> keys;
  std::string_view path = address.path;
  for (std::size_t begin = 0; begin <= path.size();) {
    const std::size_t dot = std::min(path.find('.', begin), path.size());
    keys.emplace_back(path.substr(begin, dot - begin));
    begin = dot + 1;
  }
  return keys;
}

// Children are a named struct rather than std::pair<std::string, YamlOut>:
// clang (14, with libstdc++ 12) cannot instantiate that pair inside YamlOut.
struct YamlOut {
  struct Child;
  std::vector<Child> children;  // in order of first appearance
  std::string value;            // a leaf when children is empty

  YamlOut& at(const std::string& key);
  void write(std::string& out, int indent) const;
};

struct YamlOut::Child {
  std::string key;
  YamlOut node;
};

YamlOut& YamlOut::at(const std::string& key) {
  for (Child& c : children)
    if (c.key == key) return c.node;
  children.push_back({key, YamlOut{}});
  return children.back().node;
}

void YamlOut::write(std::string& out, int indent) const {
  for (const Child& c : children) {
    out += std::string(indent, ' ') + yaml_scalar(c.key) + ":";
    if (c.node.children.empty()) {
      out += " " + c.node.value + "\n";
    } else {
      out += "\n";
      c.node.write(out, indent + 2);
    }
  }
}

std::string percent(double ratio) {
  if (!std::isfinite(ratio)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", 100.0 * ratio);
  return buffer;
}


}  // namespace

std::string calibrated_yaml(const Scenario& scenario, const CalibrationResult& result, const std::string& out_path) {
  const CalibrationSettings& settings = *scenario.calibration;
  std::error_code ec;
  const fs::path input = fs::weakly_canonical(fs::absolute(scenario.path), ec);
  fs::path out_dir = fs::absolute(out_path).parent_path();
  out_dir = fs::weakly_canonical(out_dir, ec);
  std::string base = input.lexically_relative(out_dir).generic_string();
  if (base.empty()) base = input.generic_string();

  YamlOut tree;
  ModelParams fitted = scenario.params;
  for (std::size_t k = 0; k < settings.parameters.size(); ++k)
    for (const ParamAddress& address : settings.parameters[k].addresses) {
      set_param(fitted, address, result.values[k]);
      if (address.kind == ParamAddress::Kind::lever_start || address.kind == ParamAddress::Kind::lever_end) continue;
      YamlOut* node = &tree;
      for (const std::string& key : yaml_keys(scenario.params, address)) node = &node->at(key);
      node->value = shortest(result.values[k]);
    }
  // A fitted ramp is written whole (an extending file replaces a schedule
  // whole); `before: start` keeps the input's meaning before `from` when the
  // input's ramp holds its start there.
  for (std::size_t k = 0; k < settings.parameters.size(); ++k)
    for (const ParamAddress& address : settings.parameters[k].addresses) {
      if (address.kind != ParamAddress::Kind::lever_start && address.kind != ParamAddress::Kind::lever_end) continue;
      const Schedule& ramp = fitted.levers.*address.lever->field;
      YamlOut* node = &tree;
      for (const std::string& key : yaml_keys(scenario.params, address)) {
        if (key == "start" || key == "end") break;
        node = &node->at(key);
      }
      node->at("from").value = format_year_month(scenario.calendar.at(ramp.from));
      node->at("to").value = format_year_month(scenario.calendar.at(ramp.to));
      node->at("start").value = shortest(ramp.start);
      node->at("end").value = shortest(ramp.end);
      if (!ramp.inherited && ramp.from > 0) node->at("before").value = "start";
    }

  int within = 0;
  for (const TargetFit& f : result.fits) within += f.within;
  char summary[256];
  std::snprintf(summary, sizeof summary,
                "# %s after %d evaluations (%.2f s); objective %.3g points^2; %d of %zu targets within tolerance.\n",
                result.status.c_str(), result.evaluations, result.seconds, result.objective, within, result.fits.size());
  std::string out;
  out += "# Calibrated by `mfgsim calibrate` from " + fs::path(scenario.path).filename().string() +
         ": sets only the fitted values;\n# everything else comes from the scenario it extends.\n";
  out += summary;
  out += "extends: " + yaml_scalar(base) + "\n";
  // Its own name, so that running it does not write over the input's results.
  out += "name: " + yaml_scalar(scenario.name + "_calibrated") + "\n";
  tree.write(out, 0);
  return out;
}

std::string calibration_table(const Scenario& scenario, const CalibrationResult& result) {
  const CalibrationSettings& settings = *scenario.calibration;
  int id_width = 6;
  for (const TargetFit& f : result.fits)
    id_width = std::max(id_width, static_cast<int>(f.target->observation.id.size()));
  std::string out = format_line("%-*s  %-7s  %11s  %8s  %13s  %9s\n", id_width, "target", "month", "published %",
                                "model %", "miss (points)", "tolerance");
  for (const TargetFit& f : result.fits) {
    const CalibrationTarget& t = *f.target;
    const std::string miss = std::isfinite(f.miss_points) ? format_line("%+.3f", f.miss_points) : std::string("-");
    out += format_line("%-*s  %-7s  %11s  %8s  %13s  %9s  %s\n", id_width, t.observation.id.c_str(),
                       t.observation.month.c_str(), percent(t.observation.value).c_str(), percent(f.model).c_str(),
                       miss.c_str(), format_number(t.tolerance_points()).c_str(), f.within ? "ok" : "MISSED");
  }
  int name_width = 9;
  for (const CalibrationParameter& p : settings.parameters)
    name_width = std::max(name_width, static_cast<int>(p.name.size()));
  out += format_line("\n%-*s  %12s  %12s  %9s  %9s\n", name_width, "parameter", "start", "fitted", "low", "high");
  for (std::size_t k = 0; k < settings.parameters.size(); ++k) {
    const CalibrationParameter& p = settings.parameters[k];
    out += format_line("%-*s  %12.6g  %12.6g  %9s  %9s", name_width, p.name.c_str(), result.start[k], result.values[k],
                       format_number(p.low).c_str(), format_number(p.high).c_str());
    if (p.addresses.size() > 1) out += format_line("  (%zu paths)", p.addresses.size());
    out += "\n";
  }
  out += format_line("\noptimiser: %s, %s after %d evaluations in %.2f s; objective %.3g points^2\n",
                     result.method.c_str(), result.status.c_str(), result.evaluations, result.seconds, result.objective);
  return out;
}

void check_calibrated_scenario(const std::string& path, const Scenario& scenario, const CalibrationResult& result) {
  const ScenarioLoad check = load_scenario(path);
  if (!check.scenario) throw std::runtime_error("the calibrated scenario does not load:\n" + check.diagnostics.format());
  const auto& parameters = scenario.calibration->parameters;
  for (std::size_t k = 0; k < parameters.size(); ++k)
    for (const ParamAddress& address : parameters[k].addresses)
      if (get_param(check.scenario->params, address) != result.values[k])
        throw std::runtime_error("the calibrated scenario does not set " + address.path + " to the fitted value");
}

}  // namespace mfgsim
