#include "emulator/emulator.h"

#include <boost/json.hpp>

#include "common/clock.h"
#include "emulator/api_error.h"
#include "emulator/list_query.h"
#include "emulator/resource_table.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view kAdminPrefix = "/_emulator/";
constexpr std::string_view kApiPrefix = "/v1/";

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path = path.substr(slash + 1);
  }
  return parts;
}

std::string RequestLogUrl(const AccountConfig& account, const KeyConfig& key,
                          const std::string& request_id) {
  std::string url = "https://dashboard.stripe.com/";
  if (account.id != key.account_id) url += account.id + "/";
  if (!key.livemode) url += "test/";
  return url + "logs/" + request_id + "?t=" + std::to_string(Clock::Real().NowUnix());
}

// Admin parameters from the query, then a form or JSON-object body; arrays in JSON become
// repeated fields.
Fields AdminParams(const HttpRequest& request) {
  Fields params = request.query;
  std::string_view body = request.body;
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && body[start] == '{') {
    boost::system::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec || !value.is_object()) return params;
    auto text = [](const json::value& v) -> std::string {
      if (v.is_string()) return std::string(v.as_string());
      return json::serialize(v);
    };
    for (const auto& member : value.as_object()) {
      if (member.value().is_array()) {
        for (const json::value& v : member.value().as_array()) {
          params.emplace_back(std::string(member.key()), text(v));
        }
      } else if (!member.value().is_null()) {
        params.emplace_back(std::string(member.key()), text(member.value()));
      }
    }
  } else {
    Fields form = ParseFormEncoded(body);
    params.insert(params.end(), form.begin(), form.end());
  }
  return params;
}

std::optional<std::string> Param(const Fields& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
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

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
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

}  // namespace

Result<std::unique_ptr<Emulator>> Emulator::Create(const EmulatorOptions& options) {
  EmulatorConfig config = BuiltInConfig();
  if (!options.keys_file.empty()) SL_RETURN_IF_ERROR(LoadKeysFile(options.keys_file, config));
  return std::unique_ptr<Emulator>(new Emulator(std::move(config), options.seed));
}

Emulator::Emulator(EmulatorConfig config, uint64_t seed)
    : initial_config_(std::move(config)), registry_(initial_config_), rng_(std::random_device{}()) {
  for (const AccountConfig& account : initial_config_.accounts) {
    for (bool livemode : {false, true}) {
      datasets_.emplace(std::pair{account.id, livemode}, Dataset::Build(account, livemode, seed));
    }
  }
}

std::string Emulator::RandomChars(size_t n) {
  static constexpr std::string_view kChars =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::lock_guard lock(mu_);
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kChars[rng_() % kChars.size()]);
  return out;
}

HttpResponse Emulator::Handle(const HttpRequest& request) {
  std::string request_id = "req_" + RandomChars(14);
  HttpResponse response;
  if (request.path.starts_with(kAdminPrefix)) {
    response = HandleAdmin(request);
  } else {
    api_requests_.fetch_add(1);
    response = HandleApi(request, request_id);
    response.SetHeader("Stripe-Version", request.Header("stripe-version")
                                             .value_or(std::string(DatasetBuilder::kApiVersion)));
  }
  response.SetHeader("Request-Id", request_id);
  if (!response.Header("Content-Type")) response.SetHeader("Content-Type", "application/json");
  return response;
}

