// Scenario reading: syntax (sim/yaml_tree), schema (sim/schema), compile
// (this file): data files, sector names, parameter paths, the model's
// cross-parameter checks, and the immutable Scenario.
#include "sim/scenario/scenario.h"

#include <cassert>
#include <cmath>
#include <filesystem>
#include <map>

#include "models/parameters.h"
#include "models/validate.h"
#include "sim/engine/engine.h"
#include "sim/io/hashing.h"
#include "sim/scenario/data_tables.h"
#include "sim/scenario/observations.h"
#include "sim/scenario/schema.h"
#include "sim/scenario/yaml_tree.h"

namespace mfgsim {

std::vector<std::filesystem::path> scenario_inputs(const Scenario& scenario) {
  std::vector<std::filesystem::path> inputs(scenario.files.begin(), scenario.files.end());
  inputs.insert(inputs.end(), scenario.data_files.begin(), scenario.data_files.end());
  return inputs;
}


RunSpec run_spec(const Scenario& scenario) {
  RunSpec spec;
  spec.calendar = scenario.calendar;
  spec.params = scenario.params;
  spec.uncertain = scenario.uncertain;
  spec.seed = scenario.ensemble.seed;
  return spec;
}

// ---- compile phase --------------------------------------------------------------

namespace {

std::string where_text(const SourceLocation& w) {
  return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
}

double number_of(const YamlNode& node) { return parse_number(node.text).value_or(0.0); }

std::optional<double> bound_of(const YamlNode& node) {
  const std::string& t = node.text;
  if (t == "inf" || t == ".inf" || t == "+inf" || t == "+.inf" || t == ".Inf" || t == "+.Inf") return kInf;
  if (t == "-inf" || t == "-.inf" || t == "-.Inf") return -kInf;
  return parse_number(t);
}

int month_of(const YamlNode& node, const Calendar& calendar) {
  return calendar.index_of(parse_year_month(node.text).value_or(calendar.start));
}

// A schedule from a node the schema phase accepted.
Schedule schedule_of(const YamlNode& node, const Calendar& calendar) {
  Schedule s;
  if (node.is_scalar()) return Schedule::constant_value(number_of(node));
  if (node.is_sequence()) {
    s.kind = Schedule::Kind::steps;
    for (const YamlNode& item : node.items)
      s.steps.push_back({month_of(*item.find("from"), calendar), number_of(*item.find("value"))});
    return s;
  }
  s.kind = Schedule::Kind::ramp;
  s.from = month_of(*node.find("from"), calendar);
  s.to = month_of(*node.find("to"), calendar);
  s.start = number_of(*node.find("start"));
  s.end = number_of(*node.find("end"));
  return s;
}

class Compiler {
 public:
  Compiler(const YamlNode& root, const ResolvedYaml& resolved, Diagnostics& diagnostics)
      : root_(root), resolved_(resolved), d_(diagnostics) {}

  std::optional<Scenario> run() {
    Scenario scenario;
    scenario.name = root_.find("name")->text;
    if (const YamlNode* description = root_.find("description")) scenario.description = description->text;
    if (const YamlNode* region = root_.find("region")) scenario.region = region->text;
    scenario.files = resolved_.files;
    scenario.resolved = yaml_to_json(root_);

    calendar(scenario.calendar);
    ensemble(scenario.ensemble);
    outputs(scenario.outputs);

    ModelParams params = default_model_params();
    globals_and_levers(params, scenario.calendar);
    if (const YamlNode* mode = node("intelligent_manufacturing", "mode")) {
      if (mode->text == "firms") params.mode = AdoptionMode::firms;
    }
    if (const YamlNode* rule = node("intelligent_manufacturing", "designation")) {
      if (rule->text == "adoption") params.designation = DesignationRule::adoption;
    }

    // `trend_shocks:` switches the persistent trend on (`trend_shocks: null` drops an inherited block).
    if (const YamlNode* trend = root_.find("trend_shocks")) params.trend_shocks = trend->is_map();
    const bool have_data = data(params);
    for (const std::string* file : {&sectors_file_, &io_file_})
      if (!file->empty()) scenario.data_files.push_back(*file);
    if (have_data) {
      sector_overrides(params);
      demonstrations(params, scenario.calendar);
      equipment_sector(params);
      uncertain(params, scenario.uncertain);
      calibration(params, scenario.calibration);
    }
    if (!d_.ok()) return std::nullopt;
    calibrated_window_changes(params, scenario.calendar, scenario.calibration);

    scenario.params = std::move(params);
    // The engine's own checks (models/validate.h and its options): the
    // reader validates by compiling, so no scenario it accepts fails later.
    for (const ModelIssue& issue : compile(run_spec(scenario), EngineOptions{}).issues)
      d_.error(issue_location(issue), issue.message + issue_note(issue));
    if (!d_.ok()) return std::nullopt;
    return scenario;
  }

