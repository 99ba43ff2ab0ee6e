// A webhook backlog over real processes: API reads answer, and answer right, while thousands of
// signed events drain; ties the events order cost no request to Stripe; SIGTERM stops the
// server while the backlog waits on an unreachable Stripe, and the next start applies what
// was left pending.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <thread>

#include "integration/harness.h"
#include "store/sqlite/sqlite_database.h"
#include "stripe/webhook_signature.h"

namespace stripeline::testing {
namespace {

using boost::json::object;

constexpr char kWebhookSecret[] = "whsec_backlog_test_0123456789abcdefgh";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The first http://... word of `line`.
std::string UrlIn(const std::string& line) {
  const size_t at = line.find("http://");
  if (at == std::string::npos) return "";
  return line.substr(at, line.find_first_of(" \t", at) - at);
}

// An event of customer `customer` at `created`: its name `name`, and, for an update, the name
// it replaced (previous_attributes).
std::string CustomerEvent(const std::string& event_id, const std::string& type,
                          const std::string& customer, int64_t created, const std::string& name,
                          const std::string& previous_name = "") {
  object data{{"object", object{{"id", customer},
                                {"object", "customer"},
                                {"name", name},
                                {"created", created - 1000},
                                {"livemode", false}}}};
  if (!previous_name.empty()) data["previous_attributes"] = object{{"name", previous_name}};
  return boost::json::serialize(object{{"id", event_id},
                                       {"object", "event"},
                                       {"type", type},
                                       {"created", created},
                                       {"livemode", false},
                                       {"data", data}});
}

class WebhookBacklog : public ::testing::Test {
 protected:
  WebhookBacklog() : stack_(StackOptions{.serve_args = {"--sync-interval", "0"}}) {}

  std::string AddIntegrationWithSecret() {
    auto added = stack_.api().Post("/api/v1/integrations", object{{"type", "stripe"},
                                                                  {"name", "Backlog"},
                                                                  {"auth_scheme", "api_key"},
                                                                  {"secret_key", kSecretKey}});
    EXPECT_EQ(added.status, 201) << added.body;
    std::string id(added.json.at("integration").at("id").as_string());
    auto secret = stack_.api().Post("/api/v1/integrations/" + id + "/webhook-secret",
                                    object{{"secret", kWebhookSecret}});
    EXPECT_EQ(secret.status, 200) << secret.body;
    return id;
  }

  static int Deliver(const std::string& server_url, const std::string& id,
                     const std::string& payload) {
    HttpClient client(server_url);
    return client
        .Send("POST", "/webhooks/stripe/" + id, payload,
              {{"Content-Type", "application/json"},
               {"Stripe-Signature",
                stripe::WebhookSignatureHeader(kWebhookSecret, Now(), payload)}})
        .status;
  }

  // Posts `payloads` from 4 threads, each taking `group` consecutive payloads at a time and
  // posting them in order (a sender's events of one object arrive as it sent them); the number
  // acknowledged with 200.
  static int DeliverAll(const std::string& server_url, const std::string& id,
                        const std::vector<std::string>& payloads, size_t group = 1) {
    std::atomic<size_t> next{0};
    std::atomic<int> acknowledged{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < 4; ++t) {
      senders.emplace_back([&] {
        for (size_t first = (next++) * group; first < payloads.size(); first = (next++) * group) {
          for (size_t i = first; i < std::min(payloads.size(), first + group); ++i) {
            if (Deliver(server_url, id, payloads[i]) == 200) ++acknowledged;
          }
        }
      });
    }
    for (std::thread& sender : senders) sender.join();
    return acknowledged.load();
  }

  int64_t Query(const std::string& sql, const std::vector<store::Value>& params = {}) {
    auto db = store::sqlite::SqliteDatabase::Open((stack_.data_dir() / "stripeline.db").string());
    if (!db.ok()) return -1;
    auto rows = (*db)->Query(sql, params);
    return rows.ok() && !rows->empty() ? (*rows)[0].GetInt(0) : -1;
  }

  int64_t EmulatorRequests() {
    auto count = stack_.emulator().Get("/_emulator/requests/count");
    EXPECT_EQ(count.status, 200) << count.body;
    return count.json.at("count").as_int64();
  }

