#include "models/param_address.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

#include "sim/core/text.h"
#include "sim/core/range.h"

namespace mfgsim {

ParamRange ParamAddress::range() const {
  switch (kind) {
    case Kind::global: return global->range;
    case Kind::sector: return field->range;
    case Kind::lever_value:
    case Kind::lever_start:
    case Kind::lever_end: return lever->range;
  }
  return {};
}

double ParamAddress::uniform_value(double u, double low, double high) const {
  if (!whole()) return std::lerp(low, high, u);
  const double span = high - low;
  return low + std::min(std::floor(u * (span + 1.0)), span);
}

namespace {

std::vector<std::string> addressable_paths() {
  std::vector<std::string> paths;
  for (const GlobalParamInfo& p : global_params()) paths.emplace_back(p.path);
  for (const LeverInfo& p : levers()) paths.emplace_back(p.path);
  return paths;
}

}  // namespace

std::optional<ParamAddress> resolve_param_path(std::string_view path, const ModelParams& params,
                                               std::string* error) {
  auto fail = [&](std::string message) -> std::optional<ParamAddress> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  ParamAddress address;
  address.path = std::string(path);
  const std::string quoted = "`" + address.path + "`";

  constexpr std::string_view kSectorPrefix = "sector_overrides.";
  if (path.substr(0, kSectorPrefix.size()) == kSectorPrefix) {
    std::string_view rest = path.substr(kSectorPrefix.size());
    auto dot = rest.rfind('.');
    if (dot == std::string_view::npos)
      return fail("expected `sector_overrides.<sector>.<column>`, got `" + std::string(path) + "`");
    std::string sector(rest.substr(0, dot));
    std::string column(rest.substr(dot + 1));
    int index = params.sectors.index_of(sector);
    if (index < 0)
      return fail("unknown sector `" + sector + "` in `" + std::string(path) + "`" +
                  did_you_mean(sector, params.sectors.names));
    const SectorFieldInfo* field = find_sector_field(column);
    if (!field) {
      std::vector<std::string> columns;
      for (const SectorFieldInfo& f : sector_fields()) columns.emplace_back(f.column);
      return fail("unknown sector column `" + column + "` in `" + std::string(path) + "`" +
                  did_you_mean(column, columns));
    }
    address.kind = ParamAddress::Kind::sector;
    address.sector = index;
    address.field = field;
    return address;
  }

  if (const GlobalParamInfo* global = find_global_param(path)) {
    address.kind = ParamAddress::Kind::global;
    address.global = global;
    return address;
  }

  if (const LeverInfo* lever = find_lever(path)) {
    const Schedule& schedule = params.levers.*lever->field;
    if (schedule.kind == Schedule::Kind::ramp)
      return fail(quoted + " is a ramp: name its `" + address.path + ".start` or `" + address.path + ".end`");
    if (schedule.kind == Schedule::Kind::steps)
      return fail(quoted + " is a step schedule; only a constant lever or the start or end of a ramp can be addressed");
    address.kind = ParamAddress::Kind::lever_value;
    address.lever = lever;
    return address;
  }

  for (std::string_view suffix : {std::string_view(".start"), std::string_view(".end")}) {
    if (path.size() <= suffix.size() || path.substr(path.size() - suffix.size()) != suffix) continue;
    std::string_view lever_path = path.substr(0, path.size() - suffix.size());
    const LeverInfo* lever = find_lever(lever_path);
    if (!lever) continue;
    const Schedule& schedule = params.levers.*lever->field;
    if (schedule.kind != Schedule::Kind::ramp)
      return fail(std::string("`").append(lever_path) + "` is not a ramp, so " + quoted + " names nothing" +
                  (schedule.kind == Schedule::Kind::constant ? " (name `" + std::string(lever_path) + "` itself)"
                                                             : std::string()));
    address.kind = suffix == ".start" ? ParamAddress::Kind::lever_start : ParamAddress::Kind::lever_end;
    address.lever = lever;
    return address;
  }

  std::string base(path);
  for (std::string_view suffix : {std::string_view(".start"), std::string_view(".end")})
    if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
      base.resize(base.size() - suffix.size());
  return fail("unknown parameter `" + std::string(path) + "`" + did_you_mean(base, addressable_paths()));
}

double get_param(const ModelParams& params, const ParamAddress& address) {
  switch (address.kind) {
    case ParamAddress::Kind::global: return params.global.*address.global->field;
    case ParamAddress::Kind::sector: return (params.sectors.*address.field->field)[address.sector];
    case ParamAddress::Kind::lever_value: return (params.levers.*address.lever->field).value;
    case ParamAddress::Kind::lever_start: return (params.levers.*address.lever->field).start;
    case ParamAddress::Kind::lever_end: return (params.levers.*address.lever->field).end;
  }
  assert(false && "bad ParamAddress kind");
  return 0.0;
}

void set_param(ModelParams& params, const ParamAddress& address, double value) {
  switch (address.kind) {
    case ParamAddress::Kind::global:
      params.global.*address.global->field = value;
      return;
    case ParamAddress::Kind::sector:
      (params.sectors.*address.field->field)[address.sector] = value;
      return;
    case ParamAddress::Kind::lever_value: {
      Schedule& schedule = params.levers.*address.lever->field;
      assert(schedule.kind == Schedule::Kind::constant);
      schedule.value = value;
      return;
    }
    case ParamAddress::Kind::lever_start:
      (params.levers.*address.lever->field).start = value;
      return;
    case ParamAddress::Kind::lever_end:
      (params.levers.*address.lever->field).end = value;
      return;
  }
}

}  // namespace mfgsim
