#include "access/user_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "common/log.h"
#include "common/names.h"
#include "common/secrets.h"

namespace stripeline::access {

namespace {

const char kBadLogin[] = "Email or password is incorrect.";

Status Unauthenticated(std::string message) {
  return Status::Unauthenticated(std::move(message), "unauthenticated");
}

Status Busy() {
  return Status::Unavailable("Too many sign-ins at once; try again in a moment.", "busy")
      .WithRetryAfter(std::chrono::seconds(1));
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  std::string out;
  for (char c : email) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

UserService::UserService(store::Store& store, Clock& clock, SessionOptions options,
                         SignInLimits limits)
    : store_(store),
      clock_(clock),
      options_(options),
      hashing_(limits.hashing),
      throttle_(clock, limits.throttle) {}

Result<std::string> UserService::Hash(const std::string& password) {
  std::optional<WorkGate::Ticket> ticket = hashing_.Enter();
  if (!ticket) return Busy();
  return HashPassword(password);
}

Result<bool> UserService::Verify(const std::string& hash, const std::string& password) {
  std::optional<WorkGate::Ticket> ticket = hashing_.Enter();
  if (!ticket) return Busy();
  return VerifyPassword(hash, password);
}

Status UserService::ValidateEmail(const std::string& email) const {
  size_t at = email.find('@');
  if (email.empty() || at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string::npos) {
    return Status::InvalidArgument("'" + email + "' is not an email address.", "invalid_email");
  }
  return Status::OK();
}

Status UserService::ValidatePassword(const std::string& password) const {
  if (password.size() < 8) {
    return Status::InvalidArgument("The password must have at least 8 characters.",
                                   "weak_password");
  }
  return Status::OK();
}

Result<store::User> UserService::FindByEmail(const std::string& email) {
  return store_.FindUserByEmail(NormalizeEmail(email));
}

Result<FirstAdmin> UserService::EnsureFirstAdmin(const std::string& email,
                                                 const std::string& password) {
  FirstAdmin result;
  result.email = NormalizeEmail(email);
  SL_ASSIGN_OR_RETURN(int64_t users, store_.CountUsers());
  if (users > 0) return result;
  SL_RETURN_IF_ERROR(ValidateEmail(result.email));
  std::string chosen = password;
  if (chosen.empty()) {
    chosen = RandomToken("", 15);
    result.generated_password = chosen;
  }
  SL_RETURN_IF_ERROR(ValidatePassword(chosen));
  SL_ASSIGN_OR_RETURN(std::string hash, Hash(chosen));
  store::User user{.id = NewId("usr"),
                   .email = result.email,
                   .role = store::Role::kAdmin,
                   .password_hash = hash,
                   .disabled = false,
                   .created_at = clock_.NowUnix()};
  SL_RETURN_IF_ERROR(store_.CreateUser(user));
  result.created = true;
  log::Info("user.first_admin_created", {{"email", result.email}});
  return result;
}

Result<store::User> UserService::CreateUser(const Actor& actor, const std::string& email,
                                            store::Role role, const std::string& password) {
  SL_RETURN_IF_ERROR(RequireAdmin(actor, "add users"));
  std::string normalized = NormalizeEmail(email);
  SL_RETURN_IF_ERROR(ValidateEmail(normalized));
  SL_RETURN_IF_ERROR(ValidatePassword(password));
  SL_ASSIGN_OR_RETURN(std::string hash, Hash(password));
  store::User user{.id = NewId("usr"),
                   .email = normalized,
                   .role = role,
                   .password_hash = hash,
                   .disabled = false,
                   .created_at = clock_.NowUnix()};
  Status created = store_.CreateUser(user);
  if (created.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("A user with email '" + normalized + "' already exists.",
                                 "user_exists");
  }
  SL_RETURN_IF_ERROR(created);
  log::Info("user.created", {{"email", normalized}, {"role", store::RoleName(role)},
                             {"by", actor.email}});
  return user;
}

Result<std::vector<store::User>> UserService::ListUsers(const Actor& actor) {
  SL_RETURN_IF_ERROR(RequireAdmin(actor, "list users"));
  return store_.ListUsers();
}

Result<store::User> UserService::CurrentUser(const Actor& actor) {
  if (actor.user_id.empty()) {
    return Status::NotFound("The local operator is not a user.", "not_found");
  }
  return store_.GetUser(actor.user_id);
}

Result<store::User> UserService::UserByEmail(const Actor& actor, const std::string& email) {
  const std::string normalized = NormalizeEmail(email);
  if (normalized != NormalizeEmail(actor.email)) {
    SL_RETURN_IF_ERROR(RequireAdmin(actor, "look up other users"));
  }
  return store_.FindUserByEmail(normalized);
}

Result<store::User> UserService::UpdateUser(const Actor& actor, const std::string& user_id,
                                            std::optional<store::Role> role,
                                            std::optional<bool> disabled) {
  SL_RETURN_IF_ERROR(RequireAdmin(actor, "change users"));
  SL_ASSIGN_OR_RETURN(store::User user, store_.GetUser(user_id));
  if (user.id == actor.user_id &&
      ((role && *role != store::Role::kAdmin) || (disabled && *disabled))) {
    return Status::FailedPrecondition(
        "You cannot demote or disable your own account; ask another administrator.",
        "cannot_change_self");
  }
  if (role) user.role = *role;
  if (disabled) user.disabled = *disabled;
  SL_RETURN_IF_ERROR(store_.UpdateUser(user));
  if (user.disabled) SL_RETURN_IF_ERROR(store_.DeleteSessionsOfUser(user.id).status());
  return user;
}

Result<store::User> UserService::SetPassword(const Actor& actor, const std::string& email,
                                             const std::string& password) {
  SL_RETURN_IF_ERROR(RequireAdmin(actor, "set passwords"));
  SL_RETURN_IF_ERROR(ValidatePassword(password));
  SL_ASSIGN_OR_RETURN(store::User user, FindByEmail(email));
  SL_ASSIGN_OR_RETURN(user.password_hash, Hash(password));
  SL_RETURN_IF_ERROR(store_.UpdateUser(user));
  SL_RETURN_IF_ERROR(store_.DeleteSessionsOfUser(user.id).status());
  return user;
}

Result<NewSession> UserService::Login(const std::string& email, const std::string& password,
                                      const std::string& client_address) {
  const std::string account = NormalizeEmail(email);
  SL_RETURN_IF_ERROR(throttle_.Admit(account, client_address));
  auto user = FindByEmail(email);
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  // An unknown email costs the same hash as a real check, so response times don't reveal
  // which emails exist.
  static const std::string dummy = HashPassword("not-a-real-password").value();
  SL_ASSIGN_OR_RETURN(bool matches, Verify(user.ok() ? user->password_hash : dummy, password));
  if (!user.ok() || !matches || user->disabled) {
    if (auto closed = throttle_.RecordFailure(account, client_address)) {
      AuditThrottle(*closed, account, client_address);
    }
    return Unauthenticated(kBadLogin);
  }
  throttle_.RecordSuccess(account);
  NewSession session{.token = RandomToken("sess_", 32),
                     .csrf_token = RandomToken("", 24),
                     .user = *user};
  int64_t now = clock_.NowUnix();
  store::Session record{.id_hash = Sha256Hex(session.token),
                        .user_id = user->id,
                        .csrf_token = session.csrf_token,
                        .created_at = now,
                        .last_seen_at = now,
                        .expires_at = now + options_.idle_timeout.count()};
  SL_RETURN_IF_ERROR(store_.CreateSession(record));
  log::Info("user.login", {{"email", user->email}});
  return session;
}

void UserService::AuditThrottle(const LoginThrottle::Closed& closed, const std::string& email,
                                const std::string& address) {
  const std::string from = address.empty() ? "an unknown address" : address;
  const std::string summary =
      closed.account ? "Sign-ins to " + email + " paused after " +
                           std::to_string(closed.failures) + " failed attempts (the last from " +
                           from + ")"
                     : "Sign-ins from " + from +
                           " paused after repeated failed attempts (the last for " + email + ")";
  boost::json::object details{{"email", email},
                              {"address", address},
                              {"account_closed", closed.account},
                              {"address_closed", closed.address},
                              {"wait_seconds", closed.wait.count()}};
  Status audited = store_.AppendAudit({.at = clock_.NowUnix(),
                                       .actor = address.empty() ? "anonymous" : address,
                                       .action = "user.login_throttled",
                                       .summary = summary,
                                       .details_json = boost::json::serialize(details)})
                       .status();
  log::Warn("user.login_throttled", {{"email", email}, {"address", address}});
  // The refusal stands even if the audit could not be written; the log has it.
  if (!audited.ok()) log::Error("audit.write_failed", {{"error", audited.ToString()}});
}

Result<Actor> UserService::AuthenticateSession(const std::string& token) {
  auto session = store_.GetSession(Sha256Hex(token));
  if (!session.ok()) {
    if (session.status().code() == StatusCode::kNotFound) {
      return Unauthenticated("You are not signed in.");
    }
    return session.status();
  }
  int64_t now = clock_.NowUnix();
  if (session->expires_at <= now) {
    SL_RETURN_IF_ERROR(store_.DeleteSession(session->id_hash));
    return Status::Unauthenticated("Your session has expired; sign in again.", "session_expired");
  }
  SL_ASSIGN_OR_RETURN(store::User user, store_.GetUser(session->user_id));
  if (user.disabled) return Unauthenticated("This account is disabled.");
  // Touch at most once a minute: a page load fires many requests.
  if (now - session->last_seen_at >= 60) {
    SL_RETURN_IF_ERROR(
        store_.TouchSession(session->id_hash, now, now + options_.idle_timeout.count()));
  }
  return ActorFor(user);
}

Result<std::string> UserService::SessionCsrfToken(const std::string& token) {
  SL_ASSIGN_OR_RETURN(store::Session session, store_.GetSession(Sha256Hex(token)));
  return session.csrf_token;
}

Status UserService::Logout(const std::string& token) {
  Status deleted = store_.DeleteSession(Sha256Hex(token));
  if (deleted.code() == StatusCode::kNotFound) return Status::OK();
  return deleted;
}

Result<IssuedToken> UserService::CreateToken(const Actor& actor, const std::string& user_email,
                                             const std::string& name) {
  SL_ASSIGN_OR_RETURN(store::User user, FindByEmail(user_email));
  if (user.id != actor.user_id) SL_RETURN_IF_ERROR(RequireAdmin(actor, "create tokens for others"));
  if (user.disabled) {
    return Status::FailedPrecondition("User '" + user.email + "' is disabled.", "user_disabled");
  }
  std::string token_name = "API token";
  if (name.find_first_not_of(" \t\r\n") != std::string::npos) {
    SL_ASSIGN_OR_RETURN(token_name, CleanName(name, "API token"));
  }
  IssuedToken issued;
  issued.token = RandomToken("slt_", 32);
  issued.record = store::ApiToken{.id = NewId("tok"),
                                  .user_id = user.id,
                                  .name = token_name,
                                  .token_hash = Sha256Hex(issued.token),
                                  .token_prefix = issued.token.substr(0, 8),
                                  .created_at = clock_.NowUnix(),
                                  .last_used_at = std::nullopt,
                                  .revoked = false};
  SL_RETURN_IF_ERROR(store_.CreateApiToken(issued.record));
  log::Info("token.created", {{"user", user.email}, {"token_id", issued.record.id},
                              {"by", actor.email}});
  return issued;
}

Result<Actor> UserService::AuthenticateToken(const std::string& token) {
  auto record = store_.FindApiTokenByHash(Sha256Hex(token));
  if (!record.ok()) {
    if (record.status().code() == StatusCode::kNotFound) {
      return Unauthenticated("The API token is not valid.");
    }
    return record.status();
  }
  if (record->revoked) return Unauthenticated("The API token has been revoked.");
  SL_ASSIGN_OR_RETURN(store::User user, store_.GetUser(record->user_id));
  if (user.disabled) return Unauthenticated("The token's user is disabled.");
  int64_t now = clock_.NowUnix();
  if (!record->last_used_at || now - *record->last_used_at >= 60) {
    SL_RETURN_IF_ERROR(store_.TouchApiToken(record->id, now));
  }
  return ActorFor(user);
}

Result<std::vector<store::ApiToken>> UserService::ListTokens(const Actor& actor,
                                                             const std::string& user_id) {
  if (user_id != actor.user_id) SL_RETURN_IF_ERROR(RequireAdmin(actor, "list others' tokens"));
  return store_.ListApiTokens(user_id);
}

Status UserService::RevokeToken(const Actor& actor, const std::string& token_id) {
  if (!actor.IsAdmin()) {
    SL_ASSIGN_OR_RETURN(auto tokens, store_.ListApiTokens(actor.user_id));
    bool own = std::any_of(tokens.begin(), tokens.end(),
                           [&](const store::ApiToken& t) { return t.id == token_id; });
    if (!own) return RequireAdmin(actor, "revoke others' tokens");
  }
  return store_.RevokeApiToken(token_id);
}

Result<Actor> UserService::ActorFor(const store::User& user) {
  Actor actor;
  actor.user_id = user.id;
  actor.email = user.email;
  actor.role = user.role;
  if (!actor.IsAdmin()) {
    SL_ASSIGN_OR_RETURN(actor.client_ids, store_.ListClientIdsForUser(user.id));
  }
  return actor;
}

Status UserService::CheckDatabase() { return store_.CountUsers().status(); }

}  // namespace stripeline::access
