// Fuzz target: what Stripe (or anything posing as it: a proxy, a captive portal) answers. The
// input picks an HTTP status and a few headers; the rest is the body, which a transport in
// memory returns to a Client for each kind of call Stripeline makes — a list page (and a
// ListPager walking pages), the account, the balance, the OAuth token grants — with retries on
// a fake clock. Errors are parsed as Stripe's error shapes, and the messages are read for a
// missing permission as the permission probe does.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/text.h"
#include "fuzz/fuzz_check.h"
#include "stripe/client.h"
#include "stripe/error.h"
#include "stripe/list_pager.h"
#include "stripe/oauth.h"
#include "stripe/permissions.h"
#include "stripe/retry_policy.h"

namespace {

using namespace stripeline;
using namespace stripeline::stripe;

// Answers every request with the same response.
class ReplayTransport final : public Transport {
 public:
  explicit ReplayTransport(TransportResponse response) : response_(std::move(response)) {}
  Result<TransportResponse> Send(const TransportRequest&) override { return response_; }

 private:
  TransportResponse response_;
};

// The next line of `rest` (without its '\n'), taken off it.
std::string_view Line(std::string_view& rest) {
  const size_t end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  return line;
}

// "<status> <call>" → the two numbers; what does not parse reads as 0.
std::pair<int, int> StatusAndCall(std::string_view line) {
  int numbers[2] = {0, 0};
  for (int& number : numbers) {
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && line.front() >= '0' && line.front() <= '9' && number < 100000) {
      number = number * 10 + (line.front() - '0');
      line.remove_prefix(1);
    }
  }
  return {numbers[0], numbers[1]};
}

void CheckError(const StripeError& error) {
  FUZZ_CHECK(!error.message.empty());
  Status status = error.ToStatus();
  FUZZ_CHECK(!status.ok());
  (void)ParseMissingPermission(error.message);
  (void)IsClosedToRestrictedKeys(error.message);
}

template <typename T>
void Check(const StripeResult<T>& result) {
  if (!result.ok()) CheckError(result.error());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  TransportResponse response;
  const auto [status, call] = StatusAndCall(Line(rest));
  response.status = status;
  for (std::string_view line = Line(rest); !line.empty(); line = Line(rest)) {
    const size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(ToLower(line.substr(0, colon)), std::string(value));
  }
  response.body = std::string(rest);

  // What the retry policy and the rate limiter read of any answer.
  StripeError parsed = ParseStripeError(response.status, response.body, "req_fuzz");
  CheckError(parsed);
  (void)IsRateLimited(response);
  (void)RetryAfter(response);
  RetryPolicy policy;
  (void)ShouldRetry(policy, 1, response);
  (void)RetryDelay(policy, 1, 0.5, response);

  FakeClock clock;
  Client client(ClientOptions{.api_base = "https://api.stripe.test",
                              .connect_base = "https://connect.stripe.test"},
                std::make_shared<ReplayTransport>(response), clock, [] { return 0.5; });
  const RequestOptions options{.api_key = "sk_test_fuzz"};
  switch (call % 7) {
    case 0:
      Check(client.ListPage("/v1/charges", {{"limit", "100"}}, options));
      break;
    case 1: {
      // Every page is this answer: a has_more=true page repeats; three pages are plenty.
      ListPager pager(client, "/v1/customers", {{"limit", "100"}}, options,
                      {.created_gte = 1700000000, .created_lt = 1700086400});
      for (int page = 0; page < 3; ++page) {
        auto next = pager.Next();
        if (!next) break;
        Check(*next);
        if (!next->ok()) break;
      }
      break;
    }
    case 2:
      Check(client.GetAccount(options));
      break;
    case 3:
      Check(client.GetBalance(options));
      break;
    case 4:
      Check(ExchangeCode(client, "sk_test_platform", "ac_fuzz"));
      break;
    case 5:
      Check(RefreshAccessToken(client, "sk_test_platform", "ca_fuzz", "rt_fuzz"));
      break;
    case 6:
      Check(Deauthorize(client, "sk_test_platform", "ca_fuzz", "acct_fuzz"));
      break;
  }
  return 0;
}
