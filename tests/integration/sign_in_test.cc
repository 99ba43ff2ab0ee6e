// Sign-in under attack, over real processes: guessing is throttled per account (the right
// password waits too), and a flood of sign-ins is turned away instead of taking every request
// thread and gigabytes of memory for password hashes.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

using boost::json::object;

HttpResult SignIn(HttpClient& client, const std::string& email, const std::string& password) {
  return client.Post("/api/v1/auth/login", object{{"email", email}, {"password", password}});
}

TEST(SignIn, RepeatedWrongPasswordsCloseTheAccountEvenForTheRightOne) {
  Stack stack;
  HttpClient browser = stack.Anonymous();
  for (int i = 0; i < 5; ++i) {
    auto wrong = SignIn(browser, "admin@localhost", "guess-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401) << wrong.body;
  }
  auto right = SignIn(browser, "admin@localhost", Stack::kAdminPassword);
  EXPECT_EQ(right.status, 429) << right.body;
  EXPECT_EQ(right.json.at("error").at("code"), "login_throttled");
  EXPECT_FALSE(right.headers["retry-after"].empty());
  EXPECT_EQ(right.headers.count("set-cookie"), 0u);

  // The administrators can see it happened.
  auto audit = stack.api().Get("/api/v1/audit?limit=50");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("user.login_throttled"), std::string::npos) << audit.body;

  // Once the wait is over, the right password works (polling: the wait is Stripeline's clock).
  EXPECT_TRUE(WaitUntil(
      [&] { return SignIn(browser, "admin@localhost", Stack::kAdminPassword).status == 200; }, 10,
      "the right password to be accepted after the wait"));
}

TEST(SignIn, AFloodOfSignInsIsTurnedAwayAndTheServerKeepsAnswering) {
  Stack stack;
  constexpr int kThreads = 64;
  std::latch start(kThreads);
  std::mutex mu;
  std::map<int, int> statuses;
  int busy_with_retry_after = 0;
  std::vector<std::thread> flood;
  for (int t = 0; t < kThreads; ++t) {
    flood.emplace_back([&, t] {
      HttpClient client = stack.Anonymous();
      start.arrive_and_wait();
      // Different emails, so only the hashing bound (not the account throttle) can refuse.
      auto answer = SignIn(client, "guess" + std::to_string(t) + "@example.com", "wrong-password");
      std::lock_guard lock(mu);
      ++statuses[answer.status];
      if (answer.status == 503 && answer.json.is_object() &&
          answer.json.at("error").at("code") == "busy" && answer.headers["retry-after"] == "1") {
        ++busy_with_retry_after;
      }
    });
  }
  for (std::thread& t : flood) t.join();

  // At most a few hashes run or wait at once; everyone else is told to come back.
  int answered = 0;
  for (const auto& [status, count] : statuses) {
    EXPECT_TRUE(status == 401 || status == 429 || status == 503) << status;
    answered += count;
  }
  EXPECT_EQ(answered, kThreads);
  EXPECT_GE(statuses[503], kThreads / 2) << "hashes were not bounded";
  EXPECT_EQ(busy_with_retry_after, statuses[503]);
  EXPECT_LE(statuses[401], 16);

  auto health = stack.Anonymous().Get("/healthz");
  EXPECT_EQ(health.status, 200);
}

}  // namespace
}  // namespace stripeline::testing
