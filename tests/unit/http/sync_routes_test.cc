// The sync routes in process: role answers, the status and history shapes, the integration
// view's last_sync, and the errors. Stripe is unreachable here, so a started run fails; the
// real syncs are in tests/integration/sync_test.cc.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/api.h"
#include "sync/sync_state.h"
#include "unit/http/api_test_services.h"
#include "unit/http/http_test_util.h"
#include "unit/integrations/integrations_test_util.h"

namespace stripeline::http {
namespace {

using test_util::ErrorCodeOf;
using test_util::JsonOf;
using test_util::MakeRequest;

// Stripe cannot be reached: every request fails as a refused connection would.
class UnreachableStripe final : public stripe::Transport {
 public:
  Result<stripe::TransportResponse> Send(const stripe::TransportRequest&) override {
    return Status::Unavailable("connection refused (test)", "stripe_unreachable");
  }
};

class SyncRoutesTest : public test_util::IntegrationsTest {
 protected:
  void SetUp() override {
    IntegrationsTest::SetUp();
    services_ = std::make_unique<test_util::ApiTestServices>(
        *db_, *store_, box_, *users_, *integrations_, *clients_, stripe_, limiters_, clock_);
    api_ = std::make_unique<Api>(services_->Services());
    id_ = AddIntegration().integration.id;
  }
  void TearDown() override { services_->engine.Stop(); }

  Fields TokenOf(const std::string& email, store::Role role) {
    store::User user = AddUser(email, role);
    auto issued = users_->CreateToken(ActorOf(user), email, "tests");
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return {{"Authorization", "Bearer " + (issued.ok() ? issued->token : "")}};
  }
  HttpResponse Call(const std::string& method, const std::string& target, const Fields& who) {
    return api_->Handle(MakeRequest(method, target, who));
  }

