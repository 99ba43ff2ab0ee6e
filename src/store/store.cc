#include "store/store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cctype>
#include <utility>

#include "common/text.h"

namespace stripeline::store {
namespace {

constexpr std::string_view kUserColumns = "id, email, role, password_hash, disabled, created_at";
constexpr std::string_view kSessionColumns =
    "id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at";
constexpr std::string_view kApiTokenColumns =
    "id, user_id, name, token_hash, token_prefix, created_at, last_used_at, revoked";
constexpr std::string_view kClientColumns = "id, name, created_at";
constexpr std::string_view kIntegrationColumns =
    "id, type, name, client_id, auth_scheme, credentials_sealed, secret_key_masked, account_id, "
    "stripe_account_id, stripe_account_name, livemode, active, health, health_reason, "
    "health_checked_at, missing_permissions, last_sync_at, created_at, updated_at";
constexpr std::string_view kAuditColumns =
    "id, at, actor, action, integration_id, summary, details_json";

constexpr std::string_view kUserExists = "SELECT 1 FROM users WHERE id = $1";
constexpr std::string_view kClientExists = "SELECT 1 FROM clients WHERE id = $1";

// Column lists are compile-time constants, so concatenating them builds no SQL from values.
std::string Sql(std::string_view head, std::string_view columns, std::string_view tail) {
  std::string sql(head);
  sql += columns;
  sql += tail;
  return sql;
}

std::string Quoted(std::string_view s) {
  std::string out = "'";
  out += s;
  out += "'";
  return out;
}

// Replaces the message of a failure of category `code`; other statuses pass through.
Status Rename(Status status, StatusCode code, std::string message, std::string error_code) {
  if (status.code() != code) return status;
  switch (code) {
    case StatusCode::kAlreadyExists:
      return Status::AlreadyExists(std::move(message), std::move(error_code));
    case StatusCode::kNotFound:
      return Status::NotFound(std::move(message), std::move(error_code));
    default:
      return status;
  }
}

// Turns "0 rows changed" into NotFound.
Status ExpectRow(const Result<int64_t>& changed, std::string not_found_message) {
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return Status::NotFound(std::move(not_found_message));
  return Status::OK();
}

std::string PermissionsToJson(const std::vector<std::string>& permissions) {
  boost::json::array array;
  for (const std::string& p : permissions) array.emplace_back(p);
  return boost::json::serialize(array);
}

Result<std::vector<std::string>> PermissionsFromJson(const std::string& text,
                                                     const std::string& integration_id) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(text, ec);
  const Status malformed = Status::Internal("Integration " + Quoted(integration_id) +
                                            " has a malformed missing_permissions column");
  if (ec || !value.is_array()) return malformed;
  std::vector<std::string> out;
  for (const boost::json::value& item : value.get_array()) {
    if (!item.is_string()) return malformed;
    out.emplace_back(item.get_string());
  }
  return out;
}

Result<User> UserFromRow(const Row& row) {
  User user;
  user.id = row.GetString("id");
  user.email = row.GetString("email");
  const std::string role = row.GetString("role");
  std::optional<Role> parsed = ParseRole(role);
  if (!parsed) {
    return Status::Internal("User " + Quoted(user.id) + " has an unknown role " + Quoted(role));
  }
  user.role = *parsed;
  user.password_hash = row.GetString("password_hash");
  user.disabled = row.GetBool("disabled");
  user.created_at = row.GetInt("created_at");
  return user;
}

Result<std::vector<User>> UsersFromRows(const Rows& rows) {
  std::vector<User> users;
  users.reserve(rows.size());
  for (const Row& row : rows) {
    SL_ASSIGN_OR_RETURN(User user, UserFromRow(row));
    users.push_back(std::move(user));
  }
  return users;
}

Session SessionFromRow(const Row& row) {
  Session s;
  s.id_hash = row.GetString("id_hash");
  s.user_id = row.GetString("user_id");
  s.csrf_token = row.GetString("csrf_token");
  s.created_at = row.GetInt("created_at");
  s.last_seen_at = row.GetInt("last_seen_at");
  s.expires_at = row.GetInt("expires_at");
  return s;
}

ApiToken ApiTokenFromRow(const Row& row) {
  ApiToken t;
  t.id = row.GetString("id");
  t.user_id = row.GetString("user_id");
  t.name = row.GetString("name");
  t.token_hash = row.GetString("token_hash");
  t.token_prefix = row.GetString("token_prefix");
  t.created_at = row.GetInt("created_at");
  t.last_used_at = row.GetOptionalInt("last_used_at");
  t.revoked = row.GetBool("revoked");
  return t;
}

Client ClientFromRow(const Row& row) {
  Client c;
  c.id = row.GetString("id");
  c.name = row.GetString("name");
  c.created_at = row.GetInt("created_at");
  return c;
}

Result<Integration> IntegrationFromRow(const Row& row) {
  Integration i;
  i.id = row.GetString("id");
  i.type = row.GetString("type");
  i.name = row.GetString("name");
  i.client_id = row.GetOptionalString("client_id");
  i.auth_scheme = row.GetString("auth_scheme");
  i.credentials_sealed = row.GetString("credentials_sealed");
  i.secret_key_masked = row.GetString("secret_key_masked");
  i.account_id = row.GetOptionalString("account_id");
  i.stripe_account_id = row.GetString("stripe_account_id");
  i.stripe_account_name = row.GetString("stripe_account_name");
  i.livemode = row.GetBool("livemode");
  i.active = row.GetBool("active");
  const std::string health = row.GetString("health");
  std::optional<Health> parsed_health = ParseHealth(health);
  if (!parsed_health) {
    return Status::Internal("Integration " + Quoted(i.id) + " has an unknown health " +
                            Quoted(health));
  }
  i.health = *parsed_health;
  i.health_reason = row.GetString("health_reason");
  i.health_checked_at = row.GetInt("health_checked_at");
  SL_ASSIGN_OR_RETURN(i.missing_permissions,
                      PermissionsFromJson(row.GetString("missing_permissions"), i.id));
  i.last_sync_at = row.GetOptionalInt("last_sync_at");
  i.created_at = row.GetInt("created_at");
  i.updated_at = row.GetInt("updated_at");
  return i;
}

AuditEntry AuditFromRow(const Row& row) {
  AuditEntry e;
  e.id = row.GetInt("id");
  e.at = row.GetInt("at");
  e.actor = row.GetString("actor");
  e.action = row.GetString("action");
  e.integration_id = row.GetOptionalString("integration_id");
  e.summary = row.GetString("summary");
  e.details_json = row.GetString("details_json");
  return e;
}

int64_t Flag(bool b) { return b ? 1 : 0; }

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kMember:
      return "member";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "member") return Role::kMember;
  if (name == "viewer") return Role::kViewer;
  return std::nullopt;
}

