// sim/core/diagnostics.h: compiler-style lines, with and without a position.
#include "sim/core/diagnostics.h"

#include <gtest/gtest.h>

namespace mfgsim {
namespace {

TEST(Diagnostics, FormatsFileLineColumn) {
  EXPECT_EQ((Diagnostic{{"scenarios/x.yaml", 12, 9}, "calendar.months must be > 0 (got -4)"}.format()),
            "scenarios/x.yaml:12:9: error: calendar.months must be > 0 (got -4)");
  EXPECT_EQ((Diagnostic{{"a.csv", 3, 0}, "m"}.format()), "a.csv:3: error: m");
  EXPECT_EQ((Diagnostic{{"a.csv", 0, 5}, "m"}.format()), "a.csv: error: m");  // no line: no column either
}

TEST(Diagnostics, CollectsInOrderAndAppends) {
  Diagnostics first, second;
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(first.format(), "");
  first.error({"a.yaml", 1, 2}, "one");
  second.error({"b.yaml", 3, 4}, "two");
  second.error({"b.yaml", 5, 0}, "three");
  first.append(second);
  EXPECT_FALSE(first.ok());
  ASSERT_EQ(first.items().size(), 3u);
  EXPECT_EQ(first.items()[2].where.line, 5);
  EXPECT_EQ(first.format(), "a.yaml:1:2: error: one\nb.yaml:3:4: error: two\nb.yaml:5: error: three\n");
  EXPECT_EQ(second.items().size(), 2u);  // the source is left as it was
}

}  // namespace
}  // namespace mfgsim
