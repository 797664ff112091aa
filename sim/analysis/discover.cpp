#include "sim/analysis/discover.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

#include "sim/analysis/compare.h"
#include "sim/analysis/plot.h"
#include "sim/core/text.h"
#include "sim/io/output_dir.h"
#include "sim/output/manifest.h"
#include "sim/output/netcdf_output.h"
#include "sim/output/run_outputs.h"

namespace mfgsim {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- PRIM

namespace {

// The points of a box, as indices, with its counts and limits.
struct BoxState {
  std::vector<double> low, high;
  std::vector<std::size_t> members;  // point indices in the box
  std::int64_t of_interest = 0;
};

PrimBox describe(const BoxState& b, const PrimResult& r, std::int64_t all, std::int64_t all_interest) {
  PrimBox out;
  out.low = b.low;
  out.high = b.high;
  out.points = static_cast<std::int64_t>(b.members.size());
  out.of_interest = b.of_interest;
  out.coverage = all_interest > 0 ? static_cast<double>(b.of_interest) / static_cast<double>(all_interest) : 0.0;
  out.density = out.points > 0 ? static_cast<double>(b.of_interest) / static_cast<double>(out.points) : 0.0;
  out.mass = static_cast<double>(out.points) / static_cast<double>(all);
  for (std::size_t j = 0; j < b.low.size(); ++j)
    out.restricted += (b.low[j] > r.range_low[j] || b.high[j] < r.range_high[j]) ? 1 : 0;
  return out;
}

// A candidate change of one limit: the new limit, the points and points of
// interest the box then holds.
struct Move {
  std::size_t dimension = 0;
  bool upper = false;
  double limit = 0.0;
  std::int64_t points = 0, of_interest = 0;
};

// Better: denser; then more points; then earlier (lower dimension, low side
// first), which the caller's order of candidates gives.
bool better(const Move& a, const Move& b) {
  // Compare densities as exact fractions: a.h / a.n > b.h / b.n.
  const double lhs = static_cast<double>(a.of_interest) * static_cast<double>(b.points);
  const double rhs = static_cast<double>(b.of_interest) * static_cast<double>(a.points);
  if (lhs != rhs) return lhs > rhs;
  return a.points > b.points;
}

// Values (ascending) with y, for one dimension of a set of points.
std::vector<std::pair<double, std::uint8_t>> sorted_values(const std::vector<double>& x,
                                                            const std::vector<std::uint8_t>& y, std::size_t d,
                                                            std::size_t j, const std::vector<std::size_t>& points) {
  std::vector<std::pair<double, std::uint8_t>> v;
  v.reserve(points.size());
  for (std::size_t i : points) v.emplace_back(x[i * d + j], y[i]);
  std::sort(v.begin(), v.end());
  return v;
}

// Removes (peel) or adds (paste) the first `count` entries of `v` (ordered
// from the box's edge inwards for a peel, outwards for a paste) and every
// entry tied with the last one. Returns the number of entries taken and
// their points of interest; `next` is the value after them (for a peel:
// the new limit), or `last` (for a paste: the new limit) the last taken.
struct Take {
  std::size_t taken = 0;
  std::int64_t of_interest = 0;
  double last = 0.0;
};
template <class It>
Take take(It begin, It end, std::size_t count) {
  Take t;
  if (begin == end || count == 0) return t;
  It it = begin;
  for (; it != end && t.taken < count; ++it, ++t.taken) t.of_interest += it->second;
  t.last = std::prev(it)->first;
  for (; it != end && it->first == t.last; ++it, ++t.taken) t.of_interest += it->second;
  return t;
}

std::size_t chunk(double alpha, std::size_t n) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(alpha * static_cast<double>(n))));
}

bool inside(const std::vector<double>& x, std::size_t d, std::size_t i, const std::vector<double>& low,
            const std::vector<double>& high) {
  for (std::size_t j = 0; j < d; ++j)
    if (x[i * d + j] < low[j] || x[i * d + j] > high[j]) return false;
  return true;
}