std::string_view HealthName(Health health) {
  switch (health) {
    case Health::kUnknown:
      return "unknown";
    case Health::kOk:
      return "ok";
    case Health::kNeedsReconnect:
      return "needs_reconnect";
    case Health::kMissingPermissions:
      return "missing_permissions";
    case Health::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

std::optional<Health> ParseHealth(std::string_view name) {
  for (Health health : {Health::kUnknown, Health::kOk, Health::kNeedsReconnect,
                        Health::kMissingPermissions, Health::kUnavailable}) {
    if (name == HealthName(health)) return health;
  }
  return std::nullopt;
}

Store::Store(Database& db) : db_(db) {}

Status Store::InTransaction(const std::function<Status()>& body) {
  return db_.Transaction(body);
}

Status Store::InDurableTransaction(const std::function<Status()>& body) {
  return db_.DurableTransaction(body);
}

Status Store::CheckExists(std::string_view exists_sql, const std::string& id,
                          std::string not_found_message) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query(exists_sql, {id}));
  if (rows.empty()) return Status::NotFound(std::move(not_found_message));
  return Status::OK();
}

// ---- Users ----

Status Store::CreateUser(const User& user) {
  const std::string email = ToLower(user.email);
  return db_.Transaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(Rows taken, db_.Query("SELECT id FROM users WHERE email = $1", {email}));
    if (!taken.empty()) {
      return Status::AlreadyExists("A user with email " + Quoted(email) + " already exists",
                                   "email_taken");
    }
    Result<int64_t> inserted = db_.Execute(
        "INSERT INTO users (id, email, role, password_hash, disabled, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {user.id, email, std::string(RoleName(user.role)), user.password_hash,
         Flag(user.disabled), user.created_at});
    return Rename(inserted.status(), StatusCode::kAlreadyExists,
                  "A user with id " + Quoted(user.id) + " already exists", "already_exists");
  });
}

