#pragma once
// Emulator: a local Stripe for tests, demos and people without a Stripe account. It answers
// the read endpoints Stripeline uses with Stripe's exact wire format (stripe-api.md): the same
// authentication rules and error bodies, list paging and filters, restricted-key permissions,
// Stripe-Account for connected accounts, and a Request-Id on every response. Its data is a few
// deterministic demo objects per resource, account and mode (see resource_table.h).
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
// Endpoints (GET only): /v1/account (refused to restricted keys), /v1/balance, and list
// /v1/<resource> plus retrieve /v1/<resource>/<id> for every resource of resource_table.h.
// Anything else answers Stripe's 404 "Unrecognized request URL".
//
// Admin endpoints for tests, without authentication, JSON answers; parameters as a form body,
// a JSON object body or the query string:
//   POST /_emulator/keys/revoke  key=...          the key then answers 401 "Invalid API Key"
//   POST /_emulator/keys/roll    key=...          the old key answers 401 api_key_expired;
//                                                 answers {"key": new key, same account, mode,
//                                                 kind and permissions}
//   POST /_emulator/keys  account=acct_..&kind=secret|restricted&livemode=true|false
//                         &permissions[]=rak_...  answers {"key": ...}
//   POST /_emulator/accounts/<acct>/disconnect    the connected account answers account_invalid
//   POST /_emulator/faults  status=500&count=2[&should_retry=true|false]
//                           the next `count` API requests answer `status` with Stripe's
//                           api_error body (429: its rate_limit body) and, when given,
//                           Stripe-Should-Retry; count=0 clears
//   POST /_emulator/reset                         back to the initial keys, no faults, count 0
//   GET  /_emulator/requests/count                {"count": API requests served (everything
//                                                 outside /_emulator/, faults included)}
//
// Thread-safety: Handle and DemoKeys may be called concurrently from any threads.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/http_message.h"
#include "common/result.h"
#include "emulator/dataset.h"
#include "emulator/emulator_config.h"
#include "emulator/key_registry.h"

namespace stripeline::emulator {

struct EmulatorOptions {
  // Optional JSON file of extra accounts and keys (format in emulator_config.h). Empty: none.
  std::string keys_file;
  // Seeds the demo data: the same seed always gives the same ids, amounts and names.
  uint64_t seed = 42;
};

// A key worth showing to a person starting the emulator, with what it does.
struct DemoKey {
  std::string key, description;
};

class Emulator {
 public:
  // Loads the keys file (InvalidArgument naming the bad field, NotFound when unreadable) and
  // generates every account's data in both modes.
  static Result<std::unique_ptr<Emulator>> Create(const EmulatorOptions& options);

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

  Emulator(EmulatorConfig config, uint64_t seed);

  HttpResponse HandleApi(const HttpRequest& request, const std::string& request_id);
  HttpResponse HandleAdmin(const HttpRequest& request);
  // "req_" + 14 random characters (also used for rolled/created keys' random part).
  std::string RandomChars(size_t n);

  const EmulatorConfig initial_config_;
  // (account id, livemode) -> data; immutable after construction, read without the lock.
  std::map<std::pair<std::string, bool>, Dataset> datasets_;

  mutable std::mutex mu_;
  KeyRegistry registry_;  // guarded by mu_
  Fault fault_;           // guarded by mu_
  std::mt19937_64 rng_;   // guarded by mu_
  std::atomic<uint64_t> api_requests_{0};
};

}  // namespace stripeline::emulator
