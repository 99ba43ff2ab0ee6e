// Verification as a background job, over real processes (issue 13, High 2): `POST
// .../sync/verify` starts one per integration (202; 409 with the running one's id while it
// runs), its result is read with GET, DELETE cancels it, a verification a crash interrupted is
// marked so when the server starts again, and while verifications run at a slow Stripe the
// server still answers /healthz. `stripeline verify` still compares in the foreground.
// Every wait is a bounded poll on a condition.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;

constexpr int kConcurrentStarts = 40;

std::string VerifyPath(const std::string& id) {
  return "/api/v1/integrations/" + id + "/sync/verify";
}

// A stack whose emulator answers every /v1 request after `latency_ms`.
StackOptions SlowStripe(int latency_ms) {
  return {.emulator_args = {"--objects", "120", "--latency-ms", std::to_string(latency_ms)},
          .serve_args = {"--rate-limit-test", "2000", "--sync-interval", "0"}};
}

std::string AddIntegration(HttpClient& api, const std::string& name) {
  auto added = api.Post("/api/v1/integrations", object{{"name", name}, {"secret_key", kSecretKey}});
  EXPECT_EQ(added.status, 201) << added.body;
  return added.status == 201 ? Str(added.json.at("integration").at("id")) : "";
}

// A member's API token (members may verify).
std::string MemberToken(Stack& stack) {
  auto added = RunCli(stack.CliArgs({"users", "add", "--email", "member@example.com", "--role",
                                     "member"}),
                      "a-long-password\n");
  EXPECT_EQ(added.exit_code, 0) << added.err;
  auto token = RunCli(stack.CliArgs({"tokens", "create", "--user", "member@example.com"}));
  EXPECT_EQ(token.exit_code, 0) << token.err;
  return token.out.substr(0, token.out.find('\n'));
}

// `count` POSTs to `paths[i % paths.size()]`, each from its own connection, released together.
std::vector<HttpResult> PostAtOnce(const std::string& server_url, const std::string& token,
                                   const std::vector<std::string>& paths, int count) {
  std::vector<HttpResult> results(count);
  std::mutex mu;
  std::condition_variable cv;
  int ready = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(server_url);
      client.set_token(token);
      {
        std::unique_lock lock(mu);
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return ready == count; });
      }
      results[i] = client.Post(paths[i % paths.size()]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  return results;
}

bool Active(const value& verification) {
  return verification.at("state") == "queued" || verification.at("state") == "running";
}

TEST(VerifyApi, FortyConcurrentStartsMakeOneVerificationWhoseResultIsEqual) {
  Stack stack(SlowStripe(200));
  const std::string id = AddIntegration(stack.api(), "Verified");
  ASSERT_FALSE(id.empty());
  value run = SyncViaApi(stack.api(), id);
  ASSERT_EQ(run.at("status"), "succeeded") << boost::json::serialize(run);
  const std::string member = MemberToken(stack);

  std::vector<HttpResult> answers =
      PostAtOnce(stack.server_url(), member, {VerifyPath(id)}, kConcurrentStarts);
  std::vector<const HttpResult*> accepted, conflicts;
  for (const HttpResult& answer : answers) {
    if (answer.status == 202) accepted.push_back(&answer);
    if (answer.status == 409) conflicts.push_back(&answer);
  }
  ASSERT_EQ(accepted.size(), 1u) << "exactly one verification starts";
  ASSERT_EQ(conflicts.size(), static_cast<size_t>(kConcurrentStarts - 1));
  const value& started = accepted.front()->json;
  const std::string verification = Str(started.at("id"));
  EXPECT_TRUE(Active(started)) << accepted.front()->body;
  EXPECT_TRUE(started.at("started_at").is_int64());
  for (const HttpResult* conflict : conflicts) {
    EXPECT_EQ(conflict->json.at("error").at("code"), "verify_running") << conflict->body;
    EXPECT_EQ(conflict->json.at("error").at("verification_id"), value(verification));
  }

  value done = WaitForVerification(stack.api(), id);
  EXPECT_EQ(done.at("id"), value(verification));
  EXPECT_EQ(done.at("state"), "succeeded") << boost::json::serialize(done);
  EXPECT_EQ(done.at("equal"), true);
  EXPECT_TRUE(done.at("finished_at").is_int64());
  EXPECT_EQ(done.at("streams").as_array().size(), kListStreams.size() + 1);  // + account
  for (const auto& s : done.at("streams").as_array()) {
    EXPECT_EQ(s.at("result"), "equal") << boost::json::serialize(s);
  }

  // The result is kept: a restarted server still shows it.
  stack.RestartServer(/*crash=*/false);
  auto kept = stack.api().Get(VerifyPath(id));
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json.at("id"), value(verification));
  EXPECT_EQ(kept.json.at("equal"), true);

  // The CLI still compares in the foreground, with its table and exit status.
  CommandResult cli = RunCli(stack.CliArgs({"verify", "--integration", id}));
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("Every readable stream is equal"), std::string::npos) << cli.out;
}

