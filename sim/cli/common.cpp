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

std::optional<po::variables_map> parse_command(const std::vector<std::string>& args, po::options_description& opts,
                                               const po::positional_options_description& positional,
                                               std::string_view about) {
  po::options_description common("Common options");
  common.add_options()("help,h", "show this help")(
      "log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error, off");
  opts.add(common);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << opts << about;
    return std::nullopt;
  }
  set_log_level(vm["log-level"].as<std::string>());
  return vm;
}

po::positional_options_description positional(const char* name, int count) {
  po::positional_options_description description;
  description.add(name, count);
  return description;
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

bool report(const Diagnostics& diagnostics) {
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
