#include "sim/analysis/calibration.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <Eigen/Dense>
#include <nlopt.hpp>
#include <set>
#include <stdexcept>

#include "models/validate.h"
#include "sim/ensemble/ensemble.h"
#include "sim/scenario/schema.h"
#include "sim/engine/series.h"
#include "sim/core/text.h"

namespace mfgsim {

namespace fs = std::filesystem;

// ---- the one place that reads the engine's results ---------------------------

namespace {

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
  for (const Observation& obs : modelled_only(observations, "fitted", local)) {
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

void apply_recency_weights(std::vector<CalibrationTarget>& targets, double half_life) {
  if (!(half_life > 0)) throw std::invalid_argument("apply_recency_weights: the half-life must be > 0 months");
  int latest = std::numeric_limits<int>::min();
  for (const CalibrationTarget& t : targets) latest = std::max(latest, t.month);
  for (CalibrationTarget& t : targets) t.weight *= std::exp2(-static_cast<double>(latest - t.month) / half_life);
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
    fit.within = within_tolerance(fit.miss_points, target.tolerance_points());
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

// sqrt(w) (model - published) in points per target at x, on `copy` (a
// fitting copy whose parameters are overwritten); nothing where the model
// rejects x or a target is undefined.
std::optional<std::vector<double>> weighted_misses(Scenario& copy, const CalibrationSettings& settings,
                                                   const std::vector<CalibrationTarget>& targets,
                                                   const std::vector<double>& x) {
  set_values(copy.params, settings, x);
  if (!validate_model(copy.params, copy.calendar).empty()) return std::nullopt;
  std::unique_ptr<SeriesStore> store;
  try {
    store = run_deterministic(copy);
  } catch (const RunError&) {
    return std::nullopt;
  }
  std::vector<double> r;
  for (const TargetFit& fit : fits_of(*store, targets)) {
    r.push_back(std::sqrt(fit.target->weight) * fit.miss_points);
    if (!std::isfinite(r.back())) return std::nullopt;
  }
  return r;
}

struct Objective {
  Scenario scenario;  // fitting copy; its parameters are overwritten at every evaluation
  const CalibrationSettings* settings = nullptr;
  const std::vector<CalibrationTarget>* targets = nullptr;
  int evaluations = 0;
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> best_x;

  double operator()(const std::vector<double>& x) {
    ++evaluations;
    double value = kRejected;
    if (const auto r = weighted_misses(scenario, *settings, *targets, x)) {
      double sum = 0.0;
      for (double e : *r) sum += e * e;
      if (std::isfinite(sum)) value = sum;
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
  result.evaluations = result.optimiser_evaluations = objective.evaluations;
  result.values = objective.best_x;  // the best point seen, whatever NLopt returned

  Scenario fitted = objective.scenario;
  set_values(fitted.params, settings, result.values);
  result.fits = fits_of(*run_deterministic(fitted), targets);
  result.objective = objective.best;
  estimate_uncertainty(scenario, targets, result);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

void estimate_uncertainty(const Scenario& scenario, const std::vector<CalibrationTarget>& targets,
                          CalibrationResult& result) {
  const CalibrationSettings& settings = *scenario.calibration;
  const std::size_t p = settings.parameters.size(), n = targets.size();
  Scenario copy = fitting_copy(scenario, targets);
  result.degrees_of_freedom = static_cast<int>(n) - static_cast<int>(p);
  const double s2 = std::max(result.degrees_of_freedom > 0 ? result.objective / result.degrees_of_freedom : 0.0,
                             kRoundingSdPoints * kRoundingSdPoints);
  result.residual_sd_points = std::sqrt(s2);
  result.standard_errors.assign(p, std::numeric_limits<double>::quiet_NaN());
  if (p == 0 || n == 0) return;
  Eigen::MatrixXd jacobian(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
  std::vector<bool> known(p, true);
  for (std::size_t k = 0; k < p; ++k) {
    const CalibrationParameter& parameter = settings.parameters[k];
    const double h = 1e-4 * (parameter.high - parameter.low);
    // Central where both sides are inside the bounds and valid, else one-sided.
    std::vector<double> up = result.values, down = result.values;
    up[k] = std::min(result.values[k] + h, parameter.high);
    down[k] = std::max(result.values[k] - h, parameter.low);
    std::optional<std::vector<double>> r_up = weighted_misses(copy, settings, targets, up);
    std::optional<std::vector<double>> r_down = weighted_misses(copy, settings, targets, down);
    result.evaluations += 2;
    if (!r_up || !r_down) {
      const std::optional<std::vector<double>> r_at = weighted_misses(copy, settings, targets, result.values);
      ++result.evaluations;
      if (!r_up) (r_up = r_at, up = result.values);
      if (!r_down) (r_down = r_at, down = result.values);
    }
    if (!r_up || !r_down || up[k] == down[k]) {
      known[k] = false;
      jacobian.col(static_cast<Eigen::Index>(k)).setZero();
      continue;
    }
    for (std::size_t i = 0; i < n; ++i)
      jacobian(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = ((*r_up)[i] - (*r_down)[i]) / (up[k] - down[k]);
  }
  // Cov = s^2 (J'J)^+ over the directions the targets determine.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(jacobian.transpose() * jacobian);
  const Eigen::VectorXd& lambda = eigen.eigenvalues();  // ascending
  const Eigen::MatrixXd& v = eigen.eigenvectors();
  const double threshold = 1e-10 * std::max(lambda.maxCoeff(), 0.0);
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p));
  for (Eigen::Index j = 0; j < lambda.size(); ++j) {
    if (lambda(j) > threshold && lambda(j) > 0) {
      covariance += v.col(j) * v.col(j).transpose() * (s2 / lambda(j));
      continue;
    }
    for (std::size_t k = 0; k < p; ++k)  // a direction the targets leave free
      if (std::abs(v(static_cast<Eigen::Index>(k), j)) > 1e-6) known[k] = false;
  }
  for (std::size_t k = 0; k < p; ++k)
    if (known[k])
      result.standard_errors[k] = std::sqrt(covariance(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)));
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
                "# %s after %d evaluations (%.2f s; and %d runs for the standard errors); objective %.3g points^2; %d "
                "of %zu targets within tolerance.\n",
                result.status.c_str(), result.optimiser_evaluations, result.seconds,
                result.evaluations - result.optimiser_evaluations, result.objective, within, result.fits.size());
  std::string out;
  out += "# Calibrated by `mfgsim calibrate` from " + fs::path(scenario.path).filename().string() +
         ": sets only the fitted values;\n# everything else comes from the scenario it extends.\n";
  out += summary;
  for (const TargetFit& f : result.fits)
    if (!f.within)
      out += format_line("# MISSED (accepted): %s %s, miss %+.3f points, tolerance %s\n",
                         f.target->observation.id.c_str(), f.target->observation.month.c_str(), f.miss_points,
                         format_number(f.target->tolerance_points()).c_str());
  out += format_line("# Standard errors (Gauss-Newton at the optimum; s = %.3g points, n - p = %d):\n",
                     result.residual_sd_points, result.degrees_of_freedom);
  for (std::size_t k = 0; k < settings.parameters.size(); ++k)
    out += "#   " + settings.parameters[k].name + ": " + shortest(result.values[k]) + " +- " +
           (std::isfinite(result.standard_errors[k]) ? format_line("%.3g", result.standard_errors[k])
                                                    : std::string("(not determined by the targets)")) +
           "\n";
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
  const bool weighted = std::any_of(result.fits.begin(), result.fits.end(),
                                    [](const TargetFit& f) { return f.target->weight != 1.0; });
  std::string out = format_line("%-*s  %-7s  %11s  %8s  %13s  %9s", id_width, "target", "month", "published %",
                                "model %", "miss (points)", "tolerance");
  out += weighted ? "   weight\n" : "\n";
  int missed = 0;
  for (const TargetFit& f : result.fits) {
    const CalibrationTarget& t = *f.target;
    const std::string miss = std::isfinite(f.miss_points) ? format_line("%+.3f", f.miss_points) : std::string("-");
    out += format_line("%-*s  %-7s  %11s  %8s  %13s  %9s", id_width, t.observation.id.c_str(),
                       t.observation.month.c_str(), percent(t.observation.value).c_str(), percent(f.model).c_str(),
                       miss.c_str(), format_number(t.tolerance_points()).c_str());
    if (weighted) out += format_line("  %7.3g", t.weight);
    out += f.within ? "  ok\n" : "  MISSED\n";
    missed += !f.within;
  }
  int name_width = 9;
  for (const CalibrationParameter& p : settings.parameters)
    name_width = std::max(name_width, static_cast<int>(p.name.size()));
  out += format_line("\n%-*s  %12s  %12s  %10s  %9s  %9s\n", name_width, "parameter", "start", "fitted", "std. error",
                     "low", "high");
  for (std::size_t k = 0; k < settings.parameters.size(); ++k) {
    const CalibrationParameter& p = settings.parameters[k];
    const double se = k < result.standard_errors.size() ? result.standard_errors[k] : std::nan("");
    out += format_line("%-*s  %12.6g  %12.6g  %10s  %9s  %9s", name_width, p.name.c_str(), result.start[k],
                       result.values[k], std::isfinite(se) ? format_line("%.3g", se).c_str() : "-",
                       format_number(p.low).c_str(), format_number(p.high).c_str());
    if (p.addresses.size() > 1) out += format_line("  (%zu paths)", p.addresses.size());
    if (result.values[k] <= p.low || result.values[k] >= p.high) out += "  at a bound";
    out += "\n";
  }
  out += format_line("\nstd. error: Gauss-Newton at the optimum, s = %.3g points over n - p = %d; '-': not determined "
                     "by the targets\n",
                     result.residual_sd_points, result.degrees_of_freedom);
  out += format_line("optimiser: %s, %s after %d evaluations in %.2f s (and %d runs for the standard errors); "
                     "objective %.3g points^2",
                     result.method.c_str(), result.status.c_str(), result.optimiser_evaluations, result.seconds,
                     result.evaluations - result.optimiser_evaluations, result.objective);
  out += missed ? format_line("; %d target(s) MISSED\n", missed) : "\n";
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
