// manifest.json: what a command ran, on which files (with their SHA-256),
// with which settings, so that a result folder can be traced and re-made.
// Every manifest starts with the same head and describes files, selected
// outputs and quantiles the same way; the commands' builders (run here,
// batch in sim/batch/batch_job.cpp, sensitivity in sim/analysis/sensitivity.cpp)
// add their own fields with these pieces. Keys are written sorted.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ensemble/ensemble.h"

namespace mfgsim {

// {"program": "mfgsim", "version": ..., "command": command}.
nlohmann::json manifest_head(std::string_view command);
// Appends {"path": file, "sha256": ...} of each file but `skip` to the
// array manifest[key] (no key when there is no such file).
void add_files(nlohmann::json& manifest, const std::string& key, const std::vector<std::string>& files,
               const std::string& skip = {});
// "all", or the selected series' names.
nlohmann::json outputs_entry(const OutputSelection& selection);
// "exact", or {"sketch_relative_error": accuracy}.
nlohmann::json quantiles_entry(bool exact, double accuracy);
// Sets "started_utc" (now) and "wall_seconds" (since `start`): the fields a
// re-run changes (with the thread count), which the batch keeps apart in
// its "execution" block.
void stamp_time(nlohmann::json& block, std::chrono::steady_clock::time_point start);

// The manifest of `mfgsim run`: the scenario (files, resolved document),
// seed, members (failed ones too), selected outputs, quantiles and threads.
nlohmann::json run_manifest(const Scenario& scenario, const EnsembleRequest& request, const EnsembleResult& result,
                            const OutputSelection& selection, std::chrono::steady_clock::time_point start);

}  // namespace mfgsim