// The best peel of box `b`, if any leaves a point.
std::optional<Move> best_peel(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t d,
                              const BoxState& b, double alpha) {
  std::optional<Move> best;
  const std::size_t k = chunk(alpha, b.members.size());
  for (std::size_t j = 0; j < d; ++j) {
    const auto v = sorted_values(x, y, d, j, b.members);
    for (bool upper : {false, true}) {
      const Take t = upper ? take(v.rbegin(), v.rend(), k) : take(v.begin(), v.end(), k);
      if (t.taken >= v.size()) continue;  // every value tied: this side cannot be peeled
      Move m{j, upper, upper ? v[v.size() - t.taken - 1].first : v[t.taken].first,
             static_cast<std::int64_t>(v.size() - t.taken), b.of_interest - t.of_interest};
      if (!best || better(m, *best)) best = m;
    }
  }
  return best;
}

// The best paste of `chunk_size` points (with ties) onto box `b` whose
// density is not below the box's.
std::optional<Move> best_paste(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t d,
                               const BoxState& b, std::size_t chunk_size) {
  // Points outside the box in exactly one dimension, per dimension and side.
  std::vector<std::vector<std::pair<double, std::uint8_t>>> below(d), above(d);
  const std::size_t n = y.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t outside = 0, where = 0;
    for (std::size_t j = 0; j < d && outside < 2; ++j)
      if (x[i * d + j] < b.low[j] || x[i * d + j] > b.high[j]) {
        ++outside;
        where = j;
      }
    if (outside != 1) continue;
    (x[i * d + where] < b.low[where] ? below : above)[where].emplace_back(x[i * d + where], y[i]);
  }
  const Move current{0, false, 0.0, static_cast<std::int64_t>(b.members.size()), b.of_interest};
  std::optional<Move> best;
  for (std::size_t j = 0; j < d; ++j) {
    std::sort(below[j].begin(), below[j].end());
    std::sort(above[j].begin(), above[j].end());
    for (bool upper : {false, true}) {
      const auto& v = upper ? above[j] : below[j];
      const Take t = upper ? take(v.begin(), v.end(), chunk_size) : take(v.rbegin(), v.rend(), chunk_size);
      if (t.taken == 0) continue;
      Move m{j, upper, t.last, current.points + static_cast<std::int64_t>(t.taken), current.of_interest + t.of_interest};
      // Not below the box's density (exactly: h' n >= h n').
      if (static_cast<double>(m.of_interest) * static_cast<double>(current.points) <
          static_cast<double>(current.of_interest) * static_cast<double>(m.points))
        continue;
      if (!best || better(m, *best)) best = m;
    }
  }
  return best;
}

// The points of box `b` for its limits.
void refill(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t d, BoxState& b) {
  b.members.clear();
  b.of_interest = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (inside(x, d, i, b.low, b.high)) {
      b.members.push_back(i);
      b.of_interest += y[i];
    }
}

void apply(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t d, BoxState& b,
           const Move& m) {
  (m.upper ? b.high : b.low)[m.dimension] = m.limit;
  refill(x, y, d, b);
}

// Points and points of interest in the box (low, high).
std::pair<std::int64_t, std::int64_t> count_in(const std::vector<double>& x, const std::vector<std::uint8_t>& y,
                                               std::size_t d, const std::vector<double>& low,
                                               const std::vector<double>& high) {
  std::int64_t points = 0, interest = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    if (inside(x, d, i, low, high)) {
      ++points;
      interest += y[i];
    }
  return {points, interest};
}

}  // namespace