Result<User> Store::GetUser(const std::string& id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query(Sql("SELECT ", kUserColumns, " FROM users WHERE id = $1"), {id}));
  if (rows.empty()) return Status::NotFound("No user with id " + Quoted(id));
  return UserFromRow(rows[0]);
}

Result<User> Store::FindUserByEmail(const std::string& email) {
  const std::string lowered = ToLower(email);
  SL_ASSIGN_OR_RETURN(
      Rows rows, db_.Query(Sql("SELECT ", kUserColumns, " FROM users WHERE email = $1"), {lowered}));
  if (rows.empty()) return Status::NotFound("No user with email " + Quoted(lowered));
  return UserFromRow(rows[0]);
}

Result<std::vector<User>> Store::ListUsers() {
  SL_ASSIGN_OR_RETURN(Rows rows,
                      db_.Query(Sql("SELECT ", kUserColumns, " FROM users ORDER BY email"), {}));
  return UsersFromRows(rows);
}

Status Store::UpdateUser(const User& user) {
  const std::string email = ToLower(user.email);
  return db_.Transaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(
        Rows taken, db_.Query("SELECT id FROM users WHERE email = $1 AND id <> $2", {email, user.id}));
    if (!taken.empty()) {
      return Status::AlreadyExists("A user with email " + Quoted(email) + " already exists",
                                   "email_taken");
    }
    return ExpectRow(
        db_.Execute("UPDATE users SET email = $2, role = $3, password_hash = $4, disabled = $5 "
                     "WHERE id = $1",
                     {user.id, email, std::string(RoleName(user.role)), user.password_hash,
                      Flag(user.disabled)}),
        "No user with id " + Quoted(user.id));
  });
}

Result<int64_t> Store::CountUsers() {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query("SELECT COUNT(*) FROM users", {}));
  return rows.empty() ? int64_t{0} : rows[0].GetInt(0);
}

// ---- Sessions ----

Status Store::CreateSession(const Session& session) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(CheckExists(kUserExists, session.user_id,
                                   "No user with id " + Quoted(session.user_id)));
    Result<int64_t> inserted = db_.Execute(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {session.id_hash, session.user_id, session.csrf_token, session.created_at,
         session.last_seen_at, session.expires_at});
    return Rename(inserted.status(), StatusCode::kAlreadyExists, "The session already exists",
                  "already_exists");
  });
}

Result<Session> Store::GetSession(const std::string& id_hash) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query(Sql("SELECT ", kSessionColumns, " FROM sessions WHERE id_hash = $1"), {id_hash}));
  if (rows.empty()) return Status::NotFound("No such session");
  return SessionFromRow(rows[0]);
}

Status Store::TouchSession(const std::string& id_hash, int64_t last_seen_at, int64_t expires_at) {
  return ExpectRow(
      db_.Execute("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1",
                   {id_hash, last_seen_at, expires_at}),
      "No such session");
}

Status Store::DeleteSession(const std::string& id_hash) {
  return ExpectRow(db_.Execute("DELETE FROM sessions WHERE id_hash = $1", {id_hash}),
                   "No such session");
}

Result<int64_t> Store::DeleteSessionsOfUser(const std::string& user_id) {
  return db_.Execute("DELETE FROM sessions WHERE user_id = $1", {user_id});
}

Result<int64_t> Store::DeleteExpiredSessions(int64_t now) {
  return db_.Execute("DELETE FROM sessions WHERE expires_at <= $1", {now});
}

// ---- API tokens ----

Status Store::CreateApiToken(const ApiToken& token) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(
        CheckExists(kUserExists, token.user_id, "No user with id " + Quoted(token.user_id)));
    Result<int64_t> inserted = db_.Execute(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, token_prefix, created_at, "
        "last_used_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {token.id, token.user_id, token.name, token.token_hash, token.token_prefix,
         token.created_at, OptionalValue(token.last_used_at), Flag(token.revoked)});
    return Rename(inserted.status(), StatusCode::kAlreadyExists,
                  "An API token with id " + Quoted(token.id) + " or the same hash already exists",
                  "already_exists");
  });
}

