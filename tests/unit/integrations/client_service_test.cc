// ClientService over a real SQLite store: admin-only changes, visibility, membership, audit.
#include "integrations/client_service.h"

#include <gtest/gtest.h>

#include "unit/integrations/integrations_test_util.h"

namespace stripeline::integrations {
namespace {

using test_util::MakeActor;

class ClientServiceTest : public test_util::IntegrationsTest {};

TEST_F(ClientServiceTest, CreateIsForAdminsWithANameOfOneToHundredCharacters) {
  auto created = clients_->Create(admin_, "Acme");
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->id.starts_with("cli_"));
  EXPECT_EQ(created->created_at, clock_.NowUnix());
  EXPECT_EQ(clients_->Create(admin_, "").status().error_code(), "invalid_name");
  EXPECT_EQ(clients_->Create(admin_, std::string(101, 'x')).status().error_code(), "invalid_name");
  EXPECT_EQ(clients_->Create(MakeActor(store::Role::kMember), "Globex").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->ListClients().value().size(), 1u);
  auto added = AuditWithAction("client.added");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].summary, "Added client 'Acme'");
}

TEST_F(ClientServiceTest, NamesAreTrimmedVisibleAndFreeOfControlCharacters) {
  for (std::string blank : {std::string(" "), std::string("\t"), std::string("\0", 1),
                            std::string("\xC2\xA0"), std::string("\xE2\x80\x8B")}) {
    EXPECT_EQ(clients_->Create(admin_, blank).status().error_code(), "invalid_name");
  }
  EXPECT_EQ(clients_->Create(admin_, std::string("Ac\0me", 5)).status().error_code(),
            "invalid_name");
  EXPECT_TRUE(store_->ListClients().value().empty());
  auto created = clients_->Create(admin_, "\xC2\xA0 Acme GmbH \xE2\x80\x8B");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->name, "Acme GmbH");
  EXPECT_EQ(clients_->Rename(admin_, created->id, "\t").status().error_code(), "invalid_name");
  EXPECT_EQ(clients_->Rename(admin_, created->id, "  Acme AG ")->name, "Acme AG");
}

TEST_F(ClientServiceTest, OthersSeeOnlyTheClientsTheyAreGiven) {
  std::string acme = AddClient("Acme");
  std::string globex = AddClient("Globex");
  access::Actor member = MakeActor(store::Role::kMember, {acme});
  auto listed = clients_->List(member);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, acme);
  EXPECT_TRUE(clients_->Get(member, acme).ok());
  EXPECT_EQ(clients_->Get(member, globex).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(clients_->List(admin_)->size(), 2u);
}

TEST_F(ClientServiceTest, AddMemberGivesAUserTheClient) {
  std::string acme = AddClient("Acme");
  store::User bob = AddUser("bob@example.com", store::Role::kViewer);
  EXPECT_FALSE(ActorOf(bob).CanSeeClient(acme));
  ASSERT_TRUE(clients_->AddMember(admin_, acme, " Bob@Example.com").ok());
  EXPECT_TRUE(ActorOf(bob).CanSeeClient(acme));
  EXPECT_EQ(AuditWithAction("client.member_added").size(), 1u);
  auto members = clients_->Members(admin_, acme);
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ((*members)[0].email, "bob@example.com");
  EXPECT_EQ(clients_->Members(ActorOf(bob), acme).status().code(), StatusCode::kPermissionDenied);

  ASSERT_TRUE(clients_->RemoveMember(admin_, acme, "bob@example.com").ok());
  EXPECT_FALSE(ActorOf(bob).CanSeeClient(acme));
  EXPECT_EQ(clients_->AddMember(ActorOf(bob), acme, "bob@example.com").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(clients_->AddMember(admin_, acme, "nobody@example.com").code(), StatusCode::kNotFound);
}

TEST_F(ClientServiceTest, DeleteIsRefusedWhileTheClientHasIntegrations) {
  std::string acme = AddClient("Acme");
  Saved saved = AddIntegration("Acme", test_util::kKeyA, acme);
  EXPECT_EQ(clients_->Delete(admin_, acme).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->GetClient(acme).ok());
  ASSERT_TRUE(integrations_->Delete(admin_, saved.integration.id, true, "").ok());
  EXPECT_TRUE(clients_->Delete(admin_, acme).ok());
  EXPECT_EQ(store_->GetClient(acme).status().code(), StatusCode::kNotFound);
}

TEST_F(ClientServiceTest, RenameKeepsTheIdAndAudits) {
  std::string acme = AddClient("Acme");
  auto renamed = clients_->Rename(admin_, acme, "Acme Corp");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(store_->GetClient(acme).value().name, "Acme Corp");
  auto entries = AuditWithAction("client.renamed");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].summary, "Renamed client 'Acme' to 'Acme Corp'");
}

}  // namespace
}  // namespace stripeline::integrations
