#include "emulator/emulator.h"

#include <boost/json.hpp>

#include <algorithm>
#include <future>
#include <set>
#include <shared_mutex>

#include "common/clock.h"
#include "common/http_server.h"
#include "emulator/api_error.h"
#include "emulator/list_query.h"
#include "emulator/object_shapes.h"
#include "emulator/reconciliation_fixtures.h"
#include "emulator/request_params.h"
#include "emulator/resource_table.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view kAdminPrefix = "/_emulator/";
constexpr std::string_view kOAuthPrefix = "/oauth/";

std::string RequestLogUrl(const AccountConfig& account, const KeyConfig& key,
                          const std::string& request_id) {
  std::string url = "https://dashboard.stripe.com/";
  if (account.id != key.account_id) url += account.id + "/";
  if (!key.livemode) url += "test/";
  return url + "logs/" + request_id + "?t=" + std::to_string(Clock::Real().NowUnix());
}

HttpResponse AdminError(int status, std::string message) {
  return HttpResponse::Json(
      status, json::object{{"error", {{"type", "invalid_request_error"}, {"message", message}}}});
}

HttpResponse AdminError(const Status& status) {
  int http = 400;
  if (status.code() == StatusCode::kNotFound) http = 404;
  if (status.code() == StatusCode::kFailedPrecondition) http = 409;
  return AdminError(http, status.message());
}

std::string_view KindName(KeyKind kind) {
  switch (kind) {
    case KeyKind::kSecret:
      return "secret";
    case KeyKind::kRestricted:
      return "restricted";
    case KeyKind::kPublishable:
      return "publishable";
  }
  return "secret";
}

constexpr int64_t kEventWindow = 30 * 86400;
constexpr std::string_view kDefaultAccount = "acct_emu_demo";

// Stripe's 429 body exactly as stripe-api.md §4.
HttpResponse RateLimited() {
  return HttpResponse::Json(429, json::object{{"error",
                                               {{"type", "invalid_request_error"},
                                                {"code", "rate_limit"},
                                                {"message", "Request rate limit exceeded"}}}});
}