 private:
  const YamlNode* node(std::string_view section, std::string_view key) const {
    const YamlNode* s = root_.find(section);
    return s ? s->find(key) : nullptr;
  }

  const YamlNode* node(std::string_view path) const {
    auto dot = path.find('.');
    if (dot == std::string_view::npos) return root_.find(path);
    return node(path.substr(0, dot), path.substr(dot + 1));
  }

  SourceLocation data_location() const {
    if (const YamlEntry* e = root_.find_entry("data")) return e->key_where;
    return {root_.where.file, 1, 1};
  }

  void calendar(Calendar& calendar) {
    if (const YamlNode* start = node("calendar", "start")) calendar.start = *parse_year_month(start->text);
    const YamlNode* months = node("calendar", "months");
    if (months) calendar.months = static_cast<int>(*parse_integer(months->text));
    // Months are written YYYY-MM: the run must end by 9999-12.
    const YearMonth last = calendar.at(calendar.months - 1);
    if (last.year > 9999) {
      const YamlNode* at = months ? months : node("calendar", "start");
      d_.error(at ? at->where : SourceLocation{root_.where.file, 1, 1},
               "calendar: " + format_year_month(calendar.start) + " plus " + std::to_string(calendar.months) +
                   " months ends after 9999-12 (months are written YYYY-MM); shorten `calendar.months`");
    }
  }

  void ensemble(EnsembleSettings& ensemble) {
    if (const YamlNode* members = node("ensemble", "members"))
      ensemble.members = static_cast<int>(*parse_integer(members->text));
    if (const YamlNode* seed = node("ensemble", "seed"))
      ensemble.seed = *parse_unsigned(seed->text);
    if (const YamlNode* stochastic = node("ensemble", "stochastic"))
      ensemble.stochastic = stochastic->text == "true" || stochastic->text == "True" || stochastic->text == "TRUE";
  }

  void outputs(std::vector<std::string>& outputs) {
    const YamlNode* list = root_.find("outputs");
    if (!list || !list->is_sequence()) return;  // `all`
    for (const YamlNode& item : list->items) outputs.push_back(item.text);  // repeats refused by the schema check
  }

  void globals_and_levers(ModelParams& params, const Calendar& calendar) {
    for (const GlobalParamInfo& info : global_params()) {
      if (const YamlNode* value = node(info.path)) params.global.*info.field = number_of(*value);
    }
    for (const LeverInfo& info : levers()) {
      if (const YamlNode* value = node(info.path)) params.levers.*info.field = lever_schedule(*value, info, calendar);
    }
  }

  bool extending(const std::string& file) const { return resolved_.extending.count(file) > 0; }

  // What a lever's value means. In a file that extends another, a dated
  // schedule (steps, ramp) replaces the inherited schedule from its first
  // month on and keeps the inherited values before it (a ramp with
  // `before: start` holds its start there instead); a constant replaces the
  // whole. Elsewhere MODEL.md's rule: before its first entry, the first value.
  Schedule lever_schedule(const YamlNode& value, const LeverInfo& info, const Calendar& calendar) {
    Schedule s = schedule_of(value, calendar);
    if (s.kind == Schedule::Kind::constant || !extending(value.where.file) || value.find("before") ||
        s.first_month() <= 0)
      return s;
    if (std::optional<Schedule> inherited = inherited_schedule(value, info, calendar))
      s.inherited = std::make_shared<const Schedule>(std::move(*inherited));
    return s;
  }

