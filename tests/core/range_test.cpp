// sim/core/range.h: membership at the bounds and how messages state ranges.
#include "sim/core/range.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

TEST(Range, ContainsHonoursOpenAndClosedEnds) {
  const ParamRange closed{0.0, 1.0};
  EXPECT_TRUE(closed.contains(0.0));
  EXPECT_TRUE(closed.contains(1.0));
  EXPECT_FALSE(closed.contains(-1e-300));
  EXPECT_FALSE(closed.contains(1.0000000000000002));
  const ParamRange open{-1.0, 1.0, true, true};
  EXPECT_FALSE(open.contains(-1.0));
  EXPECT_FALSE(open.contains(1.0));
  EXPECT_TRUE(open.contains(0.999));
  const ParamRange everything;
  EXPECT_TRUE(everything.contains(-1e308));
  EXPECT_FALSE(everything.contains(std::numeric_limits<double>::quiet_NaN()));
}

TEST(Range, RequirementAndFormat) {
  struct Case {
    ParamRange range;
    const char* requirement;
    const char* format;
  };
  const Case cases[] = {
      {{0.0, 1.0}, "in [0, 1]", "[0, 1]"},
      {{-1.0, 1.0, true, true}, "in (-1, 1)", "(-1, 1)"},
      {{0.0, kInf, true}, "> 0", "(0, inf)"},
      {{-1.0, kInf}, ">= -1", "[-1, inf)"},
      {{-kInf, 5.0, false, true}, "< 5", "(-inf, 5)"},
      {{-kInf, 0.5}, "<= 0.5", "(-inf, 0.5]"},
      {{}, "finite", "(-inf, inf)"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(range_requirement(c.range), c.requirement);
    EXPECT_EQ(format_range(c.range), c.format);
  }
}

// Moved here from tests/scenario/scenario_test.cpp (ScenarioSchema.TextHelpers).
TEST(Range, RequirementsAsTheSchemaStatesThem) {
  EXPECT_EQ(range_requirement({0, kInf, true, false}), "> 0");
  EXPECT_EQ(range_requirement({0, kInf, false, false}), ">= 0");
  EXPECT_EQ(range_requirement({-1, 1, true, true}), "in (-1, 1)");
  EXPECT_EQ(range_requirement({1.0 / 12.0, 100, false, false}), "in [0.0833333, 100]");
}

// Issue 12, item 3: whole numbers up to 2^64 - 1, checked against one range.
TEST(Range, UnsignedWholeNumbersToTwoToTheSixtyFour) {
  EXPECT_EQ(parse_unsigned("0"), 0u);
  EXPECT_EQ(parse_unsigned("+7"), 7u);
  EXPECT_EQ(parse_unsigned("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
  for (const char* bad : {"", "+", "-1", "-0", "18446744073709551616", "1.0", "1e3", " 1", "1 ", "0x1F", "++3"})
    EXPECT_FALSE(parse_unsigned(bad).has_value()) << bad;
}

TEST(Range, ParseInRangeSaysWhatWasExpected) {
  std::string problem;
  EXPECT_EQ(parse_in_range("1024", kThreadsRange, &problem), 1024u);
  EXPECT_EQ(parse_in_range("0", kThreadsRange, &problem), 0u);
  EXPECT_EQ(problem, "");
  EXPECT_FALSE(parse_in_range("1025", kThreadsRange, &problem));
  EXPECT_EQ(problem, "must be a whole number in [0, 1024] (got '1025')");
  EXPECT_FALSE(parse_in_range("-1", kSeedRange, &problem));
  EXPECT_EQ(problem, "must be a whole number in [0, 18446744073709551615] (got '-1')");
  EXPECT_EQ(parse_in_range("18446744073709551615", kSeedRange, &problem), std::numeric_limits<std::uint64_t>::max());
  EXPECT_FALSE(parse_in_range("0", kMembersRange, &problem));
  EXPECT_EQ(problem, "must be a whole number in [1, 10000000] (got '0')");
  // --summary-memory's largest value, in bytes, still fits 64 bits.
  EXPECT_EQ(kSummaryMemoryMiBRange.hi << 20, std::uint64_t{1} << 44);
}

}  // namespace
}  // namespace mfgsim
