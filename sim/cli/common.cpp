#include "sim/cli/common.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sim/ensemble/particle_filter.h"
#include "sim/scenario/observations.h"
#include "sim/core/text.h"
#include "sim/ensemble/particle_filter.h"
#include "sim/scenario/scenario.h"

namespace mfgsim::cli {

namespace {
void set_log_level(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    throw UsageError("--log-level must be one of trace, debug, info, warn, error, off (got '" + level + "')");
  spdlog::set_level(parsed);
}
}  // namespace

std::string CommandOptions::long_name(const char* name) {
  const std::string text(name);
  return text.substr(0, text.find(','));
}

std::string CommandOptions::with_range(const char* help, const std::string& range) {
  return std::string(help) + "; in " + range;
}

CommandOptions& CommandOptions::number(const char* name, const ParamRange& range, const char* help) {
  auto* value = new CheckedValue<double>(long_name(name), [range](std::string_view text, std::string* problem) {
    const std::optional<double> x = parse_number(text);
    if (x && range.contains(*x)) return x;
    *problem = "must be a number " + range_requirement(range) + " (got '" + std::string(text) + "')";
    return std::optional<double>();
  });
  return add(name, value, with_range(help, format_range(range)).c_str());
}

CommandOptions& CommandOptions::add(const char* name, const po::value_semantic* value, const char* help) {
  options_.add_options()(name, value, help);
  last_ = long_name(name);
  return *this;
}

CommandOptions& CommandOptions::argument(const char* name, const char* help, const char* missing) {
  positional_.add(name, 1);
  return option<std::string>(name, help).required(missing);
}

CommandOptions& CommandOptions::arguments(const char* name, const char* help, const char* missing, bool multitoken) {
  positional_.add(name, -1);
  auto* value = po::value<std::vector<std::string>>();
  return add(name, multitoken ? value->multitoken() : value, help).required(missing);
}

CommandOptions& CommandOptions::flag(const char* name, const char* help) { return add(name, po::bool_switch(), help); }

CommandOptions& CommandOptions::out(const char* help) { return option<std::string>("out,o", help); }
CommandOptions& CommandOptions::threads(const char* help) { return integer<int>("threads,j", kThreadsRange, 0, help); }
CommandOptions& CommandOptions::members(const char* help) {
  return integer<std::int64_t>("members,n", kMembersRange, help);
}
CommandOptions& CommandOptions::seed(const char* help) { return integer<std::uint64_t>("seed,s", kSeedRange, help); }
CommandOptions& CommandOptions::progress(const char* help) { return option<std::string>("progress", "auto", help); }

CommandOptions& CommandOptions::summary_memory(std::uint64_t fallback_mib, const char* help) {
  return integer<std::uint64_t>("summary-memory", kSummaryMemoryMiBRange, fallback_mib, help);
}

CommandOptions& CommandOptions::required(const char* missing) {
  required_.emplace_back(last_, missing);
  return *this;
}

std::optional<po::variables_map> CommandOptions::parse(const std::vector<std::string>& args, std::string_view about) {
  po::options_description common("Common options");
  common.add_options()("help,h", "show this help")(
      "log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error, off");
  options_.add(common);
  po::variables_map vm;
  // Without allow_guessing: an abbreviation (--memb) is an unknown option.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::store(po::command_line_parser(args).options(options_).positional(positional_).style(style).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options_ << about;
    return std::nullopt;
  }
  set_log_level(vm["log-level"].as<std::string>());
  for (const auto& [name, missing] : required_)
    if (!vm.count(name)) throw UsageError(missing);
  // An empty text is never a value: --out '' must not mean the default.
  for (const auto& [name, value] : vm) {
    bool empty = false;
    if (const auto* text = boost::any_cast<std::string>(&value.value())) empty = text->empty();
    if (const auto* list = boost::any_cast<std::vector<std::string>>(&value.value()))
      empty = std::find(list->begin(), list->end(), std::string()) != list->end();
    if (empty && positional_.max_total_count() > 0 && positional_.name_for_position(0) == name)
      throw UsageError("an empty " + name + " argument (expected a path)");
    if (empty) throw UsageError("--" + name + ": expected a value, got an empty text");
    // A list names each value once: a repeat (--series co2 co2) would be
    // done twice or silently once.
    if (const auto* list = boost::any_cast<std::vector<std::string>>(&value.value()))
      for (std::size_t k = 1; k < list->size(); ++k)
        if (std::find(list->begin(), list->begin() + static_cast<std::ptrdiff_t>(k), (*list)[k]) !=
            list->begin() + static_cast<std::ptrdiff_t>(k)) {
          const bool positional = positional_.max_total_count() > 0 &&
                                  positional_.name_for_position(positional_.max_total_count() - 1) == name;
          throw UsageError(positional ? "argument '" + (*list)[k] + "' given twice"
                                      : "--" + name + ": '" + (*list)[k] + "' given twice");
        }
  }
  return vm;
}

bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

void reject_ignored(const po::variables_map& vm, const char* option, bool applies, const std::string& where) {
  if (!applies && given(vm, option)) throw UsageError(std::string("--") + option + " applies to " + where + " only");
}

std::filesystem::path out_option(const po::variables_map& vm, const std::filesystem::path& fallback) {
  return vm.count("out") ? std::filesystem::path(vm["out"].as<std::string>()) : fallback;
}

ProgressBar::Mode progress_option(const po::variables_map& vm) {
  const std::string text = vm["progress"].as<std::string>();
  if (text == "auto") return ProgressBar::Mode::automatic;
  if (text == "bar") return ProgressBar::Mode::bar;
  if (text == "log") return ProgressBar::Mode::log;
  if (text == "off") return ProgressBar::Mode::off;
  throw UsageError("--progress must be auto, bar, log or off (got '" + text + "')");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool report(const Diagnostics& diagnostics) {
  // Warnings are log output: `--log-level error` or `off` silences them (they
  // were printed whatever the level; found by a new user's trial). Errors
  // always print: they are why the command exits 2.
  if (spdlog::get_level() <= spdlog::level::warn) std::cerr << diagnostics.format_warnings();
  if (diagnostics.ok()) return true;
  std::cerr << diagnostics.format();
  return false;
}

void print_notice(const Notice& notice) {
  switch (notice.level) {
    case Notice::Level::info: spdlog::info("{}", notice.text); break;
    case Notice::Level::warning: spdlog::warn("{}", notice.text); break;
    case Notice::Level::report: std::cerr << "mfgsim: " << notice.text << '\n'; break;
  }
}

void log_members_done(const ProgressUpdate& update) {
  spdlog::info("{}: {}/{} members done", update.label, update.done, update.total);
}

void require_particle_filter(const Scenario& scenario, const std::string& command) {
  if (!scenario.ensemble.stochastic)
    throw UsageError(scenario.name + ": " + command + " needs a stochastic ensemble (ensemble.stochastic: true): the "
                                     "particle filter conditions the members' shocks");
  if (scenario.params.mode == AdoptionMode::firms)
    throw UsageError(scenario.name + ": " + command +
                     " does not support firm mode (intelligent_manufacturing.mode: firms)");
}

// Points: (0, 100] for the aggregates' sd, [0, 100] for the sector figures' (0: the same).
constexpr ParamRange kObsSdPointsRange{0.0, 100.0, true, false};
constexpr ParamRange kSectorSdPointsRange{0.0, 100.0, false, false};
constexpr ParamRange kSectorDofRange{0.0, 1000.0, false, false};
constexpr ParamRange kYtdMonthSdPointsRange{0.0, 100.0, false, false};
constexpr ParamRange kResampleThresholdRange{0.0, 1.0, true, false};
constexpr ParamRange kJitterDiscountRange{0.0, 1.0, true, false};
constexpr IntegerRange kMoveStepsRange{0, 100};
constexpr IntegerRange kMoveLagRange{1, 600};

void filter_options(CommandOptions& options) {
  options
      .number("obs-sd-points", kObsSdPointsRange,
              "sd of a figure's revisions and the model's error, in points (default 3; rounding to 0.1 point is added)")
      .number("sector-sd-points", kSectorSdPointsRange,
              "the same for sector figures (those with a sector), in points (default 0: as --obs-sd-points)")
      .number("sector-dof", kSectorDofRange,
              "sector figures' error Student-t with these degrees of freedom, 0 or at least 1 (default 0: Normal)")
      .number("ytd-month-sd-points", kYtdMonthSdPointsRange,
              "sd of the model's error in one month's growth, in points: a year-to-date figure over k months adds "
              "its square / k to its error variance (default 0: off)")
      .number("resample-threshold", kResampleThresholdRange,
              "resample when the effective sample size falls below this share of the members (default 0.5)")
      .number("jitter-discount", kJitterDiscountRange,
              "Liu-West discount δ of the trend states' jitter at resampling (default 0.99; 1: no jitter; lower: "
              "more spread)")
      .integer<int>("move-steps", kMoveStepsRange,
                    "resample-move: Metropolis-Hastings steps after the last resampling, each proposing the last "
                    "--move-lag months of every member afresh from the model (default 0: off)")
      .integer<int>("move-lag", kMoveLagRange, "resample-move: months each move re-draws (default 12)");
}

void read_filter_options(const po::variables_map& vm, ParticleFilterOptions& filter) {
  if (vm.count("obs-sd-points")) filter.revision_sd = vm["obs-sd-points"].as<double>() / 100.0;
  if (vm.count("sector-sd-points")) filter.sector_sd = vm["sector-sd-points"].as<double>() / 100.0;
  if (vm.count("sector-dof")) {
    filter.sector_dof = vm["sector-dof"].as<double>();
    if (filter.sector_dof > 0.0 && filter.sector_dof < 1.0)
      throw UsageError("--sector-dof must be 0 (Normal) or at least 1 (got " + format_number(filter.sector_dof) + ")");
  }
  if (vm.count("ytd-month-sd-points")) filter.ytd_month_sd = vm["ytd-month-sd-points"].as<double>() / 100.0;
  if (vm.count("resample-threshold")) filter.resample_threshold = vm["resample-threshold"].as<double>();
  if (vm.count("jitter-discount")) filter.jitter_discount = vm["jitter-discount"].as<double>();
  if (vm.count("move-steps")) filter.move_steps = vm["move-steps"].as<int>();
  if (vm.count("move-lag")) {
    if (filter.move_steps == 0) throw UsageError("--move-lag needs --move-steps of at least 1 (no move without steps)");
    filter.move_lag = vm["move-lag"].as<int>();
  }
}

std::optional<std::vector<Observation>> read_figure_files(const std::vector<std::string>& paths) {
  Diagnostics diagnostics;
  std::vector<std::vector<Observation>> files;
  for (const std::string& path : paths)
    if (std::optional<std::vector<Observation>> read = read_observations(path, diagnostics))
      files.push_back(std::move(*read));
  if (!report(diagnostics)) return std::nullopt;
  std::vector<Observation> merged = merge_figures(files, diagnostics);
  if (!report(diagnostics)) return std::nullopt;
  return merged;
}

void record_filter_options(nlohmann::json& manifest, const ParticleFilterOptions& filter) {
  manifest["obs_sd"] = {{"rounding", kRoundingSd}, {"revision", filter.revision_sd}, {"ytd_month", filter.ytd_month_sd}};
  manifest["sector_obs"] = {{"sd", filter.sector_revision_sd()}, {"student_t_dof", filter.sector_dof}};
  manifest["resample_threshold"] = filter.resample_threshold;
  manifest["liu_west_discount"] = filter.jitter_discount;
  manifest["resample_move"] = {{"steps", filter.move_steps}, {"lag_months", filter.move_lag}};
}

}  // namespace mfgsim::cli