double binomial_upper_tail(std::int64_t k, std::int64_t n, double p) {
  if (k <= 0) return 1.0;
  if (k > n) return 0.0;
  if (p <= 0.0) return 0.0;
  if (p >= 1.0) return 1.0;
  // log pmf(i) = lgamma(n+1) - lgamma(i+1) - lgamma(n-i+1) + i log p + (n-i) log(1-p);
  // summed relative to the largest term.
  const double lp = std::log(p), lq = std::log1p(-p), ln = std::lgamma(static_cast<double>(n) + 1.0);
  std::vector<double> terms;
  terms.reserve(static_cast<std::size_t>(n - k + 1));
  double top = -std::numeric_limits<double>::infinity();
  for (std::int64_t i = k; i <= n; ++i) {
    const auto di = static_cast<double>(i), dn = static_cast<double>(n);
    const double t = ln - std::lgamma(di + 1.0) - std::lgamma(dn - di + 1.0) + di * lp + (dn - di) * lq;
    terms.push_back(t);
    top = std::max(top, t);
  }
  double sum = 0.0;
  for (double t : terms) sum += std::exp(t - top);
  return std::min(1.0, std::exp(top) * sum);
}

PrimResult prim(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t d,
                const PrimOptions& options) {
  const std::size_t n = y.size();
  assert(n > 0 && x.size() == n * d);
  PrimResult r;
  BoxState b;
  b.low.assign(d, std::numeric_limits<double>::infinity());
  b.high.assign(d, -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      assert(!std::isnan(x[i * d + j]));
      b.low[j] = std::min(b.low[j], x[i * d + j]);
      b.high[j] = std::max(b.high[j], x[i * d + j]);
    }
    b.members.push_back(i);
    b.of_interest += y[i];
  }
  r.range_low = b.low;
  r.range_high = b.high;
  const auto all = static_cast<std::int64_t>(n);
  const std::int64_t all_interest = b.of_interest;

  // Peeling.
  r.trajectory.push_back(describe(b, r, all, all_interest));
  // Nothing to find when no point, or every point, meets the condition.
  while (b.of_interest > 0 && b.of_interest < static_cast<std::int64_t>(b.members.size())) {
    const std::optional<Move> peel = best_peel(x, y, d, b, options.peel_alpha);
    if (!peel || static_cast<double>(peel->points) < options.min_mass * static_cast<double>(n)) break;
    apply(x, y, d, b, *peel);
    r.trajectory.push_back(describe(b, r, all, all_interest));
  }

  // The chosen box: the largest coverage with density >= min_density; ties: the last.
  for (std::size_t s = 0; s < r.trajectory.size(); ++s) {
    const PrimBox& box = r.trajectory[s];
    if (box.density < options.min_density || box.of_interest == 0) continue;
    if (r.chosen < 0 || box.coverage >= r.trajectory[static_cast<std::size_t>(r.chosen)].coverage)
      r.chosen = static_cast<int>(s);
  }
  r.low_p_value.assign(d, std::numeric_limits<double>::quiet_NaN());
  r.high_p_value = r.low_p_value;
  if (r.chosen < 0) return r;

  // Pasting, from the chosen box.
  BoxState pasted;
  pasted.low = r.trajectory[static_cast<std::size_t>(r.chosen)].low;
  pasted.high = r.trajectory[static_cast<std::size_t>(r.chosen)].high;
  refill(x, y, d, pasted);
  for (;;) {
    std::optional<Move> paste = best_paste(x, y, d, pasted, chunk(options.peel_alpha, pasted.members.size()));
    if (!paste) paste = best_paste(x, y, d, pasted, 1);
    if (!paste) break;
    apply(x, y, d, pasted, *paste);
  }
  r.box = describe(pasted, r, all, all_interest);

  // Quasi-p values: each restricted limit set back to the data's range.
  for (std::size_t j = 0; j < d; ++j)
    for (bool upper : {false, true}) {
      std::vector<double> low = pasted.low, high = pasted.high;
      if (upper ? high[j] >= r.range_high[j] : low[j] <= r.range_low[j]) continue;
      (upper ? high : low)[j] = upper ? r.range_high[j] : r.range_low[j];
      const auto [points, interest] = count_in(x, y, d, low, high);
      const double p = static_cast<double>(interest) / static_cast<double>(points);
      (upper ? r.high_p_value : r.low_p_value)[j] = binomial_upper_tail(r.box.of_interest, r.box.points, p);
    }
  return r;
}

