// Pacing end to end: `stripeline serve` against `stripeline emulator`, whose request counter
// (GET /_emulator/request_rate) says how many requests reached the account in each second.
// Every attempt to an account — a sync's pages, the client's retries after injected 500s and
// 429s, a permission probe running beside the sync — is paced by the account's one limiter, so
// no second exceeds the configured rate (with its burst). And when Stripe grants less than the
// configured pace, the limiter adapts and the sync still finishes, equal to the emulator.
#include <gtest/gtest.h>

#include <algorithm>

#include <string>
#include <vector>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;

constexpr char kAccount[] = "acct_emu_demo";
// What serve's test-mode limiter allows: the configured rate and the default burst of test
// mode (stripe/rate_limiter.h RateLimiterOptions).
constexpr int kRate = 8;
constexpr int kBurst = 5;

std::string AddIntegration(HttpClient& api, const std::string& key, const std::string& name) {
  auto added = api.Post("/api/v1/integrations",
                        object{{"name", name}, {"secret_key", key}, {"active", true}});
  EXPECT_EQ(added.status, 201) << added.body;
  return added.status == 201 ? std::string(added.json.at("integration").at("id").as_string())
                             : "";
}

const object* AccountRate(const value& report, bool livemode) {
  for (const value& entry : report.at("accounts").as_array()) {
    if (entry.at("account") == kAccount && entry.at("livemode") == livemode) {
      return &entry.as_object();
    }
  }
  return nullptr;
}

TEST(Pacing, ASyncWithFaultsAndAProbeNeverExceedsTheConfiguredRate) {
  Stack stack({.emulator_args = {"--objects", "120"},
               .serve_args = {"--rate-limit-test", std::to_string(kRate), "--sync-interval",
                              "0"}});
  std::string id = AddIntegration(stack.api(), kSecretKey, "Paced");
  // The restricted key is tested once before, so its account is known when it is probed
  // during the sync (the first check of a key learns its account from that first request).
  auto known = stack.api().Post("/api/v1/integrations/test", object{{"secret_key", kRestrictedKey}});
  ASSERT_EQ(known.status, 200) << known.body;
  ASSERT_EQ(stack.emulator().PostForm("/_emulator/faults", "status=500&count=3").status, 200);

  auto started = stack.api().Post("/api/v1/integrations/" + id + "/sync");
  ASSERT_EQ(started.status, 202) << started.body;
  // The second the sync started in also holds the checks above, whose first request of a key
  // not seen before cannot know its account yet (so takes no token of the account's): the
  // seconds after it are the sync's alone, with its faults and the probe below.
  const int64_t start_second =
      stack.emulator().Get("/_emulator/clock").json.at("now").to_number<int64_t>() -
      stack.emulator().Get("/_emulator/clock").json.at("offset").to_number<int64_t>();
  ASSERT_TRUE(WaitUntil(
      [&] {
        return stack.emulator().Get("/_emulator/stats").json.at("faults_injected").as_int64() >= 3;
      },
      30, "the injected 500s to be answered"));
  ASSERT_EQ(stack.emulator().PostForm("/_emulator/faults", "status=429&count=4").status, 200);
  // A permission probe (15 requests from 4 threads) while the sync runs.
  auto probed = stack.api().Post("/api/v1/integrations/test", object{{"secret_key", kRestrictedKey}});
  EXPECT_EQ(probed.status, 200) << probed.body;
  value run = WaitForSyncRun(stack.api(), id, std::string(started.json.at("run_id").as_string()));
  ASSERT_TRUE(run.is_object());
  EXPECT_EQ(run.at("status"), "succeeded") << boost::json::serialize(run);

  auto stats = stack.emulator().Get("/_emulator/stats");
  EXPECT_GE(stats.json.at("faults_injected").as_int64(), 7);  // every fault was met
  auto rate = stack.emulator().Get("/_emulator/request_rate?account=acct_emu_demo&livemode=false");
  ASSERT_EQ(rate.status, 200) << rate.body;
  const object* account = AccountRate(rate.json, false);
  ASSERT_NE(account, nullptr) << rate.body;
  EXPECT_GT(account->at("windows").as_array().size(), 2u) << rate.body;  // it did take seconds
  // GCRA lets kBurst requests go back to back after idling, then kRate per second: at most
  // kRate + kBurst - 1 start in any one second; one more for when requests arrive at the
  // emulator a little later than they were sent.
  int64_t most = 0;
  for (const value& window : account->at("windows").as_array()) {
    if (window.at("second").to_number<int64_t>() > start_second) {
      most = std::max(most, window.at("requests").to_number<int64_t>());
    }
  }
  EXPECT_GT(most, 0) << rate.body;
  EXPECT_LE(most, kRate + kBurst) << rate.body;
}

TEST(Pacing, ASyncSucceedsWhenStripeGrantsLessThanTheConfiguredPace) {
  // Another client of the merchant takes part of the account's limit: Stripe answers 429
  // above 3 requests/s while Stripeline is configured for 10.
  Stack stack({.emulator_args = {"--objects", "120", "--rate-limit-test", "3"},
               .serve_args = {"--rate-limit-test", "10", "--sync-interval", "0"}});
  std::string id = AddIntegration(stack.api(), kSecretKey, "Throttled");
  CommandResult sync = RunCli(stack.CliArgs({"sync", "--integration", id, "--rate-limit-test", "10"}));
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_NE(sync.out.find(": succeeded (backfill)"), std::string::npos) << sync.out;
  // The test is about adaptation: Stripe did refuse requests.
  EXPECT_GT(stack.emulator().Get("/_emulator/stats").json.at("rate_limited").as_int64(), 0);

  CommandResult verify = RunCli(stack.CliArgs({"verify", "--integration", id, "--rate-limit-test", "10"}));
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("Every readable stream is equal"), std::string::npos) << verify.out;
  EXPECT_TRUE(SyncedContentEqualsEmulator(stack.data_dir() / "stripeline.db", stack.emulator_url(),
                                          kSecretKey, kAccount,
                                          {"account", "customers", "charges", "invoices"}));
}

}  // namespace
}  // namespace stripeline::testing
