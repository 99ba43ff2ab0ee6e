// UserService over a real SQLite store and a FakeClock: first admin, users, sign-in, sessions
// (idle expiry, sliding window) and API tokens.
#include "access/user_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/secrets.h"
#include "unit/access/access_test_util.h"

namespace stripeline::access {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class UserServiceTest : public test_util::StoreTest {
 protected:
  void SetUp() override {
    session_options_.idle_timeout = hours(1);
    StoreTest::SetUp();
  }
};

TEST_F(UserServiceTest, EnsureFirstAdminCreatesOnceWithAGeneratedPasswordThatSignsIn) {
  auto first = users_->EnsureFirstAdmin("  Admin@Example.COM ", "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->email, "admin@example.com");
  ASSERT_TRUE(first->generated_password.has_value());
  EXPECT_GE(first->generated_password->size(), 8u);

  auto session = users_->Login("admin@example.com", *first->generated_password);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->user.role, store::Role::kAdmin);

  auto second = users_->EnsureFirstAdmin("other@example.com", "");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_FALSE(second->generated_password.has_value());
  EXPECT_EQ(store_->CountUsers().value(), 1);
  EXPECT_EQ(store_->FindUserByEmail("other@example.com").status().code(), StatusCode::kNotFound);
}

TEST_F(UserServiceTest, EnsureFirstAdminUsesTheGivenPassword) {
  auto first = users_->EnsureFirstAdmin("admin@example.com", test_util::kPassword);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(first->generated_password.has_value());
  EXPECT_TRUE(users_->Login("admin@example.com", test_util::kPassword).ok());
  EXPECT_FALSE(users_->Login("admin@example.com", "something else").ok());
}

TEST_F(UserServiceTest, EnsureFirstAdminRefusesABadEmailOrShortPasswordAndCreatesNothing) {
  EXPECT_EQ(users_->EnsureFirstAdmin("admin@example.com", "short").status().error_code(),
            "weak_password");
  EXPECT_EQ(users_->EnsureFirstAdmin("not-an-email", "").status().error_code(), "invalid_email");
  EXPECT_EQ(store_->CountUsers().value(), 0);
}

TEST_F(UserServiceTest, CreateUserRefusesMalformedEmails) {
  for (std::string email : {"", "no-at-sign", "@example.com", "bob@", "a@b@c"}) {
    auto user = users_->CreateUser(Actor::LocalOperator(), email, store::Role::kMember,
                                   test_util::kPassword);
    EXPECT_EQ(user.status().code(), StatusCode::kInvalidArgument) << email;
    EXPECT_EQ(user.status().error_code(), "invalid_email") << email;
  }
  EXPECT_EQ(store_->CountUsers().value(), 0);
}

TEST_F(UserServiceTest, CreateUserNeedsAtLeastEightCharacters) {
  auto short_one =
      users_->CreateUser(Actor::LocalOperator(), "bob@example.com", store::Role::kMember, "1234567");
  EXPECT_EQ(short_one.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_one.status().error_code(), "weak_password");
  EXPECT_EQ(short_one.status().message(), "The password must have at least 8 characters.");
  EXPECT_TRUE(users_
                  ->CreateUser(Actor::LocalOperator(), "bob@example.com", store::Role::kMember,
                               "12345678")
                  .ok());
}

TEST_F(UserServiceTest, CreateUserRefusesADuplicateEmailWhateverItsCase) {
  AddUser("bob@example.com", store::Role::kMember);
  auto duplicate = users_->CreateUser(Actor::LocalOperator(), " BOB@example.com",
                                      store::Role::kViewer, test_util::kPassword);
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.status().error_code(), "user_exists");
  EXPECT_EQ(duplicate.status().message(), "A user with email 'bob@example.com' already exists.");
}

