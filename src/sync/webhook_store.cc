#include "sync/webhook_store.h"

#include <array>

namespace stripeline::sync {

using store::OptionalValue;
using store::Row;
using store::Rows;

namespace {

constexpr std::array kWebhookEventStates{WebhookEventState::kPending, WebhookEventState::kApplied,
                                         WebhookEventState::kFailed};

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

std::string StateValue(WebhookEventState state) { return std::string(Name(state)); }

WebhookSecrets SecretsFromRow(const Row& row) {
  WebhookSecrets w;
  w.integration_id = row.GetString("integration_id");
  w.secret_sealed = row.GetString("secret_sealed");
  w.secret_masked = row.GetString("secret_masked");
  w.created_at = row.GetInt("created_at");
  w.previous_sealed = row.GetOptionalString("previous_sealed");
  w.previous_masked = row.GetOptionalString("previous_masked");
  w.previous_expires_at = row.GetOptionalInt("previous_expires_at");
  return w;
}

constexpr char kEventColumns[] =
    "integration_id, event_id, type, created, livemode, account, payload, received_at, state, "
    "attempts, error, next_attempt_at, applied_at";

Result<WebhookEvent> EventFromRow(const Row& row) {
  WebhookEvent e;
  e.integration_id = row.GetString("integration_id");
  e.event_id = row.GetString("event_id");
  e.type = row.GetString("type");
  e.created = row.GetInt("created");
  e.livemode = row.GetBool("livemode");
  e.account = row.GetOptionalString("account");
  e.payload = row.GetString("payload");
  e.received_at = row.GetInt("received_at");
  SL_ASSIGN_OR_RETURN(e.state, ParseWebhookEventState(row.GetString("state")));
  e.attempts = row.GetInt("attempts");
  e.error = row.GetString("error");
  e.next_attempt_at = row.GetInt("next_attempt_at");
  e.applied_at = row.GetOptionalInt("applied_at");
  return e;
}

// NotFound(`missing`) when the statement changed no row.
Status ExpectRow(const Result<int64_t>& changed, const std::string& missing) {
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return Status::NotFound(missing);
  return Status::OK();
}

}  // namespace

std::string_view Name(WebhookEventState state) {
  switch (state) {
    case WebhookEventState::kPending: return "pending";
    case WebhookEventState::kApplied: return "applied";
    case WebhookEventState::kFailed: return "failed";
  }
  return "unknown";  // not an enumerator: a cast gone wrong
}

Result<WebhookEventState> ParseWebhookEventState(std::string_view name) {
  for (WebhookEventState state : kWebhookEventStates) {
    if (Name(state) == name) return state;
  }
  return Status::InvalidArgument("Unknown webhook event state '" + std::string(name) + "'",
                                 "sync_unknown_state");
}

// ---- Signing secrets ----

Status WebhookStore::PutSecrets(const WebhookSecrets& w) {
  auto changed = db_.Execute(
      "INSERT INTO webhook_secrets (integration_id, secret_sealed, secret_masked, created_at, "
      "previous_sealed, previous_masked, previous_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (integration_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, "
      "secret_masked = excluded.secret_masked, created_at = excluded.created_at, "
      "previous_sealed = excluded.previous_sealed, previous_masked = excluded.previous_masked, "
      "previous_expires_at = excluded.previous_expires_at",
      {w.integration_id, w.secret_sealed, w.secret_masked, w.created_at,
       OptionalValue(w.previous_sealed), OptionalValue(w.previous_masked),
       OptionalValue(w.previous_expires_at)});
  if (!changed.ok() && changed.status().code() == StatusCode::kFailedPrecondition) {
    return Status::NotFound("No integration with id " + Quoted(w.integration_id));
  }
  return changed.status();
}

Result<WebhookSecrets> WebhookStore::GetSecrets(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Rows rows,
                      db_.Query("SELECT * FROM webhook_secrets WHERE integration_id = $1",
                                {integration_id}));
  if (rows.empty()) {
    return Status::NotFound("Integration " + Quoted(integration_id) +
                            " has no webhook signing secret");
  }
  return SecretsFromRow(rows[0]);
}

