// The Store contract, written once and run against every backend of store_test_util.h.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store/open_database.h"
#include "store/store.h"
#include "unit/store/store_test_util.h"
#include "unit/store/test_schemas.h"

namespace stripeline::store {
namespace {

using test_util::MakeIntegration;

using test_util::Backend;
using test_util::TempDir;

User MakeUser(std::string id, std::string email, Role role = Role::kMember) {
  User u;
  u.id = std::move(id);
  u.email = std::move(email);
  u.role = role;
  u.password_hash = "$argon2id$hash";
  u.created_at = 1'700'000'000;
  return u;
}

void ExpectSameIntegration(const Integration& a, const Integration& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.client_id, b.client_id);
  EXPECT_EQ(a.auth_scheme, b.auth_scheme);
  EXPECT_EQ(a.credentials_sealed, b.credentials_sealed);
  EXPECT_EQ(a.secret_key_masked, b.secret_key_masked);
  EXPECT_EQ(a.account_id, b.account_id);
  EXPECT_EQ(a.stripe_account_id, b.stripe_account_id);
  EXPECT_EQ(a.stripe_account_name, b.stripe_account_name);
  EXPECT_EQ(a.livemode, b.livemode);
  EXPECT_EQ(a.active, b.active);
  EXPECT_EQ(a.health, b.health);
  EXPECT_EQ(a.health_reason, b.health_reason);
  EXPECT_EQ(a.health_checked_at, b.health_checked_at);
  EXPECT_EQ(a.missing_permissions, b.missing_permissions);
  EXPECT_EQ(a.last_sync_at, b.last_sync_at);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Database>> db = OpenDatabase(GetParam().url(dir_.path()),
                                                        test_util::TestSchemas());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    store_ = std::make_unique<Store>(*db_);
  }
  Store& store() { return *store_; }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Store> store_;
};

// ---- Roles ----

TEST(Role, NamesRoundTrip) {
  for (Role r : {Role::kAdmin, Role::kMember, Role::kViewer}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
}

// ---- Users ----

TEST_P(StoreContract, CreateAndGetUser) {
  User u = MakeUser("usr_1", "Alice@Example.COM", Role::kAdmin);
  u.disabled = true;
  ASSERT_TRUE(store().CreateUser(u).ok());
  Result<User> got = store().GetUser("usr_1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, "usr_1");
  EXPECT_EQ(got->email, "alice@example.com");
  EXPECT_EQ(got->role, Role::kAdmin);
  EXPECT_EQ(got->password_hash, u.password_hash);
  EXPECT_TRUE(got->disabled);
  EXPECT_EQ(got->created_at, u.created_at);
}

TEST_P(StoreContract, GetUserNotFoundNamesTheId) {
  Result<User> got = store().GetUser("usr_x");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(got.status().message(), "No user with id 'usr_x'");
}

TEST_P(StoreContract, FindUserByEmailIsCaseInsensitive) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "bob@example.com")).ok());
  Result<User> got = store().FindUserByEmail("BOB@Example.com");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, "usr_1");
  Result<User> missing = store().FindUserByEmail("carol@example.com");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "No user with email 'carol@example.com'");
}

TEST_P(StoreContract, UserEmailIsUniqueIgnoringCase) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "bob@example.com")).ok());
  Status dup = store().CreateUser(MakeUser("usr_2", "Bob@EXAMPLE.com"));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "A user with email 'bob@example.com' already exists");
  Status dup_id = store().CreateUser(MakeUser("usr_1", "other@example.com"));
  EXPECT_EQ(dup_id.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup_id.message(), "A user with id 'usr_1' already exists");
  EXPECT_EQ(*store().CountUsers(), 1);
}

TEST_P(StoreContract, ListAndCountUsers) {
  EXPECT_EQ(*store().CountUsers(), 0);
  EXPECT_TRUE(store().ListUsers()->empty());
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_b", "b@example.com")).ok());
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_a", "a@example.com", Role::kViewer)).ok());
  Result<std::vector<User>> users = store().ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].email, "a@example.com");
  EXPECT_EQ((*users)[0].role, Role::kViewer);
  EXPECT_EQ((*users)[1].email, "b@example.com");
  EXPECT_EQ(*store().CountUsers(), 2);
}

