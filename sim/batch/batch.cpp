#include "sim/batch/batch.h"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

#include "models/validate.h"
#include "sim/io/csv.h"
#include "sim/engine/engine.h"
#include "sim/io/hashing.h"
#include "sim/core/designs.h"
#include "sim/core/interrupt.h"
#include "sim/core/random_stream.h"
#include "sim/core/threads.h"
#include "sim/scenario/schema.h"
#include "sim/scenario/yaml_tree.h"

namespace mfgsim {

namespace fs = std::filesystem;

const std::vector<AggregateSeries>& headline_member_series() {
  static const std::vector<AggregateSeries> series = {
      AggregateSeries::manufacturing_va_ytd_yoy, AggregateSeries::industry_va_ytd_yoy,
      AggregateSeries::long_term_loans_yoy,      AggregateSeries::long_term_share,
      AggregateSeries::recycling_ratio,          AggregateSeries::adoption,
      AggregateSeries::co2,                      AggregateSeries::manufacturing_va};
  return series;
}

// ---- reading ---------------------------------------------------------------

namespace {

// The compile phase of a batch file. The schema phase (batch_schema(),
// checked by the scenario reader's Checker) has accepted every key's type
// and range before the reader runs, so the reader takes values as they are
// written; it resolves files, loads scenarios, checks the rules that tie
// keys together (grid sweeps and `points`, the valid ranges of the swept
// parameters) and generates the sweeps' samples.
class BatchReader {
 public:
  BatchReader(const YamlNode& root, std::string file, std::string base_dir, Diagnostics& diagnostics)
      : root_(root), file_(std::move(file)), base_dir_(std::move(base_dir)), d_(diagnostics) {}

  std::vector<Notice> notices;  // warnings for the user (BatchLoad::notices)

  std::optional<Batch> run() {
    Batch batch;
    batch.path = file_;
    batch.files.push_back(file_);
    batch.document = yaml_to_json(root_);
    check_schema(batch_schema(), root_, d_);
    if (!d_.ok()) return std::nullopt;

    batch.name = root_.find("name")->text;
    if (const YamlNode* description = root_.find("description")) batch.description = description->text;
    if (const YamlNode* members = root_.find("members")) batch.members = *parse_integer(members->text);
    if (const YamlNode* seed = root_.find("seed")) batch.seed = *parse_unsigned(seed->text);
    if (const YamlNode* stochastic = root_.find("stochastic")) batch.stochastic = schema_boolean(*stochastic);
    if (const YamlNode* outputs = root_.find("outputs")) read_outputs(*outputs, batch);

    const YamlNode* scenarios = root_.find("scenarios");
    const YamlNode* sweeps = root_.find("sweeps");
    // Each key given lists something: an empty list is an error at its key.
    for (const char* key : {"scenarios", "sweeps"})
      if (const YamlEntry* e = root_.find_entry(key); e && e->value.items.empty())
        d_.error(e->key_where, std::string("`") + key + "` lists nothing; list at least one " +
                                   (key[1] == 'c' ? "scenario file" : "sweep") + ", or leave the key out");
    if (!scenarios && !sweeps) d_.error({file_, 1, 1}, "a batch needs `scenarios`, `sweeps` or both");
    if (scenarios) read_scenarios(*scenarios, batch);
    if (sweeps) read_sweeps(*sweeps, batch);
    if (!d_.ok()) return std::nullopt;

    finish(batch);
    if (!d_.ok()) return std::nullopt;
    return batch;
  }

 private:
  // `all` (an empty list) or the series named, each once.
  static void read_outputs(const YamlNode& v, Batch& batch) {
    std::vector<std::string> names;
    for (const YamlNode& item : v.items) names.push_back(item.text);  // repeats refused by the schema check
    batch.outputs = names;
  }

  // A file named in the batch: resolved against the batch's folder; an error
  // at `where` if it is not a readable file.
  std::optional<std::string> file(const YamlNode& v, const std::string& what) {
    const std::string resolved = resolve_relative(v.text, base_dir_);
    std::error_code ec;
    if (!fs::is_regular_file(resolved, ec)) {
      d_.error(v.where, what + ": no such file `" + v.text + "`" +
                            (resolved != v.text ? " (looked for " + resolved + ")" : std::string()));
      return std::nullopt;
    }
    return resolved;
  }

  std::optional<Scenario> load(const std::string& path) {
    auto it = loaded_.find(path);
    if (it == loaded_.end()) {
      ScenarioLoad load = load_scenario(path);
      d_.append(load.diagnostics);
      it = loaded_.emplace(path, std::move(load.scenario)).first;
    }
    return it->second;
  }

