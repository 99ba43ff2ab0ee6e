// Test and live data of one Stripe account kept apart (issue 13, High 1), end to end: `stripeline
// serve` syncs a test-mode and a live-mode integration of the emulator's demo account (the
// emulator keeps a separate dataset per mode, as Stripe does); each integration's metrics,
// verification, export and synced rows must be its own mode's only, and deleting one with its
// data must leave the other's rows and numbers as they were. A key of the other mode is refused
// by PATCH and by the CLI.
#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <set>
#include <sstream>

#include "integration/harness.h"
#include "store/sqlite/sqlite_database.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;

class TestAndLiveModes : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = std::make_unique<Stack>(StackOptions{
        .emulator_args = {"--objects", "120"},
        .serve_args = {"--rate-limit-test", "2000", "--rate-limit-live", "2000",
                       "--sync-interval", "0"}});
  }

  HttpClient& api() { return stack_->api(); }

  std::string Add(const std::string& name, const std::string& key) {
    auto added = api().Post("/api/v1/integrations", object{{"name", name}, {"secret_key", key}});
    EXPECT_EQ(added.status, 201) << added.body;
    return added.status == 201 ? Str(added.json.at("integration").at("id")) : "";
  }

  // Total gross volume per currency over every date the emulator uses (as metrics_test.cc:
  // up to tomorrow, from 3000 days back), from the API.
  std::map<std::string, double> GrossVolume(const std::string& integration) {
    const int64_t now = std::time(nullptr);
    auto answer = api().Get("/api/v1/metrics/gross_volume?integration=" + integration +
                            "&from=" + IsoDate(now - 3000 * int64_t{86400}) +
                            "&to=" + IsoDate(now + 86400) + "&interval=month&tz=UTC");
    EXPECT_EQ(answer.status, 200) << answer.body;
    std::map<std::string, double> totals;
    if (answer.status != 200) return totals;
    for (const auto& v : answer.json.at("values").as_array()) {
      if (!v.at("total").is_null()) totals[Str(v.at("currency"))] = v.at("total").to_number<double>();
    }
    return totals;
  }

  // The emulator's own figure for `key`'s mode: Σ amount_captured of succeeded charges, by
  // currency, over what its /v1 API lists with that key (metrics-and-reconciliation.md).
  std::map<std::string, double> EmulatorGrossVolume(const std::string& key) {
    std::map<std::string, double> totals;
    auto content = EmulatorContent(stack_->emulator_url(), key, {"charges"});
    for (const auto& [id, text] : content.at("charges")) {
      const object charge = boost::json::parse(text).as_object();
      if (charge.at("status") != "succeeded") continue;
      totals[Str(charge.at("currency"))] += charge.at("amount_captured").to_number<double>();
    }
    return totals;
  }

  // Every stream of POST .../sync/verify is `equal`.
  void ExpectVerifyEqual(const std::string& integration) {
    const boost::json::value verified = VerifyViaApi(api(), integration);
    for (const auto& s : verified.at("streams").as_array()) {
      EXPECT_EQ(s.at("result"), "equal") << integration << ": " << boost::json::serialize(s);
    }
  }

  // The ids and modes `stripeline export --format jsonl` writes for the charges of `integration`.
  std::pair<std::set<std::string>, std::set<bool>> ExportedCharges(const std::string& integration) {
    auto exported = RunCli(stack_->CliArgs(
        {"export", "--integration", integration, "--stream", "charges", "--format", "jsonl"}));
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    std::set<std::string> ids;
    std::set<bool> modes;
    std::istringstream lines(exported.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      const object charge = boost::json::parse(line).as_object();
      ids.insert(Str(charge.at("id")));
      modes.insert(charge.at("livemode").as_bool());
    }
    return {ids, modes};
  }

  std::set<std::string> EmulatorIds(const std::string& key, const std::string& stream) {
    std::set<std::string> ids;
    const auto content = EmulatorContent(stack_->emulator_url(), key, {stream});
    for (const auto& [id, text] : content.at(stream)) ids.insert(id);
    return ids;
  }

  int64_t Rows(const std::string& stream, bool livemode) {
    auto db = store::sqlite::SqliteDatabase::Open((stack_->data_dir() / "stripeline.db").string());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return -1;
    auto rows = (*db)->Query("SELECT COUNT(*) FROM stripe_" + stream +
                                 " WHERE account_id = 'acct_emu_demo' AND livemode = $1",
                             {int64_t{livemode ? 1 : 0}});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? (*rows)[0].GetInt(0) : -1;
  }

  std::unique_ptr<Stack> stack_;
};