// Applies admin `params` to an object's top-level fields: metadata[k]=v (empty v removes k),
// and any existing scalar field (integers and booleans parsed, "" sets null). Records the old
// values in `previous`. InvalidArgument for an unknown or unsettable field or a bad value.
Status ApplyFields(json::object& object, const Fields& params, json::object& previous) {
  static const std::set<std::string_view> kReserved = {"account", "livemode", "seed", "id",
                                                      "object", "created"};
  for (const auto& [name, value] : params) {
    if (kReserved.contains(name)) {
      if (name == "account" || name == "livemode" || name == "seed") continue;
      return Status::InvalidArgument("field " + name + " cannot be set");
    }
    if (name.starts_with("metadata[") && name.ends_with("]")) {
      std::string key = name.substr(9, name.size() - 10);
      json::value& metadata = object["metadata"];
      if (!metadata.is_object()) metadata = json::object{};
      if (!previous.contains("metadata")) previous["metadata"] = metadata;
      if (value.empty()) {
        metadata.as_object().erase(key);
      } else {
        metadata.as_object()[key] = value;
      }
      continue;
    }
    json::value* field = object.if_contains(name);
    if (field == nullptr) {
      return Status::InvalidArgument("unknown field for a " +
                                     std::string(object.at("object").as_string()) + ": " + name);
    }
    json::value next;
    if (value.empty()) {
      next = nullptr;
    } else if (field->is_int64() || field->is_uint64()) {
      std::optional<int64_t> n = ParseInteger(value);
      if (!n) return Status::InvalidArgument(name + " must be an integer");
      next = *n;
    } else if (field->is_bool()) {
      std::optional<bool> b = ParseBool(value);
      if (!b) return Status::InvalidArgument(name + " must be true or false");
      next = *b;
    } else if (field->is_string() || field->is_null()) {
      next = value;
    } else {
      return Status::InvalidArgument("field " + name + " is not a scalar and cannot be set");
    }
    if (!previous.contains(name)) previous[name] = *field;
    *field = std::move(next);
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Emulator>> Emulator::Create(const EmulatorOptions& options) {
  if (options.objects < 0) return Status::InvalidArgument("objects must be 0 or more");
  if (options.latency_ms < 0) return Status::InvalidArgument("latency must be 0 or more");
  if (options.rate_limit_live < 0 || options.rate_limit_test < 0) {
    return Status::InvalidArgument("rate limits must be 0 (none) or more");
  }
  for (double p : {options.fail_rate, options.reset_rate}) {
    if (!(p >= 0 && p <= 1)) return Status::InvalidArgument("fault rates must be in [0, 1]");
  }
  if (options.webhooks.max_attempts < 1) {
    return Status::InvalidArgument("webhook attempts must be 1 or more");
  }
  EmulatorConfig config = BuiltInConfig();
  if (!options.keys_file.empty()) SL_RETURN_IF_ERROR(LoadKeysFile(options.keys_file, config));
  return std::unique_ptr<Emulator>(new Emulator(std::move(config), options));
}

Emulator::Emulator(EmulatorConfig config, const EmulatorOptions& options)
    : initial_config_(std::move(config)),
      options_(options),
      clock_(options.clock != nullptr ? *options.clock : Clock::Real()),
      webhooks_(std::make_unique<WebhookDispatcher>(options.webhooks, clock_, options.seed)),
      registry_(initial_config_),
      rng_(options.seed),
      router_([this](const HttpRequest& request, const std::string&,
                     const std::string& request_id) { return NoRoute(request, request_id); }) {
  datasets_ = BuildDatasets();
  AddApiRoutes();
  AddOAuthRoutes();
  AddAdminRoutes();
}

Emulator::~Emulator() = default;

int64_t Emulator::Now() const { return clock_.NowUnix() + offset_.load(); }

Emulator::DatasetMap Emulator::BuildDatasets() const {
  int64_t now = Now();
  std::vector<std::pair<std::pair<std::string, bool>, std::future<std::unique_ptr<Dataset>>>> jobs;
  for (const AccountConfig& account : initial_config_.accounts) {
    for (bool livemode : {false, true}) {
      // Large datasets build in parallel; the demo ones are too small to bother.
      auto policy = options_.objects > 0 ? std::launch::async : std::launch::deferred;
      jobs.emplace_back(std::pair{account.id, livemode},
                        std::async(policy, [this, &account, livemode, now] {
                          return Dataset::Build(account, livemode, options_.seed, now,
                                                options_.objects);
                        }));
    }
  }
  DatasetMap datasets;
  for (auto& [key, job] : jobs) datasets.emplace(key, std::shared_ptr<Dataset>(job.get()));
  return datasets;
}

std::shared_ptr<Dataset> Emulator::FindDataset(const std::string& account, bool livemode) const {
  std::lock_guard lock(mu_);
  auto it = datasets_.find({account, livemode});
  return it == datasets_.end() ? nullptr : it->second;
}

std::string Emulator::RandomChars(size_t n) {
  std::lock_guard lock(mu_);
  return RandomFrom(rng_, n);
}

bool Emulator::TakeToken(const std::string& account, bool livemode) {
  double rate = livemode ? options_.rate_limit_live : options_.rate_limit_test;
  if (rate <= 0) return true;
  auto now = clock_.Monotonic();
  auto [it, inserted] = buckets_.try_emplace({account, livemode}, Bucket{rate, now});
  Bucket& bucket = it->second;
  double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
  bucket.tokens = std::min(rate, bucket.tokens + elapsed * rate);
  bucket.refilled = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

HttpResponse Emulator::Handle(const HttpRequest& request) {
  std::string request_id = "req_" + RandomChars(14);
  const bool api = IsApiPath(request.path);
  if (api) {
    api_requests_.fetch_add(1);
    if (options_.latency_ms > 0) clock_.SleepFor(std::chrono::milliseconds(options_.latency_ms));
  }
  HttpResponse response = router_.Dispatch(request, request_id);
  if (api) {
    response.SetHeader("Stripe-Version", request.Header("stripe-version")
                                             .value_or(std::string(kApiVersion)));
  }
  response.SetHeader("Request-Id", request_id);
  if (!response.Header("Content-Type")) response.SetHeader("Content-Type", "application/json");
  return response;
}

bool Emulator::IsApiPath(std::string_view path) {
  return !path.starts_with(kAdminPrefix) && !path.starts_with(kOAuthPrefix);
}

HttpResponse Emulator::NoRoute(const HttpRequest& request, const std::string& request_id) {
  // Each family answers in its own error shape; an API request is still authenticated and
  // rate limited first, as Stripe does.
  if (request.path.starts_with(kAdminPrefix)) {
    return AdminError(404, "no emulator endpoint " + request.method + " " + request.path);
  }
  if (request.path.starts_with(kOAuthPrefix)) {
    return ErrorResponse(errors::UnrecognizedUrl(request.method, request.path));
  }
  return HandleApi(request, request_id, ApiTarget{});
}

void Emulator::AddApiRoutes() {
  for (std::string_view singleton : {"account", "balance"}) {
    router_.Add("GET", "/v1/" + std::string(singleton),
                [this, singleton](const HttpRequest& request, const PathParams&,
                                  const std::string& request_id) {
                  return HandleApi(request, request_id, ApiTarget{.singleton = singleton});
                });
  }
  // A resource the table does not know is an unrecognized URL (spec null).
  router_.Add("GET", "/v1/{resource}",
              [this](const HttpRequest& request, const PathParams& path,
                     const std::string& request_id) {
                return HandleApi(request, request_id,
                                 ApiTarget{.spec = FindResource(path.at("resource"))});
              });
  router_.Add("GET", "/v1/{resource}/{id}",
              [this](const HttpRequest& request, const PathParams& path,
                     const std::string& request_id) {
                return HandleApi(request, request_id,
                                 ApiTarget{.spec = FindResource(path.at("resource")),
                                           .id = path.at("id")});
              });
}

HttpResponse Emulator::HandleApi(const HttpRequest& request, const std::string& request_id,
                                 const ApiTarget& target) {
  KeyConfig key;
  AccountConfig account;
  std::shared_ptr<Dataset> dataset, other;
  {
    std::lock_guard lock(mu_);
    // Who the request reaches is known before any fault is drawn, so that injected faults
    // count against the account like the answers Stripe would give it.
    auto authenticated = registry_.Authenticate(request.Header("authorization"));
    std::optional<std::variant<AccountConfig, ApiError>> resolved;
    if (const auto* reached = std::get_if<KeyConfig>(&authenticated)) {
      resolved = registry_.ResolveAccount(*reached, request.Header("stripe-account"));
      if (const auto* target = std::get_if<AccountConfig>(&*resolved)) {
        request_rate_.Count(target->id, reached->livemode, clock_.NowUnix());
      }
    }
    if (fault_.remaining > 0) {
      --fault_.remaining;
      faults_injected_.fetch_add(1);
      HttpResponse response = ErrorResponse(errors::Fault(fault_.status));
      if (fault_.should_retry) {
        response.SetHeader("Stripe-Should-Retry", *fault_.should_retry ? "true" : "false");
      }
      return response;
    }
    // Draw only for the faults that are on, so a run without them keeps its random sequence.
    auto draw = [&] { return std::uniform_real_distribution<double>(0, 1)(rng_); };
    if (options_.reset_rate > 0 && draw() < options_.reset_rate) {
      faults_injected_.fetch_add(1);
      HttpResponse response;
      response.SetHeader(std::string(kCloseWithoutResponseHeader), "1");
      return response;
    }
    if (options_.fail_rate > 0 && draw() < options_.fail_rate) {
      faults_injected_.fetch_add(1);
      return ErrorResponse(errors::Fault(500));
    }
    if (auto* error = std::get_if<ApiError>(&authenticated)) return ErrorResponse(*error);
    key = std::get<KeyConfig>(std::move(authenticated));
    if (auto* error = std::get_if<ApiError>(&*resolved)) {
      const AccountConfig* own = registry_.config().FindAccount(key.account_id);
      return ErrorResponse(*error, own ? RequestLogUrl(*own, key, request_id) : "");
    }
    account = std::get<AccountConfig>(std::move(*resolved));
    if (!TakeToken(account.id, key.livemode)) {
      rate_limited_.fetch_add(1);
      return RateLimited();
    }
    dataset = datasets_.at({account.id, key.livemode});
    other = datasets_.at({account.id, !key.livemode});
  }
  std::string log_url = RequestLogUrl(account, key, request_id);
  auto fail = [&](const ApiError& error) { return ErrorResponse(error, log_url); };

  const ResourceSpec* spec = target.spec;
  if (target.singleton.empty() && spec == nullptr) {
    return fail(errors::UnrecognizedUrl(request.method, request.path));
  }

  // Stripe checks permissions before looking at parameters or objects.
  if (target.singleton == "account") {
    if (key.kind == KeyKind::kRestricted) {
      return fail(errors::ClosedToRestrictedKeys(key.key, account.id));
    }
  } else {
    std::string_view permission = spec ? spec->permission : kBalancePermission;
    if (!key.Allows(permission)) {
      return fail(errors::MissingPermission(key.key, account.id, permission));
    }
  }

  std::shared_lock data_lock(dataset->mutex());
  if (target.singleton == "account") return HttpResponse::Json(200, dataset->Account());
  if (target.singleton == "balance") return HttpResponse::Json(200, dataset->Balance());

  const Collection& objects = *dataset->Objects(spec->path);
  std::optional<int64_t> oldest;
  if (spec->path == "events") oldest = Now() - kEventWindow;
  if (!target.id) {
    auto query = ListQuery::Parse(*spec, request.query);
    if (auto* error = std::get_if<ApiError>(&query)) return fail(*error);
    std::optional<std::vector<uint32_t>> only;
    if (const std::optional<std::string>& payout = std::get<ListQuery>(query).payout()) {
      auto items = PayoutItems(*dataset, *payout);
      if (auto* error = std::get_if<ApiError>(&items)) return fail(*error);
      only = std::get<std::vector<uint32_t>>(std::move(items));
    }
    auto page = std::get<ListQuery>(query).Run(objects, oldest, only ? &*only : nullptr);
    if (auto* error = std::get_if<ApiError>(&page)) return fail(*error);
    return HttpResponse::Text(200, std::move(std::get<std::string>(page)), "application/json");
  }

  std::string_view id = *target.id;
  if (std::optional<uint32_t> at = objects.Find(id)) {
    if (!objects.Deleted(*at) && (!oldest || objects.Created(*at) >= *oldest)) {
      return HttpResponse::Text(200, objects.Json(*at), "application/json");
    }
    return fail(errors::NoSuchObject(404, spec->object_name, id, "id"));
  }
  data_lock.unlock();
  // Stripe tells a caller when the id exists in the other mode of the same account.
  std::string_view other_mode;
  {
    std::shared_lock other_lock(other->mutex());
    if (other->Objects(spec->path)->Find(id)) other_mode = key.livemode ? "test" : "live";
  }
  return fail(errors::NoSuchObject(404, spec->object_name, id, "id", other_mode));
}

std::variant<std::vector<uint32_t>, ApiError> Emulator::PayoutItems(const Dataset& dataset,
                                                                    std::string_view payout) {
  const Collection& payouts = *dataset.Objects("payouts");
  std::optional<uint32_t> at = payouts.Find(payout);
  if (!at || payouts.Deleted(*at)) return errors::NoSuchObject(400, "payout", payout, "payout");
  const json::value* automatic = payouts.Object(*at).if_contains("automatic");
  if (automatic == nullptr || !automatic->is_bool() || !automatic->as_bool()) {
    return errors::PayoutNotItemisable();
  }
  return dataset.PayoutTransactions(payout);
}

void Emulator::AddAdminRoutes() {
  // Every admin endpoint reads its parameters the same way (request_params.h).
  using AdminHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&,
                                                  const Fields& params, const std::string&)>;
  auto admin = [this](std::string method, std::string_view path, AdminHandler handler) {
    router_.Add(std::move(method), std::string(kAdminPrefix) + std::string(path),
                [handler = std::move(handler)](const HttpRequest& request, const PathParams& path,
                                               const std::string& request_id) {
                  return handler(request, path, RequestParams(request), request_id);
                });
  };

  admin("GET", "requests/count", [this](const HttpRequest&, const PathParams&, const Fields&,
                                        const std::string&) {
    return HttpResponse::Json(200, json::object{{"count", api_requests_.load()}});
  });
  admin("GET", "stats",
        [this](const HttpRequest&, const PathParams&, const Fields& params, const std::string&) {
          return Stats(params);
        });
  admin("GET", "request_rate",
        [this](const HttpRequest&, const PathParams&, const Fields& params, const std::string&) {
          std::optional<bool> livemode;
          if (std::optional<std::string> mode = Param(params, "livemode")) {
            livemode = ParseBool(*mode);
            if (!livemode) return AdminError(400, "livemode must be true or false");
          }
          return HttpResponse::Json(200, request_rate_.Report(Param(params, "account"), livemode));
        });
  admin("GET", "clock", [this](const HttpRequest&, const PathParams&, const Fields&,
                               const std::string&) { return ClockAnswer(std::nullopt); });
  admin("POST", "clock/advance",
        [this](const HttpRequest&, const PathParams&, const Fields& params, const std::string&) {
          std::optional<int64_t> seconds = ParseInteger(Param(params, "seconds").value_or(""));
          if (!seconds || *seconds < 0) {
            return AdminError(400,
                              "seconds must be a non-negative integer (the clock never goes back)");
          }
          return ClockAnswer(*seconds);
        });
  admin("POST", "reset", [this](const HttpRequest&, const PathParams&, const Fields&,
                                const std::string&) {
    offset_.store(0);
    DatasetMap fresh = BuildDatasets();
    webhooks_->Clear();
    std::lock_guard lock(mu_);
    datasets_ = std::move(fresh);
    registry_ = KeyRegistry(initial_config_);
    oauth_ = OAuthGrants{};
    fault_ = Fault{};
    buckets_.clear();
    api_requests_.store(0);
    rate_limited_.store(0);
    faults_injected_.store(0);
    request_rate_.Clear();
    return HttpResponse::Json(200, json::object{{"reset", true}});
  });
  auto objects = [this](const HttpRequest& request, const PathParams& path, const Fields& params,
                        const std::string& request_id) {
    return HandleObjects(request, path, params, request_id);
  };
  admin("POST", "objects/{resource}", objects);
  admin("POST", "objects/{resource}/{id}", objects);
  admin("DELETE", "objects/{resource}/{id}", objects);
  admin("POST", "traffic",
        [this](const HttpRequest&, const PathParams&, const Fields& params, const std::string&) {
          return HandleTraffic(params);
        });
  AddWebhookEndpointRoutes();
  // Reconciliation fixtures of an account's current data: the manifest, or one of its files.
  auto fixtures = [this](const HttpRequest&, const PathParams& path, const Fields& params,
                         const std::string&) {
    std::string account = Param(params, "account").value_or(std::string(kDefaultAccount));
    std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
    if (!livemode) return AdminError(400, "livemode must be true or false");
    std::optional<int64_t> days = ParseInteger(Param(params, "days").value_or("90"));
    if (!days || *days < 1 || *days > 3650) return AdminError(400, "days must be an integer in 1..3650");
    std::shared_ptr<Dataset> dataset = FindDataset(account, *livemode);
    if (!dataset) return AdminError(404, "no such account: " + account);
    std::vector<FixtureFile> files;
    {
      std::shared_lock lock(dataset->mutex());
      files = ReconciliationFixtures(*dataset, {.now = Now(), .days = *days});
    }
    auto wanted = path.find("file");
    std::string name = wanted == path.end() ? "manifest.json" : wanted->second;
    for (FixtureFile& file : files) {
      if (file.name == name) return HttpResponse::Text(200, std::move(file.content), file.content_type);
    }
    return AdminError(404, "no such fixture file: " + name);
  };
  admin("GET", "fixtures", fixtures);
  admin("GET", "fixtures/{file}", fixtures);
  for (bool revoke : {true, false}) {
    admin("POST", revoke ? "keys/revoke" : "keys/roll", [this, revoke](const HttpRequest&,
                                                                       const PathParams&,
                                                                       const Fields& params,
                                                                       const std::string&) {
    std::optional<std::string> key = Param(params, "key");
    if (!key || key->empty()) return AdminError(400, "missing parameter: key");
    if (revoke) {
      std::lock_guard lock(mu_);
      Status status = registry_.Revoke(*key);
      if (!status.ok()) return AdminError(status);
      return HttpResponse::Json(200, json::object{{"key", *key}, {"revoked", true}});
    }
    std::string new_key = key->substr(0, 8) + "emu_rolled_" + RandomChars(24);
    std::lock_guard lock(mu_);
    Result<KeyConfig> rolled = registry_.Roll(*key, new_key);
    if (!rolled.ok()) return AdminError(rolled.status());
    return HttpResponse::Json(200, json::object{{"key", rolled->key}, {"previous", *key}});
    });
  }
  admin("POST", "keys", [this](const HttpRequest&, const PathParams&, const Fields& params,
                               const std::string&) {
    std::optional<std::string> account = Param(params, "account");
    if (!account || account->empty()) return AdminError(400, "missing parameter: account");
    std::string kind = Param(params, "kind").value_or("secret");
    if (kind != "secret" && kind != "restricted") {
      return AdminError(400, "kind must be secret or restricted");
    }
    std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
    if (!livemode) return AdminError(400, "livemode must be true or false");
    KeyConfig key;
    key.account_id = *account;
    key.livemode = *livemode;
    key.kind = kind == "secret" ? KeyKind::kSecret : KeyKind::kRestricted;
    for (const auto& [name, value] : params) {
      if (!name.starts_with("permissions")) continue;
      if (key.kind != KeyKind::kRestricted) {
        return AdminError(400, "only restricted keys have permissions");
      }
      if (!value.starts_with("rak_") ||
          !(value.ends_with("_read") || value.ends_with("_write"))) {
        return AdminError(400, "permission \"" + value +
                                   "\" must look like rak_<name>_read or rak_<name>_write");
      }
      key.permissions.insert(value);
    }
    key.key = std::string(kind == "secret" ? "sk_" : "rk_") + (*livemode ? "live_" : "test_") +
              "emu_" + RandomChars(24);
    std::lock_guard lock(mu_);
    Result<KeyConfig> created = registry_.Create(std::move(key));
    if (!created.ok()) return AdminError(created.status());
    json::array permissions;
    for (const std::string& p : created->permissions) permissions.emplace_back(p);
    return HttpResponse::Json(200, json::object{{"key", created->key},
                                                {"account", created->account_id},
                                                {"kind", kind},
                                                {"livemode", created->livemode},
                                                {"permissions", std::move(permissions)}});
  });
  admin("POST", "accounts/{account}/disconnect", [this](const HttpRequest&, const PathParams& path,
                                                        const Fields&, const std::string&) {
    const std::string& account = path.at("account");
    std::lock_guard lock(mu_);
    Status status = registry_.Disconnect(account);
    if (!status.ok()) return AdminError(status);
    return HttpResponse::Json(200, json::object{{"account", account}, {"disconnected", true}});
  });
  admin("POST", "accounts/{account}/deauthorize", [this](const HttpRequest&,
                                                         const PathParams& path,
                                                         const Fields& params, const std::string&) {
    // The account's owner revoking the platform's access in their Dashboard.
    const std::string& id = path.at("account");
    std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
    if (!livemode) return AdminError(400, "livemode must be true or false");
    std::optional<AccountConfig> platform;
    {
      std::lock_guard lock(mu_);
      const AccountConfig* account = registry_.config().FindAccount(id);
      if (account == nullptr) return AdminError(404, "no such account: " + id);
      if (!account->connected_to) {
        return AdminError(409, "\"" + account->id + "\" is not a connected account");
      }
      platform = *registry_.config().FindAccount(*account->connected_to);
    }
    Status status = DeauthorizeAccount(*platform, id, *livemode);
    if (!status.ok()) return AdminError(status);
    return HttpResponse::Json(200, json::object{{"account", id}, {"deauthorized", true}});
  });
  admin("POST", "faults", [this](const HttpRequest&, const PathParams&, const Fields& params,
                                 const std::string&) {
    std::optional<int64_t> status = ParseInteger(Param(params, "status").value_or(""));
    if (!status || *status < 400 || *status > 599) {
      return AdminError(400, "status must be an HTTP error status (400..599)");
    }
    std::optional<int64_t> count = ParseInteger(Param(params, "count").value_or("1"));
    if (!count || *count < 0) return AdminError(400, "count must be a non-negative integer");
    Fault fault{static_cast<int>(*status), *count, std::nullopt};
    if (std::optional<std::string> retry = Param(params, "should_retry")) {
      fault.should_retry = ParseBool(*retry);
      if (!fault.should_retry) return AdminError(400, "should_retry must be true or false");
    }
    std::lock_guard lock(mu_);
    fault_ = fault;
    return HttpResponse::Json(200, json::object{{"status", *status}, {"count", *count}});
  });
}

HttpResponse Emulator::ClockAnswer(std::optional<int64_t> advance_seconds) {
  if (advance_seconds) offset_.fetch_add(*advance_seconds);
  return HttpResponse::Json(200, json::object{{"now", Now()}, {"offset", offset_.load()}});
}

HttpResponse Emulator::Stats(const Fields& params) {
  std::string account = Param(params, "account").value_or(std::string(kDefaultAccount));
  std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
  if (!livemode) return AdminError(400, "livemode must be true or false");
  std::shared_ptr<Dataset> dataset = FindDataset(account, *livemode);
  if (!dataset) return AdminError(404, "no such account: " + account);
  json::object objects;
  {
    std::shared_lock lock(dataset->mutex());
    for (const ResourceSpec& spec : Resources()) {
      const Collection& collection = *dataset->Objects(spec.path);
      size_t alive = collection.alive();
      if (spec.path == "events") {
        auto [first, last] = collection.CreatedRange(Now() - kEventWindow, std::nullopt);
        alive = 0;
        for (uint32_t p = first; p < last; ++p) alive += !collection.Deleted(p);
      }
      objects[spec.path] = alive;
    }
  }
  return HttpResponse::Json(200, json::object{{"account", account},
                                              {"livemode", *livemode},
                                              {"now", Now()},
                                              {"objects", std::move(objects)},
                                              {"requests", api_requests_.load()},
                                              {"rate_limited", rate_limited_.load()},
                                              {"faults_injected", faults_injected_.load()},
                                              {"webhook_endpoints", webhooks_->EndpointCount()}});
}

HttpResponse Emulator::HandleObjects(const HttpRequest& request, const PathParams& path,
                                     const Fields& params, const std::string& request_id) {
  auto id = path.find("id");
  bool create = id == path.end();
  bool update = !create && request.method == "POST";
  const std::string& resource = path.at("resource");
  const ResourceSpec* spec = FindResource(resource);
  if (spec == nullptr) return AdminError(404, "no such resource: " + resource);
  if (spec->event_prefix.empty()) {
    return AdminError(400, std::string(spec->path) + " cannot be changed through the admin API");
  }
  std::string account = Param(params, "account").value_or(std::string(kDefaultAccount));
  std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
  if (!livemode) return AdminError(400, "livemode must be true or false");
  std::shared_ptr<Dataset> dataset = FindDataset(account, *livemode);
  if (!dataset) return AdminError(404, "no such account: " + account);

  Result<json::object> result = Status::Internal("unreachable");
  {
    std::unique_lock lock(dataset->mutex());
    if (create) {
      std::mt19937_64 rng(Mix64(std::hash<std::string>{}(RandomChars(16))));
      result = CreateObject(*dataset, *spec, params, request_id, rng);
    } else if (update) {
      result = UpdateObject(*dataset, *spec, id->second, params, request_id);
    } else {
      result = DeleteObject(*dataset, *spec, id->second, request_id);
    }
  }
  if (!result.ok()) return AdminError(result.status());
  return HttpResponse::Json(200, *result);
}

Result<json::object> Emulator::CreateObject(Dataset& dataset, const ResourceSpec& spec,
                                            const Fields& params, const std::string& request_id,
                                            std::mt19937_64& rng) {
  Collection& objects = dataset.MutableObjects(spec.path);
  // The newest live object is the template: the right shape and valid references.
  std::optional<json::object> templ;
  for (size_t p = objects.size(); p-- > 0 && !templ;) {
    if (!objects.Deleted(static_cast<uint32_t>(p))) templ = objects.Object(static_cast<uint32_t>(p));
  }
  if (!templ) {
    return Status::FailedPrecondition("no " + std::string(spec.path) + " left to model a new one on");
  }
  json::object object = std::move(*templ);
  std::string old_id(object.at("id").as_string());
  std::string id = spec.id_prefix.empty() ? RandomFrom(rng, 8, true)
                                          : std::string(spec.id_prefix) + RandomFrom(rng, 24);
  int64_t created = Now();
  if (objects.size() > 0) {
    created = std::max(created, objects.Created(static_cast<uint32_t>(objects.size() - 1)));
  }
  object["id"] = id;
  object["created"] = created;
  object["metadata"] = json::object{};
  if (spec.path == "customers") {
    std::string suffix = RandomFrom(rng, 6);
    object["name"] = "New Customer " + suffix;
    object["email"] = "new." + suffix + "@example.com";
  }
  // Nested lists (subscription items, invoice lines) name their parent.
  for (std::string_view list : {"items", "lines"}) {
    json::value* nested = object.if_contains(list);
    if (nested == nullptr || !nested->is_object()) continue;
    for (json::value& item : nested->as_object()["data"].as_array()) {
      for (std::string_view field : {"subscription", "invoice"}) {
        json::value* parent = item.as_object().if_contains(field);
        if (parent && parent->is_string() && parent->as_string() == old_id) *parent = id;
      }
    }
    std::string url(nested->as_object()["url"].as_string());
    if (size_t at = url.find(old_id); at != std::string::npos) url.replace(at, old_id.size(), id);
    nested->as_object()["url"] = url;
  }
  json::object previous;
  SL_RETURN_IF_ERROR(ApplyFields(object, params, previous));
  objects.Append(id, created, json::serialize(object));
  EmitEvent(dataset, spec, "created", object, nullptr, request_id, rng);
  return object;
}

Result<json::object> Emulator::UpdateObject(Dataset& dataset, const ResourceSpec& spec,
                                            std::string_view id, const Fields& params,
                                            const std::string& request_id) {
  Collection& objects = dataset.MutableObjects(spec.path);
  std::optional<uint32_t> at = objects.Find(id);
  if (!at || objects.Deleted(*at)) {
    return Status::NotFound("No such " + std::string(spec.object_name) + ": '" + std::string(id) + "'");
  }
  json::object object = objects.Object(*at);
  json::object previous;
  SL_RETURN_IF_ERROR(ApplyFields(object, params, previous));
  if (object.contains("updated")) object["updated"] = Now();
  objects.Update(*at, json::serialize(object));
  std::mt19937_64 rng(Mix64(std::hash<std::string>{}(RandomChars(16))));
  EmitEvent(dataset, spec, "updated", object, previous, request_id, rng);
  return object;
}

Result<json::object> Emulator::DeleteObject(Dataset& dataset, const ResourceSpec& spec,
                                            std::string_view id, const std::string& request_id) {
  if (spec.deletion == Deletion::kRefused) {
    return Status::InvalidArgument(std::string(spec.path) + " cannot be deleted");
  }
  if (spec.deletion == Deletion::kArchive) {
    return UpdateObject(dataset, spec, id, {{"active", "false"}}, request_id);
  }
  Collection& objects = dataset.MutableObjects(spec.path);
  std::optional<uint32_t> at = objects.Find(id);
  if (!at || objects.Deleted(*at)) {
    return Status::NotFound("No such " + std::string(spec.object_name) + ": '" + std::string(id) + "'");
  }
  json::object object = objects.Object(*at);
  objects.Delete(*at);
  std::mt19937_64 rng(Mix64(std::hash<std::string>{}(RandomChars(16))));
  EmitEvent(dataset, spec, "deleted", object, nullptr, request_id, rng);
  return json::object{{"id", id}, {"object", spec.object_name}, {"deleted", true}};
}

void Emulator::EmitEvent(Dataset& dataset, const ResourceSpec& spec, std::string_view action,
                         const json::object& object, const json::value& previous,
                         const std::string& request_id, std::mt19937_64& rng) {
  AppendEvent(dataset, std::string(spec.event_prefix) + "." + std::string(action), object, previous,
              request_id, rng);
}

void Emulator::AppendEvent(Dataset& dataset, const std::string& type, json::object object,
                           json::value previous_attributes, const std::string& request_id,
                           std::mt19937_64& rng) {
  Collection& events = dataset.MutableObjects("events");
  int64_t created = Now();
  if (events.size() > 0) {
    created = std::max(created, events.Created(static_cast<uint32_t>(events.size() - 1)));
  }
  const std::string& account = dataset.account().id;
  EventFacts facts{{"evt_" + RandomFrom(rng, 24), created, dataset.livemode()}};
  if (dataset.account().connected_to) facts.account = account;
  facts.object = std::move(object);
  facts.previous_attributes = std::move(previous_attributes);
  facts.pending_webhooks = webhooks_->Matching(account, dataset.livemode(), type);
  facts.request_id = request_id;
  facts.type = type;
  json::object event = EventObject(std::move(facts));
  std::string id(event.at("id").as_string());
  std::string body = json::serialize(event);
  events.Append(id, created, body);
  webhooks_->Enqueue(account, dataset.livemode(), type, id, body);
}

HttpResponse Emulator::HandleTraffic(const Fields& params) {
  std::optional<int64_t> count = ParseInteger(Param(params, "count").value_or("1"));
  if (!count || *count < 0 || *count > 1000000) {
    return AdminError(400, "count must be an integer in 0..1000000");
  }
  uint64_t seed = 0;
  if (std::optional<std::string> text = Param(params, "seed")) {
    std::optional<int64_t> parsed = ParseInteger(*text);
    if (!parsed) return AdminError(400, "seed must be an integer");
    seed = static_cast<uint64_t>(*parsed);
  } else {
    std::lock_guard lock(mu_);
    seed = rng_();
  }
  std::string account = Param(params, "account").value_or(std::string(kDefaultAccount));
  std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
  if (!livemode) return AdminError(400, "livemode must be true or false");
  std::shared_ptr<Dataset> dataset = FindDataset(account, *livemode);
  if (!dataset) return AdminError(404, "no such account: " + account);

  std::vector<const ResourceSpec*> mutable_specs, deletable;
  for (const ResourceSpec& spec : Resources()) {
    if (spec.event_prefix.empty()) continue;
    mutable_specs.push_back(&spec);
    if (spec.deletion != Deletion::kRefused) deletable.push_back(&spec);
  }
  std::mt19937_64 rng(seed);
  int64_t created = 0, updated = 0, deleted = 0;
  std::unique_lock lock(dataset->mutex());
  // A random live object of `spec`, or nullopt after a few misses (mostly deleted).
  auto pick = [&](const ResourceSpec& spec) -> std::optional<std::string> {
    const Collection& objects = *dataset->Objects(spec.path);
    for (int attempt = 0; attempt < 8 && objects.size() > 0; ++attempt) {
      auto p = static_cast<uint32_t>(rng() % objects.size());
      if (!objects.Deleted(p)) return objects.Id(p);
    }
    return std::nullopt;
  };
  for (int64_t n = 0; n < *count; ++n) {
    uint64_t roll = rng() % 100;
    if (roll < 30) {
      const ResourceSpec& spec = *mutable_specs[rng() % mutable_specs.size()];
      if (CreateObject(*dataset, spec, {}, "", rng).ok()) ++created;
    } else if (roll < 90) {
      const ResourceSpec& spec = *mutable_specs[rng() % mutable_specs.size()];
      std::optional<std::string> id = pick(spec);
      if (!id) continue;
      Fields fields{{"metadata[traffic]", std::to_string(n)}};
      json::object current = dataset->Objects(spec.path)->Object(*dataset->Objects(spec.path)->Find(*id));
      if (const json::value* d = current.if_contains("description"); d && (d->is_string() || d->is_null())) {
        fields.emplace_back("description", "Updated by traffic " + RandomFrom(rng, 6));
      }
      if (spec.path == "customers") fields.emplace_back("name", "Renamed " + RandomFrom(rng, 6));
      if (UpdateObject(*dataset, spec, *id, fields, "").ok()) ++updated;
    } else {
      const ResourceSpec& spec = *deletable[rng() % deletable.size()];
      std::optional<std::string> id = pick(spec);
      if (!id) continue;
      if (DeleteObject(*dataset, spec, *id, "").ok()) {
        (spec.deletion == Deletion::kArchive ? updated : deleted) += 1;
      }
    }
  }
  return HttpResponse::Json(200, json::object{{"count", *count},
                                              {"created", created},
                                              {"updated", updated},
                                              {"deleted", deleted},
                                              {"seed", seed}});
}

void Emulator::AddWebhookEndpointRoutes() {
  const std::string prefix = std::string(kAdminPrefix) + "webhook_endpoints";
  router_.Add("POST", prefix, [this](const HttpRequest& request, const PathParams&,
                                     const std::string&) {
    Fields params = RequestParams(request);
    std::optional<std::string> url = Param(params, "url");
    if (!url || !url->starts_with("http://")) return AdminError(400, "url must be an http:// URL");
    std::string account = Param(params, "account").value_or(std::string(kDefaultAccount));
    std::optional<bool> livemode = ParseBool(Param(params, "livemode").value_or("false"));
    if (!livemode) return AdminError(400, "livemode must be true or false");
    if (!FindDataset(account, *livemode)) return AdminError(404, "no such account: " + account);
    std::vector<std::string> enabled;
    for (const auto& [name, value] : params) {
      if (name == "enabled_events[]" || name == "enabled_events") enabled.push_back(value);
    }
    std::optional<std::string> secret = Param(params, "secret");
    if (secret && (!secret->starts_with("whsec_") || secret->size() < 16)) {
      return AdminError(400, "secret must start with whsec_ and have at least 10 more characters");
    }
    WebhookDispatcher::Endpoint endpoint =
        webhooks_->Add(*url, account, *livemode, std::move(enabled), std::move(secret));
    json::array events;
    for (const std::string& e : endpoint.enabled_events) events.emplace_back(e);
    if (events.empty()) events.emplace_back("*");
    return HttpResponse::Json(200, json::object{{"id", endpoint.id},
                                                {"object", "webhook_endpoint"},
                                                {"secret", endpoint.secret},
                                                {"url", endpoint.url},
                                                {"account", endpoint.account},
                                                {"livemode", endpoint.livemode},
                                                {"enabled_events", std::move(events)}});
  });
  router_.Add("DELETE", prefix + "/{id}", [this](const HttpRequest&, const PathParams& path,
                                                 const std::string&) {
    const std::string& id = path.at("id");
    if (!webhooks_->Remove(id)) return AdminError(404, "no such webhook endpoint: " + id);
    return HttpResponse::Json(
        200, json::object{{"id", id}, {"object", "webhook_endpoint"}, {"deleted", true}});
  });
  router_.Add("GET", prefix + "/{id}/deliveries", [this](const HttpRequest&,
                                                         const PathParams& path,
                                                         const std::string&) {
    const std::string& id = path.at("id");
    std::optional<json::array> deliveries = webhooks_->Deliveries(id);
    if (!deliveries) return AdminError(404, "no such webhook endpoint: " + id);
    return HttpResponse::Json(200, json::object{{"object", "list"}, {"data", std::move(*deliveries)}});
  });
}

std::vector<DemoKey> Emulator::DemoKeys() const {
  std::lock_guard lock(mu_);
  std::vector<DemoKey> keys;
  for (const KeyConfig& key : registry_.config().keys) {
    const AccountConfig* account = registry_.config().FindAccount(key.account_id);
    std::string description = std::string(KindName(key.kind)) + " key, " +
                              (key.livemode ? "live" : "test") + " mode, " + key.account_id;
    if (account != nullptr) description += " (" + account->name + ")";
    if (key.expired) {
      description += "; expired: answers 401 api_key_expired";
    } else if (key.kind == KeyKind::kPublishable) {
      description += "; publishable: answers 401 secret_key_required";
    } else if (key.kind == KeyKind::kRestricted) {
      description += "; " + std::to_string(key.permissions.size()) + " permissions";
      std::vector<std::string> lacking;
      for (const std::string& p : AllReadPermissions()) {
        if (!key.Allows(p)) lacking.push_back(p);
      }
      if (!lacking.empty()) {
        description += ", lacks";
        for (const std::string& p : lacking) description += " " + p;
      }
    }
    if (!key.expired && key.kind == KeyKind::kSecret) {
      bool has_connected = false;
      for (const AccountConfig& a : registry_.config().accounts) {
        has_connected = has_connected || a.connected_to == key.account_id;
      }
      if (has_connected) description += "; acts for connected accounts with Stripe-Account";
    }
    keys.push_back({key.key, std::move(description)});
  }
  return keys;
}

}  // namespace stripeline::emulator
