// ValidUtf8 / IsValidUtf8: well-formed text unchanged, each maximal ill-formed subpart one U+FFFD.
#include "common/utf8.h"

#include <gtest/gtest.h>

namespace stripeline {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8, WellFormedTextIsValidAndUnchanged) {
  for (std::string text : {std::string(""), std::string("plain ascii"),
                           std::string("Gr\xC3\xBC\xC3\x9F" "e"),           // Grüße
                           std::string("\xE2\x82\xAC 5"),                   // € 5
                           std::string("\xF0\x9F\x98\x80"),                 // U+1F600
                           std::string("\xF4\x8F\xBF\xBF")}) {              // U+10FFFF
    EXPECT_TRUE(IsValidUtf8(text)) << text;
    EXPECT_EQ(ValidUtf8(text), text);
  }
}

TEST(Utf8, IllFormedSequencesBecomeReplacementCharacters) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_EQ(ValidUtf8("a\xFF" "b"), "a" + kFffd + "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), kFffd + kFffd);              // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // a surrogate
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(ValidUtf8("\xE2\x82"), kFffd);        // truncated: one maximal subpart
  EXPECT_EQ(ValidUtf8("\xE2\x82x"), kFffd + "x");
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\x80\xBF\xF8\xFE mixed \xC3")));
}

}  // namespace
}  // namespace stripeline