TEST_P(StoreContract, UpdateUser) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_2", "b@example.com")).ok());
  User u = *store().GetUser("usr_1");
  u.email = "A2@Example.com";
  u.role = Role::kAdmin;
  u.password_hash = "new";
  u.disabled = true;
  u.created_at = 42;  // ignored
  ASSERT_TRUE(store().UpdateUser(u).ok());
  User got = *store().GetUser("usr_1");
  EXPECT_EQ(got.email, "a2@example.com");
  EXPECT_EQ(got.role, Role::kAdmin);
  EXPECT_EQ(got.password_hash, "new");
  EXPECT_TRUE(got.disabled);
  EXPECT_EQ(got.created_at, 1'700'000'000);

  // Keeping one's own email is fine; taking another's is not.
  ASSERT_TRUE(store().UpdateUser(got).ok());
  got.email = "B@example.com";
  Status taken = store().UpdateUser(got);
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);

  Status missing = store().UpdateUser(MakeUser("usr_x", "x@example.com"));
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "No user with id 'usr_x'");
}

// ---- Sessions ----

TEST_P(StoreContract, SessionLifecycle) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  Session s{"hash1", "usr_1", "csrf1", 100, 100, 200};
  ASSERT_TRUE(store().CreateSession(s).ok());
  EXPECT_EQ(store().CreateSession(s).code(), StatusCode::kAlreadyExists);

  Result<Session> got = store().GetSession("hash1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->user_id, "usr_1");
  EXPECT_EQ(got->csrf_token, "csrf1");
  EXPECT_EQ(got->created_at, 100);
  EXPECT_EQ(got->last_seen_at, 100);
  EXPECT_EQ(got->expires_at, 200);

  ASSERT_TRUE(store().TouchSession("hash1", 150, 300).ok());
  got = store().GetSession("hash1");
  EXPECT_EQ(got->last_seen_at, 150);
  EXPECT_EQ(got->expires_at, 300);
  EXPECT_EQ(got->created_at, 100);

  ASSERT_TRUE(store().DeleteSession("hash1").ok());
  EXPECT_EQ(store().GetSession("hash1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().DeleteSession("hash1").code(), StatusCode::kNotFound);
  EXPECT_EQ(store().TouchSession("hash1", 1, 2).code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, SessionNeedsAnExistingUser) {
  Status s = store().CreateSession(Session{"h", "usr_x", "c", 1, 1, 2});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "No user with id 'usr_x'");
}

TEST_P(StoreContract, DeleteSessionsOfUserAndExpired) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_2", "b@example.com")).ok());
  ASSERT_TRUE(store().CreateSession({"h1", "usr_1", "c", 0, 0, 100}).ok());
  ASSERT_TRUE(store().CreateSession({"h2", "usr_1", "c", 0, 0, 500}).ok());
  ASSERT_TRUE(store().CreateSession({"h3", "usr_2", "c", 0, 0, 100}).ok());
  ASSERT_TRUE(store().CreateSession({"h4", "usr_2", "c", 0, 0, 101}).ok());

  EXPECT_EQ(*store().DeleteExpiredSessions(100), 2);  // h1, h3: expires_at <= now
  EXPECT_TRUE(store().GetSession("h4").ok());
  EXPECT_EQ(*store().DeleteSessionsOfUser("usr_1"), 1);  // h2
  EXPECT_EQ(store().GetSession("h2").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*store().DeleteSessionsOfUser("usr_1"), 0);
  EXPECT_TRUE(store().GetSession("h4").ok());
}

// ---- API tokens ----

TEST_P(StoreContract, ApiTokenLifecycle) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  ApiToken t{"tok_1", "usr_1", "pipeline", "hash_1", "slt_abcd", 100, std::nullopt, false};
  ASSERT_TRUE(store().CreateApiToken(t).ok());

  Result<ApiToken> got = store().FindApiTokenByHash("hash_1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, "tok_1");
  EXPECT_EQ(got->user_id, "usr_1");
  EXPECT_EQ(got->name, "pipeline");
  EXPECT_EQ(got->token_prefix, "slt_abcd");
  EXPECT_EQ(got->created_at, 100);
  EXPECT_EQ(got->last_used_at, std::nullopt);
  EXPECT_FALSE(got->revoked);

  ASSERT_TRUE(store().TouchApiToken("tok_1", 150).ok());
  ASSERT_TRUE(store().RevokeApiToken("tok_1").ok());
  ASSERT_TRUE(store().RevokeApiToken("tok_1").ok());  // idempotent
  got = store().FindApiTokenByHash("hash_1");
  EXPECT_EQ(got->last_used_at, 150);
  EXPECT_TRUE(got->revoked);

  EXPECT_EQ(store().FindApiTokenByHash("nope").status().code(), StatusCode::kNotFound);
  Status missing = store().RevokeApiToken("tok_x");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "No API token with id 'tok_x'");
  EXPECT_EQ(store().TouchApiToken("tok_x", 1).code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, ApiTokenHashIsUniqueAndUserMustExist) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  ASSERT_TRUE(store().CreateApiToken({"tok_1", "usr_1", "a", "hash", "slt_", 1, {}, false}).ok());
  EXPECT_EQ(store().CreateApiToken({"tok_2", "usr_1", "b", "hash", "slt_", 1, {}, false}).code(),
            StatusCode::kAlreadyExists);
  Status no_user = store().CreateApiToken({"tok_3", "usr_x", "c", "h3", "slt_", 1, {}, false});
  EXPECT_EQ(no_user.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_user.message(), "No user with id 'usr_x'");
}