  // The schedule `value` replaced: the bases' (checked here: the schema phase
  // saw only the merged tree), or the lever's default when no base sets it.
  std::optional<Schedule> inherited_schedule(const YamlNode& value, const LeverInfo& info, const Calendar& calendar) {
    if (!value.replaced) return Schedule::constant_value(info.default_value);
    Diagnostics local;
    check_schedule(*value.replaced, info.path, info.range, local);
    inherited_errors_->append(local);
    if (!local.ok()) return std::nullopt;
    return lever_schedule(*value.replaced, info, calendar);
  }

  bool data(ModelParams& params) {
    const YamlNode* sectors = node("data", "sectors");
    const YamlNode* io = node("data", "io");
    if (!sectors || !io) return false;
    std::string sectors_path = resolved_.resolve_path(sectors->text, sectors->where.file);
    std::optional<SectorTableFile> table = read_sector_table(sectors_path, d_, sectors->where);
    if (!table) return false;
    sectors_file_ = sectors_path;
    std::string io_path = resolved_.resolve_path(io->text, io->where.file);
    std::optional<Eigen::MatrixXd> A = read_io_table(io_path, table->table.names, d_, io->where, &io_layout_);
    io_file_ = io_path;
    params.sectors = std::move(table->table);
    sector_file_layout_ = std::move(*table);
    if (!A) return false;
    params.A = std::move(*A);
    return true;
  }

  int sector_index(const ModelParams& params, const YamlNode& name_node, const SourceLocation& where,
                   const std::string& context) {
    int index = params.sectors.index_of(name_node.text);
    if (index < 0)
      d_.error(where, "unknown sector `" + name_node.text + "`" + context + did_you_mean(name_node.text, params.sectors.names));
    return index;
  }

  void sector_overrides(ModelParams& params) {
    const YamlNode* overrides = root_.find("sector_overrides");
    if (!overrides || !overrides->is_map()) return;
    for (const YamlEntry& sector : overrides->entries) {
      int index = params.sectors.index_of(sector.key);
      if (index < 0) {
        d_.error(sector.key_where, "unknown sector `" + sector.key + "` in `sector_overrides`" +
                                       did_you_mean(sector.key, params.sectors.names));
        continue;
      }
      if (!sector.value.is_map()) continue;
      for (const YamlEntry& e : sector.value.entries) {
        const SectorFieldInfo* field = find_sector_field(e.key);
        (params.sectors.*field->field)[index] = number_of(e.value);
        override_written_[{index, e.key}] = e.value.where;
      }
    }
  }

  void demonstrations(ModelParams& params, const Calendar& calendar) {
    const YamlNode* list = node("intelligent_manufacturing", "demonstrations");
    if (!list || !list->is_sequence()) return;
    for (const YamlNode& item : list->items) {
      const YamlNode* sector = item.find("sector");
      int index = sector_index(params, *sector, sector->where, " in a demonstration");
      if (index < 0) continue;
      Demonstration demonstration;
      demonstration.month = month_of(*item.find("month"), calendar);
      demonstration.sector = index;
      if (const YamlNode* n = item.find("national")) demonstration.national = number_of(*n);
      if (const YamlNode* n = item.find("provincial")) demonstration.provincial = number_of(*n);
      params.demonstrations.push_back(demonstration);
    }
  }

  void equipment_sector(ModelParams& params) {
    const SchemaKey* key = scenario_schema().child("low_carbon")->child("equipment_sector");
    if (const YamlNode* name = node("low_carbon", "equipment_sector")) {
      params.equipment_sector = sector_index(params, *name, name->where, " (low_carbon.equipment_sector)");
      return;
    }
    params.equipment_sector = params.sectors.index_of(key->default_text);
    if (params.equipment_sector < 0)
      d_.error(node("data", "sectors")->where,
               "the sector table has no sector `" + key->default_text +
                   "` (the default of low_carbon.equipment_sector); set low_carbon.equipment_sector");
  }