  void read_scenarios(const YamlNode& v, Batch& batch) {
    for (const YamlNode& item : v.items) {
      const auto path = file(item, "scenarios");
      if (!path) continue;
      std::optional<Scenario> scenario = load(*path);
      if (!scenario) continue;  // load_scenario compiled it: the engine's checks passed
      BatchEntry entry;
      entry.source = item.text;
      entry.scenario = std::move(*scenario);
      add(batch, std::move(entry), item.where);
    }
  }

  void read_sweeps(const YamlNode& v, Batch& batch) {
    for (std::size_t k = 0; k < v.items.size(); ++k) read_sweep(v.items[k], "sweeps[" + std::to_string(k) + "]", batch);
  }

  static SweepMethod method_of(const std::string& text) {
    return text == "grid" ? SweepMethod::grid : text == "lhs" ? SweepMethod::lhs : SweepMethod::sobol;
  }

  void read_sweep(const YamlNode& v, const std::string& path, Batch& batch) {
    const std::size_t errors_before = d_.items().size();
    Sweep sweep;
    sweep.where = v.where;
    sweep.name = v.find("name")->text;
    sweep.method = method_of(v.find("method")->text);
    const char* method_name = sweep.method == SweepMethod::lhs ? "lhs" : "sobol";
    const YamlNode* samples = v.find("samples");
    if (sweep.method == SweepMethod::grid && samples)
      d_.error(v.find_entry("samples")->key_where,
               path + ".samples: a grid sweep has one sample per combination of its parameters' `points`; "
                      "give `points` to each parameter instead");
    else if (sweep.method != SweepMethod::grid && !samples)
      d_.error(v.where, path + ": missing required key `samples` (the number of " + std::string(method_name) +
                            " samples)");
    if (samples && sweep.method != SweepMethod::grid) sweep.samples = static_cast<int>(*parse_integer(samples->text));

    std::optional<Scenario> base;
    const YamlNode& base_node = *v.find("base");
    const std::string base_text = base_node.text;
    if (const auto resolved = file(base_node, path + ".base")) {
      sweep.base = *resolved;
      base = load(*resolved);
    }

    std::vector<ParamAddress> addresses;
    for (const YamlEntry& e : v.find("parameters")->entries) {
      const std::string p = path + ".parameters." + e.key;
      SweepParameter parameter;
      parameter.path = e.key;
      parameter.where = e.key_where;
      std::optional<ParamAddress> address;
      if (base) {
        std::string error;
        address = resolve_param_path(e.key, base->params, &error);
        if (!address) d_.error(e.key_where, error + " (in base " + base_text + ")");
        else {
          for (const UncertainParam& u : base->uncertain)
            if (u.address.path == address->path)
              d_.error(e.key_where, "`" + e.key + "` is drawn per member in the base scenario's `uncertain:` "
                                        "block, which would replace the swept values; sweep another parameter "
                                        "or remove it from `uncertain`");
        }
      }
      const YamlNode& low = *e.value.find("low");
      const YamlNode& high = *e.value.find("high");
      parameter.low = *parse_number(low.text);
      parameter.high = *parse_number(high.text);
      if (address) {
        const ParamRange range = address->range();
        if (!range.contains(parameter.low))
          d_.error(low.where, p + ".low must be " + range_requirement(range) + ", the valid range of `" + e.key +
                                  "` (got " + low.text + ")");
        if (!range.contains(parameter.high))
          d_.error(high.where, p + ".high must be " + range_requirement(range) + ", the valid range of `" + e.key +
                                   "` (got " + high.text + ")");
      }
      const YamlNode* points = e.value.find("points");
      if (sweep.method == SweepMethod::grid) {
        if (!points) d_.error(e.value.where, p + ": missing required key `points` (values of this parameter in the grid)");
        else parameter.points = static_cast<int>(*parse_integer(points->text));
      } else if (points) {
        d_.error(e.value.find_entry("points")->key_where,
                 p + ".points: only grid sweeps take `points`; " + std::string(method_name) +
                     " sweeps draw `samples` points");
      }
      if (address && address->whole()) whole_sweep(e, parameter, p);
      sweep.parameters.push_back(parameter);
      if (address) addresses.push_back(*address);
    }
    if (sweep.method == SweepMethod::grid && d_.items().size() == errors_before) {
      // Saturating at the limit: the product of a few parameters' points
      // (up to 10000 each) overflows 64 bits.
      constexpr std::int64_t kLimit = 1'000'000;
      std::int64_t count = 1;
      for (const SweepParameter& p : sweep.parameters) count = std::min(count * p.points, kLimit + 1);
      if (count > kLimit) {
        d_.error(v.where, path + ": the grid has more than 1000000 combinations (the product of the parameters' "
                                 "`points`)");
        return;
      }
      sweep.samples = static_cast<int>(count);
    }
    if (d_.items().size() != errors_before || !base) return;
    generate(sweep, *base, base_text, addresses, batch);
    batch.sweeps.push_back(std::move(sweep));
  }
  // A whole-number parameter (ParamAddress::whole) takes whole values only,
  // as in a scenario file: whole `low` and `high`, and a grid's step whole;
  // lhs and sobol sweeps pick whole values (ParamAddress::uniform_value).
  // `parameter` as read (points > 0 for a grid parameter with `points`).
  void whole_sweep(const YamlEntry& e, const SweepParameter& parameter, const std::string& p) {
    const std::string what = p + ": `" + e.key + "` is a whole number";
    const YamlNode& low = *e.value.find("low");
    const YamlNode& high = *e.value.find("high");
    bool ok = true;
    for (const auto& [node, x] : {std::pair{&low, parameter.low}, std::pair{&high, parameter.high}}) {
      if (std::floor(x) != x) {
        d_.error(node->where, what + ", so `" + (node == &low ? "low" : "high") + "` must be one (got " + node->text + ")");
        ok = false;
      }
    }
    if (!ok || parameter.points < 2) return;
    const double span = parameter.high - parameter.low;
    const auto steps = static_cast<double>(parameter.points - 1);
    if (std::fmod(span, steps) != 0.0)
      d_.error(e.value.find("points")->where, what + ": a grid of " + std::to_string(parameter.points) +
                                                  " points from " + low.text + " to " + high.text + " steps by " +
                                                  format_number(span / steps) +
                                                  "; choose `points` so that (high - low) / (points - 1) is whole");
  }