TEST_F(TestAndLiveModes, EachIntegrationSeesOnlyItsOwnModesData) {
  const std::string test = Add("Demo test", kSecretKey);
  const std::string live = Add("Demo live", kLiveKey);
  ASSERT_FALSE(test.empty());
  ASSERT_FALSE(live.empty());
  // The order of the report: the test integration first, then the live one.
  ASSERT_EQ(SyncViaApi(api(), test).at("status"), "succeeded");
  ASSERT_EQ(SyncViaApi(api(), live).at("status"), "succeeded");

  const auto test_figure = EmulatorGrossVolume(kSecretKey);
  const auto live_figure = EmulatorGrossVolume(kLiveKey);
  ASSERT_FALSE(test_figure.empty());
  ASSERT_NE(test_figure, live_figure) << "the modes' datasets must differ for this test to tell";
  EXPECT_EQ(GrossVolume(test), test_figure);
  EXPECT_EQ(GrossVolume(live), live_figure);

  ExpectVerifyEqual(test);
  ExpectVerifyEqual(live);
  // Every stream's rows are exactly what the emulator lists with each key (the account object,
  // whose id is the same in both modes, included).
  const auto db = stack_->data_dir() / "stripeline.db";
  std::vector<std::string> streams = kListStreams;
  streams.push_back("account");
  EXPECT_TRUE(SyncedContentEqualsEmulator(db, stack_->emulator_url(), kSecretKey,
                                          "acct_emu_demo", streams));
  EXPECT_TRUE(SyncedContentEqualsEmulator(db, stack_->emulator_url(), kLiveKey, "acct_emu_demo",
                                          streams));

  auto [test_ids, test_modes] = ExportedCharges(test);
  auto [live_ids, live_modes] = ExportedCharges(live);
  EXPECT_EQ(test_ids, EmulatorIds(kSecretKey, "charges"));
  EXPECT_EQ(live_ids, EmulatorIds(kLiveKey, "charges"));
  EXPECT_EQ(test_modes, std::set<bool>{false});
  EXPECT_EQ(live_modes, std::set<bool>{true});

  // Deleting the live integration with its data removes the live rows only.
  const int64_t test_charges = Rows("charges", false);
  ASSERT_GT(test_charges, 0);
  auto deleted = api().Delete("/api/v1/integrations/" + live + "?keep_data=false");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_NE(Str(deleted.json.at("message")).find("live mode only"), std::string::npos)
      << deleted.body;
  EXPECT_EQ(Rows("charges", true), 0);
  EXPECT_EQ(Rows("account", true), 0);
  EXPECT_EQ(Rows("charges", false), test_charges);
  EXPECT_EQ(Rows("account", false), 1);
  EXPECT_EQ(GrossVolume(test), test_figure);
  ExpectVerifyEqual(test);
}

TEST_F(TestAndLiveModes, DeletingOneOfTwoIntegrationsOfAModeKeepsThatModesData) {
  const std::string test = Add("Demo test", kSecretKey);
  const std::string other_test = Add("Demo test 2", kSecretKey);
  const std::string live = Add("Demo live", kLiveKey);
  ASSERT_EQ(SyncViaApi(api(), test).at("status"), "succeeded");
  ASSERT_EQ(SyncViaApi(api(), live).at("status"), "succeeded");
  const int64_t test_charges = Rows("charges", false);
  const int64_t live_charges = Rows("charges", true);
  ASSERT_GT(test_charges, 0);
  ASSERT_GT(live_charges, 0);

  // Another test integration of the account still reads the test rows: they stay; the live
  // integration is not counted as a reason to keep them, nor are its rows touched.
  auto kept = api().Delete("/api/v1/integrations/" + test + "?keep_data=false");
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_NE(Str(kept.json.at("message")).find("were kept because integration " + other_test),
            std::string::npos)
      << kept.body;
  EXPECT_EQ(Rows("charges", false), test_charges);
  EXPECT_EQ(Rows("charges", true), live_charges);

  // The last test integration takes the test rows with it; the live ones stay.
  auto removed = api().Delete("/api/v1/integrations/" + other_test + "?keep_data=false");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Rows("charges", false), 0);
  EXPECT_EQ(Rows("charges", true), live_charges);
  EXPECT_EQ(GrossVolume(live), EmulatorGrossVolume(kLiveKey));
}

TEST_F(TestAndLiveModes, AKeyOfTheOtherModeIsRefused) {
  const std::string test = Add("Demo test", kSecretKey);
  const std::string live = Add("Demo live", kLiveKey);

  auto to_live = api().Patch("/api/v1/integrations/" + test, object{{"secret_key", kLiveKey}});
  EXPECT_EQ(to_live.status, 422) << to_live.body;
  EXPECT_EQ(to_live.json.at("error").at("code"), "mode_change_refused") << to_live.body;
  EXPECT_NE(Str(to_live.json.at("error").at("message"))
                .find("This integration syncs test data; a live key belongs to a new integration"),
            std::string::npos)
      << to_live.body;
  auto to_test = api().Patch("/api/v1/integrations/" + live, object{{"secret_key", kSecretKey}});
  EXPECT_EQ(to_test.status, 422) << to_test.body;
  EXPECT_EQ(to_test.json.at("error").at("code"), "mode_change_refused") << to_test.body;
  // Nothing changed: each keeps its mode and key.
  auto shown = api().Get("/api/v1/integrations/" + test);
  EXPECT_EQ(shown.json.at("integration").at("mode"), "test") << shown.body;
  EXPECT_EQ(shown.json.at("integration").at("secret_key_masked"), "sk_test_...0000")
      << shown.body;

  auto cli = RunCli(stack_->CliArgs({"integrations", "edit", test, "--new-key"}),
                    std::string(kLiveKey) + "\n");
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.err.find("a live key belongs to a new integration"), std::string::npos)
      << cli.err;
  EXPECT_NE(cli.err.find("mode_change_refused"), std::string::npos) << cli.err;
}

}  // namespace
}  // namespace stripeline::testing
