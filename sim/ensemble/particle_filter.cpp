#include "sim/ensemble/particle_filter.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "sim/core/calendar.h"
#include "sim/core/interrupt.h"
#include "sim/core/random_stream.h"
#include "sim/engine/cell_recorder.h"
#include "sim/engine/engine.h"

namespace mfgsim {

bool ParticleFilterOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& what) {
    if (error) *error = what;
    return false;
  };
  if (members < 1 || members > 10000000) return fail("members must be in [1, 10000000]");
  if (!(revision_sd > 0.0) || !std::isfinite(revision_sd)) return fail("revision_sd must be > 0");
  if (!(resample_threshold > 0.0 && resample_threshold <= 1.0)) return fail("resample_threshold must be in (0, 1]");
  if (!(jitter_discount > 0.0 && jitter_discount <= 1.0)) return fail("jitter_discount must be in (0, 1]");
  if (block_size < 1 || block_size > 4096) return fail("block_size must be in [1, 4096]");
  if (!(sector_sd >= 0.0 && sector_sd <= 1.0)) return fail("sector_sd must be in [0, 1]");
  if (!(ytd_month_sd >= 0.0 && ytd_month_sd <= 1.0)) return fail("ytd_month_sd must be in [0, 1]");
  if (move_steps < 0 || move_steps > 100) return fail("move_steps must be in [0, 100]");
  if (move_lag < 1 || move_lag > 600) return fail("move_lag must be in [1, 600]");
  if (!(sector_dof == 0.0 || (sector_dof >= 1.0 && sector_dof <= 1000.0)))
    return fail("sector_dof must be 0 (Normal) or in [1, 1000]");
  return true;
}

std::vector<std::int64_t> ParticleFilterResult::excluded() const {
  std::vector<std::int64_t> out;
  for (const MemberFailure& f : failures) out.push_back(f.member);
  std::sort(out.begin(), out.end());
  return out;
}

double effective_sample_size(const std::vector<double>& weights) {
  double sum = 0.0, squares = 0.0;
  for (double w : weights) {
    sum += w;
    squares += w * w;
  }
  return squares > 0.0 ? sum * sum / squares : 0.0;
}

std::vector<std::int64_t> systematic_resample(const std::vector<double>& weights, double u) {
  const auto n = static_cast<std::int64_t>(weights.size());
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::int64_t> ancestors(n);
  double cumulative = 0.0;
  std::int64_t k = 0;
  for (std::int64_t j = 0; j < n; ++j) {
    const double point = (static_cast<double>(j) + u) / static_cast<double>(n) * total;
    // The last k with positive weight catches rounding at the top end.
    while (k < n - 1 && cumulative + weights[k] <= point) cumulative += weights[k++];
    while (weights[k] <= 0.0 && k > 0) --k;
    ancestors[j] = k;
  }
  return ancestors;
}

double figure_error_scale(const ParticleFilterOptions& options, const Observation& o) {
  const bool sector_figure = !o.sector.empty();
  const double s = sector_figure ? options.sector_revision_sd() : options.revision_sd;
  double variance = kRoundingSd * kRoundingSd + s * s;
  // The measure ytd_yoy names the variable <series>_ytd_yoy (read_observations).
  const bool ytd = o.variable.ends_with("_ytd_yoy");
  if (ytd) {
    const std::optional<YearMonth> period = parse_year_month(o.month);
    if (!period)
      throw std::invalid_argument("figure_error_scale: a year-to-date figure needs a month YYYY-MM, got '" + o.month +
                                  "'");
    variance += options.ytd_month_sd * options.ytd_month_sd / period->month;
  }
  return std::sqrt(variance);
}

double measurement_error(const ParticleFilterOptions& options, const Observation& o, double u) {
  if (!(u > 0.0 && u < 1.0))
    throw std::invalid_argument("measurement_error: u must be in (0, 1), got " + std::to_string(u));
  const double scale = figure_error_scale(options, o);
  if (!o.sector.empty() && options.sector_dof > 0.0)
    return scale * boost::math::quantile(boost::math::students_t(options.sector_dof), u);
  return scale * boost::math::quantile(boost::math::normal(), u);
}

double gaussian_log_likelihood(double observed, double model, double sd) {
  const double r = (observed - model) / sd;
  return -0.5 * r * r - std::log(sd) - 0.9189385332046727;  // log sqrt(2 pi)
}