  void generate(const Sweep& sweep, const Scenario& base, const std::string& base_text,
                const std::vector<ParamAddress>& addresses, Batch& batch) {
    const int dims = static_cast<int>(sweep.parameters.size());
    std::vector<double> unit;
    switch (sweep.method) {
      case SweepMethod::grid: {
        std::vector<int> points;
        for (const SweepParameter& p : sweep.parameters) points.push_back(p.points);
        unit = grid_points(points);
        break;
      }
      case SweepMethod::lhs:
        unit = lhs_points(dims, sweep.samples, batch_seed(base), scenario_stream_key("lhs:" + sweep.name));
        break;
      case SweepMethod::sobol:
        // Shifted like the LHS permutations: by the batch seed and the sweep's name.
        unit = sobol_points(dims, sweep.samples, batch_seed(base), scenario_stream_key("sobol:" + sweep.name));
        if (const std::string warning = sobol_count_warning(sweep.samples); !warning.empty())
          notices.push_back({Notice::Level::warning, sweep.where.file + ":" + std::to_string(sweep.where.line) + ":" +
                                                         std::to_string(sweep.where.column) + ": warning: sweep " +
                                                         sweep.name + ": " + warning});
        break;
    }
    const int width = static_cast<int>(std::to_string(std::max(sweep.samples - 1, 0)).size());
    for (int k = 0; k < sweep.samples; ++k) {
      BatchEntry entry;
      entry.scenario = base;
      std::string suffix = std::to_string(k);
      suffix.insert(0, static_cast<std::size_t>(width) - suffix.size(), '0');
      entry.scenario.name = sweep.name + "_" + suffix;
      entry.scenario.description = "sample " + std::to_string(k) + " of sweep " + sweep.name;
      entry.source = base_text;
      entry.sweep = sweep.name;
      entry.sample = k;
      std::string values;
      for (int j = 0; j < dims; ++j) {
        const SweepParameter& p = sweep.parameters[static_cast<std::size_t>(j)];
        const double u = unit[static_cast<std::size_t>(k) * dims + j];
        const ParamAddress& address = addresses[static_cast<std::size_t>(j)];
        // A grid's values are its points (whole ones checked above); lhs and
        // sobol ranks choose a whole number uniformly where one is required.
        const double x = sweep.method == SweepMethod::grid ? std::lerp(p.low, p.high, u)
                                                           : address.uniform_value(u, p.low, p.high);
        set_param(entry.scenario.params, address, x);
        values += (j ? ", " : "") + p.path + " = " + format_number(x);
      }
      // The engine's checks (the model's and month 0's), so that no sample
      // fails after the batch started.
      bool ok = true;
      for (const ModelIssue& issue : compile(run_spec(entry.scenario), EngineOptions{}).issues) {
        d_.error(sweep.where, "sample " + entry.scenario.name + " (" + values + "): " + issue.message);
        ok = false;
      }
      if (!ok) {
        if (++sample_errors_ >= 10) {
          d_.error(sweep.where, "sweep " + sweep.name + ": stopping after 10 invalid samples");
          return;
        }
        continue;
      }
      add(batch, std::move(entry), sweep.where);
    }
  }

