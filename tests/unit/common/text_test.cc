// The shared ASCII trim and case helpers.
#include "common/text.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

namespace stripeline {
namespace {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

TEST(Trim, DropsLeadingAndTrailingWhitespaceOnly) {
  for (const auto& [text, trimmed] : Pairs{{"  \t a b \r\n", "a b"},
                                           {"\f\vx\v", "x"},
                                           {"plain", "plain"},
                                           {" \t\r\n", ""},
                                           {"", ""}}) {
    EXPECT_EQ(Trim(text), trimmed) << "[" << text << "]";
  }
}

TEST(ToLower, FoldsAsciiLettersAndKeepsOtherBytes) {
  for (const auto& [text, lowered] : Pairs{{"Content-Type", "content-type"},
                                           {"ÉCOLE 42", "École 42"}}) {
    EXPECT_EQ(ToLower(text), lowered);
  }
}

TEST(ToUpper, FoldsAsciiLettersAndKeepsOtherBytes) {
  for (const auto& [text, raised] : Pairs{{"inv-1001", "INV-1001"}, {"école 42", "éCOLE 42"}}) {
    EXPECT_EQ(ToUpper(text), raised);
  }
}

TEST(EqualsIgnoreCase, ComparesWholeStringsWithoutCase) {
  const Pairs equal = {{"Retry-After", "retry-after"}, {"", ""}};
  const Pairs different = {{"retry-after", "retry-afte"}, {"a", "b"}};
  for (const auto& [a, b] : equal) EXPECT_TRUE(EqualsIgnoreCase(a, b)) << a << " " << b;
  for (const auto& [a, b] : different) EXPECT_FALSE(EqualsIgnoreCase(a, b)) << a << " " << b;
}

TEST(StartsWithIgnoreCase, MatchesAPrefixWithoutCase) {
  const Pairs prefixed = {{"Bearer sk_test", "bearer "}, {"anything", ""}};
  const Pairs not_prefixed = {{"Bear", "bearer"}, {"token", "bearer"}};
  for (const auto& [text, prefix] : prefixed) EXPECT_TRUE(StartsWithIgnoreCase(text, prefix));
  for (const auto& [text, prefix] : not_prefixed) EXPECT_FALSE(StartsWithIgnoreCase(text, prefix));
}

}  // namespace
}  // namespace stripeline