double student_t_log_likelihood(double observed, double model, double scale, double dof) {
  const double r = (observed - model) / scale;
  return std::lgamma(0.5 * (dof + 1.0)) - std::lgamma(0.5 * dof) - 0.5 * std::log(dof * 3.141592653589793) -
         std::log(scale) - 0.5 * (dof + 1.0) * std::log1p(r * r / dof);
}

namespace {

// Where a figure's model value comes from, and whether it is defined at month t.
struct FigureSource {
  enum class Kind { sector, aggregate, sector_ytd, aggregate_ytd, aggregate_yoy } kind = Kind::sector;
  int series = 0;  // SectorSeries or AggregateSeries of the value (for derived: of its source)
  int sector = -1;
};

std::optional<FigureSource> figure_source(const Observation& o, const std::vector<std::string>& sectors,
                                          std::string* why, SourceLocation* at = nullptr) {
  FigureSource source;
  if (!o.sector.empty()) {
    const auto it = std::find(sectors.begin(), sectors.end(), o.sector);
    if (it == sectors.end()) {
      *why = "no sector '" + o.sector + "' in the scenario";
      if (at) *at = o.sector_where;
      return std::nullopt;
    }
    source.sector = static_cast<int>(it - sectors.begin());
    if (o.variable == series_name(SectorSeries::va_ytd_yoy)) {
      source.kind = FigureSource::Kind::sector_ytd;
      source.series = static_cast<int>(SectorSeries::va);
      return source;
    }
    if (const auto s = sector_series_named(o.variable); s && static_cast<int>(*s) < kRecordedSectorSeries) {
      source.series = static_cast<int>(*s);
      return source;
    }
  } else {
    const std::pair<AggregateSeries, AggregateSeries> derived[] = {
        {AggregateSeries::industry_va_ytd_yoy, AggregateSeries::industry_va},
        {AggregateSeries::manufacturing_va_ytd_yoy, AggregateSeries::manufacturing_va},
        {AggregateSeries::long_term_loans_yoy, AggregateSeries::long_term_loans}};
    for (const auto& [series, from] : derived)
      if (o.variable == series_name(series)) {
        source.kind = series == AggregateSeries::long_term_loans_yoy ? FigureSource::Kind::aggregate_yoy
                                                                      : FigureSource::Kind::aggregate_ytd;
        source.series = static_cast<int>(from);
        return source;
      }
    if (const auto a = aggregate_series_named(o.variable); a && static_cast<int>(*a) < kRecordedAggregateSeries) {
      source.kind = FigureSource::Kind::aggregate;
      source.series = static_cast<int>(*a);
      return source;
    }
  }
  *why = "'" + o.variable + "'" + (o.sector.empty() ? " without a sector" : " with a sector") +
         " is not a series the filter can compare";
  if (at) *at = o.series_where;
  return std::nullopt;
}

// Member m's value of the figure at month t (from months <= t of the store).
double figure_value(const SeriesStore& store, const FigureSource& f, int t, int month_of_year, std::int64_t m) {
  auto cell = [&](int k) {
    return f.sector >= 0 ? store.cell(static_cast<SectorSeries>(f.series), f.sector, k)[m]
                         : store.cell(static_cast<AggregateSeries>(f.series), k)[m];
  };
  switch (f.kind) {
    case FigureSource::Kind::sector:
    case FigureSource::Kind::aggregate: return cell(t);
    case FigureSource::Kind::sector_ytd:
    case FigureSource::Kind::aggregate_ytd: return ytd_yoy_at(t, month_of_year, cell);
    case FigureSource::Kind::aggregate_yoy: return yoy_at(t, cell(t), t >= 12 ? cell(t - 12) : 0.0);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

bool defined_at(const FigureSource& f, int t, int month_of_year) {
  switch (f.kind) {
    case FigureSource::Kind::sector_ytd:
    case FigureSource::Kind::aggregate_ytd: return t - 12 - (month_of_year - 1) >= 0;
    case FigureSource::Kind::aggregate_yoy: return t >= 12;
    default: return true;
  }
}

}  // namespace

std::vector<FilterFigure> filter_figures(const Scenario& scenario, const std::vector<Observation>& observed,
                                         int origin) {
  std::vector<FilterFigure> out;
  for (const Observation& o : observed) {
    FilterFigure figure{o, -1, "", false, {}};
    const std::optional<YearMonth> period = parse_year_month(o.month);
    const int t = period ? scenario.calendar.index_of(*period) : -1;
    figure.month = t;
    std::string why;
    const std::optional<FigureSource> source = figure_source(o, scenario.params.sectors.names, &why, &figure.invalid_at);
    if (!source) {
      figure.skipped = why;
      figure.invalid = true;
    }
    else if (t < 0) figure.skipped = "before the run's first month";
    else if (t > origin) figure.skipped = "after the origin";
    else if (!defined_at(*source, t, period->month))
      figure.skipped = "undefined in the run (its year-on-year sums reach before the first month)";
    out.push_back(std::move(figure));
  }
  return out;
}

std::vector<double> figure_members(const SeriesStore& store, const std::vector<std::string>& sectors,
                                   const Observation& o, const std::vector<std::int64_t>& excluded) {
  std::string why;
  const std::optional<FigureSource> source = figure_source(o, sectors, &why);
  const std::optional<YearMonth> period = parse_year_month(o.month);
  if (!source || !period) return {};
  const int t = store.calendar().index_of(*period);
  if (t < 0 || t >= store.months() || !defined_at(*source, t, period->month)) return {};
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(store.members()));
  for_each_kept_member(store.members(), excluded,
                       [&](std::int64_t m) { values.push_back(figure_value(store, *source, t, period->month, m)); });
  return values;
}

namespace {

struct Block {
  std::int64_t first = 0;
  int count = 0;
  Workspace ws;
};

}  // namespace

ParticleFilterResult run_particle_filter(const Scenario& scenario, const std::vector<Observation>& observed,
                                         const ParticleFilterOptions& options) {
  std::string error;
  if (!options.IsValid(&error)) throw RunError(error);
  const int S = scenario.params.sectors.size(), T = scenario.calendar.months;
  if (options.origin < 0 || options.origin >= T) throw RunError("the origin is outside the scenario's calendar");
  if (scenario.params.mode == AdoptionMode::firms)
    throw RunError(scenario.name + ": the particle filter does not support firm mode (its firms cannot be copied)");
  const std::int64_t N = options.members;
  const auto& names = scenario.params.sectors.names;

  EngineOptions engine_options;
  engine_options.stochastic = true;
  engine_options.block_size = static_cast<int>(std::min<std::int64_t>(options.block_size, N));
  CompileResult compiled = compile(run_spec(scenario), engine_options);
  if (!compiled.run) throw RunError(scenario.name + ": " + compiled.issues.front().message);
  const CompiledRun& engine = *compiled.run;
  const RandomStream stream(scenario.ensemble.seed, kModelStreamKey);
  const int bs = engine_options.block_size;

  // Every member's every series is kept (resampling copies histories).
  // Resample-move keeps a second store: the proposals' series.
  const std::uint64_t bytes = SeriesStore::bytes_needed(S, T, N) * (options.move_steps > 0 ? 2 : 1);
  if (bytes > SeriesStore::kMaxBytes)
    throw RunError("the particle filter keeps every series of every member: " + std::to_string(N) + " members need " +
                   std::to_string(bytes >> 20) + " MiB (limit " + std::to_string(SeriesStore::kMaxBytes >> 20) +
                   " MiB); use fewer members");
  ParticleFilterResult result;
  result.threads = resolve_thread_count(options.threads);
  result.store = std::make_unique<SeriesStore>(scenario.calendar, scenario.params.sectors, N);
  SeriesStore& store = *result.store;

  // The figures by month, with their sources and error scales.
  result.figures = filter_figures(scenario, observed, options.origin);
  struct UsedFigure {
    FigureSource source;
    double value = 0.0;
    double scale = 0.0;  // figure_error_scale
  };
  std::vector<std::vector<UsedFigure>> by_month(T);
  for (const FilterFigure& figure : result.figures) {
    if (!figure.skipped.empty()) continue;
    std::string why;
    by_month[figure.month].push_back({*figure_source(figure.observation, names, &why), figure.observation.value,
                                      figure_error_scale(options, figure.observation)});
  }
  int last_update = -1;  // always resampled, so that the projection's members weigh the same
  for (int t = 0; t <= options.origin; ++t)
    if (!by_month[t].empty()) last_update = t;
  auto log_likelihood = [&](const UsedFigure& f, double x) {
    if (f.source.sector >= 0 && options.sector_dof > 0.0)
      return student_t_log_likelihood(f.value, x, f.scale, options.sector_dof);
    return gaussian_log_likelihood(f.value, x, f.scale);
  };
  // Adds to `total`, figure by figure, the log-likelihood of month t's
  // figures given member m's values in `from` (-inf for a value that is not
  // finite): the filter's update and the move's path likelihood alike.
  auto add_month_log_likelihood = [&](const SeriesStore& from, int t, std::int64_t m, double& total) {
    const int month_of_year = scenario.calendar.at(t).month;
    for (const UsedFigure& f : by_month[t]) {
      const double x = figure_value(from, f.source, t, month_of_year, m);
      total += std::isfinite(x) ? log_likelihood(f, x) : -std::numeric_limits<double>::infinity();
    }
  };

  std::vector<Block> blocks((N + bs - 1) / bs);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    Block& block = blocks[b];
    block.first = static_cast<std::int64_t>(b) * bs;
    block.count = static_cast<int>(std::min<std::int64_t>(bs, N - block.first));
    block.ws = engine.make_workspace();
    if (auto problem = engine.lower_block(block.first, block.count, block.ws)) throw RunError(*problem);
    engine.initialise(block.ws, block.first);
    std::fill(block.ws.failed_month.begin(), block.ws.failed_month.end(), -1);
  }
  auto locate = [&](std::int64_t m) -> std::pair<Block*, int> {
    return {&blocks[static_cast<std::size_t>(m / bs)], static_cast<int>(m % bs)};
  };

