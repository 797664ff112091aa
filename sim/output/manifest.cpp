#include "sim/output/manifest.h"

#include "sim/io/hashing.h"
#include "sim/output/run_outputs.h"

namespace mfgsim {

nlohmann::json manifest_head(std::string_view command) {
  return {{"program", "mfgsim"}, {"version", MFGSIM_VERSION}, {"command", std::string(command)}};
}

void add_files(nlohmann::json& manifest, const std::string& key, const std::vector<std::string>& files,
               const std::string& skip) {
  for (const std::string& file : files)
    if (file != skip) manifest[key].push_back({{"path", file}, {"sha256", sha256_file_hex(file)}});
}

nlohmann::json outputs_entry(const OutputSelection& selection) {
  return selection.names.empty() ? nlohmann::json("all") : nlohmann::json(selection.names);
}

nlohmann::json quantiles_entry(bool exact, double accuracy) {
  return exact ? nlohmann::json("exact") : nlohmann::json({{"sketch_relative_error", accuracy}});
}

void stamp_time(nlohmann::json& block, std::chrono::steady_clock::time_point start) {
  block["started_utc"] = utc_now();
  block["wall_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

nlohmann::json run_manifest(const Scenario& scenario, const EnsembleRequest& request, const EnsembleResult& result,
                            const OutputSelection& selection, std::chrono::steady_clock::time_point start) {
  nlohmann::json manifest = manifest_head("run");
  manifest["scenario"] = scenario.name;
  add_files(manifest, "scenario_files", scenario.files);
  manifest["resolved_scenario"] = scenario.resolved;
  manifest["seed"] = scenario.ensemble.seed;
  manifest["stream"] = stream_name(scenario);
  manifest["members"] = request.members;
  manifest["failed_members"] = static_cast<std::int64_t>(result.failures.size());
  manifest["stochastic"] = request.stochastic;
  manifest["outputs"] = outputs_entry(selection);
  manifest["quantiles"] = quantiles_entry(result.summary->exact, result.summary->accuracy);
  manifest["threads"] = result.threads;
  stamp_time(manifest, start);
  return manifest;
}

}  // namespace mfgsim