Result<ApiToken> Store::FindApiTokenByHash(const std::string& token_hash) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query(Sql("SELECT ", kApiTokenColumns, " FROM api_tokens WHERE token_hash = $1"),
                 {token_hash}));
  if (rows.empty()) return Status::NotFound("No API token with this value");
  return ApiTokenFromRow(rows[0]);
}

Result<std::vector<ApiToken>> Store::ListApiTokens(const std::string& user_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows, db_.Query(Sql("SELECT ", kApiTokenColumns,
                                " FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id"),
                            {user_id}));
  std::vector<ApiToken> tokens;
  tokens.reserve(rows.size());
  for (const Row& row : rows) tokens.push_back(ApiTokenFromRow(row));
  return tokens;
}

Status Store::RevokeApiToken(const std::string& id) {
  return ExpectRow(db_.Execute("UPDATE api_tokens SET revoked = 1 WHERE id = $1", {id}),
                   "No API token with id " + Quoted(id));
}

Status Store::TouchApiToken(const std::string& id, int64_t at) {
  return ExpectRow(db_.Execute("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", {id, at}),
                   "No API token with id " + Quoted(id));
}

// ---- Clients ----

Status Store::CreateClient(const Client& client) {
  Result<int64_t> inserted =
      db_.Execute("INSERT INTO clients (id, name, created_at) VALUES ($1, $2, $3)",
                   {client.id, client.name, client.created_at});
  return Rename(inserted.status(), StatusCode::kAlreadyExists,
                "A client with id " + Quoted(client.id) + " already exists", "already_exists");
}

Result<Client> Store::GetClient(const std::string& id) {
  SL_ASSIGN_OR_RETURN(Rows rows,
                      db_.Query(Sql("SELECT ", kClientColumns, " FROM clients WHERE id = $1"), {id}));
  if (rows.empty()) return Status::NotFound("No client with id " + Quoted(id));
  return ClientFromRow(rows[0]);
}

Result<std::vector<Client>> Store::ListClients() {
  SL_ASSIGN_OR_RETURN(
      Rows rows, db_.Query(Sql("SELECT ", kClientColumns, " FROM clients ORDER BY name, id"), {}));
  std::vector<Client> clients;
  clients.reserve(rows.size());
  for (const Row& row : rows) clients.push_back(ClientFromRow(row));
  return clients;
}

Status Store::UpdateClient(const Client& client) {
  return ExpectRow(
      db_.Execute("UPDATE clients SET name = $2 WHERE id = $1", {client.id, client.name}),
      "No client with id " + Quoted(client.id));
}

Status Store::DeleteClient(const std::string& id) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(CheckExists(kClientExists, id, "No client with id " + Quoted(id)));
    SL_ASSIGN_OR_RETURN(
        Rows count, db_.Query("SELECT COUNT(*) FROM integrations WHERE client_id = $1", {id}));
    const int64_t n = count.empty() ? 0 : count[0].GetInt(0);
    if (n > 0) {
      return Status::FailedPrecondition("Client " + Quoted(id) + " still has " +
                                            std::to_string(n) +
                                            " integration(s); delete or move them first",
                                        "client_has_integrations");
    }
    return ExpectRow(db_.Execute("DELETE FROM clients WHERE id = $1", {id}),
                     "No client with id " + Quoted(id));
  });
}

Status Store::AddClientMember(const std::string& client_id, const std::string& user_id) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(
        CheckExists(kClientExists, client_id, "No client with id " + Quoted(client_id)));
    SL_RETURN_IF_ERROR(CheckExists(kUserExists, user_id, "No user with id " + Quoted(user_id)));
    return db_
        .Execute("INSERT INTO client_members (client_id, user_id) VALUES ($1, $2) "
                  "ON CONFLICT (client_id, user_id) DO NOTHING",
                  {client_id, user_id})
        .status();
  });
}

Status Store::RemoveClientMember(const std::string& client_id, const std::string& user_id) {
  return ExpectRow(db_.Execute("DELETE FROM client_members WHERE client_id = $1 AND user_id = $2",
                                {client_id, user_id}),
                   "User " + Quoted(user_id) + " is not a member of client " + Quoted(client_id));
}