std::vector<double> ks_distances(const std::vector<double>& x, const std::vector<std::uint8_t>& y, std::size_t d) {
  std::vector<double> out(d, std::numeric_limits<double>::quiet_NaN());
  const std::size_t n = y.size();
  const auto ones = static_cast<double>(std::count(y.begin(), y.end(), std::uint8_t{1}));
  const double zeros = static_cast<double>(n) - ones;
  if (ones == 0 || zeros == 0) return out;
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  for (std::size_t j = 0; j < d; ++j) {
    const auto v = sorted_values(x, y, d, j, all);
    double seen1 = 0, seen0 = 0, sup = 0;
    for (std::size_t i = 0; i < n; ++i) {
      (v[i].second ? seen1 : seen0) += 1;
      // Both empirical CDFs at a value: after the last of its ties.
      if (i + 1 == n || v[i + 1].first != v[i].first) sup = std::max(sup, std::abs(seen1 / ones - seen0 / zeros));
    }
    out[j] = sup;
  }
  return out;
}

// ---------------------------------------------------------------- the condition

bool Condition::holds(double v) const {
  if (std::isnan(v)) return false;
  switch (op) {
    case Op::ge: return v >= value;
    case Op::gt: return v > value;
    case Op::le: return v <= value;
    case Op::lt: return v < value;
  }
  return false;
}

std::string Condition::text() const {
  static constexpr const char* kOps[] = {">=", ">", "<=", "<"};
  return fmt::format("{} {}", kOps[static_cast<int>(op)], value);
}

std::optional<Condition> parse_condition(std::string_view text, std::string* problem) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  std::string_view rest = text;
  while (!rest.empty() && blank(rest.front())) rest.remove_prefix(1);
  while (!rest.empty() && blank(rest.back())) rest.remove_suffix(1);
  Condition c;
  if (rest.starts_with(">=")) c.op = Condition::Op::ge;
  else if (rest.starts_with("<=")) c.op = Condition::Op::le;
  else if (rest.starts_with(">")) c.op = Condition::Op::gt;
  else if (rest.starts_with("<")) c.op = Condition::Op::lt;
  const std::size_t op_length = rest.starts_with(">=") || rest.starts_with("<=") ? 2 : rest.starts_with(">") || rest.starts_with("<") ? 1 : 0;
  rest.remove_prefix(op_length);
  while (!rest.empty() && blank(rest.front())) rest.remove_prefix(1);
  const std::optional<double> value = op_length > 0 ? parse_number(rest) : std::nullopt;
  if (!value) {
    *problem = "expected a comparison and a finite number, one of '>= v', '> v', '<= v', '< v' (e.g. '>= 0.07'), got '" +
               std::string(text) + "'";
    return std::nullopt;
  }
  c.value = *value;
  return c;
}

// ---------------------------------------------------------------- a batch's points