  void uncertain(const ModelParams& params, std::vector<UncertainParam>& out) {
    const YamlNode* block = root_.find("uncertain");
    if (!block || !block->is_map()) return;
    for (const YamlEntry& e : block->entries) {
      std::string error;
      std::optional<ParamAddress> address = resolve_param_path(e.key, params, &error);
      if (!address) {
        d_.error(e.key_where, "uncertain: " + error);
        continue;
      }
      inherited_draw_conflict(e, *address, params);
      const YamlNode& spec = e.value;
      UncertainParam p;
      p.address = *address;
      const std::string& dist = spec.find("dist")->text;
      if (dist == "normal") {
        p.dist = UncertainParam::Dist::normal;
        p.a = number_of(*spec.find("mean"));
        p.b = number_of(*spec.find("sd"));
      } else if (dist == "lognormal") {
        p.dist = UncertainParam::Dist::lognormal;
        p.a = number_of(*spec.find("mu"));
        p.b = number_of(*spec.find("sigma"));
      } else if (dist == "uniform") {
        p.dist = UncertainParam::Dist::uniform;
        p.a = number_of(*spec.find("low"));
        p.b = number_of(*spec.find("high"));
      } else {
        p.dist = UncertainParam::Dist::triangular;
        p.a = number_of(*spec.find("low"));
        p.b = number_of(*spec.find("high"));
        p.c = number_of(*spec.find("mode"));
      }
      const YamlNode* bounds = spec.find("bounds");
      if (bounds) {
        p.lo = bound_of(bounds->items[0]).value_or(-kInf);
        p.hi = bound_of(bounds->items[1]).value_or(kInf);
      }
      const std::string path = "uncertain." + e.key;
      if (p.address.whole() && !whole_draw(e, p, path)) continue;
      auto [slo, shi] = p.support();
      const ParamRange range = address->range();
      const double lo = std::max({p.lo, slo, range.lo}), hi = std::min({p.hi, shi, range.hi});
      if (!(lo < hi)) {
        d_.error(spec.where, path + ": the distribution (support " + format_range({slo, shi, false, false}) +
                                 (bounds ? ", bounds " + format_range({p.lo, p.hi, false, false}) : std::string()) +
                                 ") never falls in the parameter's range " + format_range(range));
        continue;
      }
      if (!(p.mass() > 0.0)) {
        d_.error(bounds ? bounds->where : spec.where,
                 path + ": the bounds " + format_range({p.lo, p.hi, false, false}) +
                     " leave the distribution no probability to draw from");
        continue;
      }
      out.push_back(p);
    }
  }

  // The rule for a whole-number parameter's draws (ParamAddress::uniform_value):
  // a uniform over whole `low` and `high`, no `bounds`.
  bool whole_draw(const YamlEntry& e, const UncertainParam& p, const std::string& path) {
    const YamlNode& spec = e.value;
    const std::string what = path + ": `" + e.key + "` is a whole number, drawn only from `dist: uniform` with whole " +
                             "`low` and `high` (each whole value between them equally likely)";
    if (p.dist != UncertainParam::Dist::uniform) {
      d_.error(spec.find("dist")->where, what + "; got `dist: " + spec.find("dist")->text + "`");
      return false;
    }
    bool ok = true;
    if (const YamlNode* bounds = spec.find("bounds")) {
      d_.error(bounds->where, what + "; `bounds` does not apply");
      ok = false;
    }
    // A uniform's low and high are p.a and p.b.
    for (const auto& [key, x] : {std::pair{"low", p.a}, std::pair{"high", p.b}}) {
      if (std::floor(x) != x) {
        const YamlNode& node = *spec.find(key);
        d_.error(node.where, what + "; got " + key + " " + node.text);
        ok = false;
      }
    }
    return ok;
  }

  // The node where the scenario writes the value `address` names; nullptr
  // when no file writes it (a data table's value, a default).
  const YamlNode* value_node(const ParamAddress& address, const ModelParams& params) const {
    switch (address.kind) {
      case ParamAddress::Kind::global: return node(address.global->path);
      case ParamAddress::Kind::lever_value: return node(address.lever->path);
      case ParamAddress::Kind::lever_start:
      case ParamAddress::Kind::lever_end: {
        const YamlNode* ramp = node(address.lever->path);
        return ramp ? ramp->find(address.kind == ParamAddress::Kind::lever_start ? "start" : "end") : nullptr;
      }
      case ParamAddress::Kind::sector: {
        const YamlNode* overrides = root_.find("sector_overrides");
        const YamlNode* sector = overrides ? overrides->find(params.sectors.names[address.sector]) : nullptr;
        return sector ? sector->find(address.field->column) : nullptr;
      }
    }
    return nullptr;
  }

