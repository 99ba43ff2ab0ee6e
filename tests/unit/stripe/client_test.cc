#include "stripe/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "fake_transport.h"

namespace stripeline::stripe {
namespace {

using std::chrono::milliseconds;
using testing::FakeTransport;
using testing::HeaderValue;
using testing::Respond;
using testing::UrlPath;
using testing::UrlQuery;

constexpr char kKey[] = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";

class ClientTest : public ::testing::Test {
 protected:
  ClientTest() : transport_(std::make_shared<FakeTransport>()) {
    options_.api_base = "http://127.0.0.1:12111";
    opts_.api_key = kKey;
  }
  Client MakeClient() {
    return Client(options_, transport_, clock_, [] { return 1.0; });
  }

  ClientOptions options_;
  RequestOptions opts_;
  std::shared_ptr<FakeTransport> transport_;
  FakeClock clock_;
};

TEST_F(ClientTest, SendsAuthVersionAndUserAgent) {
  transport_->Push(Respond(200, R"({"object":"list","data":[],"has_more":false})"));
  Client client = MakeClient();
  auto result = client.Request("GET", "/v1/charges", {}, opts_);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(transport_->request_count(), 1u);
  TransportRequest sent = transport_->requests()[0];
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "http://127.0.0.1:12111/v1/charges");
  EXPECT_EQ(HeaderValue(sent, "Authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(HeaderValue(sent, "Stripe-Version"), "2025-03-31.basil");
  EXPECT_EQ(HeaderValue(sent, "User-Agent"), "Stripeline/0.1");
  EXPECT_EQ(HeaderValue(sent, "Stripe-Account"), "<absent>");
  EXPECT_EQ(HeaderValue(sent, "Idempotency-Key"), "<absent>");
  EXPECT_EQ(sent.body, "");
  EXPECT_EQ(sent.timeout, milliseconds(30000));
  EXPECT_EQ(result.value().request_id, "req_test");
  EXPECT_EQ(result.value().status, 200);
  EXPECT_TRUE(result.value().body.is_object());
}

TEST_F(ClientTest, SendsStripeAccountAndGivenIdempotencyKey) {
  transport_->Push(Respond(200, "{}"));
  opts_.stripe_account = "acct_1Connected";
  opts_.idempotency_key = "my-key-1";
  options_.stripe_version = "2024-06-20";
  options_.timeout = milliseconds(1234);
  Client client = MakeClient();
  ASSERT_TRUE(client.Request("POST", "/v1/customers", {{"email", "a@b.c"}}, opts_).ok());
  TransportRequest sent = transport_->requests()[0];
  EXPECT_EQ(HeaderValue(sent, "Stripe-Account"), "acct_1Connected");
  EXPECT_EQ(HeaderValue(sent, "Idempotency-Key"), "my-key-1");
  EXPECT_EQ(HeaderValue(sent, "Stripe-Version"), "2024-06-20");
  EXPECT_EQ(sent.timeout, milliseconds(1234));
}

TEST_F(ClientTest, GetPutsEncodedParamsInQuery) {
  transport_->Push(Respond(200, "{}"));
  Client client = MakeClient();
  Params params = {{"limit", "100"},
                   {"created[gte]", "1700000000"},
                   {"expand[]", "data.customer"},
                   {"email", "a+b@x.com"},
                   {"metadata[note]", "a b&c=d/é?"}};
  ASSERT_TRUE(client.Request("GET", "/v1/charges", params, opts_).ok());
  TransportRequest sent = transport_->requests()[0];
  EXPECT_EQ(UrlPath(sent.url), "/v1/charges");
  EXPECT_EQ(UrlQuery(sent.url),
            "limit=100&created[gte]=1700000000&expand[]=data.customer&email=a%2Bb%40x.com&"
            "metadata[note]=a%20b%26c%3Dd%2F%C3%A9%3F");
  EXPECT_EQ(sent.body, "");
}

TEST_F(ClientTest, PostPutsParamsInFormBody) {
  transport_->Push(Respond(200, "{}"));
  Client client = MakeClient();
  ASSERT_TRUE(
      client.Request("POST", "/v1/customers", {{"name", "Zoë & Co"}, {"expand[]", "x"}}, opts_)
          .ok());
  TransportRequest sent = transport_->requests()[0];
  EXPECT_EQ(sent.url, "http://127.0.0.1:12111/v1/customers");
  EXPECT_EQ(sent.body, "name=Zo%C3%AB%20%26%20Co&expand[]=x");
  EXPECT_EQ(HeaderValue(sent, "Content-Type"), "application/x-www-form-urlencoded");
}

TEST(FormEncode, EncodesReservedCharactersAndKeepsKeyBrackets) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode(" !\"#$%&'()*+,/:;=?@[]"),
            "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D");
  EXPECT_EQ(PercentEncode("\n\xff"), "%0A%FF");
  EXPECT_EQ(FormEncode({}), "");
  EXPECT_EQ(FormEncode({{"a b", "[x]"}, {"items[0][price]", "p_1"}}),
            "a%20b=%5Bx%5D&items[0][price]=p_1");
}

TEST_F(ClientTest, GeneratesIdempotencyKeyForPostAndReusesItAcrossRetries) {
  transport_->Push(Respond(500, R"({"error":{"type":"api_error","message":"boom"}})"));
  transport_->Push(Status::Unavailable("Connection reset", "stripe_unreachable"));
  transport_->Push(Respond(200, R"({"id":"cus_1"})", {}, "req_ok"));
  Client client = MakeClient();
  auto result = client.Request("POST", "/v1/customers", {{"email", "a@b.c"}}, opts_);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.value().request_id, "req_ok");
  EXPECT_EQ(result.value().body.at("id").as_string(), "cus_1");
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), 3u);
  std::string key = HeaderValue(sent[0], "Idempotency-Key");
  EXPECT_NE(key, "<absent>");
  EXPECT_FALSE(key.empty());
  EXPECT_LE(key.size(), 255u);
  for (const auto& request : sent) {
    EXPECT_EQ(HeaderValue(request, "Idempotency-Key"), key);
    EXPECT_EQ(request.body, "email=a%40b.c");
  }
  // Slept 500 ms then 1000 ms (jitter fixed at 1.0) on the fake clock, never for real.
  EXPECT_EQ(clock_.Elapsed(), milliseconds(1500));
}