  Stack stack_;
};

TEST_F(WebhookBacklog, ApiReadsAnswerRightWhileABacklogDrainsAndOrderedTiesAskStripeNothing) {
  const std::string id = AddIntegrationWithSecret();
  // 300 customers, each created and renamed four times within one second, each customer's
  // events delivered newest first by one sender (senders interleave customers); their event
  // ids sort against the order of the changes, so every tie is met out of order and is decided
  // by the events' own lifecycle and previous_attributes. (Were a link of a customer's chain
  // still on its way, the tie would rightly need Stripe.)
  const int64_t second = Now() - 30;
  constexpr int kCustomers = 300;
  constexpr int kRenames = 4;
  std::vector<std::string> payloads;
  for (int c = 0; c < kCustomers; ++c) {
    const std::string customer = "cus_backlog_" + std::to_string(c);
    for (int step = kRenames; step >= 0; --step) {
      const std::string event_id = "evt_" + std::to_string(c) + "_" + std::to_string(9 - step);
      payloads.push_back(
          step == 0 ? CustomerEvent(event_id, "customer.created", customer, second, "name 0")
                    : CustomerEvent(event_id, "customer.updated", customer, second,
                                    "name " + std::to_string(step),
                                    "name " + std::to_string(step - 1)));
    }
  }
  const int64_t requests_before = EmulatorRequests();
  const int64_t total = static_cast<int64_t>(payloads.size());

  std::atomic<bool> delivering{true};
  std::atomic<int> acknowledged{0};
  std::thread sender([&] {
    acknowledged = DeliverAll(stack_.server_url(), id, payloads, kRenames + 1);
    delivering = false;
  });
  // Reads while the backlog is delivered and drains: each answers, and answers right.
  int reads = 0;
  bool drained = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!drained && std::chrono::steady_clock::now() < deadline) {
    auto listed = stack_.api().Get("/api/v1/integrations");
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(listed.json.at("data").as_array().size(), 1u) << listed.body;
    EXPECT_EQ(listed.json.at("data").at(0).at("id").as_string(), id);
    EXPECT_EQ(listed.json.at("data").at(0).at("name"), "Backlog");
    auto webhook = stack_.api().Get("/api/v1/integrations/" + id + "/webhook");
    ASSERT_EQ(webhook.status, 200) << webhook.body;
    const auto& events = webhook.json.at("webhook").at("events");
    const int64_t received = events.at("received").as_int64();
    EXPECT_LE(received, total);
    EXPECT_EQ(events.at("applied").as_int64() + events.at("pending").as_int64() +
                  events.at("failed").as_int64(),
              received);
    EXPECT_EQ(events.at("failed").as_int64(), 0);
    ++reads;
    drained = !delivering && received == total && events.at("pending").as_int64() == 0;
    if (!drained) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  sender.join();
  ASSERT_TRUE(drained) << "the backlog did not drain within 120 s";
  EXPECT_EQ(acknowledged.load(), total);
  EXPECT_GT(reads, 1);

  // Every customer ends with its last name, and no tie needed Stripe.
  EXPECT_EQ(Query("SELECT COUNT(*) FROM stripe_customers WHERE id LIKE 'cus_backlog_%' AND "
                  "name = $1 AND deleted = 0",
                  {"name " + std::to_string(kRenames)}),
            kCustomers);
  EXPECT_EQ(EmulatorRequests(), requests_before);
}

TEST_F(WebhookBacklog, SigtermStopsTheServerWhileStripeIsUnreachableAndThePendingEventsResume) {
  const std::string id = AddIntegrationWithSecret();
  ASSERT_EQ(stack_.StopServer(), 0);

  // The same data directory, served against a Stripe that refuses connections.
  ChildProcess unreachable(
      {STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
       stack_.data_dir().string(), "--stripe-api-base", "http://127.0.0.1:9", "--sync-interval",
       "0", "--shutdown-grace", "60s", "--log-level", "debug"},
      {}, stack_.data_dir() / "unreachable.log");
  auto line = unreachable.WaitForLine("listening on");
  ASSERT_TRUE(line.has_value());
  const std::string url = UrlIn(*line);
  // Pairs of events of one customer in one second that do not say their order: each second
  // one needs Stripe, which retries for long against a refused connection.
  const int64_t second = Now() - 30;
  std::vector<std::string> payloads;
  for (int c = 0; c < 10; ++c) {
    const std::string customer = "cus_unreachable_" + std::to_string(c);
    payloads.push_back(CustomerEvent("evt_u" + std::to_string(c) + "_a", "customer.updated",
                                     customer, second, "first"));
    payloads.push_back(CustomerEvent("evt_u" + std::to_string(c) + "_b", "customer.updated",
                                     customer, second, "second"));
  }
  ASSERT_EQ(DeliverAll(url, id, payloads), static_cast<int>(payloads.size()));

  // SIGTERM while the applier waits on Stripe: the process exits, and exits 0, well before
  // its 60 s grace period (ChildProcess::Stop kills after 10 s and then answers -1).
  EXPECT_EQ(unreachable.Stop(), 0);
  const int64_t pending = Query("SELECT COUNT(*) FROM webhook_events WHERE state = 'pending'");
  EXPECT_GT(pending, 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_events WHERE state = 'failed'"), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_events WHERE state = 'pending' AND attempts > 0"),
            0);

  // The next start, with Stripe back, applies what was left.
  ChildProcess restarted({STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                          stack_.data_dir().string(), "--stripe-api-base", stack_.emulator_url(),
                          "--sync-interval", "0"},
                         {}, stack_.data_dir() / "restarted.log");
  ASSERT_TRUE(restarted.WaitForLine("listening on").has_value());
  EXPECT_TRUE(WaitUntil(
      [&] {
        return Query("SELECT COUNT(*) FROM webhook_events WHERE state = 'applied'") ==
               static_cast<int64_t>(payloads.size());
      },
      60, "the pending events to be applied after the restart"));
  EXPECT_EQ(restarted.Stop(), 0);
}

}  // namespace
}  // namespace stripeline::testing
