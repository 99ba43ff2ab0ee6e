// IntegrationService over a real SQLite store and SecretBox, with a scripted ConnectionChecker.
#include "integrations/integration_service.h"

#include <gtest/gtest.h>

#include <string>

#include "stripe/api_key.h"
#include "unit/integrations/integrations_test_util.h"

namespace stripeline::integrations {
namespace {

using test_util::kAccount;
using test_util::kKeyA;
using test_util::kKeyB;
using test_util::MakeActor;

class IntegrationServiceTest : public test_util::IntegrationsTest {
 protected:
  // No audit field (and no file of the data directory) holds `key` in clear.
  void ExpectSecretNowhere(const std::string& key) {
    for (const auto& entry : AllAudit()) {
      for (const std::string& text : {entry.actor, entry.action, entry.summary, entry.details_json}) {
        EXPECT_EQ(text.find(key), std::string::npos) << entry.action << ": " << text;
      }
    }
    EXPECT_FALSE(dir_.AnyFileContains(key));
  }

  void ExpectNothingStored() {
    EXPECT_TRUE(integrations_->List(admin_, std::nullopt).value().empty());
    EXPECT_TRUE(store_->ListIntegrations(std::nullopt).value().empty());
    EXPECT_TRUE(AllAudit().empty());
  }
};

TEST_F(IntegrationServiceTest, AddStoresSealedCredentialsAndAMaskedKey) {
  Saved saved = AddIntegration("  Main account  ");
  EXPECT_EQ(saved.message, "Integration added");
  EXPECT_TRUE(saved.warnings.empty());
  ASSERT_EQ(checker_.call_count(), 1u);
  EXPECT_EQ(checker_.calls()[0].key, kKeyA);
  EXPECT_EQ(checker_.calls()[0].account_id, std::nullopt);

  auto stored = store_->GetIntegration(saved.integration.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->name, "Main account");
  EXPECT_EQ(stored->credentials_sealed.find(kKeyA), std::string::npos);
  EXPECT_EQ(stored->credentials_sealed.find("FakeKeyAAAA"), std::string::npos);
  EXPECT_TRUE(stored->credentials_sealed.starts_with("v1:"));
  auto opened = OpenCredentials(box_, *stored);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->secret_key, kKeyA);
  EXPECT_EQ(integrations_->Credentials(*stored).value().secret_key, kKeyA);

  EXPECT_EQ(stored->secret_key_masked, "sk_test_...1111");
  EXPECT_EQ(stored->health, Health::kOk);
  EXPECT_EQ(stored->health_reason, "");
  EXPECT_EQ(stored->health_checked_at, clock_.NowUnix());
  EXPECT_EQ(stored->stripe_account_id, kAccount);
  EXPECT_EQ(stored->stripe_account_name, "Fake Ltd");
  EXPECT_FALSE(stored->livemode);
  EXPECT_TRUE(stored->active);

  auto added = AuditWithAction("integration.added");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].actor, "admin@example.com");
  EXPECT_EQ(added[0].integration_id, saved.integration.id);
  EXPECT_NE(added[0].details_json.find("sk_test_...1111"), std::string::npos);
  ExpectSecretNowhere(kKeyA);
}

TEST_F(IntegrationServiceTest, AddTakesTheModeFromTheCheck) {
  checker_.Answer(test_util::AvailableCheck(kAccount, /*livemode=*/true));
  Saved saved = AddIntegration("Live", test_util::kLiveKey);
  EXPECT_TRUE(saved.integration.livemode);
  EXPECT_EQ(saved.integration.secret_key_masked, "sk_live_...3333");
}

TEST_F(IntegrationServiceTest, AddRefusesAnInvalidKeyWithStripesMessageAndStoresNothing) {
  checker_.Answer(test_util::InvalidKeyCheck());
  auto saved = integrations_->Add(admin_, {.name = "Main", .secret_key = kKeyA});
  EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(saved.status().error_code(), "invalid_secret_key");
  EXPECT_EQ(saved.status().message(),
            "The secret key is invalid: Invalid API Key provided: sk_test_****1111");
  ExpectNothingStored();
}

TEST_F(IntegrationServiceTest, AddRefusesAnExpiredKeyAndStoresNothing) {
  checker_.Answer(test_util::ExpiredKeyCheck());
  auto saved = integrations_->Add(admin_, {.name = "Main", .secret_key = kKeyA});
  EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(saved.status().error_code(), "invalid_secret_key");
  EXPECT_EQ(saved.status().message(),
            "The secret key is invalid: Expired API Key provided: sk_test_****1111");
  ExpectNothingStored();
}

