// The parameter tables (models/parameters.h), from which the schema, range
// checks and parameter paths are derived: every default lies in its range,
// default_model_params() applies the defaults, look-ups find each entry and
// nothing else, and paths and columns are unique.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>
#include <string>

#include "models/parameters.h"

namespace mfgsim {
namespace {

TEST(Parameters, DefaultsLieInTheirRanges) {
  for (const GlobalParamInfo& g : global_params())
    EXPECT_TRUE(g.range.contains(g.default_value)) << g.path << " = " << g.default_value;
  for (const LeverInfo& l : levers()) EXPECT_TRUE(l.range.contains(l.default_value)) << l.path << " = " << l.default_value;
}

TEST(Parameters, DefaultModelParamsAppliesEveryDefault) {
  const ModelParams p = default_model_params();
  for (const GlobalParamInfo& g : global_params()) EXPECT_EQ(p.global.*g.field, g.default_value) << g.path;
  for (const LeverInfo& l : levers()) {
    const Schedule& s = p.levers.*l.field;
    EXPECT_EQ(s.kind, Schedule::Kind::constant) << l.path;
    EXPECT_EQ(s.at(0), l.default_value) << l.path;
    EXPECT_EQ(s.at(500), l.default_value) << l.path;
  }
  EXPECT_EQ(p.sectors.size(), 0);
  // Spot checks against MODEL.md's documented defaults.
  EXPECT_EQ(p.global.maturity, 5.0);
  EXPECT_EQ(p.global.firm_size_shape, 1.16);
  EXPECT_EQ(p.levers.recycling_target.at(0), 0.8);
}

TEST(Parameters, LookUpsFindEachEntryAndNothingElse) {
  std::set<std::string> paths, columns;
  for (const GlobalParamInfo& g : global_params()) {
    EXPECT_EQ(find_global_param(g.path), &g);
    EXPECT_EQ(find_lever(g.path), nullptr) << g.path;
    EXPECT_TRUE(paths.insert(g.path).second) << "duplicate path " << g.path;
  }
  for (const LeverInfo& l : levers()) {
    EXPECT_EQ(find_lever(l.path), &l);
    EXPECT_EQ(find_global_param(l.path), nullptr) << l.path;
    EXPECT_TRUE(paths.insert(l.path).second) << "duplicate path " << l.path;
  }
  for (const SectorFieldInfo& f : sector_fields()) {
    EXPECT_EQ(find_sector_field(f.column), &f);
    EXPECT_TRUE(columns.insert(f.column).second) << "duplicate column " << f.column;
  }
  EXPECT_EQ(find_global_param("lending"), nullptr);
  EXPECT_EQ(find_lever("low_carbon.carbon_price.start"), nullptr);
  EXPECT_EQ(find_sector_field("V"), nullptr);
}

TEST(Parameters, EveryEntryIsDocumented) {
  // One place documents a parameter: each entry says its model, symbol, unit and meaning.
  for (const GlobalParamInfo& g : global_params()) {
    EXPECT_NE(std::string(g.model), "") << g.path;
    EXPECT_NE(std::string(g.unit), "") << g.path;
    EXPECT_NE(std::string(g.doc), "") << g.path;
    EXPECT_NE(std::string(g.path).find('.'), std::string::npos) << g.path << " is section.key";
  }
  for (const LeverInfo& l : levers()) {
    EXPECT_NE(std::string(l.unit), "") << l.path;
    EXPECT_NE(std::string(l.doc), "") << l.path;
  }
  for (const SectorFieldInfo& f : sector_fields()) {
    EXPECT_NE(std::string(f.unit), "") << f.column;
    EXPECT_NE(std::string(f.doc), "") << f.column;
    // Whole-number columns have whole-number bounds.
    if (f.integer) {
      EXPECT_EQ(f.range.lo, std::floor(f.range.lo)) << f.column;
    }
  }
}

TEST(Parameters, EverySectorColumnOfTheTableIsListedOnce) {
  // Each entry names a different column of SectorTable, and every column
  // is named: SectorTable is the sector names plus one vector<double> per
  // entry (a column added to the struct but not to the table fails here).
  std::vector<std::vector<double> SectorTable::*> fields;
  for (const SectorFieldInfo& f : sector_fields()) {
    for (auto seen : fields) EXPECT_FALSE(seen == f.field) << f.column << " shares its field";
    fields.push_back(f.field);
  }
  EXPECT_EQ(sizeof(SectorTable), sizeof(std::vector<std::string>) + fields.size() * sizeof(std::vector<double>));
}

}  // namespace
}  // namespace mfgsim
