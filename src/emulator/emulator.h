#pragma once
// Emulator: a local Stripe for tests, demos and people without a Stripe account. It answers
// the read endpoints Stripeline uses with Stripe's exact wire format (stripe-api.md): the same
// authentication rules and error bodies, list paging and filters, restricted-key permissions,
// Stripe-Account for connected accounts, and a Request-Id on every response. Its data is a few
// deterministic demo objects per resource, account and mode (see resource_table.h), or a
// scaled dataset (EmulatorOptions::objects, scaled_dataset.h); an admin API mutates it, every
// mutation emits an event, and events are delivered to registered webhook endpoints.
//
// It is a plain handler: wrap Handle in an HttpServer to serve it (the CLI does
// `stripeline emulator --listen 127.0.0.1:12111 --keys FILE`), or call Handle directly.
//
// Built in:
//   account acct_emu_demo "Emulator Demo Ltd" (GB, gbp, standard), with connected accounts
//   acct_emu_connected_1 "Northwind Coffee" and acct_emu_connected_2 "Bluebird Books",
//   reachable with the platform's secret keys and `Stripe-Account: acct_...`; keys:
//     sk_test_emu_demo_secret_0000000000000000    secret, test mode
//     sk_live_emu_demo_secret_0000000000000000    secret, live mode
//     rk_test_emu_demo_readonly_00000000000000    restricted, test mode: every read permission
//                                                 except rak_subscription_read, rak_payout_read
//     sk_test_emu_demo_expired_000000000000000    answers 401 api_key_expired
//     pk_test_emu_demo_publishable_00000000000    answers 401 secret_key_required
// More accounts and keys come from EmulatorOptions::keys_file (format: emulator_config.h and
// docs/emulator.md).
//
// Endpoints: GET /v1/account (refused to restricted keys), /v1/balance, and list
// /v1/<resource> plus retrieve /v1/<resource>/<id> for every resource of resource_table.h.
// /v1/events only shows the last 30 days of emulated time. Anything else answers Stripe's 404
// "Unrecognized request URL".
//
// Connect OAuth (emulator_oauth.cc; docs/emulator.md): GET/POST /oauth/authorize (an HTML page
// to pick an account and approve or deny, redirecting with code or error), POST /oauth/token
// (authorization_code and refresh_token grants, Stripe's {"error","error_description"} bodies),
// POST /oauth/deauthorize (then account.application.deauthorized). Built-in platform client id:
// kDemoConnectClientId.
//
// Emulated clock: now = the Clock's wall time + an offset that only grows
// (POST /_emulator/clock/advance). Data is generated relative to the now of Create/reset.
//
// Admin endpoints for tests, without authentication, JSON answers; parameters as a form body,
// a JSON object body or the query string (full list and shapes in docs/emulator.md):
//   POST /_emulator/keys/revoke  key=...          the key then answers 401 "Invalid API Key"
//   POST /_emulator/keys/roll    key=...          old key answers 401 api_key_expired;
//                                                 answers {"key": new key, same account, mode,
//                                                 kind and permissions}
//   POST /_emulator/keys  account=acct_..&kind=secret|restricted&livemode=true|false
//                         &permissions[]=rak_...  answers {"key": ...}
//   POST /_emulator/accounts/<acct>/disconnect    the connected account answers account_invalid
//   POST /_emulator/accounts/<acct>/deauthorize [livemode]  as /oauth/deauthorize: the owner
//                                                 revoked the platform in their Dashboard
//   POST /_emulator/faults  status=500&count=2[&should_retry=true|false]
//                           the next `count` API requests answer `status` with Stripe's
//                           api_error body (429: its rate_limit body) and, when given,
//                           Stripe-Should-Retry; count=0 clears
//   POST /_emulator/reset        back to the initial keys and data, no faults, no webhook
//                                endpoints, clock offset 0, counters 0
//   GET  /_emulator/requests/count                {"count": API requests served}
//   GET  /_emulator/stats [account, livemode]     counts per resource, requests, 429s, faults
//   GET  /_emulator/request_rate [account, livemode]  API requests per account, mode and second
//                                                 of the wall clock, with each one's maximum
//                                                 (request_rate.h)
//   GET  /_emulator/clock, POST /_emulator/clock/advance seconds=N
//   POST /_emulator/objects/<resource>            create (fields optional) -> the object
//   POST /_emulator/objects/<resource>/<id>       update the given fields -> the object
//   DELETE /_emulator/objects/<resource>/<id>     delete (customers, products, coupons) or
//                                                 archive (prices)
//   POST /_emulator/traffic  count=N [seed]       N random creates, updates and deletes
//   POST /_emulator/webhook_endpoints url=...     -> {"id": "we_...", "secret": "whsec_..."}
//   DELETE /_emulator/webhook_endpoints/<id>
//   GET  /_emulator/webhook_endpoints/<id>/deliveries
// Mutations take `account` (default acct_emu_demo) and `livemode` (default false) and emit
// `<prefix>.created|updated|deleted` events, delivered to matching webhook endpoints.
//
// Faults (EmulatorOptions): latency, per-account token-bucket rate limits (429 rate_limit),
// random 500s and random connection resets, drawn from a generator seeded by `seed`.
//
// Thread-safety: Handle and DemoKeys may be called concurrently from any threads.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/http_message.h"
#include "common/result.h"
#include "common/router.h"
#include "emulator/api_error.h"
#include "emulator/dataset.h"
#include "emulator/emulator_config.h"
#include "emulator/key_registry.h"
#include "emulator/request_rate.h"
#include "emulator/oauth_grants.h"
#include "emulator/resource_table.h"
#include "emulator/webhook_dispatcher.h"