Status WebhookStore::DeleteSecrets(const std::string& integration_id) {
  return ExpectRow(
      db_.Execute("DELETE FROM webhook_secrets WHERE integration_id = $1", {integration_id}),
      "Integration " + Quoted(integration_id) + " has no webhook signing secret");
}

// ---- Events ----

Result<bool> WebhookStore::InsertEvent(const WebhookEvent& e) {
  auto inserted = db_.Execute(
      std::string("INSERT INTO webhook_events (") + kEventColumns +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
          "ON CONFLICT (integration_id, event_id) DO NOTHING",
      {e.integration_id, e.event_id, e.type, e.created, int64_t{e.livemode ? 1 : 0},
       OptionalValue(e.account), e.payload, e.received_at, StateValue(e.state), e.attempts,
       e.error, e.next_attempt_at, OptionalValue(e.applied_at)});
  if (!inserted.ok()) {
    if (inserted.status().code() == StatusCode::kFailedPrecondition) {
      return Status::NotFound("No integration with id " + Quoted(e.integration_id));
    }
    return inserted.status();
  }
  return *inserted > 0;
}

Result<WebhookEvent> WebhookStore::GetEvent(const std::string& integration_id,
                                            const std::string& event_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query(std::string("SELECT ") + kEventColumns +
                    " FROM webhook_events WHERE integration_id = $1 AND event_id = $2",
                {integration_id, event_id}));
  if (rows.empty()) {
    return Status::NotFound("No webhook event " + Quoted(event_id) + " for integration " +
                            Quoted(integration_id));
  }
  return EventFromRow(rows[0]);
}

Result<std::vector<WebhookEvent>> WebhookStore::DuePendingEvents(int64_t now, int limit) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT w.integration_id, w.event_id, w.type, w.created, w.livemode, w.account, "
                "w.payload, w.received_at, w.state, w.attempts, w.error, w.next_attempt_at, "
                "w.applied_at FROM webhook_events w JOIN integrations i "
                "ON i.id = w.integration_id WHERE w.state = $1 AND i.active = 1 "
                "AND w.next_attempt_at <= $2 ORDER BY w.created, w.event_id LIMIT $3",
                {StateValue(WebhookEventState::kPending), now, static_cast<int64_t>(limit)}));
  std::vector<WebhookEvent> events;
  events.reserve(rows.size());
  for (const Row& row : rows) {
    SL_ASSIGN_OR_RETURN(WebhookEvent event, EventFromRow(row));
    events.push_back(std::move(event));
  }
  return events;
}

Status WebhookStore::UpdateEventState(const WebhookEvent& e) {
  return ExpectRow(
      db_.Execute("UPDATE webhook_events SET state = $3, attempts = $4, error = $5, "
                  "next_attempt_at = $6, applied_at = $7 "
                  "WHERE integration_id = $1 AND event_id = $2",
                  {e.integration_id, e.event_id, StateValue(e.state), e.attempts, e.error,
                   e.next_attempt_at, OptionalValue(e.applied_at)}),
      "No webhook event " + Quoted(e.event_id) + " for integration " + Quoted(e.integration_id));
}

Result<WebhookEventCounts> WebhookStore::CountEvents(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT COUNT(*) AS received, "
                "COALESCE(SUM(CASE WHEN state = $2 THEN 1 ELSE 0 END), 0) AS applied, "
                "COALESCE(SUM(CASE WHEN state = $3 THEN 1 ELSE 0 END), 0) AS pending, "
                "COALESCE(SUM(CASE WHEN state = $4 THEN 1 ELSE 0 END), 0) AS failed, "
                "MAX(received_at) AS last_received_at "
                "FROM webhook_events WHERE integration_id = $1",
                {integration_id, StateValue(WebhookEventState::kApplied),
                 StateValue(WebhookEventState::kPending), StateValue(WebhookEventState::kFailed)}));
  WebhookEventCounts counts;
  if (rows.empty()) return counts;
  counts.received = rows[0].GetInt("received");
  counts.applied = rows[0].GetInt("applied");
  counts.pending = rows[0].GetInt("pending");
  counts.failed = rows[0].GetInt("failed");
  counts.last_received_at = rows[0].GetOptionalInt("last_received_at");
  return counts;
}

}  // namespace stripeline::sync