namespace {

const SourceLocation kCommandLine{"mfgsim"};

struct DiscoveryInput {
  Discovery discovery;
  std::vector<double> x;
  std::vector<std::uint8_t> y;
};

// Reads the points from DIR/results.nc; each problem is a diagnostic.
DiscoveryInput read_points(const DiscoverRequest& request, Diagnostics& problems) {
  DiscoveryInput in;
  Discovery& d = in.discovery;
  if (!kPeelAlphaRange.contains(request.peel_alpha))
    problems.error(kCommandLine, "--peel-alpha: must be a number " + range_requirement(kPeelAlphaRange) + " (got " +
                                     format_number(request.peel_alpha) + ")");
  if (!kMinProbabilityRange.contains(request.min_probability))
    problems.error(kCommandLine, "--min-probability: must be a number " + range_requirement(kMinProbabilityRange) +
                                     " (got " + format_number(request.min_probability) + ")");
  std::string problem;
  if (const std::optional<Condition> c = parse_condition(request.where, &problem)) d.condition = *c;
  else problems.error(kCommandLine, "--where: " + problem);

  const std::string path = (fs::path(request.results_dir) / "results.nc").string();
  if (!fs::exists(path)) {
    problems.error(kCommandLine, path + " not found: discover reads the results.nc of a `mfgsim batch` output folder");
    return in;
  }
  // A run folder: discover's own message, not compare's advice to give more
  // run folders (found by a new user's trial).
  if (NetcdfReader(path).text_attribute("", "history").starts_with("mfgsim run ")) {
    problems.error(kCommandLine, request.results_dir + " is the folder of a `mfgsim run`: discover reads the "
                                                       "results.nc of a `mfgsim batch` output folder with a sweep");
    return in;
  }
  // The series, the month and member values: as compare checks them.
  CompareRequest as_compare;
  as_compare.results_dirs = {request.results_dir};
  as_compare.series = {request.series};
  as_compare.months = {request.month};
  const Diagnostics selection = validate_compare_request(as_compare);
  problems.append(selection);
  const NetcdfReader file(path);
  const std::vector<std::string> sweeps = file.strings("sweep");
  std::vector<std::size_t> samples;
  for (std::size_t s = 0; s < sweeps.size(); ++s)
    if (!sweeps[s].empty()) samples.push_back(s);
  if (samples.empty() || !file.has_variable("parameter")) {
    problems.error(kCommandLine, path + " holds no sweep samples (no scenario made by a `sweeps:` entry of the batch): "
                                        "discover needs a batch with a sweep");
    return in;
  }
  if (!selection.ok()) return in;

  d.series = request.series;
  d.month = request.month;
  d.parameters = file.strings("parameter");
  // The members' drawn `uncertain:` values (draw_<path>(scenario, member))
  // are dimensions too: outcomes can turn on them as much as on the levers.
  std::vector<std::vector<double>> draws;
  for (const std::string& name : file.variable_names())
    if (name.starts_with("draw_")) {
      d.parameters.push_back(file.text_attribute(name, "parameter_path"));
      ++d.drawn_parameters;
      draws.push_back(file.doubles(name));
    }
  d.samples = static_cast<std::int64_t>(samples.size());
  d.scenario_files = static_cast<std::int64_t>(sweeps.size() - samples.size());
  d.options.peel_alpha = request.peel_alpha;
  d.options.min_density = request.min_probability;
  const std::string var = request.series + "_members";
  d.unit = file.text_attribute(var, "units");
  const std::vector<std::string> labels = file.strings("month_label");
  const auto t = static_cast<std::size_t>(std::find(labels.begin(), labels.end(), request.month) - labels.begin());
  const std::size_t M = file.dimension("member"), P = d.parameters.size() - draws.size();
  const std::vector<double> counts = file.doubles("member_count");
  const std::vector<double> values = file.doubles("parameter_value");
  for (std::size_t s : samples) {
    const double* x = values.data() + s * P;
    const bool drawn_everywhere =
        std::all_of(draws.begin(), draws.end(), [&](const std::vector<double>& v) { return !std::isnan(v[s * M]); });
    if (std::any_of(x, x + P, [](double v) { return std::isnan(v); }) || !drawn_everywhere) {
      ++d.incomplete_samples;
      continue;
    }
    const std::vector<double> members = file.doubles(var, {s, t, 0}, {1, 1, M});
    for (std::size_t m = 0; m < static_cast<std::size_t>(counts[s]) && m < M; ++m) {
      if (std::isnan(members[m])) {
        ++d.undefined_points;
        continue;
      }
      in.x.insert(in.x.end(), x, x + P);
      for (const std::vector<double>& v : draws) in.x.push_back(v[s * M + m]);
      in.y.push_back(d.condition.holds(members[m]) ? 1 : 0);
    }
  }
  d.points = static_cast<std::int64_t>(in.y.size());
  d.of_interest = std::count(in.y.begin(), in.y.end(), std::uint8_t{1});
  if (d.points == 0)
    problems.error(kCommandLine, "--at: " + request.series + " is undefined at " + request.month +
                                     " for every member of every sweep sample" +
                                     (d.incomplete_samples > 0 ? " with a value for each swept path" : "") +
                                     " (growth rates are undefined in the run's first year)");
  return in;
}

}  // namespace