  // Position of a file in the merge order (bases first); -1 if not read.
  int merge_rank(const std::string& file) const {
    auto it = std::find(resolved_.files.begin(), resolved_.files.end(), file);
    return it == resolved_.files.end() ? -1 : static_cast<int>(it - resolved_.files.begin());
  }

  // A value written in a later file than the `uncertain:` entry that draws
  // it would be replaced by every stochastic member's draw: an error at the
  // value, naming the entry.
  void inherited_draw_conflict(const YamlEntry& entry, const ParamAddress& address, const ModelParams& params) {
    const YamlNode* value = value_node(address, params);
    if (!value || merge_rank(value->where.file) <= merge_rank(entry.key_where.file)) return;
    d_.error(value->where, "`" + entry.key + "` is drawn by the `uncertain:` entry inherited from " +
                               where_text(entry.key_where) +
                               ", which would replace this value in every stochastic member; to set it, remove "
                               "the draw in this file (`uncertain: {" + entry.key +
                               ": null}`) or give a new distribution there");
  }

  void calibration(const ModelParams& params, std::optional<CalibrationSettings>& out) {
    const YamlNode* block = root_.find("calibration");
    if (!block || !block->is_map()) return;
    CalibrationSettings settings;
    settings.where = block->where;
    if (const YamlEntry* entry = root_.find_entry("calibration")) settings.where = entry->key_where;
    if (const YamlNode* method = block->find("method")) settings.method = method->text;
    if (const YamlNode* n = block->find("max_evaluations"))
      settings.max_evaluations = static_cast<int>(*parse_integer(n->text));
    if (const YamlNode* tolerance = block->find("tolerance")) settings.tolerance = number_of(*tolerance);
    if (const YamlNode* accept = block->find("accept_misses")) settings.accept_misses = accept->text == "true";
    if (const YamlNode* half_life = block->find("recency_half_life")) settings.recency_half_life = number_of(*half_life);
    if (const YamlNode* targets = block->find("targets")) {
      settings.targets = resolved_.resolve_path(targets->text, targets->where.file);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(settings.targets, ec))
        d_.error(targets->where, "calibration.targets: cannot read `" + settings.targets + "`");
    }
    if (const YamlNode* weights = block->find("weights"); weights && weights->is_map())
      for (const YamlEntry& e : weights->entries) settings.weights.push_back({e.key, number_of(e.value), e.key_where});

    std::map<std::string, SourceLocation> fitted;  // path -> where it was named first
    for (const YamlEntry& e : block->find("parameters")->entries) {
      const std::string p = "calibration.parameters." + e.key;
      CalibrationParameter parameter;
      parameter.name = e.key;
      parameter.where = e.key_where;
      const YamlNode* low = e.value.find("low");
      const YamlNode* high = e.value.find("high");
      parameter.low = number_of(*low);
      parameter.high = number_of(*high);
      std::vector<std::pair<std::string, SourceLocation>> paths;
      if (const YamlNode* list = e.value.find("paths"))
        for (const YamlNode& item : list->items) paths.emplace_back(item.text, item.where);
      else
        paths.emplace_back(e.key, e.key_where);
      bool ok = true;
      for (const auto& [path, where] : paths) {
        std::string error;
        std::optional<ParamAddress> address = resolve_param_path(path, params, &error);
        if (!address) {
          // An inherited block that no longer fits the lever forms of this file.
          const bool inherited = !resolved_.files.empty() && where.file != resolved_.files.back();
          d_.error(where, "calibration: " + error +
                              (inherited ? " (this scenario inherits the block; `calibration: null` drops it)" : ""));
          ok = false;
          continue;
        }
        if (address->whole()) {
          d_.error(where, "calibration: `" + path + "` is a whole number, which the least-squares fit (continuous) "
                          "cannot vary; set it in the file, or sweep it in a batch");
          ok = false;
          continue;
        }
        if (auto [it, inserted] = fitted.emplace(address->path, where); !inserted) {
          d_.error(where, "calibration: `" + path + "` is fitted twice (first at line " +
                              std::to_string(it->second.line) + ")");
          ok = false;
          continue;
        }
        const ParamRange range = address->range();
        for (const auto& [node, what] : {std::pair{low, "low"}, std::pair{high, "high"}})
          if (!range.contains(number_of(*node))) {
            d_.error(node->where, p + "." + what + " must lie in the valid range " + format_range(range) + " of `" +
                                      path + "` (got " + node->text + ")");
            ok = false;
          }
        parameter.addresses.push_back(*address);
      }
      if (ok) settings.parameters.push_back(std::move(parameter));
    }
    out = std::move(settings);
  }