  // The seed the LHS permutations use: the batch's, else the base scenario's.
  std::uint64_t batch_seed(const Scenario& base) const {
    if (const YamlNode* seed = root_.find("seed"))
      if (const auto n = parse_unsigned(seed->text)) return *n;
    return base.ensemble.seed;
  }

  void add(Batch& batch, BatchEntry entry, const SourceLocation& where) {
    const auto [it, inserted] = names_.emplace(entry.scenario.name, where);
    if (!inserted) {
      const SourceLocation& first = it->second;
      d_.error(where, "two scenarios of the batch are named `" + entry.scenario.name + "` (the first at " +
                          first.file + ":" + std::to_string(first.line) + ":" + std::to_string(first.column) +
                          "); scenario names must be unique in a batch");
      return;
    }
    // One time axis and one sector list for the whole batch: results.nc and
    // the comparisons line scenarios up month by month, sector by sector.
    if (!batch.entries.empty()) {
      const Scenario& first = batch.entries.front().scenario;
      const Scenario& s = entry.scenario;
      if (!(s.calendar.start == first.calendar.start) || s.calendar.months != first.calendar.months) {
        d_.error(where, "scenario `" + s.name + "` runs " + std::to_string(s.calendar.months) + " months from " +
                            format_year_month(s.calendar.start) + ", but `" + first.name + "` runs " +
                            std::to_string(first.calendar.months) + " from " + format_year_month(first.calendar.start) +
                            ": the scenarios of a batch share one calendar");
        return;
      }
      if (s.params.sectors.names != first.params.sectors.names) {
        d_.error(where, "scenario `" + s.name + "` has other sectors than `" + first.name +
                            "`: the scenarios of a batch share one sector table");
        return;
      }
    }
    batch.entries.push_back(std::move(entry));
  }

  void finish(Batch& batch) {
    for (const Sweep& sweep : batch.sweeps)
      for (const SweepParameter& p : sweep.parameters)
        if (std::find(batch.parameters.begin(), batch.parameters.end(), p.path) == batch.parameters.end())
          batch.parameters.push_back(p.path);
    std::set<std::string> files(batch.files.begin(), batch.files.end());
    for (BatchEntry& entry : batch.entries) {
      Scenario& s = entry.scenario;
      if (batch.members) s.ensemble.members = static_cast<int>(*batch.members);
      if (batch.seed) s.ensemble.seed = *batch.seed;
      if (batch.stochastic) s.ensemble.stochastic = *batch.stochastic;
      if (batch.outputs) s.outputs = *batch.outputs;
      for (const std::string& f : s.files)
        if (files.insert(f).second) batch.files.push_back(f);
      for (const std::string& f : s.data_files)
        if (files.insert(f).second) batch.data_files.push_back(f);
      for (const std::string& path : batch.parameters) {
        const auto address = resolve_param_path(path, s.params, nullptr);
        entry.values.push_back(address ? get_param(s.params, *address) : std::nan(""));
      }
    }
  }

