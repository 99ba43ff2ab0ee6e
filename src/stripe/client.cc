#include "stripe/client.h"

#include "common/http_message.h"
#include "stripe/paced_transport.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

namespace stripeline::stripe {

namespace {

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

double DefaultJitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(ThreadRandom()); }

std::string NewIdempotencyKey() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key = "stripeline-";
  for (int i = 0; i < 2; ++i) {
    uint64_t bits = ThreadRandom()();
    for (int nibble = 0; nibble < 16; ++nibble, bits >>= 4) key += kHex[bits & 0xf];
  }
  return key;
}

bool HasControlCharacter(std::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

StripeError LocalError(std::string message, std::string code) {
  StripeError error;
  error.kind = ErrorKind::kInvalidRequest;
  error.code = std::move(code);
  error.message = std::move(message);
  return error;
}

StripeError CancelledError() {
  StripeError error;
  error.kind = ErrorKind::kConnection;
  error.code = std::string(kRequestCancelledCode);
  error.message = "The request to Stripe was abandoned: Stripeline is stopping";
  return error;
}

bool Cancelled(const RequestOptions& options) {
  return options.cancelled != nullptr && options.cancelled->load();
}

// Sleeps `delay` on `clock` in steps of kCancelCheckInterval; false when cancelled meanwhile.
bool SleepUnlessCancelled(Clock& clock, std::chrono::milliseconds delay,
                          const RequestOptions& options) {
  if (options.cancelled == nullptr) {
    clock.SleepFor(delay);
    return true;
  }
  while (delay.count() > 0) {
    if (Cancelled(options)) return false;
    const auto step = std::min(delay, kCancelCheckInterval);
    clock.SleepFor(step);
    delay -= step;
  }
  return !Cancelled(options);
}

StripeError UnexpectedBody(const ApiResponse& response, std::string_view what) {
  StripeError error;
  error.kind = ErrorKind::kApi;
  error.http_status = response.status;
  error.code = "stripe_unexpected_response";
  error.message = "Stripe's answer " + std::string(what);
  if (!response.request_id.empty()) error.message += " (request " + response.request_id + ")";
  error.request_id = response.request_id;
  return error;
}

const boost::json::value* Find(const boost::json::value& root,
                               std::initializer_list<std::string_view> path) {
  const boost::json::value* current = &root;
  for (std::string_view key : path) {
    if (!current->is_object()) return nullptr;
    current = current->get_object().if_contains(key);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::string StringAt(const boost::json::value& root, std::initializer_list<std::string_view> path) {
  const boost::json::value* value = Find(root, path);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

bool BoolAt(const boost::json::value& root, std::initializer_list<std::string_view> path) {
  const boost::json::value* value = Find(root, path);
  return value != nullptr && value->is_bool() && value->get_bool();
}

std::vector<BalanceAmount> Amounts(const boost::json::value& root, std::string_view key) {
  std::vector<BalanceAmount> amounts;
  const boost::json::value* list = Find(root, {key});
  if (list == nullptr || !list->is_array()) return amounts;
  for (const boost::json::value& entry : list->get_array()) {
    const boost::json::value* amount = Find(entry, {"amount"});
    if (amount == nullptr || !amount->is_number()) continue;
    BalanceAmount parsed;
    parsed.currency = StringAt(entry, {"currency"});
    boost::system::error_code ec;
    parsed.amount = amount->to_number<int64_t>(ec);
    if (ec) continue;
    amounts.push_back(std::move(parsed));
  }
  return amounts;
}

std::string FormatRate(double requests_per_second) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", requests_per_second);
  return text;
}

std::string TrimTrailingSlash(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace


std::string FormEncode(const Params& params) {
  // Brackets are the only reserved characters Stripe keys use; keep them readable.
  static constexpr auto kKeyChars = boost::urls::unreserved_chars + '[' + ']';
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(key, kKeyChars);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

Client::Client(ClientOptions options, std::shared_ptr<Transport> transport, Clock& clock,
               std::function<double()> jitter)
    : options_(std::move(options)),
      transport_(std::move(transport)),
      clock_(&clock),
      jitter_(jitter ? std::move(jitter) : std::function<double()>(DefaultJitter)) {}

Client::Client(const Client& base, std::shared_ptr<RateLimiter> limiter)
    : options_(base.options_),
      transport_(base.transport_),
      clock_(base.clock_),
      jitter_(base.jitter_),
      limiter_(std::move(limiter)),
      paced_(std::make_shared<PacedTransport>(transport_, limiter_)) {}

Client Client::Paced(std::shared_ptr<RateLimiter> limiter) const {
  return Client(*this, std::move(limiter));
}

StripeResult<ApiResponse> Client::Request(std::string_view method, std::string_view path,
                                          const Params& params,
                                          const RequestOptions& options) const {
  TransportRequest request;
  request.method = std::string(method);
  std::transform(request.method.begin(), request.method.end(), request.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  request.timeout = options_.timeout;

  if (path.rfind("https://", 0) == 0 || path.rfind("http://", 0) == 0) {
    request.url = std::string(path);
  } else if (!path.empty() && path.front() == '/') {
    request.url = TrimTrailingSlash(options_.api_base) + std::string(path);
  } else {
    return LocalError("Stripe API paths must start with '/': " + std::string(path),
                      "stripe_bad_path");
  }

  const bool params_in_query = request.method == "GET" || request.method == "DELETE";
  if (params_in_query && !params.empty()) {
    request.url += request.url.find('?') == std::string::npos ? '?' : '&';
    request.url += FormEncode(params);
  }

  // A CR/LF in a header value would let a caller smuggle extra headers into the request.
  auto unsafe = [](const std::optional<std::string>& value) {
    return value && HasControlCharacter(*value);
  };
  if (HasControlCharacter(options.api_key) || unsafe(options.stripe_account) ||
      unsafe(options.idempotency_key)) {
    return LocalError(
        "The API key, Stripe-Account or Idempotency-Key contains a line break or control "
        "character",
        "stripe_bad_header");
  }

  if (!options.api_key.empty())
    request.headers.emplace_back("Authorization", "Bearer " + options.api_key);
  request.headers.emplace_back("Stripe-Version", options_.stripe_version);
  request.headers.emplace_back("User-Agent", std::string(kUserAgent));
  request.headers.emplace_back("Accept", "application/json");
  if (options.stripe_account && !options.stripe_account->empty()) {
    request.headers.emplace_back("Stripe-Account", *options.stripe_account);
  }
  if (request.method == "POST") {
    // Generated once, so every retry of this call is the same request to Stripe.
    request.headers.emplace_back("Idempotency-Key",
                                 options.idempotency_key && !options.idempotency_key->empty()
                                     ? *options.idempotency_key
                                     : NewIdempotencyKey());
  } else if (options.idempotency_key && !options.idempotency_key->empty()) {
    request.headers.emplace_back("Idempotency-Key", *options.idempotency_key);
  }
  if (!params_in_query) {
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = FormEncode(params);
  }

  auto throttled_for = [this]() -> std::optional<std::chrono::milliseconds> {
    if (!limiter_) return std::nullopt;
    return limiter_->ThrottledFor();
  };
  Transport& transport = paced_ ? *paced_ : *transport_;
  if (Cancelled(options)) return CancelledError();
  Result<TransportResponse> sent = transport.Send(request);
  for (int attempt = 1; ShouldRetry(options_.retry, attempt, sent, throttled_for()); ++attempt) {
    if (!SleepUnlessCancelled(*clock_, RetryDelay(options_.retry, attempt, jitter_(), sent),
                              options)) {
      return CancelledError();
    }
    sent = transport.Send(request);
  }

  if (!sent.ok()) return ConnectionError(sent.status());
  TransportResponse& response = sent.value();
  std::string request_id = response.Header("request-id").value_or("");
  if (response.status < 200 || response.status >= 300) {
    StripeError error = ParseStripeError(response.status, response.body, std::move(request_id));
    if (limiter_ && IsRateLimited(response) && limiter_->ThrottledFor().count() > 0) {
      error.message += " (Stripe refused every request to this account for " +
                       std::to_string(limiter_->ThrottledFor().count() / 1000) +
                       " s, down to the minimum pace of about " +
                       FormatRate(limiter_->pace()) + " requests/s)";
    }
    return error;
  }

  ApiResponse result;
  result.status = response.status;
  result.request_id = std::move(request_id);
  boost::system::error_code ec;
  result.body = boost::json::parse(response.body, ec);
  if (ec) {
    return UnexpectedBody(result, "to " + request.method + " " + std::string(path) +
                                      " is not JSON (HTTP " + std::to_string(response.status) +
                                      ")");
  }
  return result;
}

bool IsCancelled(const StripeError& error) {
  return error.kind == ErrorKind::kConnection && error.code == kRequestCancelledCode;
}

StripeResult<Account> Client::GetAccount(const RequestOptions& options) const {
  StripeResult<ApiResponse> response = Request("GET", "/v1/account", {}, options);
  if (!response.ok()) return std::move(response).error();
  const boost::json::value& body = response.value().body;
  Account account;
  account.id = StringAt(body, {"id"});
  if (account.id.empty()) return UnexpectedBody(response.value(), "to GET /v1/account has no id");
  account.email = StringAt(body, {"email"});
  account.country = StringAt(body, {"country"});
  account.default_currency = StringAt(body, {"default_currency"});
  account.type = StringAt(body, {"type"});
  account.charges_enabled = BoolAt(body, {"charges_enabled"});
  account.payouts_enabled = BoolAt(body, {"payouts_enabled"});
  for (std::string candidate :
       {StringAt(body, {"settings", "dashboard", "display_name"}),
        StringAt(body, {"business_profile", "name"}), account.email, account.id}) {
    if (!candidate.empty()) {
      account.display_name = std::move(candidate);
      break;
    }
  }
  return account;
}

StripeResult<Balance> Client::GetBalance(const RequestOptions& options) const {
  StripeResult<ApiResponse> response = Request("GET", "/v1/balance", {}, options);
  if (!response.ok()) return std::move(response).error();
  const boost::json::value& body = response.value().body;
  if (!body.is_object() || !Find(body, {"available"})) {
    return UnexpectedBody(response.value(), "to GET /v1/balance is not a balance");
  }
  Balance balance;
  balance.available = Amounts(body, "available");
  balance.pending = Amounts(body, "pending");
  balance.livemode = BoolAt(body, {"livemode"});
  return balance;
}

StripeResult<stripe::ListPage> Client::ListPage(std::string_view path, Params params,
                                                const RequestOptions& options) const {
  StripeResult<ApiResponse> response = Request("GET", path, params, options);
  if (!response.ok()) return std::move(response).error();
  boost::json::value& body = response.value().body;
  boost::json::value* data = body.is_object() ? body.get_object().if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array()) {
    return UnexpectedBody(response.value(), "to GET " + std::string(path) + " is not a list");
  }
  stripe::ListPage page;
  page.data.reserve(data->get_array().size());
  for (boost::json::value& item : data->get_array()) {
    if (!item.is_object()) {
      return UnexpectedBody(response.value(), "to GET " + std::string(path) +
                                                  " has a list entry that is not an object");
    }
    page.data.push_back(std::move(item.get_object()));
  }
  // A missing has_more must not read as "last page": that would silently truncate a sync.
  const boost::json::value* has_more = Find(body, {"has_more"});
  if (has_more == nullptr || !has_more->is_bool()) {
    return UnexpectedBody(response.value(), "to GET " + std::string(path) + " has no has_more");
  }
  page.has_more = has_more->get_bool();
  return page;
}

}  // namespace stripeline::stripe
