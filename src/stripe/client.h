#pragma once
// Client: Stripe's REST API over a Transport, modelled on stripe-go's backend. It builds the
// request (auth, pinned Stripe-Version, Stripe-Account, Idempotency-Key, form encoding), retries
// by RetryPolicy while sleeping on the injected Clock, and turns answers into typed values or a
// StripeError that keeps Stripe's Request-Id. Typed helpers cover the calls Stripeline needs
// beyond generic lists (account, balance); ListPager (stripe/list_pager.h) walks whole lists.
// A Client paced for one account (Paced(), usually through an AccountSession) sends every
// attempt, retries included, through that account's RateLimiter, and keeps retrying a 429
// while the limiter is still finding the pace Stripe grants (RetryPolicy).
//
// Thread-safety: a Client is immutable after construction and every method is const, so one
// Client may serve any number of threads, provided the Transport is thread-safe (CurlTransport
// is) and the jitter function may be called concurrently (the default is).

#include <boost/json.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/http_message.h"
#include "stripe/error.h"
#include "stripe/rate_limiter.h"
#include "stripe/retry_policy.h"
#include "stripe/transport.h"

namespace stripeline::stripe {

// The API version every request pins (Stripe-Version header); objects are parsed for it.
inline constexpr std::string_view kStripeVersion = "2025-03-31.basil";
inline constexpr std::string_view kUserAgent = "Stripeline/0.1";

struct ClientOptions {
  // Where API calls go; our emulator, tests and proxies replace it. No trailing slash needed.
  std::string api_base = "https://api.stripe.com";
  // Where Connect OAuth calls go (pass connect_base + "/oauth/token" as an absolute path).
  std::string connect_base = "https://connect.stripe.com";
  std::string stripe_version = std::string(kStripeVersion);
  // Per attempt; a retried request may take up to (max_retries + 1) × timeout plus waits.
  std::chrono::milliseconds timeout{30000};
  RetryPolicy retry;
};

struct RequestOptions {
  // Secret/restricted key or OAuth access token, sent as `Authorization: Bearer`. When empty
  // no Authorization header is sent (Stripe then answers 401).
  std::string api_key;
  // Act for a connected account: `Stripe-Account: acct_...`.
  std::optional<std::string> stripe_account;
  // `Idempotency-Key`; for POSTs without one the client generates a key, reused by retries.
  std::optional<std::string> idempotency_key;
  // When set, the request is abandoned once it becomes true: no further attempt is made and a
  // wait between retries ends within kCancelCheckInterval, failing with kConnection
  // "stripe_request_cancelled" (the process is stopping; what the caller was doing resumes
  // later). An attempt already sent runs to its answer or timeout. Must outlive the request.
  const std::atomic<bool>* cancelled = nullptr;
};

// How often a wait between retries looks at RequestOptions::cancelled.
inline constexpr std::chrono::milliseconds kCancelCheckInterval{100};

// The error of a request abandoned through RequestOptions::cancelled.
inline constexpr std::string_view kRequestCancelledCode = "stripe_request_cancelled";
bool IsCancelled(const StripeError& error);

// Form/query parameters in order, keys already in Stripe's bracket syntax:
// {"created[gte]", "1700000000"}, {"expand[]", "data.customer"}, {"metadata[k]", "v"}.
using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding (common/http_message.h): unreserved characters stay, every other
// byte becomes %XX (uppercase hex; space is %20).
using ::stripeline::PercentEncode;

// "k1=v1&k2=v2" with keys and values percent-encoded, except that '[' and ']' stay literal in
// keys (as stripe-go sends them: readable, and accepted by Stripe). Order is preserved.
std::string FormEncode(const Params& params);

struct ApiResponse {
  int status = 0;           // the HTTP status (2xx)
  boost::json::value body;  // the parsed JSON body
  std::string request_id;   // Request-Id header; empty if absent
};

struct Account {
  std::string id;
  // settings.dashboard.display_name, else business_profile.name, else email, else id.
  std::string display_name;
  std::string email;
  std::string country;
  std::string default_currency;
  std::string type;  // "standard", "express", "custom", or empty for a platform's own account
  bool charges_enabled = false;
  bool payouts_enabled = false;
};

struct BalanceAmount {
  std::string currency;  // lowercase ISO code, e.g. "usd"
  int64_t amount = 0;    // minor units
};

struct Balance {
  std::vector<BalanceAmount> available;  // one entry per currency, in Stripe's order
  std::vector<BalanceAmount> pending;
  bool livemode = false;
};

// One page of a Stripe list (`{"object":"list","data":[...],"has_more":...}`).
struct ListPage {
  std::vector<boost::json::object> data;  // newest first, as Stripe returns them
  bool has_more = false;
};

class Client {
 public:
  // `clock` must outlive the client; it is used only to sleep between retries. `jitter`
  // returns a number in [0, 1) for retry backoff; empty means a thread-safe uniform random.
  Client(ClientOptions options, std::shared_ptr<Transport> transport, Clock& clock = Clock::Real(),
         std::function<double()> jitter = {});

  // Sends `method` ("GET", "POST", "DELETE") to `path` — "/v1/..." relative to api_base, or an
  // absolute http(s) URL (e.g. connect_base + "/oauth/token"). GET and DELETE carry `params` in
  // the query string, other methods as an x-www-form-urlencoded body. Retries by
  // options().retry. Returns the parsed body of a 2xx answer; otherwise a StripeError: parsed
  // from Stripe's error body for non-2xx answers, kConnection when no answer came, kApi for a
  // 2xx whose body is not JSON, kInvalidRequest (http_status 0, nothing sent) for a relative
  // path without a leading '/' or header values containing control characters. request_id is
  // kept whenever Stripe sent one.
  StripeResult<ApiResponse> Request(std::string_view method, std::string_view path,
                                    const Params& params, const RequestOptions& options) const;

  // GET /v1/account (the key's own account, or `stripe_account`'s). Note restricted keys are
  // often refused here (403); validate those with ProbeReadPermissions instead.
  StripeResult<Account> GetAccount(const RequestOptions& options) const;

  // GET /v1/balance: available and pending amounts per currency.
  StripeResult<Balance> GetBalance(const RequestOptions& options) const;

  // GET `path` with `params` (limit, starting_after, created[gte], ...) and parses one list
  // page. A body without a `data` array of objects is a kApi error. To walk a whole list use
  // ListPager.
  StripeResult<stripe::ListPage> ListPage(std::string_view path, Params params,
                                          const RequestOptions& options) const;

  // The same client with every attempt paced by `limiter` (non-null; a PacedTransport over this
  // client's transport): each attempt takes a slot, 429s slow the limiter down, and a 429 is
  // retried beyond RetryPolicy::max_retries until Stripe has refused every request to the
  // account for RetryPolicy::rate_limited_patience.
  Client Paced(std::shared_ptr<RateLimiter> limiter) const;

  const ClientOptions& options() const { return options_; }
  // The limiter pacing this client; null for an unpaced client.
  const std::shared_ptr<RateLimiter>& limiter() const { return limiter_; }

 private:
  Client(const Client& base, std::shared_ptr<RateLimiter> limiter);

  const ClientOptions options_;
  const std::shared_ptr<Transport> transport_;  // unpaced
  Clock* const clock_;
  const std::function<double()> jitter_;
  const std::shared_ptr<RateLimiter> limiter_;  // null: unpaced
  const std::shared_ptr<Transport> paced_;      // transport_ paced by limiter_; null: unpaced
};

}  // namespace stripeline::stripe