TEST_P(StoreContract, ListApiTokensOfOneUserOldestFirst) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_2", "b@example.com")).ok());
  ASSERT_TRUE(store().CreateApiToken({"tok_b", "usr_1", "b", "h_b", "p", 200, {}, false}).ok());
  ASSERT_TRUE(store().CreateApiToken({"tok_a", "usr_1", "a", "h_a", "p", 100, 150, true}).ok());
  ASSERT_TRUE(store().CreateApiToken({"tok_c", "usr_2", "c", "h_c", "p", 50, {}, false}).ok());
  Result<std::vector<ApiToken>> tokens = store().ListApiTokens("usr_1");
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0].id, "tok_a");
  EXPECT_EQ((*tokens)[0].last_used_at, 150);
  EXPECT_TRUE((*tokens)[0].revoked);
  EXPECT_EQ((*tokens)[1].id, "tok_b");
  EXPECT_TRUE(store().ListApiTokens("usr_x")->empty());
}

// ---- Clients ----

TEST_P(StoreContract, ClientCrud) {
  ASSERT_TRUE(store().CreateClient({"cli_b", "Beta", 10}).ok());
  ASSERT_TRUE(store().CreateClient({"cli_a", "Alpha", 20}).ok());
  EXPECT_EQ(store().CreateClient({"cli_a", "Dup", 30}).code(), StatusCode::kAlreadyExists);

  Result<Client> got = store().GetClient("cli_b");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Beta");
  EXPECT_EQ(got->created_at, 10);

  Result<std::vector<Client>> all = store().ListClients();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "cli_a");
  EXPECT_EQ((*all)[1].id, "cli_b");

  ASSERT_TRUE(store().UpdateClient({"cli_b", "Beta Renamed", 999}).ok());
  got = store().GetClient("cli_b");
  EXPECT_EQ(got->name, "Beta Renamed");
  EXPECT_EQ(got->created_at, 10);
  EXPECT_EQ(store().UpdateClient({"cli_x", "X", 0}).code(), StatusCode::kNotFound);

  ASSERT_TRUE(store().DeleteClient("cli_b").ok());
  Result<Client> gone = store().GetClient("cli_b");
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(gone.status().message(), "No client with id 'cli_b'");
  EXPECT_EQ(store().DeleteClient("cli_b").code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, DeleteClientRefusedWhileIntegrationsReferenceIt) {
  ASSERT_TRUE(store().CreateClient({"cli_a", "Alpha", 1}).ok());
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_1", "cli_a")).ok());
  Status refused = store().DeleteClient("cli_a");
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("1 integration"), std::string::npos) << refused.message();
  EXPECT_TRUE(store().GetClient("cli_a").ok());

  ASSERT_TRUE(store().DeleteIntegration("int_1").ok());
  EXPECT_TRUE(store().DeleteClient("cli_a").ok());
}

