// Fault injection and limits: rate limits, random 500s, connection resets, latency.
#include <boost/json.hpp>
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/http_server.h"
#include "emulator/emulator.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

using testing::kLiveSecret;
using testing::kTestSecret;
using testing::Reply;

class RateLimitTest : public testing::FakeClockTest {
 protected:
  EmulatorOptions Options() override {
    EmulatorOptions options = FakeClockTest::Options();
    options.rate_limit_test = 2;
    return options;
  }
};

TEST_F(RateLimitTest, OverTheRateAnswersStripes429) {
  EXPECT_EQ(Get("/v1/customers").status, 200);
  EXPECT_EQ(Get("/v1/charges").status, 200);
  Reply limited = Get("/v1/customers");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, boost::json::parse(R"({"error":{"type":"invalid_request_error",
      "code":"rate_limit","message":"Request rate limit exceeded"}})"));
  EXPECT_TRUE(limited.raw.Header("Request-Id").has_value());
  // Per account and mode: live mode (no limit) and a connected account are not affected.
  EXPECT_EQ(Get("/v1/customers", kLiveSecret).status, 200);
  EXPECT_EQ(Get("/v1/customers", kTestSecret, {{"Stripe-Account", "acct_emu_connected_1"}}).status,
            200);
  // Tokens come back with time.
  clock_.Advance(std::chrono::milliseconds(500));
  EXPECT_EQ(Get("/v1/customers").status, 200);
  EXPECT_EQ(Get("/v1/customers").status, 429);
  EXPECT_EQ(Admin("GET", "/_emulator/stats").object().at("rate_limited"), 2);
}

EmulatorOptions FailOptions(double fail_rate) {
  EmulatorOptions options;
  options.fail_rate = fail_rate;
  options.seed = 5;
  return options;
}

TEST(Faults, FailRateIsDeterministicForASeed) {
  auto statuses = [](double rate) {
    auto emulator = Emulator::Create(FailOptions(rate));
    EXPECT_TRUE(emulator.ok());
    std::vector<int> out;
    for (int i = 0; i < 200; ++i) {
      HttpRequest request = testing::MakeRequest(
          "GET", "/v1/customers?limit=1", {{"Authorization", std::string("Bearer ") + kTestSecret}});
      out.push_back((*emulator)->Handle(request).status);
    }
    return out;
  };
  std::vector<int> first = statuses(0.3), second = statuses(0.3);
  EXPECT_EQ(first, second);
  long failures = std::count(first.begin(), first.end(), 500);
  EXPECT_GT(failures, 30);
  EXPECT_LT(failures, 90);
  EXPECT_EQ(std::count(first.begin(), first.end(), 200), 200 - failures);
  std::vector<int> always = statuses(1.0);
  EXPECT_EQ(std::count(always.begin(), always.end(), 500), 200);

  auto emulator = Emulator::Create(FailOptions(1.0));
  HttpRequest request = testing::MakeRequest(
      "GET", "/v1/customers", {{"Authorization", std::string("Bearer ") + kTestSecret}});
  Reply reply = testing::ToReply((*emulator)->Handle(request));
  EXPECT_EQ(reply.error_field("type"), "api_error");
  EXPECT_EQ(reply.error_field("message"), "An unknown error occurred");

  EmulatorOptions bad;
  bad.fail_rate = 1.5;
  EXPECT_FALSE(Emulator::Create(bad).ok());
  bad = {};
  bad.objects = -1;
  EXPECT_FALSE(Emulator::Create(bad).ok());
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// One GET over HTTP; returns the curl code and the HTTP status.
std::pair<CURLcode, long> CurlGet(const std::string& url) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  std::string auth = std::string("Authorization: Bearer ") + kTestSecret;
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  return {rc, status};
}

struct Served {
  std::unique_ptr<Emulator> emulator;
  std::unique_ptr<HttpServer> server;
};
Served Serve(const EmulatorOptions& options, int workers = 4) {
  Served served;
  served.emulator = std::move(Emulator::Create(options)).value();
  Emulator* emulator = served.emulator.get();
  served.server = std::make_unique<HttpServer>(
      HttpServerOptions{.listen = "127.0.0.1:0", .worker_threads = workers},
      [emulator](const HttpRequest& request) { return emulator->Handle(request); });
  EXPECT_TRUE(served.server->Start().ok());
  return served;
}

TEST(Faults, ResetRateDropsConnectionsWithoutAnAnswer) {
  EmulatorOptions options;
  options.reset_rate = 1.0;
  Served served = Serve(options);
  auto [rc, status] = CurlGet(served.server->base_url() + "/v1/customers");
  EXPECT_TRUE(rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR) << curl_easy_strerror(rc);
  EXPECT_EQ(status, 0);
  // Admin endpoints are never faulted.
  auto [admin_rc, admin_status] = CurlGet(served.server->base_url() + "/_emulator/stats");
  EXPECT_EQ(admin_rc, CURLE_OK);
  EXPECT_EQ(admin_status, 200);
  served.server->Stop();
}

// That concurrent requests wait out their latency side by side, not one after another, is a
// wall-clock property: bench/bench_emulator.cc measures it.
TEST(Faults, LatencyDelaysEachRequestButNotTheOthers) {
  EmulatorOptions options;
  options.latency_ms = 300;
  Served served = Serve(options, /*workers=*/32);
  std::string url = served.server->base_url() + "/v1/charges?limit=1";
  std::vector<std::thread> threads;
  std::vector<long> statuses(16);
  for (size_t i = 0; i < statuses.size(); ++i) {
    threads.emplace_back([&, i] { statuses[i] = CurlGet(url).second; });
  }
  for (std::thread& t : threads) t.join();
  for (long status : statuses) EXPECT_EQ(status, 200);
  served.server->Stop();
}

TEST(Faults, LatencyIsSleptOnTheClockForEveryApiRequestOnly) {
  FakeClock clock;
  EmulatorOptions options;
  options.latency_ms = 300;
  options.clock = &clock;
  auto emulator = Emulator::Create(options);
  ASSERT_TRUE(emulator.ok());
  auto handle = [&](const std::string& target, Fields headers) {
    return (*emulator)->Handle(testing::MakeRequest("GET", target, std::move(headers))).status;
  };
  const Fields auth = {{"Authorization", std::string("Bearer ") + kTestSecret}};
  EXPECT_EQ(handle("/v1/charges?limit=1", auth), 200);
  EXPECT_EQ(handle("/v1/nope", auth), 404);
  EXPECT_EQ(clock.Elapsed(), std::chrono::milliseconds(600));
  EXPECT_EQ(handle("/_emulator/stats", {}), 200);
  EXPECT_EQ(clock.Elapsed(), std::chrono::milliseconds(600));
}

}  // namespace
}  // namespace stripeline::emulator