TEST_F(ClientTest, DifferentPostsGetDifferentIdempotencyKeys) {
  transport_->Push(Respond(200, "{}"));
  transport_->Push(Respond(200, "{}"));
  Client client = MakeClient();
  ASSERT_TRUE(client.Request("POST", "/v1/customers", {}, opts_).ok());
  ASSERT_TRUE(client.Request("POST", "/v1/customers", {}, opts_).ok());
  auto sent = transport_->requests();
  EXPECT_NE(HeaderValue(sent[0], "Idempotency-Key"), HeaderValue(sent[1], "Idempotency-Key"));
}

TEST_F(ClientTest, GivesUpAfterMaxRetriesKeepingRequestId) {
  for (int i = 0; i < 3; ++i) {
    transport_->Push(Respond(503, R"({"error":{"type":"api_error","message":"Try later"}})", {},
                             "req_" + std::to_string(i)));
  }
  Client client = MakeClient();
  auto result = client.Request("GET", "/v1/charges", {}, opts_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(transport_->request_count(), 3u);
  EXPECT_EQ(result.error().kind, ErrorKind::kApi);
  EXPECT_EQ(result.error().http_status, 503);
  EXPECT_EQ(result.error().message, "Try later");
  EXPECT_EQ(result.error().request_id, "req_2");
  EXPECT_EQ(clock_.Elapsed(), milliseconds(1500));
}

TEST_F(ClientTest, DoesNotRetryClientErrorsAndKeepsRequestId) {
  transport_->Push(Respond(
      401,
      R"({"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_********1234"}})",
      {}, "req_auth"));
  Client client = MakeClient();
  auto result = client.Request("GET", "/v1/charges", {}, opts_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(transport_->request_count(), 1u);
  EXPECT_EQ(result.error().kind, ErrorKind::kAuthentication);
  EXPECT_EQ(result.error().request_id, "req_auth");
  EXPECT_EQ(result.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(clock_.Elapsed(), milliseconds(0));
}

TEST_F(ClientTest, ObeysShouldRetryFalse) {
  transport_->Push(Respond(500, "{}", {{"stripe-should-retry", "false"}}));
  Client client = MakeClient();
  EXPECT_FALSE(client.Request("GET", "/v1/charges", {}, opts_).ok());
  EXPECT_EQ(transport_->request_count(), 1u);
}

TEST_F(ClientTest, ConnectionFailureAfterRetriesIsConnectionError) {
  for (int i = 0; i < 3; ++i) {
    transport_->Push(Status::Unavailable("Could not reach http://127.0.0.1:1: Connection refused",
                                         "stripe_unreachable"));
  }
  Client client = MakeClient();
  auto result = client.Request("GET", "/v1/balance", {}, opts_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(transport_->request_count(), 3u);
  EXPECT_EQ(result.error().kind, ErrorKind::kConnection);
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(result.status().error_code(), "stripe_unreachable");
  EXPECT_NE(result.status().message().find("Connection refused"), std::string::npos);
}

TEST_F(ClientTest, ACancelledRequestIsNotRetriedOrNotSentAtAll) {
  // Stripe unreachable; the process is told to stop while the first attempt fails.
  class Refusing final : public Transport {
   public:
    explicit Refusing(std::atomic<bool>& cancel) : cancel_(cancel) {}
    Result<TransportResponse> Send(const TransportRequest&) override {
      ++sent;
      cancel_ = true;
      return Status::Unavailable("Connection refused", "stripe_unreachable");
    }
    int sent = 0;

   private:
    std::atomic<bool>& cancel_;
  };
  std::atomic<bool> cancelled{false};
  auto refusing = std::make_shared<Refusing>(cancelled);
  Client client(options_, refusing, clock_, [] { return 1.0; });
  RequestOptions options = opts_;
  options.cancelled = &cancelled;
  auto result = client.Request("GET", "/v1/balance", {}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(IsCancelled(result.error()));
  EXPECT_EQ(result.error().kind, ErrorKind::kConnection);
  EXPECT_EQ(refusing->sent, 1);  // the retries were abandoned
  // Already cancelled: nothing is sent.
  auto again = client.Request("GET", "/v1/balance", {}, options);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(IsCancelled(again.error()));
  EXPECT_EQ(refusing->sent, 1);
}

TEST_F(ClientTest, TimeoutIsDeadlineExceeded) {
  options_.retry.max_retries = 0;
  transport_->Push(Status::DeadlineExceeded("Operation timed out", "stripe_timeout"));
  Client client = MakeClient();
  auto result = client.Request("GET", "/v1/balance", {}, opts_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(result.status().error_code(), "stripe_timeout");
}

TEST_F(ClientTest, HonoursRetryAfterOnRateLimit) {
  transport_->Push(Respond(
      429,
      R"({"error":{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded"}})",
      {{"retry-after", "2"}}));
  transport_->Push(Respond(200, "{}"));
  Client client = MakeClient();
  ASSERT_TRUE(client.Request("GET", "/v1/charges", {}, opts_).ok());
  EXPECT_EQ(clock_.Elapsed(), milliseconds(2000));
}

TEST_F(ClientTest, NonJsonSuccessIsApiErrorWithRequestId) {
  transport_->Push(Respond(200, "<html>proxy login</html>", {}, "req_html"));
  Client client = MakeClient();
  auto result = client.Request("GET", "/v1/charges", {}, opts_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kApi);
  EXPECT_EQ(result.error().http_status, 200);
  EXPECT_EQ(result.error().request_id, "req_html");
  EXPECT_EQ(transport_->request_count(), 1u);
}

TEST_F(ClientTest, RejectsBadPathAndHeaderInjectionWithoutSending) {
  Client client = MakeClient();
  auto bad_path = client.Request("GET", "v1/charges", {}, opts_);
  ASSERT_FALSE(bad_path.ok());
  EXPECT_EQ(bad_path.error().kind, ErrorKind::kInvalidRequest);
  opts_.stripe_account = "acct_1\r\nX-Evil: 1";
  auto injected = client.Request("GET", "/v1/charges", {}, opts_);
  ASSERT_FALSE(injected.ok());
  EXPECT_EQ(injected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(transport_->request_count(), 0u);
}

TEST_F(ClientTest, AbsoluteUrlsAndTrailingSlashBase) {
  transport_->Push(Respond(200, "{}"));
  transport_->Push(Respond(200, "{}"));
  options_.api_base = "http://localhost:9/";
  Client client = MakeClient();
  ASSERT_TRUE(client.Request("GET", "/v1/account", {}, opts_).ok());
  ASSERT_TRUE(client
                  .Request("POST", client.options().connect_base + "/oauth/token",
                           {{"grant_type", "authorization_code"}}, opts_)
                  .ok());
  auto sent = transport_->requests();
  EXPECT_EQ(sent[0].url, "http://localhost:9/v1/account");
  EXPECT_EQ(sent[1].url, "https://connect.stripe.com/oauth/token");
}

TEST_F(ClientTest, EmptyKeySendsNoAuthorization) {
  transport_->Push(Respond(401, "{}"));
  opts_.api_key.clear();
  Client client = MakeClient();
  EXPECT_FALSE(client.Request("GET", "/v1/charges", {}, opts_).ok());
  EXPECT_EQ(HeaderValue(transport_->requests()[0], "Authorization"), "<absent>");
}

TEST_F(ClientTest, DefaultJitterKeepsDelaysInRange) {
  transport_->Push(Respond(500, "{}"));
  transport_->Push(Respond(200, "{}"));
  Client client(options_, transport_, clock_);  // default random jitter
  ASSERT_TRUE(client.Request("GET", "/v1/charges", {}, opts_).ok());
  EXPECT_GE(clock_.Elapsed(), milliseconds(250));
  EXPECT_LE(clock_.Elapsed(), milliseconds(500));
}

TEST_F(ClientTest, GetAccountParsesFields) {
  transport_->Push(Respond(200, R"({
    "id": "acct_1Abc", "object": "account", "type": "standard", "email": "ops@example.com",
    "country": "FR", "default_currency": "eur", "charges_enabled": true, "payouts_enabled": false,
    "business_profile": {"name": "Example SAS"},
    "settings": {"dashboard": {"display_name": "Example", "timezone": "Europe/Paris"}}})"));
  Client client = MakeClient();
  auto account = client.GetAccount(opts_);
  ASSERT_TRUE(account.ok()) << account.error().message;
  EXPECT_EQ(UrlPath(transport_->requests()[0].url), "/v1/account");
  EXPECT_EQ(account->id, "acct_1Abc");
  EXPECT_EQ(account->display_name, "Example");
  EXPECT_EQ(account->email, "ops@example.com");
  EXPECT_EQ(account->country, "FR");
  EXPECT_EQ(account->default_currency, "eur");
  EXPECT_EQ(account->type, "standard");
  EXPECT_TRUE(account->charges_enabled);
  EXPECT_FALSE(account->payouts_enabled);
}

TEST_F(ClientTest, AccountDisplayNameFallsBack) {
  transport_->Push(Respond(
      200,
      R"({"id":"acct_1","settings":{"dashboard":{"display_name":null}},"business_profile":{"name":"Biz"},"email":"e@x.io"})"));
  transport_->Push(
      Respond(200, R"({"id":"acct_2","business_profile":{"name":null},"email":"e@x.io"})"));
  transport_->Push(Respond(200, R"({"id":"acct_3","email":null})"));
  transport_->Push(Respond(200, R"({"object":"account"})"));
  Client client = MakeClient();
  EXPECT_EQ(client.GetAccount(opts_)->display_name, "Biz");
  EXPECT_EQ(client.GetAccount(opts_)->display_name, "e@x.io");
  EXPECT_EQ(client.GetAccount(opts_)->display_name, "acct_3");
  EXPECT_FALSE(client.GetAccount(opts_).ok());
}

TEST_F(ClientTest, GetBalanceParsesAmountsPerCurrency) {
  transport_->Push(Respond(200, R"({"object":"balance","livemode":false,
    "available":[{"amount":12345,"currency":"usd","source_types":{"card":12345}},
                 {"amount":-50,"currency":"eur"}],
    "pending":[{"amount":700,"currency":"usd"}]})"));
  Client client = MakeClient();
  auto balance = client.GetBalance(opts_);
  ASSERT_TRUE(balance.ok());
  ASSERT_EQ(balance->available.size(), 2u);
  EXPECT_EQ(balance->available[0].currency, "usd");
  EXPECT_EQ(balance->available[0].amount, 12345);
  EXPECT_EQ(balance->available[1].currency, "eur");
  EXPECT_EQ(balance->available[1].amount, -50);
  ASSERT_EQ(balance->pending.size(), 1u);
  EXPECT_EQ(balance->pending[0].amount, 700);
  EXPECT_FALSE(balance->livemode);
}

TEST_F(ClientTest, ListPageParsesDataAndHasMore) {
  transport_->Push(Respond(
      200,
      R"({"object":"list","url":"/v1/charges","has_more":true,"data":[{"id":"ch_2"},{"id":"ch_1"}]})"));
  Client client = MakeClient();
  auto page = client.ListPage("/v1/charges", {{"limit", "2"}}, opts_);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->data.size(), 2u);
  EXPECT_EQ(page->data[0].at("id").as_string(), "ch_2");
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(UrlQuery(transport_->requests()[0].url), "limit=2");
}

TEST_F(ClientTest, ListPageRejectsMalformedLists) {
  transport_->Push(Respond(200, R"({"object":"charge","id":"ch_1"})"));
  transport_->Push(Respond(200, R"({"object":"list","data":[1,2],"has_more":false})"));
  transport_->Push(
      Respond(200, R"({"object":"list","data":[{"id":"ch_1"}]})", {}, "req_nohasmore"));
  Client client = MakeClient();
  EXPECT_FALSE(client.ListPage("/v1/charges", {}, opts_).ok());
  EXPECT_FALSE(client.ListPage("/v1/charges", {}, opts_).ok());
  auto missing = client.ListPage("/v1/charges", {}, opts_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kApi);
  EXPECT_EQ(missing.error().request_id, "req_nohasmore");
}

}  // namespace
}  // namespace stripeline::stripe
