// RedactSecrets and the JSON-lines log file.
#include "common/log.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "unit/common/temp_dir.h"

namespace stripeline {
namespace {

TEST(RedactSecrets, MasksEveryKindOfSecretKeepingPrefixAndLastFour) {
  struct Case {
    std::string secret, masked;
  };
  std::vector<Case> cases = {
      {"sk_live_51HqAbCdEfGhIjKlMnOp9876", "sk_live_...9876"},
      {"sk_test_51HqAbCdEfGhIjKlMnOp1234", "sk_test_...1234"},
      {"rk_live_51HqAbCdEfGhIjKlMnOpWXYZ", "rk_live_...WXYZ"},
      {"rk_test_51HqAbCdEfGhIjKlMnOp0000", "rk_test_...0000"},
      {"pk_test_51HqAbCdEfGhIjKlMnOpabcd", "pk_test_...abcd"},
      {"whsec_AbCdEfGhIjKlMnOpQrStUv42", "whsec_...Uv42"},
      {"slt_3q2-AbCdEfGh_IjKlMn-opQ7", "slt_...opQ7"},
  };
  for (const auto& c : cases) {
    std::string redacted = RedactSecrets("using " + c.secret + " now");
    EXPECT_EQ(redacted, "using " + c.masked + " now") << c.secret;
    EXPECT_EQ(redacted.find(c.secret), std::string::npos) << c.secret;
  }
}

TEST(RedactSecrets, MasksSeveralSecretsInOneText) {
  EXPECT_EQ(RedactSecrets("a=sk_test_AAAAAAAAAAAA1111,b=whsec_BBBBBBBBBB2222"),
            "a=sk_test_...1111,b=whsec_...2222");
}

TEST(RedactSecrets, LeavesOrdinaryTextAlone) {
  for (std::string text : {"integration.added id=int_k3abcdefghij by admin@example.com",
                           "user_id usr_0123456789 snake_case_name", "no underscores here",
                           "sk_test_ab (too short to be a key)", ""}) {
    EXPECT_EQ(RedactSecrets(text), text);
  }
}

class LogFileTest : public ::testing::Test {
 protected:
  void TearDown() override { ASSERT_TRUE(InitLogging(LogOptions{}).ok()); }

  std::vector<std::string> Lines() {
    std::istringstream in(test_util::TempDir::ReadFile(file_));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  test_util::TempDir dir_;
  std::string file_ = (dir_.path() / "stripeline.log").string();
};

TEST_F(LogFileTest, WritesOnlyTheMaskedFormOfSecretsAsOneJsonObjectPerLine) {
  const std::string key = "sk_live_51HqAbCdEfGhIjKlMnOp9876";
  const std::string token = "slt_ZZZZZZZZZZZZZZZZZZZZ4321";
  ASSERT_TRUE(InitLogging({.level = "info", .file = file_, .to_stderr = false}).ok());
  log::Info("test.secret_field", {{"key", key}, {"attempts", 3}});
  log::Warn("test.nested", {{"tokens", std::vector<std::string>{token, "plain"}},
                            {"note", "pasted " + key + " by mistake"}});

  std::string contents = test_util::TempDir::ReadFile(file_);
  EXPECT_EQ(contents.find(key), std::string::npos);
  EXPECT_EQ(contents.find(token), std::string::npos);
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u) << contents;

  boost::system::error_code ec;
  boost::json::value first = boost::json::parse(lines[0], ec);
  ASSERT_FALSE(ec) << lines[0];
  EXPECT_EQ(first.at("event"), "test.secret_field");
  EXPECT_EQ(first.at("level"), "info");
  EXPECT_TRUE(first.at("ts").is_string());
  EXPECT_EQ(first.at("key"), "sk_live_...9876");
  EXPECT_EQ(first.at("attempts"), 3);

  boost::json::value second = boost::json::parse(lines[1], ec);
  ASSERT_FALSE(ec) << lines[1];
  EXPECT_EQ(second.at("level"), "warning");
  EXPECT_EQ(second.at("tokens"), (boost::json::array{"slt_...4321", "plain"}));
  EXPECT_EQ(second.at("note"), "pasted sk_live_...9876 by mistake");
}

TEST_F(LogFileTest, DropsLinesBelowTheConfiguredLevel) {
  ASSERT_TRUE(InitLogging({.level = "warn", .file = file_, .to_stderr = false}).ok());
  log::Info("test.hidden");
  log::Debug("test.hidden_too");
  log::Error("test.shown");
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(boost::json::parse(lines[0]).at("event"), "test.shown");
}

TEST_F(LogFileTest, RefusesAnUnknownLevel) {
  Status status = InitLogging({.level = "loud", .file = file_, .to_stderr = false});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("loud"), std::string::npos);
}

}  // namespace
}  // namespace stripeline
