// The metrics and dashboard routes in process: input errors, who may read and change a
// dashboard, the answer's shape before any sync. The numbers themselves are tested in
// tests/unit/reports/ and, end to end over a real sync, in tests/integration/metrics_test.cc.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/api.h"
#include "reports/metrics_engine.h"
#include "stripe/curl_transport.h"
#include "unit/http/api_test_services.h"
#include "unit/http/http_test_util.h"
#include "unit/integrations/integrations_test_util.h"

namespace stripeline::http {
namespace {

using test_util::ErrorCodeOf;
using test_util::JsonOf;
using test_util::MakeRequest;

class MetricsRoutesTest : public test_util::IntegrationsTest {
 protected:
  void SetUp() override {
    IntegrationsTest::SetUp();
    services_ = std::make_unique<test_util::ApiTestServices>(
        *db_, *store_, box_, *users_, *integrations_, *clients_, stripe_, limiters_, clock_);
    api_ = std::make_unique<Api>(services_->Services());
    client_ = AddClient("Acme");
    id_ = AddIntegration("Acme US", test_util::kKeyA, client_).integration.id;
    admin_token_ = TokenOf("admin@example.com", store::Role::kAdmin);
  }
  void TearDown() override { services_->engine.Stop(); }

  // A user with `role` given the client, and their token.
  Fields TokenOf(const std::string& email, store::Role role, bool member_of_client = true) {
    store::User user = AddUser(email, role);
    if (member_of_client) EXPECT_TRUE(store_->AddClientMember(client_, user.id).ok());
    auto issued = users_->CreateToken(ActorOf(user), email, "tests");
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return {{"Authorization", "Bearer " + (issued.ok() ? issued->token : "")}};
  }
  HttpResponse Call(const std::string& method, const std::string& target, const Fields& who,
                    std::string body = {}) {
    return api_->Handle(MakeRequest(method, target, who, std::move(body)));
  }