TEST_F(UserServiceTest, CreateUserIsForAdminsOnly) {
  Actor member = ActorOf(AddUser("member@example.com", store::Role::kMember));
  auto created = users_->CreateUser(member, "new@example.com", store::Role::kViewer,
                                    test_util::kPassword);
  EXPECT_EQ(created.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(created.status().message(),
            "Only administrators can add users. Your role is 'member'; ask an administrator.");
  EXPECT_EQ(store_->FindUserByEmail("new@example.com").status().code(), StatusCode::kNotFound);
}

TEST_F(UserServiceTest, LoginGivesTheSameAnswerForWrongPasswordUnknownUserAndDisabledUser) {
  store::User bob = AddUser("bob@example.com", store::Role::kMember);
  AddUser("carol@example.com", store::Role::kMember);
  store::User carol = store_->FindUserByEmail("carol@example.com").value();
  carol.disabled = true;
  ASSERT_TRUE(store_->UpdateUser(carol).ok());

  Status wrong_password = users_->Login("bob@example.com", "not the password").status();
  Status unknown_user = users_->Login("nobody@example.com", test_util::kPassword).status();
  Status disabled_user = users_->Login("carol@example.com", test_util::kPassword).status();
  EXPECT_EQ(wrong_password.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong_password.message(), "Email or password is incorrect.");
  EXPECT_EQ(unknown_user, wrong_password);
  EXPECT_EQ(disabled_user, wrong_password);

  auto ok = users_->Login(" Bob@Example.com", test_util::kPassword);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->user.id, bob.id);
}

