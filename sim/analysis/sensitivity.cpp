#include "sim/analysis/sensitivity.h"

#include <Random123/philox.h>
#include <Random123/uniform.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <tuple>
#include <stdexcept>

#include "sim/batch/batch.h"
#include "sim/core/designs.h"
#include "sim/io/csv.h"
#include "sim/ensemble/ensemble.h"
#include "sim/core/interrupt.h"
#include "sim/analysis/plot.h"
#include "sim/core/random_stream.h"
#include "sim/io/hashing.h"
#include "sim/scenario/schema.h"
#include "sim/engine/series.h"
#include "sim/core/statistics.h"
#include "sim/output/manifest.h"
#include "sim/output/run_outputs.h"

namespace mfgsim {

namespace {

using Philox = r123::Philox4x64;

// Uniforms in [0, 1) from a counter-based stream keyed by (seed, purpose).
class Uniforms {
 public:
  Uniforms(std::uint64_t seed, const std::string& purpose) : key_{{seed, scenario_stream_key(purpose)}} {}
  double operator()(std::uint64_t a, std::uint64_t b, std::uint64_t c) const {
    const Philox::ctr_type counter = {{a, b, c, 0}};
    return 1.0 - r123::u01<double>(Philox()(counter, key_).v[0]);  // u01 is (0, 1]
  }
  // Four uniforms in [0, 1) at once.
  void four(std::uint64_t a, std::uint64_t b, double out[4]) const {
    const Philox::ctr_type counter = {{a, b, 1, 0}};
    const Philox::ctr_type bits = Philox()(counter, key_);
    for (int k = 0; k < 4; ++k) out[k] = 1.0 - r123::u01<double>(bits.v[k]);
  }

 private:
  Philox::key_type key_;
};

// Percentile interval of bootstrap replicates (type 7).
std::pair<double, double> interval(std::vector<double>& replicates, double confidence) {
  std::vector<double> finite;
  for (double x : replicates)
    if (std::isfinite(x)) finite.push_back(x);
  if (finite.empty()) return {std::nan(""), std::nan("")};
  std::sort(finite.begin(), finite.end());
  const auto n = static_cast<std::int64_t>(finite.size());
  return {quantile_sorted(finite.data(), n, (1.0 - confidence) / 2), quantile_sorted(finite.data(), n, (1.0 + confidence) / 2)};
}

}  // namespace

// ---- Morris -------------------------------------------------------------------

MorrisDesign morris_design(int factors, int trajectories, int levels, std::uint64_t seed) {
  if (factors < 1 || trajectories < 1 || levels < 2 || levels % 2 != 0)
    throw std::invalid_argument("morris_design: needs factors >= 1, trajectories >= 1 and an even levels >= 2");
  MorrisDesign d;
  d.factors = factors;
  d.trajectories = trajectories;
  d.levels = levels;
  d.delta = levels / (2.0 * (levels - 1));
  const Uniforms uniform(seed, "morris");
  const int k = factors;
  std::vector<double> x(static_cast<std::size_t>(k));
  std::vector<int> direction(static_cast<std::size_t>(k)), order(static_cast<std::size_t>(k));
  for (int r = 0; r < trajectories; ++r) {
    const auto tr = static_cast<std::uint64_t>(r);
    for (int i = 0; i < k; ++i) {
      const auto fi = static_cast<std::uint64_t>(i);
      // Lower level j in {0 .. p/2 - 1} so that both j and j + delta are levels.
      const int j = std::min(levels / 2 - 1, static_cast<int>(uniform(tr, 0, fi) * (levels / 2)));
      const double lower = static_cast<double>(j) / (levels - 1);
      direction[static_cast<std::size_t>(i)] = uniform(tr, 1, fi) < 0.5 ? 1 : -1;
      x[static_cast<std::size_t>(i)] = direction[static_cast<std::size_t>(i)] > 0 ? lower : lower + d.delta;
    }
    std::iota(order.begin(), order.end(), 0);
    for (int i = k - 1; i > 0; --i) {
      const int swap_with = std::min(i, static_cast<int>(uniform(tr, 2, static_cast<std::uint64_t>(i)) * (i + 1)));
      std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(swap_with)]);
    }
    d.points.insert(d.points.end(), x.begin(), x.end());
    d.moved.push_back(-1);
    d.direction.push_back(0);
    for (int step = 0; step < k; ++step) {
      const int f = order[static_cast<std::size_t>(step)];
      const int dir = direction[static_cast<std::size_t>(f)];
      // Land exactly on the level grid (no accumulated rounding).
      const double lower = dir > 0 ? x[static_cast<std::size_t>(f)] : x[static_cast<std::size_t>(f)] - d.delta;
      const int j = static_cast<int>(std::lround(lower * (levels - 1)));
      x[static_cast<std::size_t>(f)] =
          dir > 0 ? static_cast<double>(j + levels / 2) / (levels - 1) : static_cast<double>(j) / (levels - 1);
      d.points.insert(d.points.end(), x.begin(), x.end());
      d.moved.push_back(f);
      d.direction.push_back(dir);
    }
  }
  return d;
}

