// The `stripeline` CLI end to end: keys from stdin, JSON output, confirmation, exit codes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  CommandResult Run(std::vector<std::string> args, const std::string& input = "") {
    return RunCli(stack_->CliArgs(std::move(args)), input);
  }
  static Stack* stack_;
};

Stack* Cli::stack_ = nullptr;

TEST_F(Cli, AddsListsShowsTestsAndDeletesWithConfirmation) {
  auto added = Run({"integrations", "add", "--name", "From CLI", "--json"},
                   std::string(kSecretKey) + "\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  auto json = boost::json::parse(added.out);
  EXPECT_EQ(json.at("message"), "Integration added");
  std::string id(json.at("integration").at("id").as_string());
  EXPECT_EQ(added.out.find(kSecretKey), std::string::npos);

  auto list = Run({"integrations", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("From CLI"), std::string::npos);
  EXPECT_NE(list.out.find("sk_test_...0000"), std::string::npos);

  auto show = Run({"integrations", "show", id});
  EXPECT_NE(show.out.find("Emulator Demo Ltd"), std::string::npos);

  auto test = Run({"integrations", "test", id});
  EXPECT_EQ(test.exit_code, 0) << test.err;
  EXPECT_NE(test.out.find("Connection available"), std::string::npos);

  auto unconfirmed = Run({"integrations", "delete", id});
  EXPECT_NE(unconfirmed.exit_code, 0);
  EXPECT_NE(unconfirmed.err.find("Not deleted"), std::string::npos);
  EXPECT_EQ(stack_->api().Get("/api/v1/integrations/" + id).status, 200);

  auto deleted = Run({"integrations", "delete", id, "--yes"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(deleted.out.find("Integration deleted"), std::string::npos);
  EXPECT_EQ(stack_->api().Get("/api/v1/integrations/" + id).status, 404);
}

TEST_F(Cli, RefusesBadKeysWithAClearErrorAndExitCode) {
  auto publishable = Run({"integrations", "add", "--name", "pk"}, std::string(kPublishableKey) + "\n");
  EXPECT_EQ(publishable.exit_code, 2);
  EXPECT_NE(publishable.err.find("publishable"), std::string::npos);
  auto empty = Run({"integrations", "add", "--name", "none"}, "");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("No key given"), std::string::npos);
}

TEST_F(Cli, TestsAKeyBeforeSavingAndReportsUnreachableStripe) {
  auto restricted = Run({"integrations", "test", "--key", "--json"}, std::string(kRestrictedKey) + "\n");
  EXPECT_EQ(restricted.exit_code, 1);
  auto json = boost::json::parse(restricted.out);
  EXPECT_EQ(json.at("reason"), "missing_permissions");

  auto unreachable = RunCli({"integrations", "test", "--key", "--json", "--data-dir",
                             stack_->data_dir().string(), "--stripe-api-base",
                             "http://127.0.0.1:1"},
                            std::string(kSecretKey) + "\n");
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_EQ(boost::json::parse(unreachable.out).at("reason"), "stripe_unreachable");
}

TEST_F(Cli, UsersAndClients) {
  auto user = Run({"users", "add", "--email", "cli-member@example.com", "--role", "member"},
                  "password-123\n");
  ASSERT_EQ(user.exit_code, 0) << user.err;
  auto client = Run({"clients", "add", "--name", "Initech", "--json"});
  ASSERT_EQ(client.exit_code, 0) << client.err;
  // As POST /api/v1/clients answers (one --json rule: README, Commands).
  auto client_json = boost::json::parse(client.out);
  EXPECT_EQ(client_json.at("message"), "Client added");
  std::string client_id(client_json.at("client").at("id").as_string());
  auto grant = Run({"clients", "grant", client_id, "--user", "cli-member@example.com"});
  EXPECT_EQ(grant.exit_code, 0) << grant.err;
  auto users = Run({"users", "list"});
  EXPECT_NE(users.out.find("cli-member@example.com"), std::string::npos);
  auto bad_role = Run({"users", "add", "--email", "x@example.com", "--role", "owner"}, "password-123\n");
  EXPECT_EQ(bad_role.exit_code, 2);
}

// The one --json rule (README, Commands): what the API answers for the same action, lists and
// errors included.
TEST_F(Cli, JsonIsTheApisAnswerForListsObjectsAndErrors) {
  auto added = Run({"clients", "add", "--name", "Umbrella", "--json"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  std::string id(boost::json::parse(added.out).at("client").at("id").as_string());

  auto list = Run({"clients", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(boost::json::parse(list.out), stack_->api().Get("/api/v1/clients").json);

  auto rename = Run({"clients", "rename", id, "--name", "Umbrella Corp", "--json"});
  ASSERT_EQ(rename.exit_code, 0) << rename.err;
  auto renamed = boost::json::parse(rename.out);
  EXPECT_EQ(renamed.at("message"), "Client updated");
  EXPECT_EQ(renamed.at("client"), stack_->api().Get("/api/v1/clients/" + id).json.at("client"));

  auto missing = Run({"clients", "rename", "cli_nosuch", "--name", "X", "--json"});
  EXPECT_NE(missing.exit_code, 0);
  auto error = boost::json::parse(missing.out);
  EXPECT_EQ(error,
            stack_->api().Patch("/api/v1/clients/cli_nosuch", boost::json::object{{"name", "X"}}).json);
  EXPECT_EQ(error.at("error").at("code"), "not_found");
  EXPECT_FALSE(error.at("error").at("message").as_string().empty());

  auto deleted = Run({"clients", "delete", id, "--json"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(boost::json::parse(deleted.out),
            (boost::json::object{{"message", "Client deleted"}, {"id", id}}));
}

TEST_F(Cli, FirstStartPrintsAGeneratedAdminPasswordOnce) {
  auto dir = stack_->data_dir() / "fresh";
  ChildProcess first({STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                      dir.string()},
                     {}, dir.parent_path() / "fresh.log");
  auto login = first.WaitForLine("Admin login:");
  ASSERT_TRUE(login.has_value());
  EXPECT_NE(login->find("admin@localhost / "), std::string::npos) << *login;
  std::string password = login->substr(login->find(" / ") + 3);
  ASSERT_TRUE(first.WaitForLine("listening on").has_value());
  EXPECT_EQ(first.Stop(), 0) << "graceful shutdown exits 0";

  ChildProcess second({STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                       dir.string()},
                      {}, dir.parent_path() / "fresh.log");
  auto again = second.WaitForLine("Admin login:");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->find(password), std::string::npos) << "the password is shown only once";
}

// `stripeline emulator fixtures` writes bank statements and invoices for the data a running
// `stripeline emulator` serves (ids and amounts do not depend on the start time): the payouts
// its manifest puts in the bank are the emulator's, as its own /_emulator/fixtures says.
TEST_F(Cli, EmulatorFixturesFitTheRunningEmulator) {
  auto dir = std::filesystem::temp_directory_path() /
             ("stripeline-fixtures-" + std::to_string(getpid()));
  auto written = RunCli({"emulator", "fixtures", "--out", dir.string(), "--days", "100"});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  std::stringstream text;
  text << std::ifstream(dir / "manifest.json").rdbuf();
  boost::json::object manifest = boost::json::parse(text.str()).as_object();
  for (const auto& name : manifest.at("files").as_array()) {
    EXPECT_GT(std::filesystem::file_size(dir / std::string(name.as_string())), 100u) << name;
  }
  HttpResult served = stack_->emulator().Get("/_emulator/fixtures?days=100");
  ASSERT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(manifest.at("payouts_in_bank"), served.json.at("payouts_in_bank"));
  EXPECT_EQ(manifest.at("invoices"), served.json.at("invoices"));
  HttpClient stripe(stack_->emulator_url());
  stripe.set_token(kSecretKey);
  ASSERT_FALSE(manifest.at("payouts_in_bank").as_array().empty());
  for (const auto& id : manifest.at("payouts_in_bank").as_array()) {
    HttpResult payout = stripe.Get("/v1/payouts/" + std::string(id.as_string()));
    EXPECT_EQ(payout.status, 200) << id;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace stripeline::testing
