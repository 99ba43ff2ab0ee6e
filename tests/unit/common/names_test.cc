// CleanName: one rule for every name — trimmed, visible, no control characters, bounded.
#include "common/names.h"

#include <gtest/gtest.h>

namespace stripeline {
namespace {

std::string Cleaned(std::string_view name) {
  Result<std::string> cleaned = CleanName(name, "client");
  EXPECT_TRUE(cleaned.ok()) << cleaned.status().ToString();
  return cleaned.ok() ? *cleaned : "";
}

std::string Refusal(std::string_view name, size_t max = 100) {
  Result<std::string> cleaned = CleanName(name, "client", max);
  EXPECT_FALSE(cleaned.ok()) << "accepted: " << *cleaned;
  if (cleaned.ok()) return "";
  EXPECT_EQ(cleaned.status().error_code(), "invalid_name");
  return cleaned.status().message();
}

TEST(CleanName, TrimsAsciiAndUnicodeSpaceAtTheEnds) {
  EXPECT_EQ(Cleaned("Acme Ltd"), "Acme Ltd");
  EXPECT_EQ(Cleaned("  Acme Ltd \t\n"), "Acme Ltd");
  EXPECT_EQ(Cleaned("\xC2\xA0" "Acme\xE2\x80\x8B"), "Acme");           // no-break, zero-width
  EXPECT_EQ(Cleaned("\xEF\xBB\xBF" "M\xC3\xBCller GmbH"), "M\xC3\xBCller GmbH");  // BOM
  EXPECT_EQ(Cleaned("A  B"), "A  B");  // inner spaces are the user's
}

TEST(CleanName, RefusesBlankInvisibleAndControlCharacters) {
  EXPECT_EQ(Refusal(""), "Enter a name for the client.");
  EXPECT_EQ(Refusal(" "), "Enter a name for the client.");
  EXPECT_EQ(Refusal("\t"), "Enter a name for the client.");
  EXPECT_EQ(Refusal("\xC2\xA0\xE2\x80\x8B\xE3\x80\x80"), "Enter a name for the client.");
  EXPECT_NE(Refusal(std::string("a\0b", 3)).find("control character"), std::string::npos);
  EXPECT_NE(Refusal("a\tb").find("control character"), std::string::npos);
  EXPECT_NE(Refusal("a\nb").find("control character"), std::string::npos);
  EXPECT_NE(Refusal("\xFF" "abc").find("UTF-8"), std::string::npos);
}

TEST(CleanName, CountsCharactersNotBytes) {
  EXPECT_EQ(Cleaned(std::string(100, 'x')), std::string(100, 'x'));
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "\xC3\xBC";
  EXPECT_EQ(Cleaned(umlauts), umlauts);  // 200 bytes, 100 characters
  EXPECT_EQ(Refusal(std::string(101, 'x')), "The client's name is longer than 100 characters.");
  EXPECT_FALSE(CleanName(std::string(100000, 'x'), "API token", 100).ok());
}

}  // namespace
}  // namespace stripeline