namespace stripeline::emulator {

struct EmulatorOptions {
  // Optional JSON file of extra accounts and keys (format in emulator_config.h). Empty: none.
  std::string keys_file;
  // Seeds the data, ids, traffic and faults: the same seed always gives the same ids, amounts
  // and names (timestamps are relative to the emulated now at start).
  uint64_t seed = 42;
  // Charges per account and mode, every other resource in proportion (scaled_dataset.h);
  // 0 (default): the few demo objects of the resource table's generators.
  int64_t objects = 0;
  // Time source (not owned; must outlive the emulator). nullptr: the real clock.
  Clock* clock = nullptr;
  // Every /v1 request waits this long before it is answered.
  int64_t latency_ms = 0;
  // Requests per second per account and mode (token bucket, one second of burst); 0: no limit.
  // Over the limit: Stripe's 429 rate_limit error.
  double rate_limit_live = 0;
  double rate_limit_test = 0;
  // Probability that a /v1 request answers 500 api_error.
  double fail_rate = 0;
  // Probability that a /v1 request gets its connection reset without an answer (needs an
  // HttpServer: the response carries kCloseWithoutResponseHeader).
  double reset_rate = 0;
  // Webhook delivery attempts and backoff (webhook_dispatcher.h).
  WebhookOptions webhooks;
};

// A key worth showing to a person starting the emulator, with what it does.
struct DemoKey {
  std::string key, description;
};

class Emulator {
 public:
  // Loads the keys file (InvalidArgument naming the bad field, NotFound when unreadable),
  // generates every account's data in both modes and starts the webhook delivery thread.
  static Result<std::unique_ptr<Emulator>> Create(const EmulatorOptions& options);

  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Answers one request (see the header comment). Never fails: every outcome is an HTTP
  // response with a JSON body, Content-Type application/json and a Request-Id header.
  // Thread-safe.
  HttpResponse Handle(const HttpRequest& request);

  // The usable and deliberately broken keys currently known, built-in first. Thread-safe.
  std::vector<DemoKey> DemoKeys() const;

 private:
  struct Fault {
    int status = 500;
    int64_t remaining = 0;
    std::optional<bool> should_retry;
  };
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  using DatasetMap = std::map<std::pair<std::string, bool>, std::shared_ptr<Dataset>>;

  Emulator(EmulatorConfig config, const EmulatorOptions& options);

  // Every account's data in both modes as of the emulated now.
  DatasetMap BuildDatasets() const;
  std::shared_ptr<Dataset> FindDataset(const std::string& account, bool livemode) const;
  int64_t Now() const;

  // Handlers get the request id Handle gave the request (Request-Id, events' request.id).
  using EmulatorRouter = BasicRouter<const std::string& /*request_id*/>;
  // What an API route matched: a singleton ("account", "balance"), or a resource's list (no
  // id) or one object; neither for a URL Stripe does not recognize.
  struct ApiTarget {
    std::string_view singleton;
    const ResourceSpec* spec = nullptr;
    std::optional<std::string> id;
  };

  // API paths are everything outside /_emulator/ and /oauth/ (they count as API requests).
  static bool IsApiPath(std::string_view path);
  // The answer to what no route takes, in the error shape of the path's family.
  HttpResponse NoRoute(const HttpRequest& request, const std::string& request_id);
  // Routes of the API, Connect OAuth (emulator_oauth.cc) and admin endpoints; the constructor
  // adds them once.
  void AddApiRoutes();
  void AddOAuthRoutes();
  void AddAdminRoutes();
  void AddWebhookEndpointRoutes();