TEST_P(StoreContract, ClientMembers) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "a@example.com")).ok());
  ASSERT_TRUE(store().CreateClient({"cli_b", "Beta", 1}).ok());
  ASSERT_TRUE(store().CreateClient({"cli_a", "Alpha", 1}).ok());
  ASSERT_TRUE(store().AddClientMember("cli_b", "usr_1").ok());
  ASSERT_TRUE(store().AddClientMember("cli_a", "usr_1").ok());
  ASSERT_TRUE(store().AddClientMember("cli_a", "usr_1").ok());  // idempotent
  EXPECT_EQ(*store().ListClientIdsForUser("usr_1"), (std::vector<std::string>{"cli_a", "cli_b"}));
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_2", "0-first@example.com")).ok());
  ASSERT_TRUE(store().AddClientMember("cli_a", "usr_2").ok());
  auto members = store().ListClientMembers("cli_a");
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  ASSERT_EQ(members->size(), 2u);  // by email
  EXPECT_EQ((*members)[0].id, "usr_2");
  EXPECT_EQ((*members)[1].email, "a@example.com");
  EXPECT_EQ(store().ListClientMembers("cli_b")->size(), 1u);
  EXPECT_TRUE(store().ListClientMembers("cli_x")->empty());

  Status no_client = store().AddClientMember("cli_x", "usr_1");
  EXPECT_EQ(no_client.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_client.message(), "No client with id 'cli_x'");
  Status no_user = store().AddClientMember("cli_a", "usr_x");
  EXPECT_EQ(no_user.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_user.message(), "No user with id 'usr_x'");

  ASSERT_TRUE(store().RemoveClientMember("cli_a", "usr_1").ok());
  Status not_member = store().RemoveClientMember("cli_a", "usr_1");
  EXPECT_EQ(not_member.code(), StatusCode::kNotFound);
  EXPECT_EQ(not_member.message(), "User 'usr_1' is not a member of client 'cli_a'");
  EXPECT_EQ(*store().ListClientIdsForUser("usr_1"), (std::vector<std::string>{"cli_b"}));

  // Deleting a client removes its memberships.
  ASSERT_TRUE(store().DeleteClient("cli_b").ok());
  EXPECT_TRUE(store().ListClientIdsForUser("usr_1")->empty());
}

// ---- Integrations ----

TEST_P(StoreContract, IntegrationRoundTripsEveryField) {
  ASSERT_TRUE(store().CreateClient({"cli_a", "Alpha", 1}).ok());
  const Integration in = MakeIntegration("int_1", "cli_a");
  ASSERT_TRUE(store().CreateIntegration(in).ok());
  Result<Integration> got = store().GetIntegration("int_1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameIntegration(*got, in);
}

TEST_P(StoreContract, IntegrationNullsAndEmptyListRoundTrip) {
  Integration in = MakeIntegration("int_1");
  in.account_id.reset();
  in.last_sync_at.reset();
  in.missing_permissions.clear();
  in.livemode = false;
  in.active = false;
  ASSERT_TRUE(store().CreateIntegration(in).ok());
  Result<Integration> got = store().GetIntegration("int_1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSameIntegration(*got, in);
  EXPECT_EQ(got->client_id, std::nullopt);
}

TEST_P(StoreContract, IntegrationErrors) {
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_1")).ok());
  Status dup = store().CreateIntegration(MakeIntegration("int_1"));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "An integration with id 'int_1' already exists");

  Status no_client = store().CreateIntegration(MakeIntegration("int_2", "cli_x"));
  EXPECT_EQ(no_client.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_client.message(), "No client with id 'cli_x'");

  Result<Integration> missing = store().GetIntegration("int_x");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "No integration with id 'int_x'");
  EXPECT_EQ(store().UpdateIntegration(MakeIntegration("int_x")).code(), StatusCode::kNotFound);
  EXPECT_EQ(store().DeleteIntegration("int_x").message(), "No integration with id 'int_x'");
}