  // The calibrated window: months 0 .. the last target's month of the
  // calibration block (the scenario's, or the one it dropped with
  // `calibration: null`), and the targets file; nullopt without one.
  std::optional<std::pair<int, std::string>> calibrated_window(const Calendar& calendar) const {
    const YamlNode* block = root_.find("calibration");
    if (block && block->is_null()) block = block->replaced.get();
    const YamlNode* targets = block && block->is_map() ? block->find("targets") : nullptr;
    if (!targets || !targets->is_scalar()) return std::nullopt;
    const std::string path = resolved_.resolve_path(targets->text, targets->where.file);
    Diagnostics ignored;  // `mfgsim calibrate` reports a bad targets file; no window then
    const auto observations = read_observations(path, ignored);
    if (!observations || observations->empty()) return std::nullopt;
    int last = -1;
    for (const Observation& o : *observations)
      if (const auto ym = parse_year_month(o.month)) last = std::max(last, calendar.index_of(*ym));
    if (last < 0) return std::nullopt;
    return std::pair{std::min(last, calendar.months - 1), targets->text};
  }

  // A lever that an extending file changes inside the calibrated window
  // (and that the calibration does not fit) moves months the fit was made
  // for: a warning naming the lever and the months.
  void calibrated_window_changes(const ModelParams& params, const Calendar& calendar,
                                 const std::optional<CalibrationSettings>& calibration) {
    const auto window = calibrated_window(calendar);
    if (!window) return;
    for (const LeverInfo& info : levers()) {
      const YamlNode* value = node(info.path);
      if (!value || !extending(value->where.file)) continue;
      bool fitted = false;
      if (calibration)
        for (const CalibrationParameter& p : calibration->parameters)
          for (const ParamAddress& a : p.addresses) fitted = fitted || a.lever == &info;
      if (fitted) continue;
      // An inherited schedule no month of the run uses is not checked: skip it.
      Diagnostics unused;
      inherited_errors_ = &unused;
      const std::optional<Schedule> inherited = inherited_schedule(*value, info, calendar);
      inherited_errors_ = &d_;
      if (!inherited || !unused.ok()) continue;
      const Schedule& now = params.levers.*info.field;
      int first = -1, last = -1;
      for (int t = 0; t <= window->first; ++t)
        if (now.at(t) != inherited->at(t)) {
          if (first < 0) first = t;
          last = t;
        }
      if (first < 0) continue;
      const std::string months = format_year_month(calendar.at(first)) +
                                 (last > first ? ".." + format_year_month(calendar.at(last)) : std::string());
      const std::string end = format_year_month(calendar.at(window->first));
      d_.warn(value->where, std::string(info.path) + " changes " + months +
                                ", inside the calibrated window (up to " + end + ", the last target of " +
                                window->second + "): the inherited fitted values were fitted to the inherited "
                                "schedule there; start the change after " + end +
                                " or re-run `mfgsim calibrate`");
    }
  }

