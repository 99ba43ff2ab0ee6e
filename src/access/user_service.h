#pragma once
// UserService: users, their passwords (argon2id), browser sessions and API tokens.
// Session and API tokens are random strings handed to the client once; only their SHA-256
// is stored, so a copy of the database does not let anyone sign in.
// Thread-safe: holds no mutable state of its own; the Store is thread-safe.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "access/actor.h"
#include "access/login_throttle.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/work_gate.h"
#include "store/store.h"

namespace stripeline::access {

struct SessionOptions {
  // A session unused for this long expires (sliding window).
  std::chrono::seconds idle_timeout{std::chrono::hours(12)};
};

// What bounds sign-ins, so that a flood of them can neither guess passwords nor starve the
// server: every argon2id hash (64 MiB and ~50 ms of one core each) passes one WorkGate, and
// failed attempts are throttled per account and client address.
struct SignInLimits {
  // Two hashes at once use two cores and 128 MiB; six more may wait for them (about a third of
  // a second), the rest are answered 503 at once.
  WorkGate::Options hashing{.max_running = 2, .max_waiting = 6};
  LoginThrottleOptions throttle;
};

struct FirstAdmin {
  std::string email;
  bool created = false;
  // Set only when this call created the admin with a generated password: print it once.
  std::optional<std::string> generated_password;
};

struct NewSession {
  std::string token;       // the cookie value
  std::string csrf_token;  // must accompany every state-changing request of this session
  store::User user;
};

struct IssuedToken {
  std::string token;  // shown once; never stored
  store::ApiToken record;
};

class UserService {
 public:
  UserService(store::Store& store, Clock& clock, SessionOptions options = {},
              SignInLimits limits = {});

  // Creates the first administrator when there are no users yet. `password` empty → generated.
  Result<FirstAdmin> EnsureFirstAdmin(const std::string& email, const std::string& password);

  // Admins only. Email must look like one; password at least 8 characters.
  Result<store::User> CreateUser(const Actor& actor, const std::string& email, store::Role role,
                                 const std::string& password);
  Result<std::vector<store::User>> ListUsers(const Actor& actor);
  // The user behind the actor (who am I). NotFound for the local operator, who is no user.
  Result<store::User> CurrentUser(const Actor& actor);
  // Admins, or the user themselves: the user with `email` (any case). NotFound when none.
  Result<store::User> UserByEmail(const Actor& actor, const std::string& email);
  // Admins only. Changes role and/or the disabled flag; an admin cannot demote or disable
  // themselves (the system would risk having no administrator).
  Result<store::User> UpdateUser(const Actor& actor, const std::string& user_id,
                                 std::optional<store::Role> role, std::optional<bool> disabled);
  // Admins only (or the local operator). Also ends that user's sessions.
  Result<store::User> SetPassword(const Actor& actor, const std::string& email,
                                  const std::string& password);

  // Unauthenticated "Email or password is incorrect." for an unknown user, a wrong password or
  // a disabled account alike (no user enumeration). `client_address` is whoever sent the
  // attempt (the peer's IP). ResourceExhausted "login_throttled" (with retry_after) after too
  // many failures for the account or from the address — checked before the password, so it
  // says nothing about it; the first time an account or address is closed an audit entry
  // `user.login_throttled` records it. Unavailable "busy" (retry_after 1 s) when more
  // passwords are being checked than SignInLimits::hashing admits.
  Result<NewSession> Login(const std::string& email, const std::string& password,
                           const std::string& client_address = "");
  // The actor behind a session cookie; slides the idle window. Unauthenticated when unknown or
  // expired ("Your session has expired; sign in again.").
  Result<Actor> AuthenticateSession(const std::string& token);
  // The CSRF token of a live session (the caller compares in constant time).
  Result<std::string> SessionCsrfToken(const std::string& token);
  Status Logout(const std::string& token);

  // Admins for anyone; any user for themselves. The token is in the result, once.
  Result<IssuedToken> CreateToken(const Actor& actor, const std::string& user_email,
                                  const std::string& name);
  Result<Actor> AuthenticateToken(const std::string& token);
  Result<std::vector<store::ApiToken>> ListTokens(const Actor& actor, const std::string& user_id);
  Status RevokeToken(const Actor& actor, const std::string& token_id);

  // The actor for a user, with the clients they are given.
  Result<Actor> ActorFor(const store::User& user);

  // OK when the database answers (the server's readiness).
  Status CheckDatabase();

 private:
  Status ValidateEmail(const std::string& email) const;
  Status ValidatePassword(const std::string& password) const;
  Result<store::User> FindByEmail(const std::string& email);
  // HashPassword / VerifyPassword through the hashing gate.
  Result<std::string> Hash(const std::string& password);
  Result<bool> Verify(const std::string& hash, const std::string& password);
  void AuditThrottle(const LoginThrottle::Closed& closed, const std::string& email,
                     const std::string& address);

  store::Store& store_;
  Clock& clock_;
  SessionOptions options_;
  WorkGate hashing_;
  LoginThrottle throttle_;
};

std::string NormalizeEmail(std::string_view email);

}  // namespace stripeline::access
