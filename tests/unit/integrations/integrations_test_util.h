#pragma once
// Helpers for tests of the integration services (also used by the http/ tests, which include
// it as "unit/integrations/integrations_test_util.h"):
//   FakeConnectionChecker — a ConnectionChecker answering scripted ConnectionChecks, built on a
//     Stripe client whose transport fails the test if it is ever called;
//   checks built with the real CheckFromError, so their messages are Stripe-shaped;
//   IntegrationsTest — StoreTest plus SecretBox, IntegrationService, ClientService and actors.

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/actor.h"
#include "common/secrets.h"
#include "integrations/client_service.h"
#include "integrations/connection_check.h"
#include "integrations/integration_service.h"
#include "stripe/client.h"
#include "stripe/error.h"
#include "stripe/transport.h"
#include "unit/access/access_test_util.h"

namespace stripeline::test_util {

// Well-formed keys (ClassifyApiKey accepts them); none of them is real.
inline constexpr char kKeyA[] = "sk_test_51FakeKeyAAAAAAAAAAAAAAAAAAAAAAAA1111";
inline constexpr char kKeyB[] = "sk_test_51FakeKeyBBBBBBBBBBBBBBBBBBBBBBBB2222";
inline constexpr char kLiveKey[] = "sk_live_51FakeKeyLLLLLLLLLLLLLLLLLLLLLLLL3333";
inline constexpr char kRestrictedKey[] = "rk_test_51FakeKeyRRRRRRRRRRRRRRRRRRRRRRRR4444";
inline constexpr char kAccount[] = "acct_1FakeAccountA";
inline constexpr char kOtherAccount[] = "acct_1FakeAccountB";

// A Transport for checkers that must never reach Stripe.
class UnusableTransport final : public stripe::Transport {
 public:
  Result<stripe::TransportResponse> Send(const stripe::TransportRequest& request) override {
    ADD_FAILURE() << "unexpected Stripe request: " << request.method << " " << request.url;
    return Status::Unavailable("unit tests never reach Stripe", "stripe_unreachable");
  }
};

inline stripe::RateLimiterRegistry& UnusedLimiters() {
  static stripe::RateLimiterRegistry limiters;
  return limiters;
}

inline const stripe::Client& UnusableStripeClient() {
  static const stripe::Client client(stripe::ClientOptions{},
                                     std::make_shared<UnusableTransport>());
  return client;
}

inline integrations::ConnectionCheck AvailableCheck(std::string account_id = kAccount,
                                                    bool livemode = false) {
  integrations::ConnectionCheck check;
  check.message = "Connection available";
  check.account_id = std::move(account_id);
  check.account_name = "Fake Ltd";
  check.livemode = livemode;
  return check;
}

// What the real checker answers for a Stripe error.
inline integrations::ConnectionCheck CheckFor(stripe::ErrorKind kind, int http_status,
                                              std::string code, std::string message) {
  return integrations::CheckFromError({.kind = kind,
                                       .http_status = http_status,
                                       .code = std::move(code),
                                       .message = std::move(message),
                                       .request_id = "req_fake"});
}
inline integrations::ConnectionCheck InvalidKeyCheck() {
  return CheckFor(stripe::ErrorKind::kAuthentication, 401, "",
                  "Invalid API Key provided: sk_test_****1111");
}
inline integrations::ConnectionCheck ExpiredKeyCheck() {
  return CheckFor(stripe::ErrorKind::kAuthentication, 401, "api_key_expired",
                  "Expired API Key provided: sk_test_****1111");
}
inline integrations::ConnectionCheck UnreachableCheck() {
  return CheckFor(stripe::ErrorKind::kConnection, 0, "stripe_unreachable",
                  "Could not connect to api.stripe.com");
}
inline integrations::ConnectionCheck MissingPermissionsCheck(std::vector<std::string> missing) {
  integrations::ConnectionCheck check = AvailableCheck();
  check.failure = integrations::ConnectionFailure::kMissingPermissions;
  check.message = "Connection unavailable: the restricted key is missing permissions";
  check.key_kind = stripe::KeyKind::kRestricted;
  check.missing_permissions = std::move(missing);
  return check;
}

// Answers every Check with the scripted check and records the calls. Thread-safe.
class FakeConnectionChecker final : public integrations::ConnectionChecker {
 public:
  struct Call {
    std::string key;
    std::optional<std::string> account_id;
  };

  FakeConnectionChecker() : ConnectionChecker(UnusableStripeClient(), UnusedLimiters()) {}

  void Answer(integrations::ConnectionCheck check) {
    std::lock_guard lock(mu_);
    answer_ = std::move(check);
  }
  std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  size_t call_count() const { return calls().size(); }

  integrations::ConnectionCheck Check(
      const std::string& key, const std::optional<std::string>& account_id) const override {
    std::lock_guard lock(mu_);
    calls_.push_back({key, account_id});
    return answer_;
  }

 private:
  mutable std::mutex mu_;
  integrations::ConnectionCheck answer_ = AvailableCheck();
  mutable std::vector<Call> calls_;
};

inline access::Actor MakeActor(store::Role role, std::vector<std::string> client_ids = {}) {
  access::Actor actor;
  actor.user_id = "usr_" + std::string(store::RoleName(role));
  actor.email = std::string(store::RoleName(role)) + "@example.com";
  actor.role = role;
  actor.client_ids = std::move(client_ids);
  return actor;
}

class IntegrationsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    integrations_ = std::make_unique<integrations::IntegrationService>(*store_, box_, checker_, clock_);
    clients_ = std::make_unique<integrations::ClientService>(*store_, clock_);
  }

  // Adds an integration as admin_ with the checker's current answer; fails the test if refused.
  integrations::Saved AddIntegration(const std::string& name = "Main",
                                     const std::string& key = kKeyA,
                                     std::optional<std::string> client_id = std::nullopt) {
    auto saved = integrations_->Add(
        admin_, {.name = name, .secret_key = key, .client_id = std::move(client_id)});
    EXPECT_TRUE(saved.ok()) << saved.status().ToString();
    return saved.ok() ? *saved : integrations::Saved{};
  }

  std::string AddClient(const std::string& name) {
    auto client = clients_->Create(admin_, name);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? client->id : "";
  }

  std::vector<store::AuditEntry> AllAudit() {
    auto entries = store_->ListAudit(std::nullopt, 1000);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    return entries.ok() ? *entries : std::vector<store::AuditEntry>{};
  }

  std::vector<store::AuditEntry> AuditWithAction(const std::string& action) {
    std::vector<store::AuditEntry> out;
    for (auto& entry : AllAudit()) {
      if (entry.action == action) out.push_back(entry);
    }
    return out;
  }

  SecretBox box_{std::string(kMasterKeyBytes, '\x42')};
  FakeConnectionChecker checker_;
  std::unique_ptr<integrations::IntegrationService> integrations_;
  std::unique_ptr<integrations::ClientService> clients_;
  access::Actor admin_ = MakeActor(store::Role::kAdmin);
};

}  // namespace stripeline::test_util