Diagnostics validate_discover_request(const DiscoverRequest& request) {
  Diagnostics problems;
  read_points(request, problems);
  return problems;
}

Discovery discover(const DiscoverRequest& request) {
  Diagnostics problems;
  DiscoveryInput in = read_points(request, problems);
  if (!problems.ok())
    throw std::invalid_argument("discover: a request validate_discover_request rejects:\n" + problems.format());
  Discovery& d = in.discovery;
  const std::size_t P = d.parameters.size();
  d.prim = prim(in.x, in.y, P, d.options);
  const std::vector<double> scores = ks_distances(in.x, in.y, P);
  for (std::size_t j = 0; j < P; ++j) d.features.push_back({d.parameters[j], scores[j]});
  std::stable_sort(d.features.begin(), d.features.end(), [](const FeatureScore& a, const FeatureScore& b) {
    return (std::isnan(a.ks_distance) ? -1.0 : a.ks_distance) > (std::isnan(b.ks_distance) ? -1.0 : b.ks_distance);
  });
  return std::move(in.discovery);
}

// ---------------------------------------------------------------- outputs

namespace {

std::string number(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

}  // namespace

void write_trajectory_csv(std::ostream& out, const Discovery& d) {
  out << "step,coverage,density,mass,restricted,points,of_interest,chosen";
  for (const std::string& p : d.parameters) out << "," << p << "_low," << p << "_high";
  out << "\n";
  for (std::size_t s = 0; s < d.prim.trajectory.size(); ++s) {
    const PrimBox& b = d.prim.trajectory[s];
    out << fmt::format("{},{},{},{},{},{},{},{}", s, b.coverage, b.density, b.mass, b.restricted, b.points,
                       b.of_interest, static_cast<int>(s) == d.prim.chosen ? "yes" : "no");
    for (std::size_t j = 0; j < b.low.size(); ++j) out << "," << number(b.low[j]) << "," << number(b.high[j]);
    out << "\n";
  }
}

void write_box_csv(std::ostream& out, const Discovery& d) {
  out << "parameter,low,high,restricted,p_value_low,p_value_high,range_low,range_high\n";
  if (d.prim.chosen < 0) return;
  const PrimResult& r = d.prim;
  for (std::size_t j = 0; j < d.parameters.size(); ++j) {
    const bool restricted = r.box.low[j] > r.range_low[j] || r.box.high[j] < r.range_high[j];
    out << fmt::format("{},{},{},{},{},{},{},{}\n", d.parameters[j], r.box.low[j], r.box.high[j],
                       restricted ? "yes" : "no", number(r.low_p_value[j]), number(r.high_p_value[j]),
                       r.range_low[j], r.range_high[j]);
  }
}

void write_features_csv(std::ostream& out, const Discovery& d) {
  out << "rank,parameter,ks_distance\n";
  for (std::size_t k = 0; k < d.features.size(); ++k)
    out << fmt::format("{},{},{}\n", k + 1, d.features[k].parameter, number(d.features[k].ks_distance));
}

namespace {

std::string p_value_text(double p) {
  if (std::isnan(p)) return "-";
  return p < 1e-4 ? fmt::format("{:.1e}", p) : fmt::format("{:.4f}", p);
}

}  // namespace

std::string discovery_table(const Discovery& d) {
  const PrimResult& r = d.prim;
  std::string out = fmt::format(
      "Scenario discovery (PRIM): {} at {} {} ({})\n"
      "points: {} members of {} sweep samples, {} meet the condition ({:.1f}%)\n",
      d.series, d.month, d.condition.text(), d.unit == "1" ? "a ratio: 0.07 is 7%" : "in " + d.unit, d.points,
      d.samples, d.of_interest, 100.0 * static_cast<double>(d.of_interest) / static_cast<double>(d.points));
  if (d.scenario_files > 0)
    out += fmt::format("left out: {} scenario file{} (not sweep samples)\n", d.scenario_files,
                       d.scenario_files > 1 ? "s" : "");
  if (d.undefined_points > 0) out += fmt::format("left out: {} members with no value (NaN)\n", d.undefined_points);
  if (d.incomplete_samples > 0)
    out += fmt::format("left out: {} sweep samples without a value for every swept path\n", d.incomplete_samples);
  out += fmt::format("peeling: {} steps, alpha {}; ", r.trajectory.size() - 1, d.options.peel_alpha);
  if (r.chosen < 0) {
    const auto densest = std::max_element(r.trajectory.begin(), r.trajectory.end(),
                                          [](const PrimBox& a, const PrimBox& b) { return a.density < b.density; });
    out += fmt::format("no box reaches density {} (the densest: {:.3f}, step {}, coverage {:.3f}; trajectory.csv has its limits)\n",
                       d.options.min_density, densest->density, densest - r.trajectory.begin(), densest->coverage);
  } else {
    const PrimBox& c = r.trajectory[static_cast<std::size_t>(r.chosen)];
    out += fmt::format("chosen: step {}, the largest coverage with density >= {} (coverage {:.3f}, density {:.3f})\n",
                       r.chosen, d.options.min_density, c.coverage, c.density);
    out += fmt::format("box after pasting: coverage {:.3f}, density {:.3f}, mass {:.3f} ({} points, {} restricted)\n\n",
                       r.box.coverage, r.box.density, r.box.mass, r.box.points, r.box.restricted);
    out += fmt::format("  {:<40} {:>10} {:>10} {:>10} {:>10}  {}\n", "parameter", "low", "high", "p(low)", "p(high)",
                       "sweep range");
    for (std::size_t j = 0; j < d.parameters.size(); ++j) {
      const bool low = r.box.low[j] > r.range_low[j], high = r.box.high[j] < r.range_high[j];
      out += fmt::format("  {:<40} {:>10} {:>10} {:>10} {:>10}  [{:.4g}, {:.4g}]\n", d.parameters[j],
                         low ? fmt::format("{:.4g}", r.box.low[j]) : "-", high ? fmt::format("{:.4g}", r.box.high[j]) : "-",
                         p_value_text(r.low_p_value[j]), p_value_text(r.high_p_value[j]), r.range_low[j],
                         r.range_high[j]);
    }
  }
  out += "\nfeature scores: Kolmogorov-Smirnov distance between the parameter's values where the\n"
         "condition holds and where it does not (regional sensitivity analysis)\n";
  for (std::size_t k = 0; k < d.features.size(); ++k)
    out += fmt::format("  {:>2}  {:<40} {:>6}\n", k + 1, d.features[k].parameter,
                       std::isnan(d.features[k].ks_distance) ? std::string("-")
                                                             : fmt::format("{:.3f}", d.features[k].ks_distance));
  return out;
}

namespace {

// trajectory.png/.svg: density against coverage per peeling step, one
// colour per number of restricted parameters.
void write_trajectory_chart(const OutputDir& dir, const Discovery& d) {
  require_gnuplot();
  const PrimResult& r = d.prim;
  int most = 0;
  for (const PrimBox& b : r.trajectory) most = std::max(most, b.restricted);
  std::string data;
  // One data block per number of restricted parameters (gnuplot `index`).
  for (int k = 0; k <= most; ++k) {
    data += fmt::format("# {} restricted: coverage density step\n", k);
    for (std::size_t s = 0; s < r.trajectory.size(); ++s)
      if (r.trajectory[s].restricted == k)
        data += fmt::format("{} {} {}\n", r.trajectory[s].coverage, r.trajectory[s].density, s);
    data += "\n\n";
  }
  data += "# chosen box, then the box after pasting: coverage density\n";
  if (r.chosen >= 0) {
    const PrimBox& c = r.trajectory[static_cast<std::size_t>(r.chosen)];
    data += fmt::format("{} {}\n\n\n{} {}\n", c.coverage, c.density, r.box.coverage, r.box.density);
  }
  const auto write = [&dir](const std::string& name, const std::string& text) {
    std::ofstream out(dir.staging() / name);
    out << text;
    dir.close(out, name);
  };
  write("trajectory.dat", data);
  static const char* kColours[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"};
  std::vector<std::string> items;
  for (int k = 0; k <= most; ++k)
    items.push_back(fmt::format("'trajectory.dat' index {} using 1:2 with points pt 7 ps 1.2 lc rgb '{}' title {}", k,
                                kColours[k % 7],
                                gnuplot_quote(fmt::format("{} parameter{} restricted", k, k == 1 ? "" : "s"))));
  if (r.chosen >= 0) {
    items.push_back(fmt::format("'trajectory.dat' index {} using 1:2 with points pt 6 ps 3 lw 2 lc rgb 'black' title {}",
                                most + 1, gnuplot_quote(fmt::format("chosen box (step {})", r.chosen))));
    items.push_back(fmt::format("'trajectory.dat' index {} using 1:2 with points pt 3 ps 2.5 lw 2 lc rgb 'black' title {}",
                                most + 2, gnuplot_quote("after pasting")));
  }
  items.push_back(fmt::format("{} with lines dt 2 lc rgb 'grey50' title {}", d.options.min_density,
                              gnuplot_quote(fmt::format("density {}", d.options.min_density))));
  const std::string script =
      fmt::format("set title {}\nset xlabel 'coverage (share of the points meeting the condition in the box)'\n"
                  "set ylabel 'density (share of the box meeting the condition)'\nset grid\n"
                  "set xrange [0:1.02]\nset yrange [0:1.02]\nset key outside right top\n",
                  gnuplot_quote(fmt::format("PRIM peeling trajectory: {} at {} {}", d.series, d.month, d.condition.text()))) +
      draw_to_png_and_svg("trajectory", items);
  write("trajectory.gp", script);
  run_gnuplot(dir.staging(), "trajectory");
}

}  // namespace

void write_discovery_folder(const OutputDir& dir, const DiscoverRequest& request, const Discovery& d, bool chart,
                            std::chrono::steady_clock::time_point start) {
  const auto write = [&](const std::string& name, void (*writer)(std::ostream&, const Discovery&)) {
    std::ofstream out(dir.staging() / name);
    writer(out, d);
    dir.close(out, name);
  };
  write("trajectory.csv", write_trajectory_csv);
  write("box.csv", write_box_csv);
  write("features.csv", write_features_csv);
  if (chart) write_trajectory_chart(dir, d);
  nlohmann::json manifest = manifest_head("discover");
  add_files(manifest, "input_files", {(fs::path(request.results_dir) / "results.nc").string()});
  manifest["series"] = d.series;
  manifest["month"] = d.month;
  manifest["where"] = d.condition.text();
  manifest["unit"] = d.unit;
  manifest["min_probability"] = d.options.min_density;
  manifest["peel_alpha"] = d.options.peel_alpha;
  manifest["min_mass"] = d.options.min_mass;
  manifest["parameters"] = d.parameters;
  manifest["points"] = {{"sweep_samples", d.samples}, {"members", d.points}, {"of_interest", d.of_interest},
                        {"undefined_left_out", d.undefined_points}, {"scenario_files_left_out", d.scenario_files},
                        {"incomplete_samples_left_out", d.incomplete_samples}};
  manifest["chosen_step"] = d.prim.chosen;
  stamp_time(manifest, start);
  write_json_file(dir, "manifest.json", manifest);
}

}  // namespace mfgsim