TEST_P(StoreContract, ListIntegrationsFiltersByClient) {
  ASSERT_TRUE(store().CreateClient({"cli_a", "Alpha", 1}).ok());
  ASSERT_TRUE(store().CreateClient({"cli_b", "Beta", 1}).ok());
  Integration a1 = MakeIntegration("int_1", "cli_a");
  a1.name = "Zeta";
  Integration a2 = MakeIntegration("int_2", "cli_a");
  a2.name = "Alpha";
  ASSERT_TRUE(store().CreateIntegration(a1).ok());
  ASSERT_TRUE(store().CreateIntegration(a2).ok());
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_3", "cli_b")).ok());
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_4")).ok());

  EXPECT_EQ(store().ListIntegrations(std::nullopt)->size(), 4u);
  Result<std::vector<Integration>> of_a = store().ListIntegrations("cli_a");
  ASSERT_TRUE(of_a.ok());
  ASSERT_EQ(of_a->size(), 2u);
  EXPECT_EQ((*of_a)[0].id, "int_2");  // by name
  EXPECT_EQ((*of_a)[1].id, "int_1");
  EXPECT_TRUE(store().ListIntegrations("cli_x")->empty());
}

TEST_P(StoreContract, SetIntegrationLastSyncChangesOnlyThatColumn) {
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_1")).ok());
  ASSERT_TRUE(store().SetIntegrationLastSync("int_1", 1'800'000'123).ok());
  Integration expected = MakeIntegration("int_1");
  expected.last_sync_at = 1'800'000'123;
  ExpectSameIntegration(*store().GetIntegration("int_1"), expected);
  EXPECT_EQ(store().SetIntegrationLastSync("int_missing", 1).code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, UpdateIntegrationReplacesTheRow) {
  ASSERT_TRUE(store().CreateClient({"cli_a", "Alpha", 1}).ok());
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_1")).ok());
  Integration changed = MakeIntegration("int_1", "cli_a");
  changed.name = "Renamed";
  changed.auth_scheme = "oauth";
  changed.credentials_sealed = "v1:bmV3";
  changed.secret_key_masked = "sk_test_...wxyz";
  changed.account_id.reset();
  changed.stripe_account_name = "Acme GmbH";
  changed.livemode = false;
  changed.active = false;
  changed.health = Health::kNeedsReconnect;
  changed.health_reason = "Missing or incorrect authentication credentials";
  changed.health_checked_at = 1'800'000'000;
  changed.missing_permissions = {"rak_payout_read"};
  changed.last_sync_at.reset();
  changed.updated_at = 1'800'000'001;
  changed.created_at = 5;  // ignored: created_at is kept
  ASSERT_TRUE(store().UpdateIntegration(changed).ok());

  Integration expected = changed;
  expected.created_at = MakeIntegration("int_1").created_at;
  ExpectSameIntegration(*store().GetIntegration("int_1"), expected);

  // Back to system-wide.
  expected.client_id.reset();
  ASSERT_TRUE(store().UpdateIntegration(expected).ok());
  EXPECT_EQ(store().GetIntegration("int_1")->client_id, std::nullopt);
  Integration bad_client = expected;
  bad_client.client_id = "cli_x";
  EXPECT_EQ(store().UpdateIntegration(bad_client).code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, DeleteIntegration) {
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_1")).ok());
  ASSERT_TRUE(store().DeleteIntegration("int_1").ok());
  EXPECT_EQ(store().GetIntegration("int_1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store().DeleteIntegration("int_1").code(), StatusCode::kNotFound);
}

// ---- Audit ----

TEST_P(StoreContract, AuditNewestFirstWithLimitAndFilter) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    AuditEntry e;
    e.at = 1000 + i;
    e.actor = "usr_1";
    e.action = "integration.updated";
    if (i % 2 == 0) e.integration_id = "int_1";
    e.summary = "change " + std::to_string(i);
    e.details_json = R"({"field":"name"})";
    Result<int64_t> id = store().AppendAudit(e);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    if (!ids.empty()) {
      EXPECT_GT(*id, ids.back());
    }
    ids.push_back(*id);
  }
  Result<std::vector<AuditEntry>> all = store().ListAudit(std::nullopt, 3);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, ids[4]);
  EXPECT_EQ((*all)[0].summary, "change 4");
  EXPECT_EQ((*all)[0].at, 1004);
  EXPECT_EQ((*all)[0].actor, "usr_1");
  EXPECT_EQ((*all)[0].action, "integration.updated");
  EXPECT_EQ((*all)[0].details_json, R"({"field":"name"})");
  EXPECT_EQ((*all)[1].integration_id, std::nullopt);
  EXPECT_EQ((*all)[2].id, ids[2]);

  Result<std::vector<AuditEntry>> of_int = store().ListAudit("int_1", 100);
  ASSERT_TRUE(of_int.ok());
  ASSERT_EQ(of_int->size(), 3u);
  EXPECT_EQ((*of_int)[0].id, ids[4]);
  EXPECT_EQ((*of_int)[2].id, ids[0]);
  EXPECT_EQ((*of_int)[0].integration_id, "int_1");

  EXPECT_EQ(store().ListAudit(std::nullopt, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContract, AuditOutlivesItsIntegration) {
  ASSERT_TRUE(store().CreateIntegration(MakeIntegration("int_1")).ok());
  AuditEntry e;
  e.actor = "usr_1";
  e.action = "integration.deleted";
  e.integration_id = "int_1";
  ASSERT_TRUE(store().AppendAudit(e).ok());
  ASSERT_TRUE(store().DeleteIntegration("int_1").ok());
  EXPECT_EQ(store().ListAudit("int_1", 10)->size(), 1u);
}

// ---- Settings ----

TEST_P(StoreContract, Settings) {
  Result<std::optional<std::string>> missing = store().GetSetting("site_name");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, std::nullopt);
  ASSERT_TRUE(store().PutSetting("site_name", "Acme").ok());
  EXPECT_EQ(*store().GetSetting("site_name"), "Acme");
  ASSERT_TRUE(store().PutSetting("site_name", "").ok());
  EXPECT_EQ(*store().GetSetting("site_name"), "");
}

// ---- Transactions and threads ----

TEST_P(StoreContract, InTransactionRollsBackEverything) {
  Status s = store().InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store().CreateUser(MakeUser("usr_1", "a@example.com")));
    SL_RETURN_IF_ERROR(store().CreateClient({"cli_a", "Alpha", 1}));
    return store().CreateUser(MakeUser("usr_2", "A@example.com"));  // duplicate email
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*store().CountUsers(), 0);
  EXPECT_TRUE(store().ListClients()->empty());
}

TEST_P(StoreContract, InTransactionCommits) {
  Status s = store().InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store().CreateUser(MakeUser("usr_1", "a@example.com")));
    SL_RETURN_IF_ERROR(store().CreateClient({"cli_a", "Alpha", 1}));
    return store().AddClientMember("cli_a", "usr_1");
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(*store().ListClientIdsForUser("usr_1"), (std::vector<std::string>{"cli_a"}));
}

TEST_P(StoreContract, ConcurrentWritersFromManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "usr_" + std::to_string(t) + "_" + std::to_string(i);
        Status s = store().InTransaction([&]() -> Status {
          SL_RETURN_IF_ERROR(store().CreateUser(MakeUser(id, id + "@example.com")));
          AuditEntry e;
          e.actor = id;
          e.action = "user.created";
          return store().AppendAudit(e).status();
        });
        if (!s.ok()) ++failures;
        if (!store().GetUser(id).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store().CountUsers(), kThreads * kPerThread);
  EXPECT_EQ(store().ListAudit(std::nullopt, 1000)->size(), size_t{kThreads * kPerThread});
}

TEST_P(StoreContract, DurableTransactionCommitsOrRollsBack) {
  auto entry = [](std::string summary) {
    return AuditEntry{.at = 1, .actor = "admin@example.com", .action = "test",
                      .summary = std::move(summary)};
  };
  auto entries = [&] { return store().ListAudit(std::nullopt, 10)->size(); };
  Status committed = store().InDurableTransaction([&]() -> Status {
    return store().AppendAudit(entry("one")).status();
  });
  ASSERT_TRUE(committed.ok()) << committed.ToString();
  Status rolled_back = store().InDurableTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store().AppendAudit(entry("two")).status());
    return Status::Internal("give up");
  });
  EXPECT_EQ(rolled_back.code(), StatusCode::kInternal);
  EXPECT_EQ(entries(), 1u);
  // Nested in a transaction it joins it.
  Status nested = store().InTransaction([&]() -> Status {
    return store().InDurableTransaction([&]() -> Status {
      return store().AppendAudit(entry("three")).status();
    });
  });
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(entries(), 2u);
}

