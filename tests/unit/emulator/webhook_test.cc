// Webhook delivery to a real local receiver (HttpServer on loopback): signatures, retries,
// filters and the deliveries log. Waits on conditions with deadlines, never fixed sleeps.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/http_server.h"
#include "common/secrets.h"
#include "emulator/emulator.h"
#include "stripe/webhook_signature.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

namespace json = boost::json;
using testing::Reply;

// Records what it receives; answers `failures` 500s before answering 200.
class Receiver {
 public:
  explicit Receiver(int failures = 0) : failures_(failures) {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{.listen = "127.0.0.1:0", .worker_threads = 2},
        [this](const HttpRequest& request) {
          std::lock_guard lock(mu_);
          requests_.push_back(request);
          cv_.notify_all();
          return HttpResponse::Text(failures_-- > 0 ? 500 : 200, "ok");
        });
    EXPECT_TRUE(server_->Start().ok());
  }
  ~Receiver() { server_->Stop(); }
  std::string url() const { return server_->base_url() + "/hooks/stripe"; }
  // The first `n` requests, waiting up to 10 s for them.
  std::vector<HttpRequest> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return requests_.size() >= n; });
    return requests_;
  }

 private:
  int failures_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<HttpRequest> requests_;
  std::unique_ptr<HttpServer> server_;
};

class WebhookTest : public testing::FakeClockTest {
 protected:
  EmulatorOptions Options() override {
    EmulatorOptions options = FakeClockTest::Options();
    options.webhooks.max_attempts = 3;
    options.webhooks.initial_backoff = std::chrono::milliseconds(20);
    options.webhooks.max_backoff = std::chrono::milliseconds(40);
    options.webhooks.timeout = std::chrono::milliseconds(2000);
    return options;
  }
  std::pair<std::string, std::string> Register(const std::string& url, const std::string& extra = "") {
    Reply reply = Admin("POST", "/_emulator/webhook_endpoints", "url=" + PercentEncode(url) + extra);
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    return {std::string(reply.object().at("id").as_string()),
            std::string(reply.object().at("secret").as_string())};
  }
  // Polls the deliveries log until `n` attempts are recorded (deadline 10 s).
  json::array WaitForAttempts(const std::string& endpoint, size_t n) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    json::array attempts;
    while (std::chrono::steady_clock::now() < deadline) {
      Reply reply = Admin("GET", "/_emulator/webhook_endpoints/" + endpoint + "/deliveries");
      attempts = reply.object().at("data").as_array();
      if (attempts.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return attempts;
  }
};

TEST_F(WebhookTest, DeliversSignedEvents) {
  Receiver receiver;
  auto [id, secret] = Register(receiver.url());
  EXPECT_TRUE(id.starts_with("we_"));
  EXPECT_TRUE(secret.starts_with("whsec_"));
  ASSERT_EQ(Admin("POST", "/_emulator/objects/customers", "name=Hooked").status, 200);

  std::vector<HttpRequest> received = receiver.WaitFor(1);
  ASSERT_EQ(received.size(), 1u);
  const HttpRequest& request = received[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/hooks/stripe");
  EXPECT_TRUE(request.Header("content-type").value_or("").starts_with("application/json"));
  std::string header = request.Header("stripe-signature").value_or("");
  size_t comma = header.find(",v1=");
  ASSERT_TRUE(header.starts_with("t=") && comma != std::string::npos) << header;
  std::string t = header.substr(2, comma - 2);
  EXPECT_EQ(t, std::to_string(testing::kFakeNow));
  EXPECT_EQ(header.substr(comma + 4), HmacSha256Hex(secret, t + "." + request.body));

  json::value event = json::parse(request.body);
  EXPECT_EQ(event.at("type"), "customer.created");
  EXPECT_EQ(event.at("data").at("object").at("name"), "Hooked");
  EXPECT_EQ(event.at("pending_webhooks"), 1);
  Reply stored = Get("/v1/events/" + std::string(event.at("id").as_string()));
  EXPECT_EQ(stored.body, event);

  json::array attempts = WaitForAttempts(id, 1);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].at("event"), event.at("id"));
  EXPECT_EQ(attempts[0].at("status"), 200);
  EXPECT_TRUE(attempts[0].at("delivered").as_bool());
}

