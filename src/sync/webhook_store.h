#pragma once
// WebhookStore: the repository of the webhook intake's tables (docs/schema.md): each
// integration's signing secrets (webhook_secrets) and the durable inbox of received events
// (webhook_events) with where each stands. Plain reads and writes in portable SQL; the intake
// (webhook_intake.h) decides what they mean. The event state is an enum here; its names are
// what the table holds.
//
// Errors: a missing row is NotFound naming it; a write for an integration that does not exist
// (e.g. deleted meanwhile) is NotFound naming the integration; database errors pass through.
//
// Thread-safety: thread-safe (the Database is). Single calls are atomic; run several inside
// Database::Transaction to make them atomic together.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/database.h"

namespace stripeline::sync {

// Where a received webhook event stands (webhook_events.state).
enum class WebhookEventState {
  kPending,  // "pending": stored, not applied yet (or to be retried at next_attempt_at)
  kApplied,  // "applied"
  kFailed,   // "failed": invalid, or every attempt failed; error says why
};
std::string_view Name(WebhookEventState state);
// The inverse of Name; InvalidArgument for any other text.
Result<WebhookEventState> ParseWebhookEventState(std::string_view name);

// An integration's webhook signing secrets (whsec_...), sealed by SecretBox with the
// integration id as associated data. After a rotation the previous secret stays valid until
// previous_expires_at.
struct WebhookSecrets {
  std::string integration_id;
  std::string secret_sealed, secret_masked;
  int64_t created_at = 0;
  std::optional<std::string> previous_sealed, previous_masked;
  std::optional<int64_t> previous_expires_at;
};

// A verified webhook delivery, stored before it is acknowledged and applied afterwards.
struct WebhookEvent {
  std::string integration_id, event_id, type;
  int64_t created = 0;  // the event's own `created`: the order events are applied in
  bool livemode = false;
  std::optional<std::string> account;  // the event's `account` (connected accounts)
  std::string payload;                 // the raw body as received
  int64_t received_at = 0;
  WebhookEventState state = WebhookEventState::kPending;
  int64_t attempts = 0;
  std::string error;
  int64_t next_attempt_at = 0;  // a pending event is not retried before this
  std::optional<int64_t> applied_at;
};

struct WebhookEventCounts {
  int64_t received = 0, applied = 0, pending = 0, failed = 0;
  std::optional<int64_t> last_received_at;
};

class WebhookStore {
 public:
  explicit WebhookStore(store::Database& db) : db_(db) {}

  // ---- Signing secrets ----
  // Inserts or replaces the integration's secrets. NotFound when the integration does not exist.
  Status PutSecrets(const WebhookSecrets& secrets);
  // NotFound when the integration has no webhook secret.
  Result<WebhookSecrets> GetSecrets(const std::string& integration_id);
  // NotFound when the integration has no webhook secret.
  Status DeleteSecrets(const std::string& integration_id);

  // ---- Events (the intake's durable inbox) ----
  // Stores a received event unless (integration_id, event_id) is already stored: true when it
  // was inserted, false for a duplicate (the stored row is left as it is). NotFound when the
  // integration does not exist (e.g. deleted meanwhile).
  Result<bool> InsertEvent(const WebhookEvent& event);
  // NotFound when absent.
  Result<WebhookEvent> GetEvent(const std::string& integration_id, const std::string& event_id);
  // Up to `limit` pending events of active integrations that are due (next_attempt_at <= now),
  // ordered by the events' `created`, then event id.
  Result<std::vector<WebhookEvent>> DuePendingEvents(int64_t now, int limit);
  // Records the outcome of an attempt: state, attempts, error, next_attempt_at and applied_at of
  // the row (integration_id, event_id). NotFound when absent.
  Status UpdateEventState(const WebhookEvent& event);
  Result<WebhookEventCounts> CountEvents(const std::string& integration_id);

 private:
  store::Database& db_;
};

}  // namespace stripeline::sync