  // Lever schedules the same in every member (no `uncertain` lever) are not
  // copied when members are resampled: most of a member's parameters.
  const std::vector<BlockParams::Array>& levers = BlockParams::lever_arrays();
  std::vector<char> lever_varies(levers.size(), 0);
  for (std::size_t k = 0; k < levers.size(); ++k) {
    const Column& first = blocks.front().ws.params.*levers[k];
    const int nb0 = blocks.front().ws.params.members;
    for (const Block& block : blocks) {
      const Column& a = block.ws.params.*levers[k];
      const int nb = block.ws.params.members;
      for (int t = 0; t < T && !lever_varies[k]; ++t)
        for (int c = 0; c < block.count; ++c)
          if (a[static_cast<std::size_t>(t) * nb + c] != first[static_cast<std::size_t>(t) * nb0]) {
            lever_varies[k] = 1;
            break;
          }
    }
  }
  // Resampling moves at once only what the figures read: the last
  // kLookback + 1 months of their series. Every other recorded value is moved
  // once, at the end, through the composed ancestors of the resamplings it
  // missed (ancestor tracing): one pass over the history, not one per resampling.
  constexpr int kLookback = 23;  // a December ytd growth reads t - 12 - 11
  const std::int64_t rows = cell_count(S, T) / T;  // a row: one series (of one sector), all months
  std::vector<char> row_read(static_cast<std::size_t>(rows), 0);
  for (const auto& figures : by_month)
    for (const UsedFigure& f : figures)
      row_read[static_cast<std::size_t>(
          f.source.sector >= 0 ? sector_cell_id(f.source.series, f.source.sector, 0, S, T) / T
                               : aggregate_cell_id(f.source.series, 0, S, T) / T)] = 1;
  struct Resampling {
    int month = 0;
    std::vector<std::int64_t> ancestor;
  };
  std::vector<Resampling> resamplings;