HttpResponse Emulator::HandleApi(const HttpRequest& request, const std::string& request_id) {
  KeyConfig key;
  AccountConfig account;
  {
    std::lock_guard lock(mu_);
    if (fault_.remaining > 0) {
      --fault_.remaining;
      HttpResponse response = ErrorResponse(errors::Fault(fault_.status));
      if (fault_.should_retry) {
        response.SetHeader("Stripe-Should-Retry", *fault_.should_retry ? "true" : "false");
      }
      return response;
    }
    auto authenticated = registry_.Authenticate(request.Header("authorization"));
    if (auto* error = std::get_if<ApiError>(&authenticated)) return ErrorResponse(*error);
    key = std::get<KeyConfig>(std::move(authenticated));
    auto resolved = registry_.ResolveAccount(key, request.Header("stripe-account"));
    if (auto* error = std::get_if<ApiError>(&resolved)) {
      const AccountConfig* own = registry_.config().FindAccount(key.account_id);
      return ErrorResponse(*error, own ? RequestLogUrl(*own, key, request_id) : "");
    }
    account = std::get<AccountConfig>(std::move(resolved));
  }
  std::string log_url = RequestLogUrl(account, key, request_id);
  auto fail = [&](const ApiError& error) { return ErrorResponse(error, log_url); };

  std::vector<std::string_view> parts;
  if (request.path.starts_with(kApiPrefix)) {
    parts = SplitPath(std::string_view(request.path).substr(kApiPrefix.size()));
  }
  const ResourceSpec* spec = parts.empty() ? nullptr : FindResource(parts[0]);
  bool singleton = parts.size() == 1 && (parts[0] == "account" || parts[0] == "balance");
  bool routed = request.method == "GET" &&
                (singleton || (spec != nullptr && (parts.size() == 1 ||
                                                   (parts.size() == 2 && !parts[1].empty()))));
  if (!routed) return fail(errors::UnrecognizedUrl(request.method, request.path));

  // Stripe checks permissions before looking at parameters or objects.
  if (parts[0] == "account") {
    if (key.kind == KeyKind::kRestricted) {
      return fail(errors::ClosedToRestrictedKeys(key.key, account.id));
    }
  } else {
    std::string_view permission = spec ? spec->permission : kBalancePermission;
    if (!key.Allows(permission)) {
      return fail(errors::MissingPermission(key.key, account.id, permission));
    }
  }

  const Dataset& dataset = datasets_.at({account.id, key.livemode});
  if (parts[0] == "account") return HttpResponse::Json(200, dataset.Account());
  if (parts[0] == "balance") return HttpResponse::Json(200, dataset.Balance());

  if (parts.size() == 1) {
    auto query = ListQuery::Parse(*spec, request.query);
    if (auto* error = std::get_if<ApiError>(&query)) return fail(*error);
    auto page = std::get<ListQuery>(query).Run(dataset);
    if (auto* error = std::get_if<ApiError>(&page)) return fail(*error);
    return HttpResponse::Json(200, std::get<json::object>(page));
  }

  std::string_view id = parts[1];
  if (std::optional<size_t> at = dataset.Find(spec->path, id)) {
    return HttpResponse::Json(200, dataset.Objects(spec->path)[*at]);
  }
  // Stripe tells a caller when the id exists in the other mode of the same account.
  const Dataset& other = datasets_.at({account.id, !key.livemode});
  std::string_view other_mode;
  if (other.Find(spec->path, id)) other_mode = key.livemode ? "test" : "live";
  return fail(errors::NoSuchObject(404, spec->object_name, id, "id", other_mode));
}

HttpResponse Emulator::HandleAdmin(const HttpRequest& request) {
  std::vector<std::string_view> parts =
      SplitPath(std::string_view(request.path).substr(kAdminPrefix.size()));
  Fields params = AdminParams(request);
  auto route = [&](std::string_view method, std::initializer_list<std::string_view> path) {
    if (request.method != method || parts.size() != path.size()) return false;
    size_t i = 0;
    for (std::string_view part : path) {
      if (part != "*" && parts[i] != part) return false;
      ++i;
    }
    return true;
  };

  if (route("GET", {"requests", "count"})) {
    return HttpResponse::Json(200, json::object{{"count", api_requests_.load()}});
  }
  if (route("POST", {"reset"})) {
    std::lock_guard lock(mu_);
    registry_ = KeyRegistry(initial_config_);
    fault_ = Fault{};
    api_requests_.store(0);
    return HttpResponse::Json(200, json::object{{"reset", true}});
  }
  if (route("POST", {"keys", "revoke"}) || route("POST", {"keys", "roll"})) {
    std::optional<std::string> key = Param(params, "key");
    if (!key || key->empty()) return AdminError(400, "missing parameter: key");
    if (parts[1] == "revoke") {
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
  }
  if (route("POST", {"keys"})) {
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
  }
  if (route("POST", {"accounts", "*", "disconnect"})) {
    std::lock_guard lock(mu_);
    Status status = registry_.Disconnect(parts[1]);
    if (!status.ok()) return AdminError(status);
    return HttpResponse::Json(200,
                              json::object{{"account", parts[1]}, {"disconnected", true}});
  }
  if (route("POST", {"faults"})) {
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
  }
  return AdminError(404, "no emulator endpoint " + request.method + " " + request.path);
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
