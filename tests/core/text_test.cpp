// sim/core/text.h: numbers as YAML and CSV write them, edit distances and
// typo suggestions, message formatting.
#include "sim/core/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mfgsim {
namespace {

TEST(Text, ParseNumberAcceptsDecimalForms) {
  const std::pair<const char*, double> good[] = {{"12", 12.0}, {"-0.5", -0.5}, {"1e-3", 1e-3}, {"+2", 2.0},
                                                 {".5", 0.5},  {"-.25", -0.25}, {"3.", 3.0},  {"2.5E2", 250.0}};
  for (auto [text, value] : good) EXPECT_EQ(parse_number(text), value) << text;
  for (const char* bad : {"", "+", "-", ".", "inf", "-inf", "nan", "0x10", "1.2.3", "1e400", "+-1", "++1", "1 ", "e5",
                          "1,5"})
    EXPECT_FALSE(parse_number(bad).has_value()) << bad;
}

TEST(Text, ParseIntegerAcceptsWholeNumbersOnly) {
  EXPECT_EQ(parse_integer("42"), 42);
  EXPECT_EQ(parse_integer("+7"), 7);
  EXPECT_EQ(parse_integer("-3"), -3);
  EXPECT_EQ(parse_integer("9223372036854775807"), std::numeric_limits<long long>::max());
  for (const char* bad : {"", "+", "1.0", "1e3", " 1", "1 ", "9223372036854775808", "0x1F", "+-3", "++3"})
    EXPECT_FALSE(parse_integer(bad).has_value()) << bad;
}

// RFC 3629: the first byte that is not UTF-8, as line and character column.
TEST(Text, FirstInvalidUtf8) {
  EXPECT_FALSE(first_invalid_utf8("plain\n\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x99\x82 \xF4\x8F\xBF\xBF").has_value());
  const std::pair<const char*, std::pair<int, int>> bad[] = {
      {"\xFF", {1, 1}},                      // never a UTF-8 byte
      {"ab\n\xC3\xA9\x80", {2, 2}},           // a stray continuation byte
      {"\xC0\x80", {1, 1}},                  // overlong NUL
      {"\xE0\x80\xAF", {1, 1}},              // overlong '/'
      {"x\xED\xA0\x80", {1, 2}},             // a surrogate
      {"\xF4\x90\x80\x80", {1, 1}},          // above U+10FFFF
      {"\xC3(", {1, 1}},                     // a lead byte without its continuation
      {"ok\n\nend \xE2\x82", {3, 5}},        // cut short at the end
  };
  for (const auto& [text, where] : bad) {
    const std::optional<TextPosition> at = first_invalid_utf8(text);
    ASSERT_TRUE(at.has_value()) << text;
    EXPECT_EQ(std::make_pair(at->line, at->column), where) << text;
  }
}

TEST(Text, EditDistanceKnownPairs) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);  // the textbook example
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
  EXPECT_EQ(edit_distance("ab", "ba"), 2u);  // no transpositions
}

TEST(Text, ClosestMatchWithinAThirdOrByContainment) {
  const std::vector<std::string> keys = {"horizon", "members", "long_term_loans"};
  EXPECT_EQ(closest_match("horizn", keys), "horizon");
  EXPECT_EQ(closest_match("mmbrs", keys), "members");         // 2 edits of 7: within (7 + 2) / 3 = 3
  EXPECT_EQ(closest_match("term", keys), "long_term_loans");  // contained
  EXPECT_FALSE(closest_match("xyz", keys).has_value());
  EXPECT_FALSE(closest_match("a", {"b"}).has_value());  // one edit, but the whole word
  EXPECT_FALSE(closest_match("seed", {}).has_value());
  EXPECT_EQ(did_you_mean("membrs", keys), " (did you mean `members`?)");
  EXPECT_EQ(did_you_mean("qqqqqq", keys), "");
}

TEST(Text, FormatNumberAndLine) {
  EXPECT_EQ(format_number(1.0 / 12.0), "0.0833333");
  EXPECT_EQ(format_number(100.0), "100");
  EXPECT_EQ(format_number(1e7), "1e+07");
  EXPECT_EQ(format_number(-0.5), "-0.5");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(format_line("%-5s|%3d|%.2f", "ab", 7, 1.005), "ab   |  7|1.00");
  const std::string long_text(5000, 'x');
  EXPECT_EQ(format_line("<%s>", long_text.c_str()), "<" + long_text + ">");
  EXPECT_EQ(format_line("%s", ""), "");
}

// Moved here from tests/scenario/scenario_test.cpp (ScenarioSchema.TextHelpers).
TEST(Text, HelpersAsTheSchemaUsesThem) {
  EXPECT_EQ(parse_number("12"), 12.0);
  EXPECT_EQ(parse_number("+2"), 2.0);
  EXPECT_EQ(parse_number(".5"), 0.5);
  EXPECT_EQ(parse_number("-.5"), -0.5);
  EXPECT_EQ(parse_number("1e-3"), 1e-3);
  EXPECT_FALSE(parse_number("inf"));
  EXPECT_FALSE(parse_number("nan"));
  EXPECT_FALSE(parse_number("0x10"));
  EXPECT_FALSE(parse_number("1,5"));
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("-"));
  EXPECT_FALSE(parse_number("1e999"));
  EXPECT_FALSE(parse_number("+-1"));
  EXPECT_FALSE(parse_number("2021-01"));
  EXPECT_FALSE(parse_number("1e5e3"));
  EXPECT_EQ(parse_integer("42"), 42);
  EXPECT_FALSE(parse_integer("4.0"));
  EXPECT_EQ(edit_distance("maturty", "maturity"), 1u);
  EXPECT_EQ(did_you_mean("lendng", {"lending", "shocks"}), " (did you mean `lending`?)");
  EXPECT_EQ(did_you_mean("xyz", {"lending", "shocks"}), "");
}

}  // namespace
}  // namespace mfgsim