  // Retries back off on the fake clock, so they take no time.
  stripe::Client stripe_{{}, std::make_shared<UnreachableStripe>(), clock_};
  stripe::RateLimiterRegistry limiters_{{}, clock_};
  std::unique_ptr<test_util::ApiTestServices> services_;
  std::unique_ptr<Api> api_;
  std::string id_;
};

TEST_F(SyncRoutesTest, ViewersReadTheStateButCannotStartOrVerify) {
  Fields viewer = TokenOf("viewer@example.com", store::Role::kViewer);
  HttpResponse start = Call("POST", "/api/v1/integrations/" + id_ + "/sync", viewer);
  EXPECT_EQ(start.status, 403);
  EXPECT_EQ(ErrorCodeOf(start), "forbidden");
  EXPECT_EQ(Call("POST", "/api/v1/integrations/" + id_ + "/sync/verify", viewer).status, 403);

  HttpResponse status = Call("GET", "/api/v1/integrations/" + id_ + "/sync", viewer);
  ASSERT_EQ(status.status, 200) << status.body;
  boost::json::value json = JsonOf(status);
  EXPECT_EQ(json.at("running"), false);
  EXPECT_EQ(json.at("current_run"), nullptr);
  EXPECT_EQ(json.at("last_run"), nullptr);
  EXPECT_EQ(json.at("streams").as_array().size(), sync::Streams().size());
  EXPECT_EQ(json.at("streams").at(0).at("state"), "pending");
}

TEST_F(SyncRoutesTest, MembersStartARunThatShowsInHistoryAndInTheIntegration) {
  Fields member = TokenOf("member@example.com", store::Role::kMember);
  HttpResponse start = Call("POST", "/api/v1/integrations/" + id_ + "/sync", member);
  ASSERT_EQ(start.status, 202) << start.body;
  EXPECT_EQ(JsonOf(start).at("message"), "Sync started");
  std::string run_id(JsonOf(start).at("run_id").as_string());
  services_->engine.WaitForBackgroundRuns();

  HttpResponse runs = Call("GET", "/api/v1/integrations/" + id_ + "/sync/runs?limit=5", member);
  ASSERT_EQ(runs.status, 200) << runs.body;
  const boost::json::value history = JsonOf(runs);
  const auto& first = history.at("data").at(0);
  EXPECT_EQ(first.at("id"), run_id.c_str());
  EXPECT_EQ(first.at("status"), "failed") << "Stripe is unreachable: never reported as success";
  EXPECT_NE(first.at("error").as_string(), "");

  const boost::json::value shown = JsonOf(Call("GET", "/api/v1/integrations/" + id_, member));
  const auto& last_sync = shown.at("integration").at("last_sync");
  EXPECT_EQ(last_sync.at("run_id"), run_id.c_str());
  EXPECT_EQ(last_sync.at("status"), "failed");
  EXPECT_TRUE(last_sync.at("finished_at").is_int64());
  HttpResponse listed = Call("GET", "/api/v1/integrations", member);
  EXPECT_EQ(JsonOf(listed).at("data").at(0).at("last_sync").at("status"), "failed");
}

TEST_F(SyncRoutesTest, AVerificationStartsWith202AndItsResultIsReadLater) {
  Fields member = TokenOf("member@example.com", store::Role::kMember);
  Fields viewer = TokenOf("viewer@example.com", store::Role::kViewer);
  const std::string path = "/api/v1/integrations/" + id_ + "/sync/verify";
  HttpResponse none = Call("GET", path, viewer);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(ErrorCodeOf(none), "verification_not_found");
  HttpResponse idle = Call("DELETE", path, member);
  EXPECT_EQ(idle.status, 409);
  EXPECT_EQ(ErrorCodeOf(idle), "verify_not_running");
  EXPECT_EQ(Call("DELETE", path, viewer).status, 403);

  HttpResponse start = Call("POST", path, member);
  ASSERT_EQ(start.status, 202) << start.body;
  const boost::json::value started = JsonOf(start);
  EXPECT_EQ(started.at("state"), "queued");
  EXPECT_EQ(started.at("integration_id"), id_.c_str());
  EXPECT_TRUE(started.at("started_at").is_int64());
  EXPECT_EQ(started.at("finished_at"), nullptr);
  EXPECT_EQ(started.at("equal"), nullptr);
  services_->engine.WaitForVerifications();

  HttpResponse read = Call("GET", path, viewer);
  ASSERT_EQ(read.status, 200) << read.body;
  const boost::json::value done = JsonOf(read);
  EXPECT_EQ(done.at("id"), started.at("id"));
  EXPECT_EQ(done.at("state"), "succeeded") << read.body;
  EXPECT_TRUE(done.at("finished_at").is_int64());
  const auto& streams = done.at("streams").as_array();
  ASSERT_EQ(streams.size(), sync::Streams().size());
  // Stripe is unreachable here: every stream is unreadable, with the reason.
  EXPECT_EQ(streams.at(0).at("result"), "unreadable");
  EXPECT_NE(streams.at(0).at("error").as_string(), "");
}

TEST_F(SyncRoutesTest, InactiveIntegrationsAnswer409AndBadLimits422) {
  Fields admin = TokenOf("admin2@example.com", store::Role::kAdmin);
  ASSERT_EQ(Call("POST", "/api/v1/integrations/" + id_ + "/deactivate", admin).status, 200);
  HttpResponse start = Call("POST", "/api/v1/integrations/" + id_ + "/sync", admin);
  EXPECT_EQ(start.status, 409);
  EXPECT_EQ(ErrorCodeOf(start), "integration_inactive");
  EXPECT_NE(JsonOf(start).at("error").at("message").as_string().find("inactive"),
            std::string::npos);

  for (const char* limit : {"0", "201", "ten", "5x"}) {
    HttpResponse runs = Call(
        "GET", "/api/v1/integrations/" + id_ + "/sync/runs?limit=" + std::string(limit), admin);
    EXPECT_EQ(runs.status, 422) << limit;
    EXPECT_EQ(ErrorCodeOf(runs), "invalid_field") << limit;
  }
  EXPECT_EQ(Call("GET", "/api/v1/integrations/int_nope/sync", admin).status, 404);
}

}  // namespace
}  // namespace stripeline::http