  std::vector<double> log_weight(N, 0.0);
  std::vector<std::optional<MemberFailure>> failure(N);
  std::vector<std::int64_t> root(N);  // the member whose drawn parameters each slot carries
  std::iota(root.begin(), root.end(), 0);
  std::int64_t lineages = N;  // distinct roots among the members
  // Snapshot of every member for resampling.
  BlockState all_state;
  BlockParams all_params;
  // Slot j of a recorded cell takes the value of slot from[j].
  std::vector<double> cell_copy(N);
  auto gather = [&](double* cell, const std::vector<std::int64_t>& from) {
    for (std::int64_t j = 0; j < N; ++j) cell_copy[j] = cell[from[j]];
    std::copy(cell_copy.begin(), cell_copy.end(), cell);
  };

  // Ancestor tracing of every recorded value not yet moved, for the months
  // so far (no resampling may follow: the last month with figures).
  auto trace_history = [&] {
    // Month s of a row the figures read was last moved by the resampling at
    // s + kLookback or before, any other row's never: the resamplings after
    // that, composed from the last back, give each slot's ancestor in month s.
    for (const bool read : {true, false}) {
      const int window = read ? kLookback : -1;
      std::vector<std::int64_t> trace(N);
      std::iota(trace.begin(), trace.end(), 0);
      std::size_t pending = resamplings.size();
      for (int s = T - 1; s >= 0; --s) {
        while (pending > 0 && resamplings[pending - 1].month > s + window) {
          const std::vector<std::int64_t>& ancestor = resamplings[--pending].ancestor;
          for (std::int64_t& k : trace) k = ancestor[static_cast<std::size_t>(k)];
        }
        if (pending == resamplings.size()) continue;  // no resampling left to apply: in place
        for (std::int64_t row = 0; row < rows; ++row) {
          if (static_cast<bool>(row_read[static_cast<std::size_t>(row)]) == read)
            gather(store.cell_at(row * T + s), trace);
        }
      }
    }
    resamplings.clear();
  };

