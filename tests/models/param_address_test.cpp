// Parameter paths (models/param_address.h): resolving the dotted paths that
// `uncertain:` and `calibration:` name, reading and writing the addressed
// value, and the sentence returned for a path that names nothing.
#include <gtest/gtest.h>

#include <string>

#include "models/param_address.h"
#include "models/parameters.h"

namespace mfgsim {
namespace {

// Default globals and levers; two sectors; the innovation rate a ramp and
// the carbon price a step schedule.
ModelParams params() {
  ModelParams p = default_model_params();
  p.sectors.names = {"coal", "steel"};
  for (const SectorFieldInfo& f : sector_fields()) p.sectors.*f.field = {1.0, 2.0};
  p.levers.innovation_p.kind = Schedule::Kind::ramp;
  p.levers.innovation_p.from = 0;
  p.levers.innovation_p.to = 12;
  p.levers.innovation_p.start = 0.01;
  p.levers.innovation_p.end = 0.03;
  p.levers.carbon_price.kind = Schedule::Kind::steps;
  p.levers.carbon_price.steps = {{0, 50.0}, {6, 80.0}};
  return p;
}

ParamAddress resolve(const ModelParams& p, const std::string& path) {
  std::string error;
  const std::optional<ParamAddress> address = resolve_param_path(path, p, &error);
  EXPECT_TRUE(address.has_value()) << path << ": " << error;
  return address.value_or(ParamAddress{});
}

std::string error_of(const ModelParams& p, const std::string& path) {
  std::string error;
  EXPECT_FALSE(resolve_param_path(path, p, &error).has_value()) << path;
  return error;
}

TEST(ParamAddress, GlobalPathReadsAndWritesItsField) {
  ModelParams p = params();
  const ParamAddress a = resolve(p, "lending.green_tilt");
  EXPECT_EQ(a.kind, ParamAddress::Kind::global);
  EXPECT_EQ(a.path, "lending.green_tilt");
  EXPECT_EQ(get_param(p, a), find_global_param("lending.green_tilt")->default_value);
  set_param(p, a, 1.75);
  EXPECT_EQ(p.global.green_tilt, 1.75);
  EXPECT_EQ(get_param(p, a), 1.75);
  // Its range is the table's: (-1, 100].
  EXPECT_FALSE(a.range().contains(-1.0));
  EXPECT_TRUE(a.range().contains(100.0));
}

TEST(ParamAddress, SectorPathAddressesOneSectorsColumn) {
  ModelParams p = params();
  const ParamAddress a = resolve(p, "sector_overrides.steel.tfp_gain");
  EXPECT_EQ(a.kind, ParamAddress::Kind::sector);
  EXPECT_EQ(a.sector, 1);
  EXPECT_STREQ(a.field->column, "tfp_gain");
  EXPECT_EQ(get_param(p, a), 2.0);
  set_param(p, a, 0.25);
  EXPECT_EQ(p.sectors.tfp_gain, (std::vector<double>{1.0, 0.25}));  // the other sector untouched
  EXPECT_TRUE(a.range().contains(10.0));
  EXPECT_FALSE(a.range().contains(10.5));
}

TEST(ParamAddress, ConstantLeverAndRampEnds) {
  ModelParams p = params();
  const ParamAddress constant = resolve(p, "low_carbon.retrofit_push");
  EXPECT_EQ(constant.kind, ParamAddress::Kind::lever_value);
  set_param(p, constant, 0.3);
  EXPECT_EQ(p.levers.retrofit_push.value, 0.3);
  EXPECT_EQ(p.levers.retrofit_push.at(40), 0.3);
  const ParamAddress start = resolve(p, "intelligent_manufacturing.innovation_p.start");
  const ParamAddress end = resolve(p, "intelligent_manufacturing.innovation_p.end");
  EXPECT_EQ(start.kind, ParamAddress::Kind::lever_start);
  EXPECT_EQ(end.kind, ParamAddress::Kind::lever_end);
  EXPECT_EQ(get_param(p, start), 0.01);
  EXPECT_EQ(get_param(p, end), 0.03);
  set_param(p, end, 0.05);
  EXPECT_EQ(p.levers.innovation_p.end, 0.05);
  EXPECT_EQ(p.levers.innovation_p.start, 0.01);
}

TEST(ParamAddress, PathsThatNameNothingSaySo) {
  const ModelParams p = params();
  EXPECT_EQ(error_of(p, "intelligent_manufacturing.innovation_p"),
            "`intelligent_manufacturing.innovation_p` is a ramp: name its `intelligent_manufacturing.innovation_p.start` "
            "or `intelligent_manufacturing.innovation_p.end`");
  EXPECT_EQ(error_of(p, "low_carbon.carbon_price"),
            "`low_carbon.carbon_price` is a step schedule; only a constant lever or the start or end of a ramp can be "
            "addressed");
  EXPECT_EQ(error_of(p, "low_carbon.retrofit_push.end"),
            "`low_carbon.retrofit_push` is not a ramp, so `low_carbon.retrofit_push.end` names nothing (name "
            "`low_carbon.retrofit_push` itself)");
  EXPECT_EQ(error_of(p, "sector_overrides.steel"), "expected `sector_overrides.<sector>.<column>`, got `sector_overrides.steel`");
  const std::string sector = error_of(p, "sector_overrides.steal.tfp_gain");
  EXPECT_EQ(sector.rfind("unknown sector `steal` in `sector_overrides.steal.tfp_gain`", 0), 0u) << sector;
  EXPECT_NE(sector.find("steel"), std::string::npos) << "a did-you-mean: " << sector;
  const std::string column = error_of(p, "sector_overrides.steel.tfp_gian");
  EXPECT_EQ(column.rfind("unknown sector column `tfp_gian`", 0), 0u) << column;
  EXPECT_NE(column.find("tfp_gain"), std::string::npos) << "a did-you-mean: " << column;
  const std::string unknown = error_of(p, "lending.green_tlit");
  EXPECT_EQ(unknown.rfind("unknown parameter `lending.green_tlit`", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("lending.green_tilt"), std::string::npos) << "a did-you-mean: " << unknown;
  // A null error pointer is allowed.
  EXPECT_FALSE(resolve_param_path("no.such", p, nullptr).has_value());
}

TEST(ParamAddress, EveryTabledParameterResolves) {
  // Every global and every constant lever of models/parameters.cpp, and
  // every sector column for every sector, round-trips through set/get.
  ModelParams p = default_model_params();
  p.sectors.names = {"coal", "steel"};
  for (const SectorFieldInfo& f : sector_fields()) p.sectors.*f.field = {1.0, 2.0};
  double value = 0.125;
  for (const GlobalParamInfo& g : global_params()) {
    const ParamAddress a = resolve(p, g.path);
    EXPECT_EQ(a.global, &g) << g.path;
    set_param(p, a, value);
    EXPECT_EQ(p.global.*g.field, value) << g.path;
    value += 0.125;
  }
  for (const LeverInfo& l : levers()) {
    const ParamAddress a = resolve(p, l.path);
    EXPECT_EQ(a.lever, &l) << l.path;
    set_param(p, a, value);
    EXPECT_EQ((p.levers.*l.field).value, value) << l.path;
    value += 0.125;
  }
  for (const SectorFieldInfo& f : sector_fields())
    for (int i = 0; i < 2; ++i) {
      const std::string path = "sector_overrides." + p.sectors.names[i] + "." + f.column;
      const ParamAddress a = resolve(p, path);
      EXPECT_EQ(a.sector, i) << path;
      set_param(p, a, value);
      EXPECT_EQ((p.sectors.*f.field)[i], value) << path;
      EXPECT_EQ(get_param(p, a), value) << path;
      value += 0.125;
    }
}

}  // namespace
}  // namespace mfgsim