  const YamlNode& root_;
  std::string file_, base_dir_;
  Diagnostics& d_;
  std::map<std::string, std::optional<Scenario>> loaded_;
  std::map<std::string, SourceLocation> names_;
  int sample_errors_ = 0;
};

BatchLoad read_batch(const std::string& text, const std::string& name, const std::string& base_dir) {
  BatchLoad load;
  const std::optional<YamlNode> root = parse_yaml(text, name, load.diagnostics);
  if (!root) return load;
  BatchReader reader(*root, name, base_dir, load.diagnostics);
  auto batch = reader.run();
  if (load.diagnostics.ok()) load.batch = std::move(batch);
  load.notices = std::move(reader.notices);
  return load;
}

}  // namespace

BatchLoad load_batch(const std::string& path) {
  std::string text;
  if (!read_text_file(path, &text)) {
    BatchLoad load;
    load.diagnostics.error({path, 0, 0}, "cannot read the batch file");
    return load;
  }
  return read_batch(text, path, directory_of(path));
}

BatchLoad load_batch_text(const std::string& text, const std::string& name, const std::string& base_dir) {
  return read_batch(text, name, base_dir);
}

// ---- running ---------------------------------------------------------------

EnsembleRequest batch_request(const BatchEntry& entry, const BatchRunOptions& options, int threads_per_scenario) {
  const Scenario& s = entry.scenario;
  EnsembleRequest request;
  request.members = s.ensemble.members;
  request.stochastic = s.ensemble.stochastic;
  request.threads = threads_per_scenario;
  request.block_size = options.block_size;
  request.keep_members = options.keep_members;
  request.summarise = true;
  request.outputs = OutputSelection{s.outputs};
  request.exact_summary_bytes = options.summary_bytes;
  request.on_progress = options.member_progress;
  const int S = s.params.sectors.size(), T = s.calendar.months;
  for (const AggregateSeries a : headline_member_series())
    for (int t = 0; t < T; ++t) request.keep_cells.push_back(aggregate_cell_id(static_cast<int>(a), t, S, T));
  return request;
}

BatchRunInfo batch_layout(std::size_t scenarios, int threads) {
  BatchRunInfo info;
  info.threads = resolve_thread_count(threads);
  info.concurrent = static_cast<int>(std::clamp<std::size_t>(scenarios, 1, static_cast<std::size_t>(info.threads)));
  info.threads_per_scenario = std::max(1, info.threads / info.concurrent);
  return info;
}

BatchRunInfo run_batch(const Batch& batch, const BatchRunOptions& options,
                       const std::function<void(std::size_t, EnsembleResult&)>& on_result,
                       const BatchDoneCallback& on_done) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::size_t> all;
  if (options.indices.empty())
    for (std::size_t k = 0; k < batch.entries.size(); ++k) all.push_back(k);
  const std::vector<std::size_t>& order = options.indices.empty() ? all : options.indices;
  // Positions in `order` below; order[position] is the scenario.
  const std::size_t n = order.size();
  BatchRunInfo info = batch_layout(n, options.threads);
  // Results wait here until every earlier scenario has been delivered; a
  // worker does not start a scenario more than `window` ahead of delivery,
  // so memory stays bounded when one scenario is slow.
  const std::size_t window = 2 * static_cast<std::size_t>(info.concurrent) + 2;

  std::mutex mutex;
  std::condition_variable wake;
  std::map<std::size_t, EnsembleResult> pending;
  std::size_t next_take = 0, next_deliver = 0;
  bool delivering = false;
  std::exception_ptr failure;
  bool exact = true;

  auto worker = [&] {
    for (;;) {
      std::size_t index;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return failure || next_take >= n || next_take < next_deliver + window; });
        if (failure || next_take >= n) return;
        if (const int signal = interrupt_signal()) {  // Ctrl-C, SIGTERM: start no more scenarios
          failure = std::make_exception_ptr(Interrupted(signal));
          wake.notify_all();
          return;
        }
        index = next_take++;
      }
      EnsembleResult result;
      try {
        const BatchEntry& entry = batch.entries[order[index]];
        result = run_ensemble(entry.scenario, batch_request(entry, options, info.threads_per_scenario));
        if (on_done) on_done(order[index], result);
      } catch (const Interrupted&) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        wake.notify_all();
        return;
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        if (!failure) {
          const std::string& name = batch.entries[order[index]].scenario.name;
          const std::string what = e.what();
          failure = std::make_exception_ptr(RunError(what.starts_with(name + ":") ? what : name + ": " + what));
        }
        wake.notify_all();
        return;
      }
      std::unique_lock lock(mutex);
      if (result.summary && !result.summary->exact) exact = false;
      pending.emplace(index, std::move(result));
      if (delivering) continue;  // the delivering worker will pick it up
      delivering = true;
      while (!failure) {
        auto node = pending.extract(next_deliver);
        if (node.empty()) break;
        lock.unlock();
        try {
          on_result(order[next_deliver], node.mapped());
        } catch (...) {
          lock.lock();
          if (!failure) failure = std::current_exception();
          break;
        }
        lock.lock();
        ++next_deliver;
        wake.notify_all();
      }
      delivering = false;
      wake.notify_all();
    }
  };
  std::vector<std::thread> pool;
  start_threads(pool, info.concurrent - 1, worker, [&] {
    std::lock_guard lock(mutex);
    if (!failure) failure = std::make_exception_ptr(std::runtime_error("stopped"));
    wake.notify_all();
  });
  worker();
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  info.exact = exact;
  info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return info;
}

}  // namespace mfgsim