namespace {

// Elementary effects [trajectory][factor].
std::vector<double> elementary_effects(const MorrisDesign& d, std::span<const double> y) {
  const int k = d.factors;
  std::vector<double> effects(static_cast<std::size_t>(d.trajectories) * k, 0.0);
  for (int r = 0; r < d.trajectories; ++r)
    for (int step = 1; step <= k; ++step) {
      const std::size_t row = static_cast<std::size_t>(r) * (k + 1) + step;
      const int f = d.moved[row];
      effects[static_cast<std::size_t>(r) * k + f] = (y[row] - y[row - 1]) / (d.direction[row] * d.delta);
    }
  return effects;
}

}  // namespace

std::vector<MorrisIndex> morris_indices(const MorrisDesign& d, std::span<const double> y, int bootstrap,
                                        double confidence, std::uint64_t seed) {
  if (y.size() != d.rows()) throw std::invalid_argument("morris_indices: one output per design row needed");
  const int k = d.factors, R = d.trajectories;
  const std::vector<double> effects = elementary_effects(d, y);
  std::vector<MorrisIndex> out(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) {
    double sum = 0.0, abs_sum = 0.0;
    for (int r = 0; r < R; ++r) {
      const double e = effects[static_cast<std::size_t>(r) * k + i];
      sum += e;
      abs_sum += std::abs(e);
    }
    MorrisIndex& m = out[static_cast<std::size_t>(i)];
    m.mu = sum / R;
    m.mu_star = abs_sum / R;
    double squares = 0.0;
    for (int r = 0; r < R; ++r) {
      const double e = effects[static_cast<std::size_t>(r) * k + i] - m.mu;
      squares += e * e;
    }
    m.sigma = R > 1 ? std::sqrt(squares / (R - 1)) : 0.0;
    m.mu_star_low = m.mu_star_high = m.mu_star;
  }
  if (bootstrap > 0 && R > 1) {
    const Uniforms uniform(seed, "bootstrap");
    std::vector<std::vector<double>> replicates(static_cast<std::size_t>(k), std::vector<double>(static_cast<std::size_t>(bootstrap)));
    std::vector<double> abs_sum(static_cast<std::size_t>(k));
    for (int b = 0; b < bootstrap; ++b) {
      std::fill(abs_sum.begin(), abs_sum.end(), 0.0);
      for (int r = 0; r < R; ++r) {
        const int pick = std::min(R - 1, static_cast<int>(uniform(static_cast<std::uint64_t>(b), 0, static_cast<std::uint64_t>(r)) * R));
        for (int i = 0; i < k; ++i) abs_sum[static_cast<std::size_t>(i)] += std::abs(effects[static_cast<std::size_t>(pick) * k + i]);
      }
      for (int i = 0; i < k; ++i) replicates[static_cast<std::size_t>(i)][static_cast<std::size_t>(b)] = abs_sum[static_cast<std::size_t>(i)] / R;
    }
    for (int i = 0; i < k; ++i) {
      const auto [low, high] = interval(replicates[static_cast<std::size_t>(i)], confidence);
      out[static_cast<std::size_t>(i)].mu_star_low = low;
      out[static_cast<std::size_t>(i)].mu_star_high = high;
    }
  }
  return out;
}

// ---- Sobol (Saltelli sampling; Jansen's ST, Saltelli 2010's S1) -------------------

SaltelliDesign saltelli_design(int factors, std::int64_t n, std::uint64_t seed) {
  if (factors < 1 || n < 2) throw std::invalid_argument("saltelli_design: needs factors >= 1 and n >= 2");
  SaltelliDesign d;
  d.factors = factors;
  d.n = n;
  const std::size_t k = static_cast<std::size_t>(factors), N = static_cast<std::size_t>(n);
  const std::vector<double> base = sobol_points(2 * factors, n, seed, scenario_stream_key("sobol"));
  d.points.assign((k + 2) * N * k, 0.0);
  auto row = [&](std::size_t r) { return d.points.data() + r * k; };
  for (std::size_t j = 0; j < N; ++j) {
    const double* p = base.data() + j * 2 * k;
    std::copy(p, p + k, row(j));              // A
    std::copy(p + k, p + 2 * k, row(N + j));  // B
    for (std::size_t i = 0; i < k; ++i) {     // A_B^i
      double* ab = row((2 + i) * N + j);
      std::copy(p, p + k, ab);
      ab[i] = p[k + i];
    }
  }
  return d;
}