TEST_F(WebhookTest, SignsWithTheSecretGivenAtRegistration) {
  Receiver receiver;
  const std::string given = "whsec_given_by_the_receiver_0123456789";
  auto [id, secret] = Register(receiver.url(), "&secret=" + given);
  EXPECT_EQ(secret, given);
  ASSERT_EQ(Admin("POST", "/_emulator/objects/customers", "name=Hooked").status, 200);
  std::vector<HttpRequest> received = receiver.WaitFor(1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(stripe::VerifyWebhookSignature(received[0].body,
                                             received[0].Header("stripe-signature"), {given},
                                             testing::kFakeNow)
                  .ok());

  Reply refused = Admin("POST", "/_emulator/webhook_endpoints",
                        "url=" + PercentEncode(receiver.url()) + "&secret=sk_test_not_a_secret");
  EXPECT_EQ(refused.status, 400);
}

TEST_F(WebhookTest, RetriesFailuresWithBackoff) {
  Receiver receiver(/*failures=*/2);
  auto [id, secret] = Register(receiver.url());
  ASSERT_EQ(Admin("POST", "/_emulator/objects/products", "name=Retry").status, 200);
  std::vector<HttpRequest> received = receiver.WaitFor(3);
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[0].body, received[2].body);  // the same event each time
  json::array attempts = WaitForAttempts(id, 3);
  ASSERT_EQ(attempts.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(attempts[i].at("attempt"), i + 1);
    EXPECT_EQ(attempts[i].at("status"), i < 2 ? 500 : 200);
    EXPECT_EQ(attempts[i].at("delivered").as_bool(), i == 2);
  }
}

TEST_F(WebhookTest, GivesUpAfterMaxAttemptsOnConnectionFailure) {
  // A port that was just free: connections are refused.
  std::string url;
  {
    Receiver gone;
    url = gone.url();
  }
  auto [id, secret] = Register(url);
  ASSERT_EQ(Admin("POST", "/_emulator/objects/coupons", "name=Lost").status, 200);
  json::array attempts = WaitForAttempts(id, 3);
  ASSERT_EQ(attempts.size(), 3u);
  for (const auto& attempt : attempts) {
    EXPECT_TRUE(attempt.at("status").is_null());
    EXPECT_TRUE(attempt.at("error").is_string());
    EXPECT_FALSE(attempt.at("delivered").as_bool());
  }
}

TEST_F(WebhookTest, EndpointsReceiveOnlyTheirAccountModeAndEvents) {
  Receiver charges_only, live, everything;
  auto [charges_id, s1] = Register(charges_only.url(), "&enabled_events[]=charge.*");
  auto [live_id, s2] = Register(live.url(), "&livemode=true");
  auto [all_id, s3] = Register(everything.url());
  Admin("POST", "/_emulator/objects/customers", "name=A");
  Admin("POST", "/_emulator/objects/charges", "amount=500");
  ASSERT_EQ(everything.WaitFor(2).size(), 2u);
  std::vector<HttpRequest> got = charges_only.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(json::parse(got[0].body).at("type"), "charge.created");
  EXPECT_EQ(json::parse(got[0].body).at("pending_webhooks"), 2);

  Reply removed = Admin("DELETE", "/_emulator/webhook_endpoints/" + all_id);
  EXPECT_EQ(removed.status, 200);
  EXPECT_EQ(Admin("GET", "/_emulator/webhook_endpoints/" + all_id + "/deliveries").status, 404);
  EXPECT_EQ(Admin("DELETE", "/_emulator/webhook_endpoints/" + all_id).status, 404);
  EXPECT_EQ(Admin("POST", "/_emulator/webhook_endpoints", "url=ftp://x").status, 400);

  // The live endpoint sees a live-mode mutation and nothing before it.
  Admin("POST", "/_emulator/objects/customers", "livemode=true&name=L");
  got = live.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(json::parse(got[0].body).at("livemode").as_bool());
  EXPECT_EQ(WaitForAttempts(live_id, 1).size(), 1u);
}

}  // namespace
}  // namespace stripeline::emulator