  stripe::Client stripe_{{}, std::make_shared<stripe::CurlTransport>(), clock_};
  stripe::RateLimiterRegistry limiters_{{}, clock_};
  std::unique_ptr<test_util::ApiTestServices> services_;
  std::unique_ptr<Api> api_;
  std::string client_, id_;
  Fields admin_token_;
};

TEST_F(MetricsRoutesTest, TheCatalogListsEveryMetricWithItsTitleAndUnit) {
  HttpResponse answer = Call("GET", "/api/v1/metrics", TokenOf("viewer@example.com", store::Role::kViewer));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const boost::json::value json = JsonOf(answer);
  const boost::json::array& data = json.at("data").as_array();
  ASSERT_EQ(data.size(), reports::Metrics().size());
  EXPECT_EQ(data[0].at("name"), "gross_volume");
  EXPECT_EQ(data[0].at("title"), "Gross volume");
  EXPECT_EQ(data[0].at("unit"), "amount");
  EXPECT_EQ(data[0].at("at_instant"), false);
  EXPECT_EQ(data[0].at("streams").as_array().at(0), "charges");
  for (const boost::json::value& m : data) {
    if (m.at("name") == "subscriber_churn_rate") {
      EXPECT_EQ(m.at("unit"), "rate");
      EXPECT_EQ(m.at("at_instant"), true);
    }
    EXPECT_FALSE(m.at("title").as_string().empty()) << m;
    EXPECT_FALSE(m.at("definition").as_string().empty()) << m;
  }
  EXPECT_EQ(Call("GET", "/api/v1/metrics", {}).status, 401);
}

TEST_F(MetricsRoutesTest, BeforeAnySyncTheAnswerIsEmptyAndSaysWhy) {
  HttpResponse answer = Call("GET", "/api/v1/metrics/mrr?integration=" + id_ +
                                        "&from=2026-01-01&to=2026-01-08&interval=week&tz=Europe/Berlin",
                             admin_token_);
  ASSERT_EQ(answer.status, 200) << answer.body;
  boost::json::value json = JsonOf(answer);
  EXPECT_EQ(json.at("metric"), "mrr");
  EXPECT_EQ(json.at("from"), "2026-01-01");
  EXPECT_EQ(json.at("to"), "2026-01-08");
  EXPECT_EQ(json.at("interval"), "week");
  EXPECT_EQ(json.at("tz"), "Europe/Berlin");
  EXPECT_EQ(json.at("as_of"), nullptr);
  EXPECT_EQ(json.at("approximate"), true);
  EXPECT_NE(boost::json::serialize(json.at("approximate_reasons")).find("has not finished a sync"),
            std::string::npos);
  EXPECT_EQ(json.at("values"), boost::json::array{});
  EXPECT_EQ(json.at("options").at("discounts"), "subtract");
}

TEST_F(MetricsRoutesTest, BadInputIsAClearError) {
  const std::string base = "/api/v1/metrics/";
  HttpResponse unknown = Call("GET", base + "profit?integration=" + id_ +
                                         "&from=2026-01-01&to=2026-02-01", admin_token_);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "unknown_metric");
  EXPECT_NE(unknown.body.find("gross_volume"), std::string::npos);
  for (const std::string query :
       {"integration=" + id_ + "&to=2026-02-01",                         // no from
        "integration=" + id_ + "&client=" + client_ + "&from=2026-01-01&to=2026-02-01",
        std::string("from=2026-01-01&to=2026-02-01"),                    // neither
        "integration=" + id_ + "&from=2026-02-01&to=2026-01-01",         // reversed
        "integration=" + id_ + "&from=2026-01-01&to=2026-02-01&tz=Nowhere/Atlantis",
        "integration=" + id_ + "&from=2026-01-01&to=2026-02-01&interval=hour",
        "integration=" + id_ + "&from=2026-01-01&to=2026-02-01&discounts=maybe",
        "integration=" + id_ + "&from=2026-01-01&to=2026-02-01&churn_window_days=0"}) {
    HttpResponse bad = Call("GET", base + "gross_volume?" + query, admin_token_);
    EXPECT_EQ(bad.status, 422) << query << ": " << bad.body;
    EXPECT_EQ(ErrorCodeOf(bad), "invalid_field") << query;
  }
  EXPECT_EQ(Call("GET", base + "mrr?integration=int_nope&from=2026-01-01&to=2026-02-01",
                 admin_token_).status,
            404);
}

TEST_F(MetricsRoutesTest, ViewersReadDashboardsMembersChangeThemOthersSeeNothing) {
  Fields member = TokenOf("member@example.com", store::Role::kMember);
  Fields viewer = TokenOf("viewer@example.com", store::Role::kViewer);
  Fields stranger = TokenOf("stranger@example.com", store::Role::kMember, false);
  const std::string path = "/api/v1/clients/" + client_ + "/dashboard";
  const std::string body =
      R"({"widgets":[{"metric":"mrr","kind":"number","title":"MRR"},)"
      R"({"metric":"gross_volume","kind":"chart","integration":")" + id_ + R"("}]})";

  HttpResponse saved = Call("PUT", path, member, body);
  ASSERT_EQ(saved.status, 200) << saved.body;
  boost::json::value json = JsonOf(saved);
  ASSERT_EQ(json.at("widgets").as_array().size(), 2u);
  EXPECT_EQ(json.at("widgets").at(0).at("id").as_string().starts_with("wgt_"), true);
  EXPECT_EQ(json.at("widgets").at(1).at("integration"), id_.c_str());

  EXPECT_EQ(Call("PUT", path, viewer, body).status, 403);
  HttpResponse read = Call("GET", path, viewer);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(JsonOf(read).at("widgets"), json.at("widgets"));
  EXPECT_EQ(Call("GET", path, stranger).status, 404);
  EXPECT_EQ(Call("PUT", path, stranger, body).status, 404);

  // An integration of no client, or another client's, is refused, and nothing changes.
  const std::string other = AddIntegration("Elsewhere", test_util::kKeyA).integration.id;
  HttpResponse refused = Call(
      "PUT", path, member,
      R"({"widgets":[{"metric":"mrr","kind":"number","integration":")" + other + R"("}]})");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(Call("PUT", path, member, R"({"widgets":[{"metric":"mrr","kind":"pie"}]})").status,
            422);
  EXPECT_EQ(Call("PUT", path, member, R"({"widgets":[{"metric":"mrr","colour":"red"}]})").status,
            422);
  EXPECT_EQ(Call("PUT", path, member, R"({"widgets":{}})").status, 422);
  EXPECT_EQ(JsonOf(Call("GET", path, member)).at("widgets"), json.at("widgets"));

  HttpResponse csv = Call("GET", path + "/export?from=2026-01-01&to=2026-01-03", viewer);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body, "widget_id,title,metric,integration_id,currency,period,value\r\n");
  EXPECT_EQ(Call("GET", path + "/export?from=2026-01-01", viewer).status, 422);
}

TEST_F(MetricsRoutesTest, WidgetsGoWithTheirIntegrationWhenItIsDeletedOrMovesToAnotherClient) {
  const std::string moved = AddIntegration("Acme EU", test_util::kKeyA, client_).integration.id;
  const std::string path = "/api/v1/clients/" + client_ + "/dashboard";
  HttpResponse saved = Call("PUT", path, admin_token_,
                            R"({"widgets":[{"metric":"mrr","kind":"number"},)"
                            R"({"metric":"fees","kind":"table","integration":")" + id_ + R"("},)"
                            R"({"metric":"refunds","kind":"number","integration":")" + moved + R"("}]})");
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto metrics = [&] {
    std::vector<std::string> out;
    const boost::json::value dashboard = JsonOf(Call("GET", path, admin_token_));
    for (const auto& w : dashboard.at("widgets").as_array()) {
      out.emplace_back(w.at("metric").as_string());
    }
    return out;
  };

  ASSERT_EQ(Call("DELETE", "/api/v1/integrations/" + id_, admin_token_).status, 200);
  EXPECT_EQ(metrics(), (std::vector<std::string>{"mrr", "refunds"}));

  const std::string other = AddClient("Globex");
  HttpResponse patched = Call("PATCH", "/api/v1/integrations/" + moved, admin_token_,
                              R"({"client_id":")" + other + R"("})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(metrics(), (std::vector<std::string>{"mrr"}));
  // The dashboard that is left can be changed again.
  EXPECT_EQ(Call("PUT", path, admin_token_, R"({"widgets":[{"metric":"arr","kind":"number"}]})").status,
            200);
}

}  // namespace
}  // namespace stripeline::http
