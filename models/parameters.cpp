#include "models/parameters.h"

#include <string_view>

namespace mfgsim {
namespace {

constexpr ParamRange closed(double lo, double hi) { return {lo, hi, false, false}; }
constexpr ParamRange open_low(double lo, double hi) { return {lo, hi, true, false}; }
constexpr ParamRange open_both(double lo, double hi) { return {lo, hi, true, true}; }

constexpr GlobalParamInfo kGlobals[] = {
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) \
  {path, &GlobalParams::name, model, symbol, unit, default_value, range, doc},
    MFGSIM_GLOBAL_PARAMS(MFGSIM_X)
#undef MFGSIM_X
};

constexpr LeverInfo kLevers[] = {
#define MFGSIM_X(name, path, model, symbol, unit, default_value, range, doc) \
  {path, &Levers::name, model, symbol, unit, default_value, range, doc},
    MFGSIM_LEVERS(MFGSIM_X)
#undef MFGSIM_X
};

constexpr SectorFieldInfo kSectorFields[] = {
#define MFGSIM_X(name, model, symbol, unit, range, integer, doc) \
  {#name, &SectorTable::name, model, symbol, unit, range, integer, doc},
    MFGSIM_SECTOR_FLAGS(MFGSIM_X) MFGSIM_SECTOR_FIELDS(MFGSIM_X)
#undef MFGSIM_X
};

}  // namespace

std::span<const GlobalParamInfo> global_params() { return kGlobals; }
std::span<const LeverInfo> levers() { return kLevers; }
std::span<const SectorFieldInfo> sector_fields() { return kSectorFields; }

const GlobalParamInfo* find_global_param(std::string_view path) {
  for (const auto& p : kGlobals)
    if (path == p.path) return &p;
  return nullptr;
}
const LeverInfo* find_lever(std::string_view path) {
  for (const auto& p : kLevers)
    if (path == p.path) return &p;
  return nullptr;
}
const SectorFieldInfo* find_sector_field(std::string_view column) {
  for (const auto& p : kSectorFields)
    if (column == p.column) return &p;
  return nullptr;
}

}  // namespace mfgsim

namespace mfgsim {
ModelParams default_model_params() {
  ModelParams params;
  for (const auto& p : global_params()) params.global.*p.field = p.default_value;
  for (const auto& p : levers()) params.levers.*p.field = Schedule::constant_value(p.default_value);
  return params;
}
}  // namespace mfgsim