TEST_F(IntegrationServiceTest, AddWhenStripeIsUnreachableIsUnavailableAndStoresNothing) {
  checker_.Answer(test_util::UnreachableCheck());
  auto saved = integrations_->Add(admin_, {.name = "Main", .secret_key = kKeyA});
  EXPECT_EQ(saved.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(saved.status().error_code(), "stripe_unreachable");
  EXPECT_NE(saved.status().message().find("nothing was saved"), std::string::npos);
  ExpectNothingStored();
}

TEST_F(IntegrationServiceTest, AddWhenStripeAnswersAnErrorIsUnavailableAndStoresNothing) {
  checker_.Answer(test_util::CheckFor(stripe::ErrorKind::kApi, 500, "", "Stripe is having a day"));
  auto saved = integrations_->Add(admin_, {.name = "Main", .secret_key = kKeyA});
  EXPECT_EQ(saved.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(saved.status().error_code(), "stripe_error");
  ExpectNothingStored();
}

TEST_F(IntegrationServiceTest, AddRefusesMalformedKeysWithoutCallingTheChecker) {
  for (std::string key : {std::string("pk_test_51FakeKeyPPPPPPPPPPPPPPPPPPPPPPPP5555"),
                          std::string(" ") + kKeyA, std::string(kKeyA) + "\n",
                          std::string("sk_test_51Fake KeyAAAAAAAAAAAAAAAAAAAAAAAAA"),
                          std::string("whsec_51FakeSecretWWWWWWWWWWWWWWWWWWWWW"),
                          std::string("sk_test_short"), std::string("")}) {
    auto saved = integrations_->Add(admin_, {.name = "Main", .secret_key = key});
    EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(saved.status().error_code(), "invalid_secret_key") << key;
    EXPECT_TRUE(saved.status().message().starts_with("The secret key is invalid: ")) << key;
    if (key.size() > 12) {
      EXPECT_EQ(saved.status().message().find(key), std::string::npos) << key;
    }
  }
  EXPECT_EQ(checker_.call_count(), 0u);
  ExpectNothingStored();
}

TEST_F(IntegrationServiceTest, AddValidatesNameClientAndAccountBeforeCallingTheChecker) {
  EXPECT_EQ(integrations_->Add(admin_, {.name = "   ", .secret_key = kKeyA}).status().error_code(),
            "invalid_name");
  EXPECT_EQ(integrations_->Add(admin_, {.name = std::string("Ma\0in", 5), .secret_key = kKeyA})
                .status()
                .error_code(),
            "invalid_name");
  EXPECT_EQ(integrations_->Add(admin_, {.name = "\xE2\x80\x8B\xC2\xA0", .secret_key = kKeyA})
                .status()
                .error_code(),
            "invalid_name");
  EXPECT_EQ(integrations_->Add(admin_, {.name = std::string(101, 'n'), .secret_key = kKeyA})
                .status()
                .error_code(),
            "invalid_name");
  EXPECT_EQ(integrations_->Add(admin_, {.name = "Main", .secret_key = kKeyA, .client_id = "cli_none"})
                .status()
                .error_code(),
            "unknown_client");
  EXPECT_EQ(integrations_->Add(admin_, {.name = "Main", .secret_key = kKeyA, .account_id = "acct-1"})
                .status()
                .error_code(),
            "invalid_account_id");
  EXPECT_EQ(integrations_->Add(admin_, {.type = "paypal", .name = "Main", .secret_key = kKeyA})
                .status()
                .error_code(),
            "unknown_integration_type");
  EXPECT_EQ(checker_.call_count(), 0u);
  ExpectNothingStored();
}

TEST_F(IntegrationServiceTest, AddWithMissingPermissionsSavesWithAWarning) {
  checker_.Answer(test_util::MissingPermissionsCheck({"rak_subscription_read", "rak_payout_read"}));
  Saved saved = AddIntegration("Restricted", test_util::kRestrictedKey);
  EXPECT_EQ(saved.message, "Integration added");
  ASSERT_EQ(saved.warnings.size(), 1u);
  EXPECT_NE(saved.warnings[0].find("rak_subscription_read, rak_payout_read"), std::string::npos)
      << saved.warnings[0];
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_EQ(stored.health, Health::kMissingPermissions);
  EXPECT_EQ(stored.missing_permissions,
            (std::vector<std::string>{"rak_subscription_read", "rak_payout_read"}));
  EXPECT_FALSE(stored.health_reason.empty());
}

TEST_F(IntegrationServiceTest, EditOfTheNameDoesNotRevalidate) {
  Saved saved = AddIntegration();
  clock_.Advance(std::chrono::seconds(30));
  auto edited = integrations_->Edit(admin_, saved.integration.id, {.name = "Renamed"});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->message, "Integration updated");
  EXPECT_EQ(checker_.call_count(), 1u);
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_EQ(stored.name, "Renamed");
  EXPECT_EQ(stored.updated_at, clock_.NowUnix());
  EXPECT_EQ(OpenCredentials(box_, stored).value().secret_key, kKeyA);
  auto updated = AuditWithAction("integration.updated");
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(updated[0].summary, "Changed name of 'Renamed'");
}

TEST_F(IntegrationServiceTest, EditWithANewKeyRevalidatesAndReseals) {
  Saved saved = AddIntegration();
  auto edited = integrations_->Edit(admin_, saved.integration.id, {.secret_key = kKeyB});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  ASSERT_EQ(checker_.call_count(), 2u);
  EXPECT_EQ(checker_.calls()[1].key, kKeyB);
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_EQ(OpenCredentials(box_, stored).value().secret_key, kKeyB);
  EXPECT_EQ(stored.secret_key_masked, "sk_test_...2222");
  auto updated = AuditWithAction("integration.updated");
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_NE(updated[0].details_json.find("sk_test_...2222"), std::string::npos);
  ExpectSecretNowhere(kKeyA);
  ExpectSecretNowhere(kKeyB);
}

TEST_F(IntegrationServiceTest, EditOfTheAccountIdRevalidatesWithTheStoredKey) {
  Saved saved = AddIntegration();
  auto edited = integrations_->Edit(
      admin_, saved.integration.id,
      {.account_id = std::optional<std::string>("acct_1Connected")});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  ASSERT_EQ(checker_.call_count(), 2u);
  EXPECT_EQ(checker_.calls()[1].key, kKeyA);
  EXPECT_EQ(checker_.calls()[1].account_id, "acct_1Connected");
  EXPECT_EQ(store_->GetIntegration(saved.integration.id).value().account_id, "acct_1Connected");
}

TEST_F(IntegrationServiceTest, EditToAConnectedAccountIsARetargetNotAMismatch) {
  Saved saved = AddIntegration();
  // With an Account ID, the check answers for the connected account, not the platform's.
  checker_.Answer(test_util::AvailableCheck("acct_1Connected"));
  auto edited = integrations_->Edit(
      admin_, saved.integration.id,
      {.account_id = std::optional<std::string>("acct_1Connected")});
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(store_->GetIntegration(saved.integration.id).value().stripe_account_id,
            "acct_1Connected");
}

TEST_F(IntegrationServiceTest, EditRefusesAKeyOfAnotherStripeAccountAndKeepsTheOldKey) {
  Saved saved = AddIntegration();
  checker_.Answer(test_util::AvailableCheck(test_util::kOtherAccount));
  auto edited = integrations_->Edit(admin_, saved.integration.id, {.secret_key = kKeyB});
  EXPECT_EQ(edited.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(edited.status().error_code(), "account_mismatch");
  EXPECT_NE(edited.status().message().find(test_util::kOtherAccount), std::string::npos);
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_EQ(OpenCredentials(box_, stored).value().secret_key, kKeyA);
  EXPECT_EQ(stored.secret_key_masked, "sk_test_...1111");
  EXPECT_EQ(stored.stripe_account_id, kAccount);
  EXPECT_TRUE(AuditWithAction("integration.updated").empty());
}

// Issue 13: a live key on a test integration mixed live data into the test integration's rows
// and reports. An integration's mode is fixed: the other mode's key is refused before Stripe is
// called, and nothing changes.
TEST_F(IntegrationServiceTest, EditRefusesAKeyOfTheOtherModeWithoutCallingStripe) {
  Saved saved = AddIntegration();
  auto edited =
      integrations_->Edit(admin_, saved.integration.id, {.secret_key = test_util::kLiveKey});
  EXPECT_EQ(edited.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(edited.status().error_code(), "mode_change_refused");
  EXPECT_NE(edited.status().message().find(
                "This integration syncs test data; a live key belongs to a new integration"),
            std::string::npos)
      << edited.status().message();
  EXPECT_EQ(checker_.call_count(), 1u);  // the Add's only
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_FALSE(stored.livemode);
  EXPECT_EQ(OpenCredentials(box_, stored).value().secret_key, kKeyA);
  EXPECT_TRUE(AuditWithAction("integration.updated").empty());

  // The check decides too, when the key's prefix did not (Stripe answered for the other mode).
  checker_.Answer(test_util::AvailableCheck(kAccount, /*livemode=*/true));
  auto checked = integrations_->Edit(admin_, saved.integration.id, {.secret_key = kKeyB});
  EXPECT_EQ(checked.status().error_code(), "mode_change_refused");
  EXPECT_FALSE(store_->GetIntegration(saved.integration.id).value().livemode);
}

TEST_F(IntegrationServiceTest, EditKeepsTheOldKeyWhenTheNewOneIsRefused) {
  Saved saved = AddIntegration();
  checker_.Answer(test_util::InvalidKeyCheck());
  auto edited = integrations_->Edit(admin_, saved.integration.id, {.secret_key = kKeyB});
  EXPECT_EQ(edited.status().error_code(), "invalid_secret_key");
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_EQ(OpenCredentials(box_, stored).value().secret_key, kKeyA);
  EXPECT_EQ(stored.health, Health::kOk);
  EXPECT_TRUE(AuditWithAction("integration.updated").empty());
}

TEST_F(IntegrationServiceTest, SetActiveSaysWhatHappenedAndAuditsOnlyChanges) {
  Saved saved = AddIntegration();
  auto off = integrations_->SetActive(admin_, saved.integration.id, false);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->message, "Integration deactivated");
  EXPECT_FALSE(store_->GetIntegration(saved.integration.id).value().active);
  auto deactivated = AuditWithAction("integration.deactivated");
  ASSERT_EQ(deactivated.size(), 1u);
  EXPECT_EQ(deactivated[0].summary, "Integration deactivated: 'Main'");

  EXPECT_EQ(integrations_->SetActive(admin_, saved.integration.id, false)->message,
            "Integration deactivated");
  EXPECT_EQ(AuditWithAction("integration.deactivated").size(), 1u);

  auto on = integrations_->SetActive(admin_, saved.integration.id, true);
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(on->message, "Integration activated");
  EXPECT_TRUE(store_->GetIntegration(saved.integration.id).value().active);
  EXPECT_EQ(AuditWithAction("integration.activated").size(), 1u);
  EXPECT_EQ(checker_.call_count(), 1u);
}

TEST_F(IntegrationServiceTest, TestOfAnInactiveIntegrationNeverCallsTheChecker) {
  Saved saved = AddIntegration();
  ASSERT_TRUE(integrations_->SetActive(admin_, saved.integration.id, false).ok());
  auto tested = integrations_->Test(admin_, saved.integration.id);
  EXPECT_EQ(tested.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(tested.status().error_code(), "integration_inactive");
  EXPECT_EQ(checker_.call_count(), 1u);  // only the Add
}

TEST_F(IntegrationServiceTest, TestRecordsTheHealthItFinds) {
  Saved saved = AddIntegration();
  checker_.Answer(test_util::ExpiredKeyCheck());
  auto tested = integrations_->Test(admin_, saved.integration.id);
  ASSERT_TRUE(tested.ok()) << tested.status().ToString();
  EXPECT_EQ(tested->failure, ConnectionFailure::kExpiredCredentials);
  ASSERT_EQ(checker_.call_count(), 2u);
  EXPECT_EQ(checker_.calls()[1].key, kKeyA);
  auto stored = store_->GetIntegration(saved.integration.id).value();
  EXPECT_EQ(stored.health, Health::kNeedsReconnect);
  EXPECT_NE(stored.health_reason.find("expired"), std::string::npos) << stored.health_reason;
  EXPECT_EQ(AuditWithAction("integration.health_changed").size(), 1u);
}

TEST_F(IntegrationServiceTest, RecordCheckAuditsEachHealthTransitionOnce) {
  Saved saved = AddIntegration();
  const std::string& id = saved.integration.id;
  ASSERT_TRUE(integrations_->RecordCheck(id, test_util::AvailableCheck()).ok());
  EXPECT_TRUE(AuditWithAction("integration.health_changed").empty());

  ASSERT_TRUE(integrations_->RecordCheck(id, test_util::InvalidKeyCheck()).ok());
  auto changes = AuditWithAction("integration.health_changed");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].summary, "Health changed from ok to needs_reconnect");
  EXPECT_EQ(changes[0].actor, "stripeline");
  EXPECT_EQ(changes[0].integration_id, id);

  ASSERT_TRUE(integrations_->RecordCheck(id, test_util::ExpiredKeyCheck()).ok());
  EXPECT_EQ(AuditWithAction("integration.health_changed").size(), 1u);

  ASSERT_TRUE(integrations_->RecordCheck(id, test_util::UnreachableCheck()).ok());
  ASSERT_TRUE(integrations_->RecordCheck(id, test_util::AvailableCheck()).ok());
  changes = AuditWithAction("integration.health_changed");
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].summary, "Health changed from unavailable to ok");  // newest first
  EXPECT_EQ(store_->GetIntegration(id).value().health, Health::kOk);
  EXPECT_EQ(store_->GetIntegration(id).value().health_reason, "");
}