OAuthState MakeOAuthState(std::string hash, int64_t expires_at) {
  return OAuthState{.state_hash = std::move(hash),
                    .binding_hash = "binding-hash",
                    .user_id = "usr_1",
                    .client_id = std::nullopt,
                    .name = "Northwind",
                    .expected_account = "acct_1",
                    .scope = "read_only",
                    .created_at = expires_at - 600,
                    .expires_at = expires_at,
                    .used_at = std::nullopt};
}

TEST_P(StoreContract, OAuthStatesRoundTripAndAreConsumedOnce) {
  ASSERT_TRUE(store().CreateUser(MakeUser("usr_1", "admin@example.com", Role::kAdmin)).ok());
  ASSERT_TRUE(store().CreateOAuthState(MakeOAuthState("h1", 1000)).ok());
  EXPECT_EQ(store().CreateOAuthState(MakeOAuthState("h1", 1000)).code(),
            StatusCode::kAlreadyExists);
  OAuthState unknown_user = MakeOAuthState("h2", 1000);
  unknown_user.user_id = "usr_x";
  EXPECT_EQ(store().CreateOAuthState(unknown_user).code(), StatusCode::kNotFound);
  OAuthState unknown_client = MakeOAuthState("h3", 1000);
  unknown_client.client_id = "cli_x";
  EXPECT_EQ(store().CreateOAuthState(unknown_client).code(), StatusCode::kNotFound);

  Result<OAuthState> got = store().GetOAuthState("h1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->binding_hash, "binding-hash");
  EXPECT_EQ(got->user_id, "usr_1");
  EXPECT_FALSE(got->client_id);
  EXPECT_EQ(got->expected_account, "acct_1");
  EXPECT_EQ(got->scope, "read_only");
  EXPECT_EQ(got->expires_at, 1000);
  EXPECT_FALSE(got->used_at);
  EXPECT_FALSE(got->integration_id) << "a state adds an integration unless it names one";
  EXPECT_EQ(store().GetOAuthState("nope").status().code(), StatusCode::kNotFound);
  OAuthState reconnect = MakeOAuthState("h5", 1000);
  reconnect.integration_id = "int_1";
  ASSERT_TRUE(store().CreateOAuthState(reconnect).ok());
  EXPECT_EQ(store().GetOAuthState("h5")->integration_id, "int_1");

  EXPECT_TRUE(*store().ConsumeOAuthState("h1", 900));
  EXPECT_FALSE(*store().ConsumeOAuthState("h1", 901)) << "a state is used once";
  EXPECT_EQ(store().GetOAuthState("h1")->used_at, 900);
  EXPECT_FALSE(*store().ConsumeOAuthState("nope", 900));

  ASSERT_TRUE(store().CreateOAuthState(MakeOAuthState("h4", 5000)).ok());
  EXPECT_EQ(*store().DeleteOAuthStatesExpiredBefore(2000), 2);
  EXPECT_EQ(store().GetOAuthState("h1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store().GetOAuthState("h4").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(test_util::Backends()),
                         test_util::BackendName);

}  // namespace
}  // namespace stripeline::store