  // Where a model issue is reported: the scenario's own value when it
  // wrote one (an override, a global), else the data file's cell: the
  // input-output column for a column sum of A, the sector table's value for
  // a sector, the column's header for a check over all sectors.
  SourceLocation issue_location(const ModelIssue& issue) const {
    if (issue.sector >= 0 && !issue.column.empty()) {
      auto it = override_written_.find({issue.sector, issue.column});
      if (it != override_written_.end()) return it->second;
    }
    if (issue.sector < 0 && !issue.column.empty()) {
      // A check over all sectors of a column: the first override of it, if any.
      for (const auto& [key, where] : override_written_)
        if (key.second == issue.column) return where;
    }
    if (!issue.global_path.empty()) {
      if (const YamlNode* value = node(issue.global_path)) return value->where;
    }
    const int S = static_cast<int>(sector_file_layout_.row_lines.size());
    if (issue.io_column && issue.sector >= 0 && issue.sector < static_cast<int>(io_layout_.column_of_sector.size()))
      return {io_file_, io_layout_.header_line, io_layout_.column_of_sector[issue.sector]};
    if (!issue.column.empty() && issue.sector < S && !sectors_file_.empty())
      return sector_file_layout_.location(sectors_file_, issue.sector, issue.column);
    if (issue.sector >= 0 && issue.sector < S) return {sectors_file_, sector_file_layout_.row_lines[issue.sector], 1};
    return data_location();
  }

  // A column sum of A involves two places, the column and v: the message
  // names the one it is not reported at.
  std::string issue_note(const ModelIssue& issue) const {
    if (!issue.io_column || issue.sector < 0 || issue.sector >= static_cast<int>(io_layout_.column_of_sector.size()))
      return "";
    const auto& text = where_text;
    if (override_written_.count({issue.sector, issue.column}))
      return " (the column is at " +
             text({io_file_, io_layout_.header_line, io_layout_.column_of_sector[issue.sector]}) + ")";
    return " (v is at " + text(sector_file_layout_.location(sectors_file_, issue.sector, issue.column)) + ")";
  }

  const YamlNode& root_;
  const ResolvedYaml& resolved_;
  Diagnostics& d_;
  Diagnostics* inherited_errors_ = &d_;  // where inherited_schedule reports an invalid inherited schedule
  std::map<std::pair<int, std::string>, SourceLocation> override_written_;  // (sector, column) -> value
  std::string sectors_file_, io_file_;
  SectorTableFile sector_file_layout_;  // positions only (its table moved into the parameters)
  IoTableLayout io_layout_;
};

ScenarioLoad load(ResolvedYaml resolved, Diagnostics diagnostics, const std::string& path) {
  ScenarioLoad out;
  if (!diagnostics.ok() || !resolved.root) {
    out.diagnostics = std::move(diagnostics);
    return out;
  }
  check_schema(*resolved.root, diagnostics);
  if (diagnostics.ok()) {
    Compiler compiler(*resolved.root, resolved, diagnostics);
    std::optional<Scenario> scenario = compiler.run();
    if (scenario && diagnostics.ok()) {
      scenario->path = path;
      out.scenario = std::move(scenario);
    }
  }
  out.diagnostics = std::move(diagnostics);
  return out;
}

// `extends` for scenarios: a lever's schedule, an `uncertain:` entry and the
// `calibration:` block are replaced whole (never merged key by key); a null
// entry under `uncertain:` removes the inherited draw.
const MergeRules& scenario_merge_rules() {
  static const MergeRules rules{
      [](const std::string& path) {
        return path == "calibration" || path.rfind("uncertain.", 0) == 0 || find_lever(path) != nullptr;
      },
      [](const std::string& path) { return path == "uncertain"; }};
  return rules;
}

}  // namespace

ScenarioLoad load_scenario(const std::string& path) {
  Diagnostics diagnostics;
  ResolvedYaml resolved = read_yaml_file(path, diagnostics, scenario_merge_rules());
  return load(std::move(resolved), std::move(diagnostics), path);
}

ScenarioLoad load_scenario_text(const std::string& text, const std::string& name, const std::string& base_dir) {
  Diagnostics diagnostics;
  ResolvedYaml resolved = read_yaml_text(text, name, base_dir, diagnostics, scenario_merge_rules());
  return load(std::move(resolved), std::move(diagnostics), name);
}

}  // namespace mfgsim