TEST_F(IntegrationServiceTest, MembersAndViewersCannotChangeIntegrations) {
  std::string client = AddClient("Acme");
  Saved saved = AddIntegration("Acme", kKeyA, client);
  const std::string& id = saved.integration.id;
  for (const access::Actor& actor :
       {MakeActor(store::Role::kMember, {client}), MakeActor(store::Role::kViewer, {client})}) {
    EXPECT_EQ(integrations_->Add(actor, {.name = "X", .secret_key = kKeyB}).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(integrations_->Edit(actor, id, {.name = "X"}).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(integrations_->Delete(actor, id, true, "").status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(integrations_->SetActive(actor, id, false).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_TRUE(integrations_->Get(actor, id).ok());
  }
  EXPECT_EQ(integrations_->SetActive(MakeActor(store::Role::kMember, {client}), id, false)
                .status()
                .message(),
            "Only administrators can deactivate integrations. Your role is 'member'; ask an "
            "administrator.");
  EXPECT_EQ(checker_.call_count(), 1u);
  EXPECT_TRUE(store_->GetIntegration(id).value().active);
}

TEST_F(IntegrationServiceTest, MembersMayTestButViewersMayNot) {
  std::string client = AddClient("Acme");
  Saved saved = AddIntegration("Acme", kKeyA, client);
  EXPECT_TRUE(integrations_->Test(MakeActor(store::Role::kMember, {client}), saved.integration.id).ok());
  auto viewer = integrations_->Test(MakeActor(store::Role::kViewer, {client}), saved.integration.id);
  EXPECT_EQ(viewer.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(checker_.call_count(), 2u);
}

TEST_F(IntegrationServiceTest, OtherClientsIntegrationsAreNotFound) {
  std::string acme = AddClient("Acme");
  std::string globex = AddClient("Globex");
  Saved acme_one = AddIntegration("Acme", kKeyA, acme);
  Saved shared = AddIntegration("Shared", kKeyB);
  access::Actor globex_member = MakeActor(store::Role::kMember, {globex});

  const std::string& id = acme_one.integration.id;
  auto got = integrations_->Get(globex_member, id);
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(got.status().message(), "There is no integration with id '" + id + "'.");
  EXPECT_EQ(integrations_->Test(globex_member, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(integrations_->Audit(globex_member, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(integrations_->List(globex_member, acme).status().code(), StatusCode::kNotFound);

  auto listed = integrations_->List(globex_member, std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, shared.integration.id);
  EXPECT_EQ(integrations_->List(admin_, std::nullopt)->size(), 2u);
  EXPECT_EQ(checker_.call_count(), 2u);  // the Test above never reached the checker
}

TEST_F(IntegrationServiceTest, DeleteRemovesTheIntegrationAndAuditsKeepData) {
  Saved saved = AddIntegration();
  auto deleted = integrations_->Delete(admin_, saved.integration.id, /*keep_data=*/false, "");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, "Integration deleted");
  EXPECT_EQ(integrations_->Get(admin_, saved.integration.id).status().code(),
            StatusCode::kNotFound);
  auto entries = AuditWithAction("integration.deleted");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].summary, "Deleted integration 'Main' (synced data removed)");
  EXPECT_NE(entries[0].details_json.find("\"keep_data\":false"), std::string::npos);
}

TEST_F(IntegrationServiceTest, AuditEntriesNeverHoldTheSecret) {
  Saved saved = AddIntegration();
  const std::string& id = saved.integration.id;
  ASSERT_TRUE(integrations_->Edit(admin_, id, {.name = "Renamed", .secret_key = kKeyB}).ok());
  checker_.Answer(test_util::InvalidKeyCheck());
  ASSERT_TRUE(integrations_->Test(admin_, id).ok());
  ASSERT_TRUE(integrations_->SetActive(admin_, id, false).ok());
  ASSERT_TRUE(integrations_->Delete(admin_, id, true, "").ok());
  EXPECT_GE(AllAudit().size(), 5u);
  ExpectSecretNowhere(kKeyA);
  ExpectSecretNowhere(kKeyB);
}

TEST_F(IntegrationServiceTest, CredentialsSealedForOneIntegrationDoNotOpenForAnother) {
  Saved first = AddIntegration("First", kKeyA);
  Saved second = AddIntegration("Second", kKeyB);
  store::Integration moved = store_->GetIntegration(second.integration.id).value();
  moved.credentials_sealed = store_->GetIntegration(first.integration.id).value().credentials_sealed;
  ASSERT_TRUE(store_->UpdateIntegration(moved).ok());

  auto opened = OpenCredentials(box_, store_->GetIntegration(second.integration.id).value());
  EXPECT_EQ(opened.status().code(), StatusCode::kInternal);
  EXPECT_EQ(opened.status().error_code(), "credentials_unreadable");
  auto tested = integrations_->Test(admin_, second.integration.id);
  EXPECT_EQ(tested.status().error_code(), "credentials_unreadable");
  EXPECT_EQ(checker_.call_count(), 2u);
}

TEST_F(IntegrationServiceTest, CredentialsDoNotOpenUnderAnotherMasterKey) {
  Saved saved = AddIntegration();
  SecretBox other(std::string(kMasterKeyBytes, '\x07'));
  auto opened = OpenCredentials(other, store_->GetIntegration(saved.integration.id).value());
  EXPECT_EQ(opened.status().error_code(), "credentials_unreadable");
}

TEST(HealthFor, MapsEveryFailureToAHealthState) {
  auto health = [](ConnectionFailure failure) {
    ConnectionCheck check;
    check.failure = failure;
    return HealthFor(check);
  };
  EXPECT_EQ(health(ConnectionFailure::kNone), Health::kOk);
  EXPECT_EQ(health(ConnectionFailure::kInvalidCredentials), Health::kNeedsReconnect);
  EXPECT_EQ(health(ConnectionFailure::kExpiredCredentials), Health::kNeedsReconnect);
  EXPECT_EQ(health(ConnectionFailure::kMissingPermissions), Health::kMissingPermissions);
  EXPECT_EQ(health(ConnectionFailure::kStripeUnreachable), Health::kUnavailable);
  EXPECT_EQ(health(ConnectionFailure::kStripeError), Health::kUnavailable);
}

// Health's strings are what the database holds and the API shows: each state has one, and it
// reads back as the same state.
TEST(Health, EveryStateHasOneNameThatParsesBack) {
  const std::vector<std::pair<Health, std::string>> names = {
      {Health::kUnknown, "unknown"},
      {Health::kOk, "ok"},
      {Health::kNeedsReconnect, "needs_reconnect"},
      {Health::kMissingPermissions, "missing_permissions"},
      {Health::kUnavailable, "unavailable"}};
  for (const auto& [health, name] : names) {
    EXPECT_EQ(store::HealthName(health), name);
    EXPECT_EQ(store::ParseHealth(name), health);
  }
  EXPECT_EQ(store::ParseHealth("OK"), std::nullopt);
  EXPECT_EQ(store::ParseHealth(""), std::nullopt);
}

// The rule of the whole audit log (GET /api/v1/audit) is the service's: admins only.
TEST_F(IntegrationServiceTest, OnlyAdminsReadTheWholeAuditLog) {
  AddIntegration();
  for (store::Role role : {store::Role::kMember, store::Role::kViewer}) {
    EXPECT_EQ(integrations_->AuditLog(test_util::MakeActor(role)).status().code(),
              StatusCode::kPermissionDenied);
  }
  auto entries = integrations_->AuditLog(admin_);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->front().action, "integration.added");
}

// The integrations/ part of a delete only checks and says what it was told about the data: the
// removal itself is sync::IntegrationRemoval's, in the same transaction.
TEST_F(IntegrationServiceTest, DeleteRecordsWhatTheCallerRemoved) {
  Saved saved = AddIntegration();
  auto deleted = integrations_->Delete(admin_, saved.integration.id, false, "12 synced rows");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, "Integration deleted");
  auto entries = AuditWithAction("integration.deleted");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].summary, "Deleted integration 'Main' (synced data removed: 12 synced rows)");
  EXPECT_EQ(integrations_->GetForDelete(test_util::MakeActor(store::Role::kMember),
                                        saved.integration.id)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace stripeline::integrations
