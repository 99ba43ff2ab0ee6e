#pragma once
// The records the Store keeps: users, sessions, API tokens, clients, integrations, audit entries.
// Plain value types (copyable, no invariants enforced here; the Store validates what it must).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stripeline::store {

enum class Role { kAdmin, kMember, kViewer };

// "admin", "member" or "viewer".
std::string_view RoleName(Role role);
// Inverse of RoleName; nullopt for anything else (case-sensitive).
std::optional<Role> ParseRole(std::string_view name);

// An integration's connection health (docs/ARCHITECTURE.md, "Health"): unknown until tested,
// then ok, needs_reconnect (key refused, expired, revoked, or no access to the account),
// missing_permissions (a restricted key lacks a named permission) or unavailable (Stripe
// unreachable or failing).
enum class Health { kUnknown, kOk, kNeedsReconnect, kMissingPermissions, kUnavailable };

// "unknown", "ok", "needs_reconnect", "missing_permissions" or "unavailable": as stored and as
// the API shows it.
std::string_view HealthName(Health health);
// Inverse of HealthName; nullopt for anything else (case-sensitive).
std::optional<Health> ParseHealth(std::string_view name);

struct User {
  std::string id, email;  // email is stored lowercased and unique
  Role role = Role::kViewer;
  std::string password_hash;
  bool disabled = false;
  int64_t created_at = 0;
};

// A browser session; the cookie value itself is never stored, only its hash.
struct Session {
  std::string id_hash, user_id, csrf_token;
  int64_t created_at = 0, last_seen_at = 0, expires_at = 0;
};

// A bearer token for programs; only its hash and a short prefix (for display) are stored.
struct ApiToken {
  std::string id, user_id, name, token_hash, token_prefix;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  bool revoked = false;
};

// A customer of the organisation (e.g. an agency's client) owning integrations.
struct Client {
  std::string id, name;
  int64_t created_at = 0;
};

// One connected Stripe account.
struct Integration {
  std::string id, type = "stripe", name;
  std::optional<std::string> client_id;  // null = system-wide
  std::string auth_scheme;               // "api_key" | "restricted_key" | "oauth"
  std::string credentials_sealed;        // SecretBox output bound to id
  std::string secret_key_masked;
  std::optional<std::string> account_id;  // Stripe-Account to act for
  std::string stripe_account_id, stripe_account_name;
  bool livemode = false;
  bool active = true;
  Health health = Health::kUnknown;
  std::string health_reason;
  int64_t health_checked_at = 0;
  std::vector<std::string> missing_permissions;  // stored as a JSON array text
  std::optional<int64_t> last_sync_at;
  int64_t created_at = 0, updated_at = 0;
};

// Who changed what, when. Never holds a secret.
struct AuditEntry {
  int64_t id = 0;  // assigned by AppendAudit
  int64_t at = 0;
  std::string actor;
  std::string action;
  std::optional<std::string> integration_id;
  std::string summary;
  std::string details_json = "{}";
};

// A Connect OAuth authorization in flight: the hash of its `state`, the hash of the binding
// cookie of the browser that started it, who started it and what it will create (or which
// integration it reconnects). Single-use:
// used_at is set by the callback that consumes it.
struct OAuthState {
  std::string state_hash, binding_hash, user_id;
  std::optional<std::string> client_id;
  std::string name;
  std::optional<std::string> expected_account;  // acct_... the user meant to connect, if said
  std::string scope;
  // Set when the authorization reconnects this OAuth integration instead of adding one.
  std::optional<std::string> integration_id;
  int64_t created_at = 0, expires_at = 0;
  std::optional<int64_t> used_at;
};

}  // namespace stripeline::store
