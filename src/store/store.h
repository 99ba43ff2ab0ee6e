#pragma once
// Store: the typed repository of Stripeline's own records (users, sessions, API tokens, clients,
// integrations, audit log, settings, OAuth states). Written once, in portable SQL, over a
// Database, so every backend shares it. It is one repository among others over the same
// Database (sync/'s SyncStateStore, WebhookStore, reports/' ReportRepository, ...): it does not
// hand its Database out; whoever opened it (OpenDatabase, store/open_database.h, in the
// composition root) gives it to each repository.
//
// Errors: a missing record is NotFound with a message naming it ("No integration with id
// 'int_x'"); a duplicate is AlreadyExists; a write that needs an absent parent is NotFound
// (naming the parent); database failures pass through as Unavailable / Internal.
//
// Thread-safety: thread-safe (the Database is). Single calls are atomic; use InTransaction to
// make several calls atomic together.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/database.h"
#include "store/entities.h"

namespace stripeline::store {

class Store {
 public:
  // Over `db`, already migrated (with StoreSchema() among its owners); `db` must outlive the
  // Store.
  explicit Store(Database& db);

  // Runs `body` atomically: commits if it returns OK, otherwise rolls back and returns its error.
  // Store calls made inside `body` (same thread) join the transaction; nested calls are allowed.
  Status InTransaction(const std::function<Status()>& body);
  // As InTransaction, and an OK return means the commit is on stable storage (it survives a
  // power loss, not only a crash of this process): for writes acknowledged to someone who will
  // not send them again. Costs a disk flush; batch what can be batched.
  Status InDurableTransaction(const std::function<Status()>& body);

  // ---- Users ----
  // Inserts `user` with its email lowercased. AlreadyExists when the email (case-insensitively)
  // or the id is taken.
  Status CreateUser(const User& user);
  Result<User> GetUser(const std::string& id);
  // Case-insensitive lookup. NotFound when no user has this email.
  Result<User> FindUserByEmail(const std::string& email);
  // All users, ordered by email.
  Result<std::vector<User>> ListUsers();
  // Replaces email (lowercased), role, password_hash and disabled of the user with user.id
  // (created_at is kept). NotFound when absent; AlreadyExists when the email belongs to another.
  Status UpdateUser(const User& user);
  Result<int64_t> CountUsers();

  // ---- Sessions ----
  // NotFound when session.user_id names no user; AlreadyExists on a duplicate id_hash.
  Status CreateSession(const Session& session);
  // Returns the session even when expired: comparing expires_at with the clock is the caller's.
  Result<Session> GetSession(const std::string& id_hash);
  Status TouchSession(const std::string& id_hash, int64_t last_seen_at, int64_t expires_at);
  // NotFound when absent (a logout may treat that as success).
  Status DeleteSession(const std::string& id_hash);
  // Returns how many sessions were deleted.
  Result<int64_t> DeleteSessionsOfUser(const std::string& user_id);
  // Deletes sessions with expires_at <= now; returns how many.
  Result<int64_t> DeleteExpiredSessions(int64_t now);

  // ---- API tokens ----
  // NotFound when token.user_id names no user; AlreadyExists on a duplicate id or token_hash.
  Status CreateApiToken(const ApiToken& token);
  // Returns the token even when revoked: checking `revoked` is the caller's.
  Result<ApiToken> FindApiTokenByHash(const std::string& token_hash);
  // The user's tokens (revoked ones too), oldest first.
  Result<std::vector<ApiToken>> ListApiTokens(const std::string& user_id);
  // Idempotent for a token already revoked; NotFound when absent.
  Status RevokeApiToken(const std::string& id);
  // Sets last_used_at. NotFound when absent.
  Status TouchApiToken(const std::string& id, int64_t at);

  // ---- Clients ----
  Status CreateClient(const Client& client);
  Result<Client> GetClient(const std::string& id);
  // All clients, ordered by name then id.
  Result<std::vector<Client>> ListClients();
  // Replaces the name (created_at is kept). NotFound when absent.
  Status UpdateClient(const Client& client);
  // Deletes the client and its memberships. FailedPrecondition while integrations reference
  // it; NotFound when absent.
  Status DeleteClient(const std::string& id);
  // Idempotent. NotFound when the client or the user does not exist.
  Status AddClientMember(const std::string& client_id, const std::string& user_id);
  // NotFound when the user is not a member of the client.
  Status RemoveClientMember(const std::string& client_id, const std::string& user_id);
  // Ids of the clients the user is a member of, sorted.
  Result<std::vector<std::string>> ListClientIdsForUser(const std::string& user_id);
  // The users who are members of the client, ordered by email (none for an unknown client).
  Result<std::vector<User>> ListClientMembers(const std::string& client_id);

  // ---- Integrations ----
  // NotFound when integration.client_id names no client; AlreadyExists on a duplicate id.
  Status CreateIntegration(const Integration& integration);
  Result<Integration> GetIntegration(const std::string& id);
  // All integrations when client_id is nullopt, otherwise those of that client; ordered by name
  // then id.
  Result<std::vector<Integration>> ListIntegrations(std::optional<std::string> client_id);
  // Replaces every column but id and created_at. NotFound when absent (or its client is).
  Status UpdateIntegration(const Integration& integration);
  // Sets only last_sync_at, so a sync finishing never overwrites an edit made meanwhile.
  // NotFound when absent.
  Status SetIntegrationLastSync(const std::string& id, int64_t last_sync_at);
  Status DeleteIntegration(const std::string& id);

  // ---- Audit log ----
  // Appends `entry` (its id is ignored) and returns the id assigned, increasing over time.
  Result<int64_t> AppendAudit(const AuditEntry& entry);
  // Newest first, at most `limit` (> 0, else InvalidArgument) entries; only those about
  // `integration_id` when given.
  Result<std::vector<AuditEntry>> ListAudit(std::optional<std::string> integration_id, int limit);

  // ---- Connect OAuth states ----
  // NotFound when the user or client does not exist; AlreadyExists on a duplicate hash.
  Status CreateOAuthState(const OAuthState& state);
  // NotFound when no state has this hash.
  Result<OAuthState> GetOAuthState(const std::string& state_hash);
  // Marks the state used at `now` unless it already was: true when this call consumed it, false
  // when it was used before (so exactly one of two racing callbacks wins).
  Result<bool> ConsumeOAuthState(const std::string& state_hash, int64_t now);
  // Deletes states that expired before `before`; returns how many.
  Result<int64_t> DeleteOAuthStatesExpiredBefore(int64_t before);

  // ---- Settings (a small key/value table) ----
  // nullopt when the key was never put.
  Result<std::optional<std::string>> GetSetting(const std::string& key);
  // Inserts or replaces.
  Status PutSetting(const std::string& key, const std::string& value);

 private:
  // OK when `exists_sql` (a constant query with one parameter) returns a row for `id`, else
  // NotFound with `not_found_message`.
  Status CheckExists(std::string_view exists_sql, const std::string& id,
                     std::string not_found_message);

  Database& db_;
};

}  // namespace stripeline::store