TEST_F(UserServiceTest, RepeatedFailuresCloseSignInsEvenForTheRightPasswordAndAreAudited) {
  AddUser("bob@example.com", store::Role::kMember);
  const LoginThrottleOptions limits;  // the defaults the server runs with
  for (int i = 1; i <= limits.account_allowance; ++i) {
    EXPECT_EQ(users_->Login("bob@example.com", "guess " + std::to_string(i), "198.51.100.7")
                  .status()
                  .code(),
              StatusCode::kUnauthenticated)
        << i;
  }
  // The right password, from elsewhere, is refused too until the wait has passed.
  Status throttled = users_->Login("bob@example.com", test_util::kPassword, "203.0.113.9").status();
  EXPECT_EQ(throttled.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(throttled.error_code(), "login_throttled");
  ASSERT_TRUE(throttled.retry_after().has_value());
  EXPECT_EQ(*throttled.retry_after(), limits.first_wait);

  auto audit = store_->ListAudit(std::nullopt, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->front().action, "user.login_throttled");
  EXPECT_EQ(audit->front().actor, "198.51.100.7");
  EXPECT_NE(audit->front().summary.find("bob@example.com"), std::string::npos);
  EXPECT_NE(audit->front().details_json.find("\"address\":\"198.51.100.7\""),
            std::string::npos);

  clock_.Advance(limits.first_wait);
  auto session = users_->Login("bob@example.com", test_util::kPassword, "203.0.113.9");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  // The success cleared the account: one more mistake does not close it again.
  EXPECT_EQ(users_->Login("bob@example.com", "typo", "203.0.113.9").status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(users_->Login("bob@example.com", test_util::kPassword, "203.0.113.9").ok());
}

TEST_F(UserServiceTest, UnknownEmailsAreThrottledLikeKnownOnes) {
  const LoginThrottleOptions limits;
  Status last;
  for (int i = 0; i <= limits.account_allowance; ++i) {
    last = users_->Login("nobody@example.com", "guess", "198.51.100.7").status();
  }
  EXPECT_EQ(last.error_code(), "login_throttled");
}

TEST_F(UserServiceTest, SessionTokenIsStoredOnlyAsItsHash) {
  AddUser("bob@example.com", store::Role::kMember);
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(store_->GetSession(Sha256Hex(session->token)).ok());
  EXPECT_EQ(store_->GetSession(session->token).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(users_->SessionCsrfToken(session->token).value(), session->csrf_token);
  EXPECT_NE(session->csrf_token, session->token);
}

TEST_F(UserServiceTest, SessionExpiresAfterTheIdleTimeout) {
  AddUser("bob@example.com", store::Role::kMember);
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(users_->AuthenticateSession(session->token).ok());

  clock_.Advance(hours(1) - seconds(1));
  // Still alive one second before the end (and this use restarts the hour).
  EXPECT_TRUE(users_->AuthenticateSession(session->token).ok());

  clock_.Advance(hours(1));
  Status expired = users_->AuthenticateSession(session->token).status();
  EXPECT_EQ(expired.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(expired.error_code(), "session_expired");
  EXPECT_EQ(expired.message(), "Your session has expired; sign in again.");
  // An expired session is removed.
  EXPECT_EQ(users_->AuthenticateSession(session->token).status().message(),
            "You are not signed in.");
}

TEST_F(UserServiceTest, SessionExpiresExactlyAtTheIdleTimeoutWhenUnused) {
  AddUser("bob@example.com", store::Role::kMember);
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  clock_.Advance(hours(1));
  EXPECT_EQ(users_->AuthenticateSession(session->token).status().error_code(), "session_expired");
}

TEST_F(UserServiceTest, UsingASessionSlidesItsIdleWindow) {
  AddUser("bob@example.com", store::Role::kMember);
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  for (int i = 0; i < 4; ++i) {  // 4 × 50 minutes: far past the first hour
    clock_.Advance(minutes(50));
    ASSERT_TRUE(users_->AuthenticateSession(session->token).ok()) << "after " << (i + 1) * 50;
  }
  clock_.Advance(minutes(61));
  EXPECT_EQ(users_->AuthenticateSession(session->token).status().error_code(), "session_expired");
}

TEST_F(UserServiceTest, LogoutEndsTheSessionAndIsIdempotent) {
  AddUser("bob@example.com", store::Role::kMember);
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(users_->Logout(session->token).ok());
  Status after = users_->AuthenticateSession(session->token).status();
  EXPECT_EQ(after.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(after.message(), "You are not signed in.");
  EXPECT_FALSE(users_->SessionCsrfToken(session->token).ok());
  EXPECT_TRUE(users_->Logout(session->token).ok());
}

TEST_F(UserServiceTest, AuthenticatedSessionCarriesTheUsersClients) {
  store::User bob = AddUser("bob@example.com", store::Role::kMember);
  ASSERT_TRUE(store_->CreateClient({.id = "cli_a", .name = "A", .created_at = 1}).ok());
  ASSERT_TRUE(store_->AddClientMember("cli_a", bob.id).ok());
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  auto actor = users_->AuthenticateSession(session->token);
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->user_id, bob.id);
  EXPECT_EQ(actor->role, store::Role::kMember);
  EXPECT_EQ(actor->client_ids, std::vector<std::string>{"cli_a"});
}

TEST_F(UserServiceTest, TokenNamesFollowTheNameRule) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  EXPECT_EQ(users_->CreateToken(ActorOf(admin), "admin@example.com", std::string(100000, 'x'))
                .status()
                .error_code(),
            "invalid_name");
  EXPECT_EQ(users_->CreateToken(ActorOf(admin), "admin@example.com", std::string("a\0b", 3))
                .status()
                .error_code(),
            "invalid_name");
  EXPECT_TRUE(store_->ListApiTokens(admin.id).value().empty());
  EXPECT_EQ(users_->CreateToken(ActorOf(admin), "admin@example.com", "  ci  ")->record.name, "ci");
}

TEST_F(UserServiceTest, CreateTokenReturnsAnSltTokenStoredOnlyAsItsHash) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  auto issued = users_->CreateToken(ActorOf(admin), "admin@example.com", "ci");
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(issued->token.starts_with("slt_"));
  EXPECT_NE(issued->record.token_hash, issued->token);
  EXPECT_EQ(issued->record.token_hash, Sha256Hex(issued->token));
  EXPECT_EQ(issued->record.token_prefix, issued->token.substr(0, 8));
  EXPECT_EQ(issued->record.name, "ci");

  auto stored = store_->ListApiTokens(admin.id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].token_hash, Sha256Hex(issued->token));
  EXPECT_FALSE(dir_.AnyFileContains(issued->token));

  auto actor = users_->AuthenticateToken(issued->token);
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_EQ(actor->user_id, admin.id);
  EXPECT_EQ(actor->email, "admin@example.com");
  EXPECT_TRUE(actor->IsAdmin());
}

TEST_F(UserServiceTest, AuthenticateTokenRefusesUnknownAndRevokedTokens) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  auto issued = users_->CreateToken(ActorOf(admin), "admin@example.com", "");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->record.name, "API token");

  EXPECT_EQ(users_->AuthenticateToken("slt_not_a_real_token").status().message(),
            "The API token is not valid.");
  ASSERT_TRUE(users_->RevokeToken(ActorOf(admin), issued->record.id).ok());
  Status revoked = users_->AuthenticateToken(issued->token).status();
  EXPECT_EQ(revoked.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(revoked.message(), "The API token has been revoked.");
}

