#include "sim/cli/common.h"

#include <spdlog/spdlog.h>

#include <iostream>

namespace mfgsim::cli {

namespace {
void set_log_level(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    throw UsageError("--log-level must be one of trace, debug, info, warn, error, off (got '" + level + "')");
  spdlog::set_level(parsed);
}
}  // namespace

CommandOptions& CommandOptions::add(const char* name, const po::value_semantic* value, const char* help) {
  options_.add_options()(name, value, help);
  last_ = std::string(name).substr(0, std::string(name).find(','));
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
CommandOptions& CommandOptions::threads(const char* help) { return option<int>("threads,j", 0, help); }
CommandOptions& CommandOptions::members(const char* help) { return option<std::int64_t>("members,n", help); }
CommandOptions& CommandOptions::progress(const char* help) { return option<std::string>("progress", "auto", help); }

CommandOptions& CommandOptions::summary_memory(std::uint64_t fallback_mib, const char* help) {
  return option<std::uint64_t>("summary-memory", fallback_mib, help);
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
  po::store(po::command_line_parser(args).options(options_).positional(positional_).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << options_ << about;
    return std::nullopt;
  }
  set_log_level(vm["log-level"].as<std::string>());
  for (const auto& [name, missing] : required_)
    if (!vm.count(name)) throw UsageError(missing);
  return vm;
}

int threads_option(const po::variables_map& vm) {
  const int threads = vm["threads"].as<int>();
  if (threads < 0) throw UsageError("--threads must be >= 0 (0: all cores)");
  return threads;
}

std::int64_t members_option(const po::variables_map& vm) {
  const std::int64_t members = vm["members"].as<std::int64_t>();
  if (members < 1 || members > 10'000'000) throw UsageError("--members must be in [1, 10000000]");
  return members;
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
  std::cerr << diagnostics.format_warnings();
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

}  // namespace mfgsim::cli