namespace {

// S1 (Saltelli 2010) and ST (Jansen) over the rows `pick` (indices into 0 .. N-1).
void estimate(const SaltelliDesign& d, std::span<const double> y, const std::vector<std::size_t>& pick,
            std::vector<double>& s1, std::vector<double>& st) {
  const std::size_t k = static_cast<std::size_t>(d.factors), N = static_cast<std::size_t>(d.n);
  const double n = static_cast<double>(pick.size());
  double mean = 0.0;
  for (std::size_t j : pick) mean += y[j] + y[N + j];
  mean /= 2 * n;
  double variance = 0.0;
  for (std::size_t j : pick) {
    const double a = y[j] - mean, b = y[N + j] - mean;
    variance += a * a + b * b;
  }
  variance /= 2 * n;
  s1.assign(k, std::nan(""));
  st.assign(k, std::nan(""));
  if (!(variance > 0.0)) return;
  for (std::size_t i = 0; i < k; ++i) {
    const double* ab = y.data() + (2 + i) * N;
    double first = 0.0, total = 0.0;
    for (std::size_t j : pick) {
      const double da = y[j] - ab[j];
      first += (y[N + j] - mean) * (ab[j] - y[j]);
      total += da * da;
    }
    s1[i] = first / n / variance;
    st[i] = total / (2 * n) / variance;
  }
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const SaltelliDesign& d, std::span<const double> y, int bootstrap,
                                      double confidence, std::uint64_t seed) {
  if (y.size() != d.rows()) throw std::invalid_argument("sobol_indices: one output per design row needed");
  const std::size_t k = static_cast<std::size_t>(d.factors), N = static_cast<std::size_t>(d.n);
  std::vector<std::size_t> pick(N);
  std::iota(pick.begin(), pick.end(), 0);
  std::vector<double> s1, st;
  estimate(d, y, pick, s1, st);
  std::vector<SobolIndex> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    out[i].s1 = out[i].s1_low = out[i].s1_high = s1[i];
    out[i].st = out[i].st_low = out[i].st_high = st[i];
  }
  if (bootstrap <= 0) return out;
  const Uniforms uniform(seed, "bootstrap");
  std::vector<std::vector<double>> s1_replicates(k), st_replicates(k);
  for (int b = 0; b < bootstrap; ++b) {
    for (std::size_t j = 0; j < N; j += 4) {
      double u[4];
      uniform.four(static_cast<std::uint64_t>(b), j / 4, u);
      for (std::size_t q = 0; q < 4 && j + q < N; ++q) pick[j + q] = std::min(N - 1, static_cast<std::size_t>(u[q] * N));
    }
    estimate(d, y, pick, s1, st);
    for (std::size_t i = 0; i < k; ++i) {
      s1_replicates[i].push_back(s1[i]);
      st_replicates[i].push_back(st[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    std::tie(out[i].s1_low, out[i].s1_high) = interval(s1_replicates[i], confidence);
    std::tie(out[i].st_low, out[i].st_high) = interval(st_replicates[i], confidence);
  }
  return out;
}

// ---- factors ------------------------------------------------------------------

double SensitivityFactor::value(double u) const {
  return distribution ? distribution->quantile(u) : std::lerp(low, high, u);
}

std::string SensitivityFactor::describe() const {
  if (!distribution) return fmt::format("uniform[{}, {}]", format_number(low), format_number(high));
  const UncertainParam& p = *distribution;
  std::string text;
  switch (p.dist) {
    case UncertainParam::Dist::normal: text = fmt::format("normal({}, {})", format_number(p.a), format_number(p.b)); break;
    case UncertainParam::Dist::lognormal: text = fmt::format("lognormal({}, {})", format_number(p.a), format_number(p.b)); break;
    case UncertainParam::Dist::uniform: text = fmt::format("uniform({}, {})", format_number(p.a), format_number(p.b)); break;
    case UncertainParam::Dist::triangular:
      text = fmt::format("triangular({}, {}, {})", format_number(p.a), format_number(p.c), format_number(p.b));
      break;
  }
  if (std::isfinite(p.lo) || std::isfinite(p.hi))
    text += fmt::format(" on [{}, {}]", format_number(p.lo), format_number(p.hi));
  return text;
}

namespace {

struct OutputCell {
  std::int64_t id = 0;
  int t = 0;
  std::string unit;
};

std::vector<SensitivityFactor> factors_of(const Scenario& scenario, const std::string& which) {
  std::vector<SensitivityFactor> factors;
  const bool use_uncertain = which == "uncertain" || (which.empty() && !scenario.uncertain.empty());
  if (use_uncertain) {
    for (const UncertainParam& u : scenario.uncertain) {
      SensitivityFactor f;
      f.name = u.address.path;
      f.addresses = {u.address};
      f.distribution = u;
      factors.push_back(f);
    }
  } else if (scenario.calibration) {
    for (const CalibrationParameter& c : scenario.calibration->parameters) {
      SensitivityFactor f;
      f.name = c.name;
      f.addresses = c.addresses;
      f.low = c.low;
      f.high = c.high;
      factors.push_back(f);
    }
  }
  return factors;
}

std::optional<OutputCell> output_cell(const Scenario& scenario, const SensitivityRequest& request,
                                      std::vector<std::string>* problems) {
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months;
  OutputCell cell;
  cell.t = T - 1;
  if (!request.month.empty()) {
    const auto ym = parse_year_month(request.month);
    if (!ym) {
      problems->push_back("--at: expected a month YYYY-MM, got '" + request.month + "'");
      return std::nullopt;
    }
    cell.t = scenario.calendar.index_of(*ym);
    if (cell.t < 0 || cell.t >= T) {
      problems->push_back("--at: " + request.month + " is outside the run (" + format_year_month(scenario.calendar.at(0)) +
                          " to " + format_year_month(scenario.calendar.at(T - 1)) + ")");
      return std::nullopt;
    }
  }
  if (!is_known_series(request.output)) {
    problems->push_back("--output: unknown series '" + request.output + "'" + did_you_mean(request.output, all_series_names()));
    return std::nullopt;
  }
  const auto aggregate_named = aggregate_series_named(request.output);
  const auto sector_named = sector_series_named(request.output);
  const int aggregate = aggregate_named ? static_cast<int>(*aggregate_named) : -1;
  const int sector_series = sector_named ? static_cast<int>(*sector_named) : -1;
  if (!request.sector.empty()) {
    if (sector_series < 0) {
      problems->push_back("--sector: '" + request.output + "' is not a per-sector series");
      return std::nullopt;
    }
    const int i = scenario.params.sectors.index_of(request.sector);
    if (i < 0) {
      problems->push_back("--sector: unknown sector '" + request.sector + "'" +
                          did_you_mean(request.sector, scenario.params.sectors.names));
      return std::nullopt;
    }
    cell.id = sector_cell_id(sector_series, i, cell.t, S, T);
    cell.unit = std::string(series_unit(static_cast<SectorSeries>(sector_series)));
  } else if (aggregate >= 0) {
    cell.id = aggregate_cell_id(aggregate, cell.t, S, T);
    cell.unit = std::string(series_unit(static_cast<AggregateSeries>(aggregate)));
  } else {
    problems->push_back("--output: '" + request.output + "' is a per-sector series: name the sector with --sector");
    return std::nullopt;
  }
  return cell;
}

std::int64_t default_samples(SensitivityMethod method) { return method == SensitivityMethod::sobol ? 512 : 20; }

// The request's problems that need no model run, as sentences.
std::vector<std::string> request_problems(const Scenario& scenario, const SensitivityRequest& request) {
  std::vector<std::string> problems;
  if (!request.parameters.empty() && request.parameters != "uncertain" && request.parameters != "calibration")
    problems.push_back("--parameters: expected uncertain or calibration, got '" + request.parameters + "'");
  else if (factors_of(scenario, request.parameters).empty())
    problems.push_back(scenario.name + ": no parameters to vary: " +
                       (request.parameters == "calibration"
                            ? std::string("the scenario has no `calibration.parameters`")
                            : request.parameters == "uncertain" ? std::string("the scenario has no `uncertain:` block")
                                                                : std::string("the scenario has neither `uncertain:` nor "
                                                                              "`calibration.parameters`")));
  output_cell(scenario, request, &problems);
  const std::int64_t samples = request.samples > 0 ? request.samples : default_samples(request.method);
  auto within = [](std::int64_t x, const IntegerRange& range) {
    return x >= 0 && range.contains(static_cast<std::uint64_t>(x));
  };
  if (request.method == SensitivityMethod::sobol && !within(samples, kSobolSamplesRange))
    problems.push_back("--samples: Sobol needs N in " + format_range(kSobolSamplesRange) + " base samples");
  if (request.method == SensitivityMethod::morris) {
    if (!within(samples, kMorrisTrajectoriesRange))
      problems.push_back("--samples: Morris needs " + format_range(kMorrisTrajectoriesRange) + " trajectories");
    if (!within(request.levels, kMorrisLevelsRange) || request.levels % 2 != 0)
      problems.push_back("--levels: Morris needs an even number of levels in " + format_range(kMorrisLevelsRange));
  }
  if (!within(request.bootstrap, kBootstrapRange))
    problems.push_back("--bootstrap must be in " + format_range(kBootstrapRange));
  if (!within(request.members, kSensitivityMembersRange))
    problems.push_back("--members must be in " + format_range(kSensitivityMembersRange) + " (0: deterministic)");
  if (!within(request.threads, kThreadsRange))
    problems.push_back("--threads must be in " + format_range(kThreadsRange) + " (0: all cores)");
  if (!(request.confidence > 0.0 && request.confidence < 1.0)) problems.push_back("--confidence must be in (0, 1)");
  return problems;
}

// Mean and sample variance of `values` (variance 0 for one value): a row's
// member outputs, and the design's row outputs.
std::pair<double, double> mean_and_variance(const std::vector<double>& values) {
  double mean = 0.0;
  for (double y : values) mean += y;
  mean /= static_cast<double>(values.size());
  double ss = 0.0;
  for (double y : values) ss += (y - mean) * (y - mean);
  return {mean, values.size() > 1 ? ss / static_cast<double>(values.size() - 1) : 0.0};
}

// One deterministic run (shocks off, one member) keeping the output cell.
EnsembleRequest deterministic_run(const OutputCell& cell) {
  EnsembleRequest run;
  run.members = 1;
  run.stochastic = false;
  run.threads = 1;
  run.keep_members = false;
  run.summarise = false;
  run.keep_cells = {cell.id};
  return run;
}

std::string undefined_output(const SensitivityRequest& request, const std::string& month) {
  return "--output: " + request.output + " is undefined in " + month +
         " (growth rates are undefined in the run's first year): choose a later --at";
}

// Problems with the command's options print as "mfgsim: error: ...".
const SourceLocation kCommandLine{"mfgsim"};

}  // namespace

Diagnostics validate_sensitivity_request(const Scenario& scenario, const SensitivityRequest& request) {
  Diagnostics diagnostics;
  for (std::string& problem : request_problems(scenario, request)) diagnostics.error(kCommandLine, std::move(problem));
  if (!diagnostics.ok()) return diagnostics;
  // The scenario as written must give a defined output (growth rates are
  // undefined in the first year). A run that fails is left to
  // run_sensitivity, which reports it as a failed run.
  std::vector<std::string> ignored;
  const OutputCell cell = *output_cell(scenario, request, &ignored);
  const EnsembleResult base = run_ensemble(scenario, deterministic_run(cell));
  if (base.failures.empty() && std::isnan(base.kept.at(0)))
    diagnostics.error(kCommandLine, undefined_output(request, format_year_month(scenario.calendar.at(cell.t))));
  return diagnostics;
}

std::int64_t sensitivity_runs(const Scenario& scenario, const SensitivityRequest& request) {
  const auto k = static_cast<std::int64_t>(factors_of(scenario, request.parameters).size());
  const std::int64_t samples = request.samples > 0 ? request.samples : default_samples(request.method);
  return request.method == SensitivityMethod::sobol ? samples * (k + 2) : samples * (k + 1);
}

SensitivityResult run_sensitivity(const Scenario& scenario, const SensitivityRequest& request,
                                  const std::function<void()>& progress) {
  const std::vector<std::string> problems = request_problems(scenario, request);
  if (!problems.empty())
    throw std::invalid_argument("run_sensitivity: a request validate_sensitivity_request rejects: " + problems.front());
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> ignored;
  const OutputCell cell = *output_cell(scenario, request, &ignored);

  SensitivityResult result;
  result.method = request.method;
  result.output = request.output;
  result.sector = request.sector;
  result.month = format_year_month(scenario.calendar.at(cell.t));
  result.unit = cell.unit;
  result.factors = factors_of(scenario, request.parameters);
  result.samples = request.samples > 0 ? request.samples : default_samples(request.method);
  result.levels = request.levels;
  const int k = static_cast<int>(result.factors.size());

  // The design in the unit cube; Morris levels mapped to stratum centres.
  std::optional<MorrisDesign> morris;
  std::optional<SaltelliDesign> saltelli;
  std::vector<double> ranks;
  if (request.method == SensitivityMethod::morris) {
    morris = morris_design(k, static_cast<int>(result.samples), request.levels, request.seed);
    result.unit_points = morris->points;
    ranks = morris->points;
    for (double& u : ranks) u = (u * (request.levels - 1) + 0.5) / request.levels;
  } else {
    if (const std::string warning = sobol_count_warning(result.samples); !warning.empty())
      notify(request.notice, Notice::Level::warning, "--samples " + warning);
    saltelli = saltelli_design(k, result.samples, request.seed);
    result.unit_points = saltelli->points;
    ranks = saltelli->points;
  }
  const std::size_t rows = ranks.size() / static_cast<std::size_t>(k);

  EnsembleRequest run = deterministic_run(cell);
  result.members = request.members;
  if (request.members > 0) {
    run.members = request.members;
    run.stochastic = true;
  }
  // Factors keep the design's values: none of them is drawn per member.
  auto undrawn = std::make_unique<Scenario>(scenario);
  std::erase_if(undrawn->uncertain, [&](const UncertainParam& u) {
    for (const SensitivityFactor& f : result.factors)
      for (const ParamAddress& a : f.addresses)
        if (a.path == u.address.path) return true;
    return false;
  });
  std::vector<double> noise(rows, 0.0);
  {
    const EnsembleResult base = run_ensemble(*undrawn, run);
    if (!base.failures.empty()) throw RunError("the scenario as written fails: " + base.failures.front().message);
    if (std::isnan(base.kept.at(0)))
      throw std::invalid_argument("run_sensitivity: a request validate_sensitivity_request rejects: " +
                                  undefined_output(request, result.month));
  }

  result.outputs.assign(rows, std::nan(""));
  result.threads = resolve_thread_count(request.threads);
  parallel_for(
      static_cast<std::int64_t>(rows), result.threads, [&] { return std::make_unique<Scenario>(*undrawn); },
      [&](std::int64_t row, std::unique_ptr<Scenario>& copy) {
        std::string values;
        for (int i = 0; i < k; ++i) {
          const SensitivityFactor& f = result.factors[static_cast<std::size_t>(i)];
          const double u = std::clamp(ranks[static_cast<std::size_t>(row) * k + i], 0x1p-53, 1.0 - 0x1p-53);
          const double x = f.value(u);
          values += (i ? ", " : "") + f.name + " = " + format_number(x);
          for (const ParamAddress& address : f.addresses) {
            if (!std::isfinite(x) || !address.range().contains(x))
              throw RunError("sample " + std::to_string(row) + ": " + f.name + " = " + format_number(x) +
                             " is outside the valid range of `" + address.path + "` " + format_range(address.range()) +
                             "; give its distribution `bounds`");
            set_param(copy->params, address, x);
          }
        }
        try {
          const EnsembleResult r = run_ensemble(*copy, run);
          if (!r.failures.empty()) throw RunError(r.failures.front().message);
          const auto [mean, variance] = mean_and_variance(r.kept);
          result.outputs[static_cast<std::size_t>(row)] = mean;
          noise[static_cast<std::size_t>(row)] = variance / static_cast<double>(r.kept.size());
        } catch (const Interrupted&) {
          throw;
        } catch (const std::exception& e) {
          throw RunError("sample " + std::to_string(row) + " (" + values + "): " + e.what());
        }
        if (std::isnan(result.outputs[static_cast<std::size_t>(row)]))
          throw RunError("sample " + std::to_string(row) + " (" + values + "): the output is NaN");
        if (progress) progress();
      });

  std::tie(result.output_mean, result.output_variance) = mean_and_variance(result.outputs);
  if (request.members >= 2)
    result.noise_variance = std::accumulate(noise.begin(), noise.end(), 0.0) / static_cast<double>(rows);

  if (morris) result.morris = morris_indices(*morris, result.outputs, request.bootstrap, request.confidence, request.seed);
  else result.sobol = sobol_indices(*saltelli, result.outputs, request.bootstrap, request.confidence, request.seed);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

// ---- outputs --------------------------------------------------------------------

namespace {

std::string num(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }


// Factor indices by importance (mu* or ST), most important first.
std::vector<std::size_t> by_importance(const SensitivityResult& r) {
  std::vector<std::size_t> order(r.factors.size());
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](std::size_t i) {
    const double x = r.method == SensitivityMethod::morris ? r.morris[i].mu_star : r.sobol[i].st;
    return std::isnan(x) ? -1.0 : x;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return order;
}


std::string output_label(const SensitivityResult& r) {
  return r.output + (r.sector.empty() ? "" : " of " + r.sector) + " in " + r.month;
}

}  // namespace

void write_sensitivity_csv(std::ostream& out, const SensitivityResult& r) {
  if (r.method == SensitivityMethod::morris) {
    out << "factor,distribution,mu,mu_star,sigma,mu_star_low,mu_star_high\n";
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      const MorrisIndex& m = r.morris[i];
      out << csv_field(r.factors[i].name) << ',' << csv_field(r.factors[i].describe()) << ',' << num(m.mu) << ','
          << num(m.mu_star) << ',' << num(m.sigma) << ',' << num(m.mu_star_low) << ',' << num(m.mu_star_high) << '\n';
    }
  } else {
    out << "factor,distribution,S1,S1_low,S1_high,ST,ST_low,ST_high\n";
    for (std::size_t i = 0; i < r.factors.size(); ++i) {
      const SobolIndex& s = r.sobol[i];
      out << csv_field(r.factors[i].name) << ',' << csv_field(r.factors[i].describe()) << ',' << num(s.s1) << ','
          << num(s.s1_low) << ',' << num(s.s1_high) << ',' << num(s.st) << ',' << num(s.st_low) << ',' << num(s.st_high)
          << '\n';
    }
  }
}

void write_sensitivity_samples(std::ostream& out, const SensitivityResult& r) {
  const std::size_t k = r.factors.size();
  out << "row";
  for (const SensitivityFactor& f : r.factors) out << ',' << csv_field("u:" + f.name);
  for (const SensitivityFactor& f : r.factors) out << ',' << csv_field(f.name);
  out << ',' << r.output << '\n';
  const bool morris = r.method == SensitivityMethod::morris;
  for (std::size_t row = 0; row < r.outputs.size(); ++row) {
    std::string line = std::to_string(row);
    std::vector<double> ranks(k);
    for (std::size_t i = 0; i < k; ++i) {
      const double level = r.unit_points[row * k + i];
      ranks[i] = morris ? (level * (r.levels - 1) + 0.5) / r.levels : level;
      line += ',' + num(ranks[i]);
    }
    for (std::size_t i = 0; i < k; ++i)
      line += ',' + num(r.factors[i].value(std::clamp(ranks[i], 0x1p-53, 1.0 - 0x1p-53)));
    line += ',' + num(r.outputs[row]);
    out << line << '\n';
  }
}

std::string sensitivity_table(const SensitivityResult& r) {
  const bool ratio = r.unit == "1";
  const double scale = ratio ? 100.0 : 1.0;
  const std::string unit = ratio ? "%" : r.unit;
  std::string out = fmt::format("{} sensitivity of {} ({} model runs; output mean {:.4g} {}, sd {:.4g})\n",
                                r.method == SensitivityMethod::morris ? "Morris" : "Sobol", output_label(r),
                                r.outputs.size(), scale * r.output_mean, unit, scale * std::sqrt(r.output_variance));
  if (r.members == 0)
    out += "deterministic design (shocks off): the indices apportion the model's response, not the shocks' spread\n";
  else
    out += fmt::format("stochastic design: each run the mean of {} members (common random numbers); Monte Carlo sd of "
                       "a run's mean {:.4g} {} against the runs' sd {:.4g}\n",
                       r.members, scale * std::sqrt(r.noise_variance), unit, scale * std::sqrt(r.output_variance));
  std::size_t width = 6;
  for (const SensitivityFactor& f : r.factors) width = std::max(width, f.name.size());
  if (r.method == SensitivityMethod::morris) {
    out += fmt::format("effects per unit of quantile rank, in {}; {} trajectories, {} levels\n", unit, r.samples, r.levels);
    out += fmt::format("{:<{}}  {:>10}  {:>10}  {:>23}  {:>10}\n", "factor", width, "mu", "mu*", "mu* interval", "sigma");
    for (std::size_t i : by_importance(r)) {
      const MorrisIndex& m = r.morris[i];
      out += fmt::format("{:<{}}  {:>10.4g}  {:>10.4g}  {:>23}  {:>10.4g}\n", r.factors[i].name, width, scale * m.mu,
                         scale * m.mu_star,
                         fmt::format("[{:.4g}, {:.4g}]", scale * m.mu_star_low, scale * m.mu_star_high), scale * m.sigma);
    }
  } else if (!(r.output_variance > 0.0)) {
    // Shares of a variance of 0 are 0/0: say so, not "nan" (found by a new user's trial).
    out += fmt::format("N = {} base samples; the output does not vary over the design (sd 0): its Sobol indices, "
                       "shares of its variance, are undefined for every factor ({})\n",
                       r.samples, [&] {
                         std::string names;
                         for (const SensitivityFactor& f : r.factors) names += (names.empty() ? "" : ", ") + f.name;
                         return names;
                       }());
  } else {
    out += fmt::format("N = {} base samples; intervals: bootstrap percentiles\n", r.samples);
    out += fmt::format("{:<{}}  {:>7}  {:>17}  {:>7}  {:>17}\n", "factor", width, "S1", "S1 interval", "ST", "ST interval");
    for (std::size_t i : by_importance(r)) {
      const SobolIndex& s = r.sobol[i];
      out += fmt::format("{:<{}}  {:>7.3f}  {:>17}  {:>7.3f}  {:>17}\n", r.factors[i].name, width, s.s1,
                         fmt::format("[{:.3f}, {:.3f}]", s.s1_low, s.s1_high), s.st,
                         fmt::format("[{:.3f}, {:.3f}]", s.st_low, s.st_high));
    }
  }
  return out;
}

std::vector<std::string> write_sensitivity_chart(const std::string& dir_text, const SensitivityResult& r,
                                                 const std::string& title) {
  namespace fs = std::filesystem;
  require_gnuplot();
  const fs::path dir(dir_text);
  const bool ratio = r.unit == "1";
  const double scale = ratio ? 100.0 : 1.0;
  std::vector<std::size_t> order = by_importance(r);
  std::string data, plot, setup;
  // The output's spread beside the indices: shares of a tiny variance are
  // not an effect worth acting on.
  const std::string unit = ratio ? "percentage points" : r.unit;
  std::string spread = fmt::format("output over the design: mean {:.4g}, sd {:.3g} {}", scale * r.output_mean,
                                   scale * std::sqrt(std::max(r.output_variance, 0.0)), unit);
  if (r.noise_variance > 0.0)
    spread += fmt::format("; Monte Carlo noise sd {:.3g}", scale * std::sqrt(r.noise_variance));
  setup = fmt::format("set title {}\nset grid\nset style fill solid 0.85 border -1\n",
                      // two lines: gnuplot reads \n in a double-quoted string as a line break
                      gnuplot_quote(title).substr(0, gnuplot_quote(title).size() - 1) + "\\n" +
                          gnuplot_quote(spread).substr(1));
  if (r.method == SensitivityMethod::morris) {
    // Tornado: the most important factor at the top (rows drawn bottom-up).
    std::reverse(order.begin(), order.end());
    for (std::size_t i : order) {
      const MorrisIndex& m = r.morris[i];
      data += fmt::format("{} {} {} {} {}\n", gnuplot_quote(r.factors[i].name), scale * m.mu_star, scale * m.mu_star_low,
                          scale * m.mu_star_high, scale * m.sigma);
    }
    setup += fmt::format("set xlabel {}\nset key bottom right\nset yrange [-0.6:{}]\nset xrange [0:*]\n",
                         gnuplot_quote("mu* (mean |elementary effect|, " + std::string(ratio ? "percentage points" : r.unit) +
                               " per unit of quantile rank)"),
                         static_cast<double>(order.size()) - 0.4);
    plot = "'sensitivity.dat' using ($2/2):0:(0):2:($0-0.35):($0+0.35):ytic(1) with boxxyerror lc rgb '#4292c6' "
           "title 'mu*', '' using 2:0:3:4 with xerrorbars lc rgb '#08306b' pt 0 title 'interval', "
           "'' using 5:0 with points pt 7 ps 1.2 lc rgb '#d62728' title 'sigma'";
  } else {
    // Horizontal bars, the most important factor at the top: names stay
    // level and aligned (rotated x labels did not).
    std::reverse(order.begin(), order.end());
    for (std::size_t i : order) {
      const SobolIndex& s = r.sobol[i];
      data += fmt::format("{} {} {} {} {} {} {}\n", gnuplot_quote(r.factors[i].name), s.s1, s.s1_low, s.s1_high, s.st, s.st_low,
                          s.st_high);
    }
    setup += fmt::format("set xlabel 'share of output variance'\nset key bottom right\nset yrange [-0.6:{}]\n"
                         "set xrange [*:*]\nset xzeroaxis\nset ytics scale 0\nset key below horizontal\n",
                         static_cast<double>(order.size()) - 0.4);
    plot = "'sensitivity.dat' using ($2/2):($0+0.18):(0):2:($0+0.03):($0+0.33):ytic(1) with boxxyerror "
           "lc rgb '#9ecae1' title 'first order S1', '' using 2:($0+0.18):3:4 with xerrorbars pt 0 lc rgb '#08306b' notitle, "
           "'' using ($5/2):($0-0.18):(0):5:($0-0.33):($0-0.03) with boxxyerror lc rgb '#2171b5' title 'total ST', "
           "'' using 5:($0-0.18):6:7 with xerrorbars pt 0 lc rgb '#08306b' title '95% interval'";
  }
  std::ofstream(dir / "sensitivity.dat") << data;
  const int height = static_cast<int>(std::max<std::size_t>(420, 120 + 60 * order.size()));
  std::ofstream(dir / "sensitivity.gp") << setup + draw_to_png_and_svg("sensitivity", {plot}, height);
  run_gnuplot(dir, "sensitivity");
  return {(dir / "sensitivity.png").string(), (dir / "sensitivity.svg").string()};
}

void write_sensitivity_folder(const OutputDir& dir, const Scenario& scenario, const SensitivityRequest& request,
                              const SensitivityResult& result, bool chart,
                              std::chrono::steady_clock::time_point start) {
  const bool morris = request.method == SensitivityMethod::morris;
  {
    std::ofstream csv(dir.staging() / "sensitivity.csv");
    write_sensitivity_csv(csv, result);
    dir.close(csv, "sensitivity.csv");
    std::ofstream samples(dir.staging() / "samples.csv");
    write_sensitivity_samples(samples, result);
    dir.close(samples, "samples.csv");
  }
  if (chart)
    write_sensitivity_chart(dir.staging().string(), result,
                            scenario.name + ": " + (morris ? "Morris mu* of " : "Sobol indices of ") + result.output +
                                (result.sector.empty() ? "" : " (" + result.sector + ")") + " in " + result.month);
  nlohmann::json manifest = manifest_head("sensitivity");
  manifest["scenario"] = scenario.name;
  add_files(manifest, "scenario_files", scenario.files);
  add_files(manifest, "data_files", scenario.data_files);
  manifest["method"] = morris ? "morris" : "sobol";
  manifest["output"] = {{"series", result.output}, {"sector", result.sector}, {"month", result.month}, {"unit", result.unit}};
  for (const SensitivityFactor& f : result.factors)
    manifest["factors"].push_back({{"name", f.name}, {"distribution", f.describe()}});
  manifest["samples"] = result.samples;
  if (morris) manifest["levels"] = request.levels;
  manifest["model_runs"] = result.outputs.size();
  manifest["bootstrap"] = request.bootstrap;
  manifest["seed"] = request.seed;
  manifest["members_per_run"] = request.members;
  manifest["output_variance"] = result.output_variance;
  manifest["noise_variance"] = result.noise_variance;
  manifest["threads"] = result.threads;
  stamp_time(manifest, start);
  write_json_file(dir, "manifest.json", manifest);
}

}  // namespace mfgsim