TEST_F(UserServiceTest, AuthenticateTokenRefusesADisabledUsersToken) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  store::User bob = AddUser("bob@example.com", store::Role::kMember);
  auto issued = users_->CreateToken(ActorOf(bob), "bob@example.com", "mine");
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(users_->UpdateUser(ActorOf(admin), bob.id, std::nullopt, true).ok());
  EXPECT_EQ(users_->AuthenticateToken(issued->token).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(UserServiceTest, MemberCreatesTokensOnlyForThemselves) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  Actor member = ActorOf(AddUser("bob@example.com", store::Role::kMember));
  auto for_other = users_->CreateToken(member, "admin@example.com", "sneaky");
  EXPECT_EQ(for_other.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(store_->ListApiTokens(admin.id).value().empty());

  auto own = users_->CreateToken(member, "bob@example.com", "mine");
  ASSERT_TRUE(own.ok());
  // An admin may create one for the member.
  EXPECT_TRUE(users_->CreateToken(ActorOf(admin), "bob@example.com", "by admin").ok());
  // The member cannot revoke the admin's tokens.
  auto admins = users_->CreateToken(ActorOf(admin), "admin@example.com", "admin's");
  ASSERT_TRUE(admins.ok());
  EXPECT_EQ(users_->RevokeToken(member, admins->record.id).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(users_->RevokeToken(member, own->record.id).ok());
}

TEST_F(UserServiceTest, UpdateUserRefusesSelfDemotionAndSelfDisabling) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  Actor self = ActorOf(admin);
  auto demote = users_->UpdateUser(self, admin.id, store::Role::kMember, std::nullopt);
  EXPECT_EQ(demote.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(demote.status().error_code(), "cannot_change_self");
  EXPECT_EQ(users_->UpdateUser(self, admin.id, std::nullopt, true).status().error_code(),
            "cannot_change_self");
  EXPECT_EQ(store_->GetUser(admin.id).value().role, store::Role::kAdmin);
  EXPECT_FALSE(store_->GetUser(admin.id).value().disabled);
  // Keeping one's own admin role is not a demotion.
  EXPECT_TRUE(users_->UpdateUser(self, admin.id, store::Role::kAdmin, false).ok());
}

TEST_F(UserServiceTest, UpdateUserDemotesAnotherAdminAndDisablingEndsTheirSessions) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  store::User other = AddUser("other@example.com", store::Role::kAdmin);
  auto session = users_->Login("other@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());

  auto demoted = users_->UpdateUser(ActorOf(admin), other.id, store::Role::kViewer, std::nullopt);
  ASSERT_TRUE(demoted.ok()) << demoted.status().ToString();
  EXPECT_EQ(store_->GetUser(other.id).value().role, store::Role::kViewer);

  ASSERT_TRUE(users_->UpdateUser(ActorOf(admin), other.id, std::nullopt, true).ok());
  EXPECT_EQ(users_->AuthenticateSession(session->token).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(UserServiceTest, UpdateUserIsForAdminsOnly) {
  store::User admin = AddUser("admin@example.com", store::Role::kAdmin);
  Actor member = ActorOf(AddUser("bob@example.com", store::Role::kMember));
  EXPECT_EQ(users_->UpdateUser(member, admin.id, store::Role::kViewer, std::nullopt).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(UserServiceTest, SetPasswordReplacesThePasswordAndEndsSessions) {
  AddUser("bob@example.com", store::Role::kMember);
  auto session = users_->Login("bob@example.com", test_util::kPassword);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(users_->SetPassword(Actor::LocalOperator(), "bob@example.com", "new password!").ok());
  EXPECT_FALSE(users_->AuthenticateSession(session->token).ok());
  EXPECT_FALSE(users_->Login("bob@example.com", test_util::kPassword).ok());
  EXPECT_TRUE(users_->Login("bob@example.com", "new password!").ok());
}

}  // namespace
}  // namespace stripeline::access