  // Resample-move: the members' states at the anchor month, following
  // their slots through every resampling after it.
  const bool moving = options.move_steps > 0 && last_update >= 0;
  const int anchor = moving ? std::max(last_update - options.move_lag, -1) : -2;
  BlockState anchor_state, anchor_next;  // anchor_state.members 0: not taken yet
  auto take_anchor = [&] {
    anchor_state.allocate(S, static_cast<int>(N));
    for (std::int64_t m = 0; m < N; ++m) {
      auto [block, column] = locate(m);
      anchor_state.copy_member(block->ws.state, column, static_cast<int>(m));
    }
  };
  if (anchor == -1) take_anchor();
  auto move = [&](int last) {
    trace_history();
    SeriesStore proposal(scenario.calendar, scenario.params.sectors, N);
    // The values before the window that the window's figures read.
    for (std::int64_t row = 0; row < rows; ++row) {
      if (!row_read[static_cast<std::size_t>(row)]) continue;
      for (int s = std::max(0, anchor + 1 - kLookback); s <= anchor; ++s)
        std::copy_n(store.cell_at(row * T + s), N, proposal.cell_at(row * T + s));
    }
    auto path_log_likelihood = [&](const SeriesStore& from, std::int64_t m) {
      double sum = 0.0;
      for (int u = anchor + 1; u <= last; ++u) add_month_log_likelihood(from, u, m, sum);
      return sum;
    };
    std::vector<double> current(N);
    for (std::int64_t m = 0; m < N; ++m) current[m] = path_log_likelihood(store, m);
    std::vector<Workspace> proposals;
    proposals.reserve(blocks.size());
    for (const Block& block : blocks) {
      proposals.push_back(block.ws);  // the slots' parameters after the last resampling
      proposals.back().guard_hits.reserve(block.ws.guard_hits.capacity());
    }
    std::vector<char> moved(N, 0), proposed(N, 0), accepted(N, 0);
    for (int k = 0; k < options.move_steps; ++k) {
      throw_if_interrupted();
      std::fill(proposed.begin(), proposed.end(), 0);
      std::fill(accepted.begin(), accepted.end(), 0);
      parallel_for(static_cast<std::int64_t>(blocks.size()), result.threads, [] { return 0; },
                   [&](std::int64_t b, int&) {
                     Block& block = blocks[static_cast<std::size_t>(b)];
                     Workspace& w = proposals[static_cast<std::size_t>(b)];
                     for (int c = 0; c < block.count; ++c) {
                       w.state.copy_member(anchor_state, static_cast<int>(block.first + c), c);
                       w.failed_month[c] = -1;
                     }
                     const std::int64_t key = N * (1 + k) + block.first;  // fresh shocks
                     for (int u = anchor + 1; u <= last; ++u) {
                       w.guard_hits.clear();
                       engine.step_month(u, key, w);
                       engine.check_month(u, w);
                       proposal.record(u, w.params, w.state, block.first, block.count);
                     }
                     for (int c = 0; c < block.count; ++c) {
                       if (w.failed_month[c] >= 0) continue;
                       const std::int64_t j = block.first + c;
                       proposed[j] = 1;
                       const double ll = path_log_likelihood(proposal, j);
                       double uniform[4];
                       stream.uniforms(static_cast<std::uint64_t>(j), static_cast<std::uint64_t>(last),
                                       StreamPurpose::resample, static_cast<std::uint64_t>(1 + k), uniform);
                       if (!(std::log(uniform[0]) < ll - current[j])) continue;
                       accepted[j] = moved[j] = 1;
                       current[j] = ll;
                       block.ws.state.copy_member(w.state, c, c);
                       for (std::int64_t row = 0; row < rows; ++row)
                         for (int u = anchor + 1; u <= last; ++u)
                           store.cell_at(row * T + u)[j] = proposal.cell_at(row * T + u)[j];
                     }
                   });
      MoveStep step;
      step.anchor = anchor;
      step.last_month = last;
      step.proposed = std::count(proposed.begin(), proposed.end(), 1);
      step.accepted = std::count(accepted.begin(), accepted.end(), 1);
      step.moved = std::count(moved.begin(), moved.end(), 1);
      result.moves.push_back(step);
    }
  };
  // After month t's update and resampling: the anchor's snapshot, the move.
  auto after_month = [&](int t) {
    if (t == anchor) take_anchor();
    if (moving && t == last_update) move(t);
  };

