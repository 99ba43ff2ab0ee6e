#pragma once
// The sync tests' fixture: a real SQLite store in a temp dir, the emulator served in process
// over loopback HTTP, a Stripe client with CurlTransport pointed at it, an IntegrationService
// and a FakeClock (far enough in the future that every demo object is "in the past"; client
// retries and the rate limiter sleep on it, so nothing really waits).

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "access/actor.h"
#include "common/clock.h"
#include "common/http_server.h"
#include "common/secrets.h"
#include "emulator/emulator.h"
#include "integrations/connection_check.h"
#include "integrations/integration_service.h"
#include "store/store.h"
#include "stripe/client.h"
#include "stripe/curl_transport.h"
#include "stripe/rate_limiter.h"
#include "sync/stream_table.h"
#include "sync/sync_engine.h"
#include "unit/common/temp_dir.h"
#include "unit/emulator/served_emulator.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::sync::testing {

inline constexpr char kTestSecret[] = "sk_test_emu_demo_secret_0000000000000000";
inline constexpr char kRestricted[] = "rk_test_emu_demo_readonly_00000000000000";
inline constexpr int64_t kFakeNow = 1'800'000'000;  // 2027

// id -> raw JSON text.
using ObjectMap = std::map<std::string, std::string>;

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
    store_ = std::make_unique<store::Store>(*db_);

    auto served = test_util::ServeEmulator(emulator_options_, /*worker_threads=*/8);
    ASSERT_TRUE(served.server);
    emulator_ = std::move(served.emulator);
    server_ = std::move(served.server);

    stripe::ClientOptions options;
    options.api_base = server_->base_url();
    client_ = std::make_unique<stripe::Client>(
        options, std::make_shared<stripe::CurlTransport>(), clock_, [] { return 0.5; });
    box_ = std::make_unique<SecretBox>(std::string(32, 'k'));
    limiters_ = std::make_unique<stripe::RateLimiterRegistry>(
        stripe::RateLimiterOptions{.live = {1000, 50}, .test = {1000, 50}}, clock_);
    checker_ = std::make_unique<integrations::ConnectionChecker>(*client_, *limiters_);
    integrations_ = std::make_unique<integrations::IntegrationService>(*store_, *box_, *checker_,
                                                                       clock_);
  }

  void TearDown() override {
    engine_.reset();
    if (server_) server_->Stop();
  }

  // A small-paged, parallel engine by default so slicing, splitting and paging all happen on
  // the small demo dataset.
  SyncOptions SmallPages() {
    SyncOptions options;
    options.workers = 4;
    options.page_size = 2;
    options.initial_slices = 3;
    return options;
  }

  SyncEngine& Engine(SyncOptions options) {
    engine_ = std::make_unique<SyncEngine>(*db_, *store_, *integrations_, *client_, *limiters_,
                                           clock_, std::move(options));
    return *engine_;
  }

  std::string AddIntegration(const std::string& key = kTestSecret) {
    integrations::NewIntegration request;
    request.name = "Demo " + std::to_string(++integration_count_);
    request.secret_key = key;
    auto saved = integrations_->Add(access::Actor::LocalOperator(), request);
    EXPECT_TRUE(saved.ok()) << saved.status().ToString();
    return saved.ok() ? saved.value().integration.id : "";
  }

  // POST to an admin endpoint of the emulator; returns the JSON answer.
  boost::json::value Admin(const std::string& path, const stripe::Params& params) {
    auto response = client_->Request("POST", server_->base_url() + path, params, {});
    EXPECT_TRUE(response.ok()) << (response.ok() ? "" : response.error().message);
    return response.ok() ? response.value().body : boost::json::value();
  }

  // Everything the emulator serves for `stream` with `key`: id -> serialized object.
  ObjectMap Remote(const StreamSpec& stream, const std::string& key = kTestSecret) {
    ObjectMap out;
    stripe::RequestOptions request{.api_key = key};
    if (stream.kind == StreamKind::kSingleton) {
      auto response = client_->Request("GET", stream.endpoint, {}, request);
      EXPECT_TRUE(response.ok());
      if (response.ok()) {
        const auto& o = response.value().body.as_object();
        out[std::string(o.at("id").as_string())] = boost::json::serialize(o);
      }
      return out;
    }
    std::optional<std::string> after;
    while (true) {
      stripe::Params extra;
      if (after) extra.emplace_back("starting_after", *after);
      auto page = client_->ListPage(stream.endpoint, ListParams(stream, 100, extra), request);
      EXPECT_TRUE(page.ok()) << stream.name;
      if (!page.ok()) break;
      for (const auto& o : page.value().data) {
        out[std::string(o.at("id").as_string())] = boost::json::serialize(o);
      }
      if (!page.value().has_more) break;
      after = std::string(page.value().data.back().at("id").as_string());
    }
    return out;
  }

  // What the sync wrote into stream's table (non-deleted rows): id -> raw.
  ObjectMap Local(const StreamSpec& stream) {
    ObjectMap out;
    auto rows = db_->Query(
        "SELECT id, raw FROM " + std::string(stream.table) + " WHERE deleted = 0", {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (rows.ok()) {
      for (const auto& row : rows.value()) out[row.GetString(0)] = row.GetString(1);
    }
    return out;
  }

  int64_t CountRows(const std::string& sql, const std::vector<store::Value>& params = {}) {
    auto rows = db_->Query(sql, params);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows.value().empty() ? rows.value()[0].GetInt(0) : -1;
  }

  // A content hash of a whole stream: ids and raw JSON, in id order.
  static size_t Hash(const ObjectMap& objects) {
    std::string all;
    for (const auto& [id, raw] : objects) all += id + "\n" + raw + "\n";
    return std::hash<std::string>()(all);
  }

  void ExpectStreamEqual(const StreamSpec& stream, const std::string& key = kTestSecret) {
    ObjectMap remote = Remote(stream, key);
    ObjectMap local = Local(stream);
    EXPECT_FALSE(remote.empty()) << stream.name;
    EXPECT_EQ(local.size(), remote.size()) << stream.name;
    EXPECT_EQ(Hash(local), Hash(remote)) << stream.name;
    for (const auto& [id, raw] : remote) {
      auto it = local.find(id);
      ASSERT_NE(it, local.end()) << stream.name << " misses " << id;
      EXPECT_EQ(it->second, raw) << stream.name << " " << id;
    }
  }

  // The emulator's options; a fixture may set them in its constructor (SetUp starts it).
  emulator::EmulatorOptions emulator_options_;
  test_util::TempDir dir_;
  FakeClock clock_{kFakeNow};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<stripe::Client> client_;
  std::unique_ptr<SecretBox> box_;
  std::unique_ptr<integrations::ConnectionChecker> checker_;
  std::unique_ptr<integrations::IntegrationService> integrations_;
  std::unique_ptr<stripe::RateLimiterRegistry> limiters_;
  std::unique_ptr<SyncEngine> engine_;
  int integration_count_ = 0;
};

}  // namespace stripeline::sync::testing