TEST(VerifyApi, HealthzAnswersWhileVerificationsOfSeveralIntegrationsRunAndCancelEndsThem) {
  // 1 s a request, 15 streams: each verification lists for well over the client's timeout.
  Stack stack(SlowStripe(1000));
  std::vector<std::string> ids, paths;
  for (const char* name : {"First", "Second", "Third", "Fourth"}) {
    ids.push_back(AddIntegration(stack.api(), name));
    ASSERT_FALSE(ids.back().empty());
    paths.push_back(VerifyPath(ids.back()));
  }
  const std::string member = MemberToken(stack);

  std::vector<HttpResult> answers =
      PostAtOnce(stack.server_url(), member, paths, kConcurrentStarts);
  int accepted = 0;
  for (const HttpResult& answer : answers) {
    EXPECT_TRUE(answer.status == 202 || answer.status == 409) << answer.body;
    if (answer.status == 202) ++accepted;
  }
  EXPECT_EQ(accepted, static_cast<int>(ids.size())) << "one per integration";

  // The verifications list Stripe meanwhile; the server answers at once all the same (an
  // answer that waited for them would outlast the client's timeout and fail here).
  HttpClient probe(stack.server_url());
  auto health = probe.Get("/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  auto ready = probe.Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  for (const std::string& id : ids) {
    auto read = stack.api().Get(VerifyPath(id));
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_TRUE(Active(read.json)) << "still verifying: " << read.body;
  }

  // DELETE cancels each; they end canceled before their next request to Stripe.
  HttpClient member_client(stack.server_url());
  member_client.set_token(member);
  for (const std::string& id : ids) {
    auto canceled = member_client.Delete(VerifyPath(id));
    EXPECT_EQ(canceled.status, 202) << canceled.body;
  }
  for (const std::string& id : ids) {
    value ended = WaitForVerification(stack.api(), id, 30);
    EXPECT_EQ(ended.at("state"), "canceled") << boost::json::serialize(ended);
    EXPECT_EQ(ended.at("error"), "canceled on request");
    EXPECT_EQ(ended.at("equal"), nullptr);
  }
  auto idle = member_client.Delete(VerifyPath(ids.front()));
  EXPECT_EQ(idle.status, 409) << idle.body;
  EXPECT_EQ(idle.json.at("error").at("code"), "verify_not_running");
}

TEST(VerifyApi, AVerificationACrashInterruptedIsMarkedSoAtTheNextStart) {
  Stack stack(SlowStripe(1000));
  const std::string id = AddIntegration(stack.api(), "Crashed");
  ASSERT_FALSE(id.empty());
  auto started = stack.api().Post(VerifyPath(id));
  ASSERT_EQ(started.status, 202) << started.body;

  stack.RestartServer(/*crash=*/true);
  auto read = stack.api().Get(VerifyPath(id));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json.at("id"), started.json.at("id"));
  EXPECT_EQ(read.json.at("state"), "failed") << read.body;
  EXPECT_NE(Str(read.json.at("error")).find("interrupted"), std::string::npos) << read.body;

  // Nothing holds the integration's place any more.
  auto again = stack.api().Post(VerifyPath(id));
  EXPECT_EQ(again.status, 202) << again.body;
}

}  // namespace
}  // namespace stripeline::testing