Result<std::vector<std::string>> Store::ListClientIdsForUser(const std::string& user_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT client_id FROM client_members WHERE user_id = $1 ORDER BY client_id",
                 {user_id}));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const Row& row : rows) ids.push_back(row.GetString(0));
  return ids;
}

Result<std::vector<User>> Store::ListClientMembers(const std::string& client_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query(Sql("SELECT ", kUserColumns,
                     " FROM users WHERE id IN (SELECT user_id FROM client_members WHERE "
                     "client_id = $1) ORDER BY email"),
                 {client_id}));
  return UsersFromRows(rows);
}

// ---- Integrations ----

Status Store::CreateIntegration(const Integration& i) {
  return db_.Transaction([&]() -> Status {
    if (i.client_id) {
      SL_RETURN_IF_ERROR(
          CheckExists(kClientExists, *i.client_id, "No client with id " + Quoted(*i.client_id)));
    }
    Result<int64_t> inserted = db_.Execute(
        Sql("INSERT INTO integrations (", kIntegrationColumns,
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
            "$17, $18, $19)"),
        {i.id, i.type, i.name, OptionalValue(i.client_id), i.auth_scheme, i.credentials_sealed,
         i.secret_key_masked, OptionalValue(i.account_id), i.stripe_account_id,
         i.stripe_account_name, Flag(i.livemode), Flag(i.active),
         std::string(HealthName(i.health)), i.health_reason, i.health_checked_at,
         PermissionsToJson(i.missing_permissions),
         OptionalValue(i.last_sync_at), i.created_at, i.updated_at});
    return Rename(inserted.status(), StatusCode::kAlreadyExists,
                  "An integration with id " + Quoted(i.id) + " already exists", "already_exists");
  });
}

Result<Integration> Store::GetIntegration(const std::string& id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query(Sql("SELECT ", kIntegrationColumns, " FROM integrations WHERE id = $1"), {id}));
  if (rows.empty()) return Status::NotFound("No integration with id " + Quoted(id));
  return IntegrationFromRow(rows[0]);
}

Result<std::vector<Integration>> Store::ListIntegrations(std::optional<std::string> client_id) {
  Result<Rows> rows =
      client_id ? db_.Query(Sql("SELECT ", kIntegrationColumns,
                                 " FROM integrations WHERE client_id = $1 ORDER BY name, id"),
                             {*client_id})
                : db_.Query(Sql("SELECT ", kIntegrationColumns,
                                 " FROM integrations ORDER BY name, id"),
                             {});
  if (!rows.ok()) return rows.status();
  std::vector<Integration> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    SL_ASSIGN_OR_RETURN(Integration integration, IntegrationFromRow(row));
    out.push_back(std::move(integration));
  }
  return out;
}

Status Store::UpdateIntegration(const Integration& i) {
  return db_.Transaction([&]() -> Status {
    if (i.client_id) {
      SL_RETURN_IF_ERROR(
          CheckExists(kClientExists, *i.client_id, "No client with id " + Quoted(*i.client_id)));
    }
    return ExpectRow(
        db_.Execute(
            "UPDATE integrations SET type = $2, name = $3, client_id = $4, auth_scheme = $5, "
            "credentials_sealed = $6, secret_key_masked = $7, account_id = $8, "
            "stripe_account_id = $9, stripe_account_name = $10, livemode = $11, active = $12, "
            "health = $13, health_reason = $14, health_checked_at = $15, "
            "missing_permissions = $16, last_sync_at = $17, updated_at = $18 WHERE id = $1",
            {i.id, i.type, i.name, OptionalValue(i.client_id), i.auth_scheme,
             i.credentials_sealed, i.secret_key_masked, OptionalValue(i.account_id),
             i.stripe_account_id, i.stripe_account_name, Flag(i.livemode), Flag(i.active),
             std::string(HealthName(i.health)), i.health_reason, i.health_checked_at,
             PermissionsToJson(i.missing_permissions), OptionalValue(i.last_sync_at),
             i.updated_at}),
        "No integration with id " + Quoted(i.id));
  });
}

Status Store::SetIntegrationLastSync(const std::string& id, int64_t last_sync_at) {
  return ExpectRow(db_.Execute("UPDATE integrations SET last_sync_at = $2 WHERE id = $1",
                                {id, last_sync_at}),
                   "No integration with id " + Quoted(id));
}