  // What `?payout=` restricts GET /v1/balance_transactions to (positions, ascending): the
  // payout's itemisation; Stripe's 400s for an unknown payout (resource_missing) and for a
  // manual or instant one. The caller holds the dataset's lock, shared.
  static std::variant<std::vector<uint32_t>, ApiError> PayoutItems(const Dataset& dataset,
                                                                  std::string_view payout);
  // Faults, authentication, Stripe-Account and the rate limit, then `target`.
  HttpResponse HandleApi(const HttpRequest& request, const std::string& request_id,
                         const ApiTarget& target);
  // Connect OAuth (emulator_oauth.cc): /oauth/authorize (page and its form), /oauth/token,
  // /oauth/deauthorize.
  HttpResponse AuthorizePage(const HttpRequest& request);
  HttpResponse AuthorizeDecision(const HttpRequest& request);
  HttpResponse Token(const HttpRequest& request);
  HttpResponse Deauthorize(const HttpRequest& request);
  // The platform a token-endpoint request authenticates as (its secret key as Bearer or
  // `client_secret`), with the key; Stripe's invalid_client otherwise.
  std::variant<std::pair<AccountConfig, KeyConfig>, OAuthError> AuthenticatePlatform(
      const HttpRequest& request, const Fields& params);
  // A new connected account of `platform` (an OAuth approval that had to create one), with
  // its data in both modes; returns its id. Takes mu_.
  std::string CreateConnectedAccount(const AccountConfig& platform);
  // Cuts `account` off `platform`: revokes its OAuth tokens, disconnects it and emits
  // account.application.deauthorized in `livemode`. Takes mu_, then the dataset's lock.
  Status DeauthorizeAccount(const AccountConfig& platform, const std::string& account,
                            bool livemode);
  // POST objects/{resource} creates, POST objects/{resource}/{id} updates, DELETE deletes.
  HttpResponse HandleObjects(const HttpRequest& request, const PathParams& path,
                             const Fields& params, const std::string& request_id);
  HttpResponse HandleTraffic(const Fields& params);
  // The emulated now and clock offset, after advancing it by `advance_seconds` (>= 0).
  HttpResponse ClockAnswer(std::optional<int64_t> advance_seconds);
  HttpResponse Stats(const Fields& params);
  // True when the account and mode may make one more request now (takes a token).
  bool TakeToken(const std::string& account, bool livemode);

  // Mutations; the caller holds the dataset's lock exclusively. They emit events.
  Result<boost::json::object> CreateObject(Dataset& dataset, const ResourceSpec& spec,
                                           const Fields& params, const std::string& request_id,
                                           std::mt19937_64& rng);
  Result<boost::json::object> UpdateObject(Dataset& dataset, const ResourceSpec& spec,
                                           std::string_view id, const Fields& params,
                                           const std::string& request_id);
  Result<boost::json::object> DeleteObject(Dataset& dataset, const ResourceSpec& spec,
                                           std::string_view id, const std::string& request_id);
  // Appends an event of `type` about `object` (data.object; data.previous_attributes unless
  // null) to the dataset's events and queues its webhook deliveries. The caller holds the
  // dataset's lock exclusively.
  void AppendEvent(Dataset& dataset, const std::string& type, boost::json::object object,
                   boost::json::value previous_attributes, const std::string& request_id,
                   std::mt19937_64& rng);
  // A mutation's `<prefix>.<action>` event (AppendEvent).
  void EmitEvent(Dataset& dataset, const ResourceSpec& spec, std::string_view action,
                 const boost::json::object& object, const boost::json::value& previous,
                 const std::string& request_id, std::mt19937_64& rng);

  // "req_" + 14 random characters (also used for rolled/created keys' random part).
  std::string RandomChars(size_t n);

  const EmulatorConfig initial_config_;
  const EmulatorOptions options_;
  Clock& clock_;
  std::unique_ptr<WebhookDispatcher> webhooks_;
  std::atomic<int64_t> offset_{0};  // emulated now = clock_.NowUnix() + offset_

  mutable std::mutex mu_;
  DatasetMap datasets_;   // guarded by mu_ (the map; each Dataset has its own lock)
  KeyRegistry registry_;  // guarded by mu_
  Fault fault_;           // guarded by mu_
  OAuthGrants oauth_;     // guarded by mu_
  std::mt19937_64 rng_;   // guarded by mu_
  std::map<std::pair<std::string, bool>, Bucket> buckets_;  // guarded by mu_
  std::atomic<uint64_t> api_requests_{0};
  std::atomic<uint64_t> rate_limited_{0};
  std::atomic<uint64_t> faults_injected_{0};
  RequestRate request_rate_;
  EmulatorRouter router_;  // built by the constructor, then only read
};

}  // namespace stripeline::emulator
