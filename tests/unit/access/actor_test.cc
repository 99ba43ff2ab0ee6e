// Actor's visibility rule and the role checks every service shares.
#include "access/actor.h"

#include <gtest/gtest.h>

namespace stripeline::access {
namespace {

Actor WithRole(store::Role role, std::vector<std::string> client_ids = {}) {
  Actor actor;
  actor.user_id = "usr_1";
  actor.email = "someone@example.com";
  actor.role = role;
  actor.client_ids = std::move(client_ids);
  return actor;
}

TEST(Actor, AdminSeesEveryClient) {
  Actor admin = WithRole(store::Role::kAdmin);
  EXPECT_TRUE(admin.CanSeeClient(std::nullopt));
  EXPECT_TRUE(admin.CanSeeClient("cli_anyone"));
}

TEST(Actor, MemberSeesSystemWideThingsAndOnlyTheirOwnClients) {
  Actor member = WithRole(store::Role::kMember, {"cli_a", "cli_b"});
  EXPECT_TRUE(member.CanSeeClient(std::nullopt));
  EXPECT_TRUE(member.CanSeeClient("cli_b"));
  EXPECT_FALSE(member.CanSeeClient("cli_c"));
  EXPECT_FALSE(member.CanSeeClient(""));
}

TEST(Actor, ViewerWithoutClientsSeesOnlySystemWideThings) {
  Actor viewer = WithRole(store::Role::kViewer);
  EXPECT_TRUE(viewer.CanSeeClient(std::nullopt));
  EXPECT_FALSE(viewer.CanSeeClient("cli_a"));
}

TEST(Actor, LocalOperatorIsAnAdminWithoutUserId) {
  Actor local = Actor::LocalOperator();
  EXPECT_TRUE(local.IsAdmin());
  EXPECT_EQ(local.email, "cli");
  EXPECT_TRUE(local.user_id.empty());
}

TEST(RequireAdmin, RefusesOthersNamingTheActionAndTheirRole) {
  EXPECT_TRUE(RequireAdmin(WithRole(store::Role::kAdmin), "delete clients").ok());
  Status member = RequireAdmin(WithRole(store::Role::kMember), "delete clients");
  EXPECT_EQ(member.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(member.error_code(), "forbidden");
  EXPECT_EQ(member.message(),
            "Only administrators can delete clients. Your role is 'member'; ask an administrator.");
  EXPECT_EQ(RequireAdmin(WithRole(store::Role::kViewer), "add users").message(),
            "Only administrators can add users. Your role is 'viewer'; ask an administrator.");
}

TEST(RequireMember, RefusesOnlyViewers) {
  EXPECT_TRUE(RequireMember(WithRole(store::Role::kAdmin), "testing a connection").ok());
  EXPECT_TRUE(RequireMember(WithRole(store::Role::kMember), "testing a connection").ok());
  Status viewer = RequireMember(WithRole(store::Role::kViewer), "testing a connection");
  EXPECT_EQ(viewer.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(viewer.message(),
            "Viewers can only read; testing a connection needs the member or administrator role.");
}

}  // namespace
}  // namespace stripeline::access