Status Store::DeleteIntegration(const std::string& id) {
  return ExpectRow(db_.Execute("DELETE FROM integrations WHERE id = $1", {id}),
                   "No integration with id " + Quoted(id));
}

// ---- Audit log ----

Result<int64_t> Store::AppendAudit(const AuditEntry& e) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("INSERT INTO audit_log (at, actor, action, integration_id, summary, details_json) "
                 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                 {e.at, e.actor, e.action, OptionalValue(e.integration_id), e.summary,
                  e.details_json}));
  if (rows.empty()) return Status::Internal("The audit insert returned no id");
  return rows[0].GetInt(0);
}

Result<std::vector<AuditEntry>> Store::ListAudit(std::optional<std::string> integration_id,
                                                 int limit) {
  if (limit <= 0) {
    return Status::InvalidArgument("The audit list limit must be positive, got " +
                                   std::to_string(limit));
  }
  Result<Rows> rows =
      integration_id
          ? db_.Query(Sql("SELECT ", kAuditColumns,
                           " FROM audit_log WHERE integration_id = $1 ORDER BY id DESC LIMIT $2"),
                       {*integration_id, int64_t{limit}})
          : db_.Query(Sql("SELECT ", kAuditColumns, " FROM audit_log ORDER BY id DESC LIMIT $1"),
                       {int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) out.push_back(AuditFromRow(row));
  return out;
}

// ---- Connect OAuth states ----

namespace {
constexpr std::string_view kOAuthStateColumns =
    "state_hash, binding_hash, user_id, client_id, name, expected_account, scope, created_at, "
    "expires_at, used_at, integration_id";
}  // namespace

Status Store::CreateOAuthState(const OAuthState& state) {
  SL_RETURN_IF_ERROR(CheckExists(kUserExists, state.user_id,
                                 "No user with id '" + state.user_id + "'"));
  if (state.client_id) {
    SL_RETURN_IF_ERROR(CheckExists(kClientExists, *state.client_id,
                                   "No client with id '" + *state.client_id + "'"));
  }
  return db_
      .Execute(Sql("INSERT INTO oauth_states (", kOAuthStateColumns,
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"),
                {state.state_hash, state.binding_hash, state.user_id, OptionalValue(state.client_id),
                 state.name, OptionalValue(state.expected_account), state.scope, state.created_at,
                 state.expires_at, OptionalValue(state.used_at),
                 OptionalValue(state.integration_id)})
      .status();
}

Result<OAuthState> Store::GetOAuthState(const std::string& state_hash) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query(Sql("SELECT ", kOAuthStateColumns,
                                                " FROM oauth_states WHERE state_hash = $1"),
                                            {state_hash}));
  if (rows.empty()) return Status::NotFound("No such OAuth state");
  const Row& row = rows[0];
  return OAuthState{.state_hash = row.GetString("state_hash"),
                    .binding_hash = row.GetString("binding_hash"),
                    .user_id = row.GetString("user_id"),
                    .client_id = row.GetOptionalString("client_id"),
                    .name = row.GetString("name"),
                    .expected_account = row.GetOptionalString("expected_account"),
                    .scope = row.GetString("scope"),
                    .integration_id = row.GetOptionalString("integration_id"),
                    .created_at = row.GetInt("created_at"),
                    .expires_at = row.GetInt("expires_at"),
                    .used_at = row.GetOptionalInt("used_at")};
}

Result<bool> Store::ConsumeOAuthState(const std::string& state_hash, int64_t now) {
  SL_ASSIGN_OR_RETURN(int64_t changed,
                      db_.Execute("UPDATE oauth_states SET used_at = $2 "
                                   "WHERE state_hash = $1 AND used_at IS NULL",
                                   {state_hash, now}));
  return changed == 1;
}

Result<int64_t> Store::DeleteOAuthStatesExpiredBefore(int64_t before) {
  return db_.Execute("DELETE FROM oauth_states WHERE expires_at < $1", {before});
}

// ---- Settings ----

Result<std::optional<std::string>> Store::GetSetting(const std::string& key) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query("SELECT value FROM settings WHERE key = $1", {key}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].GetString(0));
}

Status Store::PutSetting(const std::string& key, const std::string& value) {
  return db_
      .Execute("INSERT INTO settings (key, value) VALUES ($1, $2) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                {key, value})
      .status();
}

}  // namespace stripeline::store