  const auto started = std::chrono::steady_clock::now();
  auto report_progress = [&](int done) {
    if (!options.on_progress) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    options.on_progress(ProgressUpdate{scenario.name, "months", done, T, elapsed, done == T});
  };
  for (int t = 0; t < T; ++t) {
    throw_if_interrupted();
    report_progress(t);
    parallel_for(static_cast<std::int64_t>(blocks.size()), result.threads, [] { return 0; },
                 [&](std::int64_t b, int&) {
                   Block& block = blocks[static_cast<std::size_t>(b)];
                   block.ws.guard_hits.clear();
                   engine.step_month(t, block.first, block.ws);
                   engine.check_month(t, block.ws);
                   store.record(t, block.ws.params, block.ws.state, block.first, block.count);
                 });
    for (Block& block : blocks)
      for (const GuardHit& hit : block.ws.guard_hits) {
        if (hit.column >= block.count) continue;  // padding
        const std::int64_t m = block.first + hit.column;
        failure[m] = MemberFailure{m, std::string(guard_variable_name(hit.variable)), names[hit.sector], hit.month,
                                   hit.value, engine.failure_message(hit, root[m])};
        log_weight[m] = -std::numeric_limits<double>::infinity();
      }
    if (t > options.origin || by_month[t].empty()) {
      after_month(t);
      continue;
    }

    // Update: add each figure's log-likelihood; normalise.
    FilterMonth month;
    month.month = t;
    month.figures = static_cast<int>(by_month[t].size());
    std::vector<double> previous(N);
    double top_previous = -std::numeric_limits<double>::infinity();
    for (std::int64_t m = 0; m < N; ++m) top_previous = std::max(top_previous, log_weight[m]);
    for (std::int64_t m = 0; m < N; ++m) previous[m] = std::exp(log_weight[m] - top_previous);
    const double previous_sum = std::accumulate(previous.begin(), previous.end(), 0.0);
    for (std::int64_t m = 0; m < N; ++m)
      if (!failure[m]) add_month_log_likelihood(store, t, m, log_weight[m]);
    double top = -std::numeric_limits<double>::infinity();
    for (double lw : log_weight) top = std::max(top, lw);
    if (!std::isfinite(top))
      throw RunError("no member is left at " + format_year_month(scenario.calendar.at(t)) +
                     ": every member failed a numerical guard or has a value that is not finite");
    std::vector<double> weight(N);
    for (std::int64_t m = 0; m < N; ++m) weight[m] = std::exp(log_weight[m] - top);
    const double sum = std::accumulate(weight.begin(), weight.end(), 0.0);
    // log sum_m W_m(t-1) p(y | m) with W(t-1) = previous / previous_sum.
    month.log_likelihood_increment = top + std::log(sum) - top_previous - std::log(previous_sum);
    for (std::int64_t m = 0; m < N; ++m) {
      weight[m] /= sum;
      log_weight[m] = std::log(weight[m]);
    }
    month.ess = effective_sample_size(weight);
    if (month.ess < options.resample_threshold * static_cast<double>(N) || t == last_update) {
      month.resampled = true;
      double uniform[4];
      stream.uniforms(0, static_cast<std::uint64_t>(t), StreamPurpose::resample, 0, uniform);
      std::vector<std::int64_t> ancestor = systematic_resample(weight, std::min(uniform[0], 1.0 - 0x1p-53));
      if (anchor_state.members != 0) {
        if (anchor_next.members == 0) anchor_next.allocate(S, static_cast<int>(N));
        for (std::int64_t j = 0; j < N; ++j)
          anchor_next.copy_member(anchor_state, static_cast<int>(ancestor[j]), static_cast<int>(j));
        std::swap(anchor_state, anchor_next);
      }
      // Snapshot, then copy each ancestor into its new slot.
      if (all_state.members == 0) {
        all_state.allocate(S, static_cast<int>(N));
        all_params.allocate(S, static_cast<int>(N), T);
      }
      for (std::int64_t m = 0; m < N; ++m) {
        auto [block, column] = locate(m);
        all_state.copy_member(block->ws.state, column, static_cast<int>(m));
        all_params.copy_member(block->ws.params, column, static_cast<int>(m), &lever_varies);
      }
      // Liu-West moments of the trend states, before resampling.
      const bool trend = scenario.params.trend_shocks && options.jitter_discount < 1.0;
      std::vector<double> mean(2 * S, 0.0), spread(2 * S, 0.0);
      const Column* trend_arrays[2] = {&all_state.trend_drift, &all_state.trend_level};
      if (trend)
        for (int k = 0; k < 2 * S; ++k) {
          const double* x = trend_arrays[k / S]->data() + static_cast<std::size_t>(k % S) * N;
          for (std::int64_t m = 0; m < N; ++m) mean[k] += weight[m] * x[m];
          double variance = 0.0;
          for (std::int64_t m = 0; m < N; ++m) variance += weight[m] * (x[m] - mean[k]) * (x[m] - mean[k]);
          spread[k] = std::sqrt(variance);
        }
      const double delta = options.jitter_discount;
      const double a = (3.0 * delta - 1.0) / (2.0 * delta), h = std::sqrt(std::max(0.0, 1.0 - a * a));
      std::vector<std::int64_t> new_root(N);
      for (std::int64_t j = 0; j < N; ++j) {
        const std::int64_t from = ancestor[j];
        auto [block, column] = locate(j);
        block->ws.state.copy_member(all_state, static_cast<int>(from), column);
        block->ws.params.copy_member(all_params, static_cast<int>(from), column, &lever_varies);
        block->ws.failed_month[column] = -1;
        new_root[j] = root[from];
        if (trend) {
          Column* arrays[2] = {&block->ws.state.trend_drift, &block->ws.state.trend_level};
          const int nb = block->ws.state.members;
          double zeta[4];
          for (int k = 0; k < 2 * S; ++k) {
            if (k % 4 == 0)
              stream.normals(static_cast<std::uint64_t>(j), static_cast<std::uint64_t>(t), StreamPurpose::jitter,
                             static_cast<std::uint64_t>(k / 4), zeta);
            double& x = (*arrays[k / S])[static_cast<std::size_t>(k % S) * nb + column];
            x = a * x + (1.0 - a) * mean[k] + h * spread[k] * zeta[k % 4];
          }
        }
      }
      root = std::move(new_root);
      std::vector<char> alive(N, 0);
      lineages = 0;
      for (const std::int64_t r : root)
        if (!alive[r]) {
          alive[r] = 1;
          ++lineages;
        }
      // The figures' series of months t - kLookback .. t follow their members now.
      for (std::int64_t id = 0; id < cell_count(S, T); ++id) {
        if (!row_read[static_cast<std::size_t>(id / T)] || id % T > t || id % T < t - kLookback) continue;
        gather(store.cell_at(id), ancestor);
      }
      resamplings.push_back({t, std::move(ancestor)});
      std::fill(log_weight.begin(), log_weight.end(), -std::log(static_cast<double>(N)));
      std::fill(failure.begin(), failure.end(), std::nullopt);
    }
    month.lineages = lineages;
    result.months.push_back(month);
    after_month(t);
  }
  report_progress(T);
  trace_history();
  store.derive();
  for (const auto& f : failure)
    if (f) result.failures.push_back(*f);
  return result;
}

}  // namespace mfgsim
