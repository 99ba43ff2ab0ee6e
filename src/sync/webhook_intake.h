#pragma once
// WebhookIntake: Stripe webhooks for each integration, at POST /webhooks/stripe/{integration_id}.
//
// Signing secrets: each integration has one `whsec_...` secret (pasted from the Stripe Dashboard
// or generated here and shown once), sealed by SecretBox with the integration id as associated
// data, shown only masked afterwards. Setting a new one is a rotation: the previous secret stays
// valid until previous_expires_at (an overlap window, default 24 h, at most 7 days, 0 = revoked
// at once), since Stripe signs with both while a secret is being rolled.
//
// Intake (Receive): a delivery is verified (stripe/webhook_signature.h) against the current and
// the unexpired previous secret; a rejected one stores nothing. A verified event is committed to
// the database durably (flushed to disk) before Receive returns, so an acknowledged event is
// never lost; concurrent deliveries share one commit (LevelDB-style group commit: the first
// waiting caller commits everything queued behind it). A duplicate event id is acknowledged
// and stored once.
//
// Applier: one background thread (Start) applies stored events in the order of their `created`
// through the EventApplier, the same rules as the events poll (dedupe by event id, never
// older-over-newer), and marks each row applied or failed with the error. It is woken by every
// insert, rescans periodically (events of integrations activated meanwhile, retries), and at
// start drains the rows a previous process left pending. Events of an inactive integration
// wait, stored, until it is activated. Applying never holds a database transaction across an
// event's application (which may ask Stripe about a tie): each event commits on its own, and
// the rows' states a group at a time, so request handling never waits for the network. It
// tells the applier since when it holds each event (ApplyKnownSince), so one re-fetch serves
// all the pending events of an object. Stopping (RequestStop, Stop) ends it after the event
// being applied; an event whose re-fetch was abandoned for it stays pending, unattempted.
//
// Thread-safety: thread-safe. The database, store, integration service, box, applier and clock
// must outlive the intake; the destructor stops the applier thread.

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "access/actor.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/secrets.h"
#include "integrations/integration_service.h"
#include "store/store.h"
#include "sync/event_applier.h"
#include "sync/webhook_store.h"

namespace stripeline::sync {

struct WebhookIntakeOptions {
  // Deliveries signed further than this from now are refused (Stripe's default).
  std::chrono::seconds tolerance{300};
  // How long the previous secret stays valid after a rotation, unless the call says otherwise.
  std::chrono::seconds default_overlap{std::chrono::hours(24)};
  std::chrono::seconds max_overlap{std::chrono::hours(24 * 7)};
  // Events the applier reads at once, and applies per transaction.
  int apply_batch = 256;
  size_t apply_group = 8;
  // Acknowledging deliveries comes first (Stripe waits for the answer; applying can wait): the
  // applier starts a transaction only when no delivery is waiting to be committed, or after it
  // has deferred this long, so it keeps moving under a sustained flood.
  std::chrono::milliseconds max_apply_deferral{20};
  // The applier also looks for due events this often without being woken: events of an
  // integration activated by another process, and retries.
  std::chrono::milliseconds rescan_interval{2000};
  // An event whose application fails for a reason that may pass (database busy, ...) is retried
  // after 2, 4, 8... seconds; after this many attempts it is marked failed. Invalid events fail
  // at once.
  int max_apply_attempts = 5;
  // Deliveries committed together at most (one disk flush each group).
  size_t max_group_commit = 512;
  // How long an integration's secrets and account, once read, serve deliveries without a
  // database read (which would wait behind the group commit's disk flush). Changes made in this
  // process apply at once; changes by another process (the CLI) within this time.
  std::chrono::milliseconds endpoint_cache_ttl{1000};
  // The applier is stalled (readiness fails) when it has neither finished an event nor looked
  // for due ones for this long while running. Longer than rescan_interval.
  std::chrono::milliseconds stall_after{std::chrono::seconds(30)};
};

// Whether the applier thread keeps up (for readiness).
struct ApplierState {
  bool running = false;  // started and not stopping
  // Since the applier last finished an event or looked for due ones.
  std::chrono::milliseconds since_progress{0};
  bool stalled = false;  // running, and since_progress > stall_after
};

// What GET /api/v1/integrations/{id}/webhook shows.
struct WebhookConfig {
  std::string integration_id;
  std::string url_path;  // /webhooks/stripe/{id}
  std::string secret_masked;
  int64_t created_at = 0;
  std::optional<std::string> previous_secret_masked;
  // Set while the previous secret is still accepted.
  std::optional<int64_t> previous_expires_at;
  WebhookEventCounts events;
};

struct SecretChange {
  WebhookConfig webhook;
  // The secret itself, only when Stripeline generated it: shown this once, never again.
  std::optional<std::string> generated_secret;
  std::string message;  // "Webhook signing secret set" | "... rotated"
};

// What the group commit has done since the intake was made: how well concurrent deliveries
// share a disk flush (deliveries / groups) and what a flush costs them (commit_time / groups).
struct GroupCommitStats {
  int64_t groups = 0;      // durable transactions, each with one disk flush
  int64_t deliveries = 0;  // verified deliveries they carried, duplicates included
  // Wall time of those transactions, waiting for the database (e.g. behind the applier)
  // included.
  std::chrono::nanoseconds commit_time{0};
};

// The acknowledgement of a stored delivery.
struct Receipt {
  std::string event_id;
  bool duplicate = false;  // the event was already stored: nothing changed
  // The integration is inactive: the event is stored and applied once it is activated.
  bool waiting_for_activation = false;
};

// The fields of a delivery the intake stores — id, type, created, livemode, account — with the
// payload kept whole; InvalidArgument "webhook_invalid_event" when the payload is not a Stripe
// event (a JSON object with a non-empty id and type and a whole-number created). Pure.
Result<WebhookEvent> ParseWebhookEvent(std::string_view payload);

class WebhookIntake {
 public:
  // `db` holds the webhook tables (WebhookStore); `store` the integrations and the audit log
  // (the same database: the composition root opens it once).
  WebhookIntake(store::Database& db, store::Store& store,
                integrations::IntegrationService& integrations, const SecretBox& box,
                EventApplier& applier, Clock& clock, WebhookIntakeOptions options = {});
  ~WebhookIntake();  // Stop()
  WebhookIntake(const WebhookIntake&) = delete;
  WebhookIntake& operator=(const WebhookIntake&) = delete;

  // ---- Signing secrets (admins only; audit-logged without the secret) ----

  // Sets the integration's secret: `secret` when given (validated: whsec_ prefix, sane length),
  // otherwise a new random one, returned once in generated_secret. When a secret existed, it
  // stays valid for `overlap` (default options.default_overlap; 0 revokes it now; more than
  // options.max_overlap or negative is InvalidArgument). NotFound for an integration the actor
  // cannot see; PermissionDenied for non-admins.
  Result<SecretChange> SetSecret(const access::Actor& actor, const std::string& integration_id,
                                 std::optional<std::string> secret,
                                 std::optional<std::chrono::seconds> overlap = std::nullopt);
  // The configuration and event counts; anyone who can see the integration. NotFound when it
  // has no secret ("webhook_not_configured").
  Result<WebhookConfig> Config(const access::Actor& actor, const std::string& integration_id);
  // Removes both secrets: deliveries are then refused (NotFound). Admins only.
  Result<std::string> DeleteSecrets(const access::Actor& actor,
                                    const std::string& integration_id);

  // ---- Intake ----

  // Verifies `payload` (the raw body, byte for byte as received) against the Stripe-Signature
  // header and stores the event durably. Errors, nothing stored:
  //   NotFound "webhook_endpoint_not_found"    no such integration;
  //   NotFound "webhook_not_configured"        the integration has no signing secret;
  //   InvalidArgument with the verifier's code (stripe/webhook_signature.h) per reason;
  //   InvalidArgument "webhook_invalid_event"  signed, but not a Stripe event (id, type, created);
  //   InvalidArgument "webhook_account_mismatch" the event names another Stripe account than
  //                                            the integration's;
  //   database errors (the delivery should then be retried by Stripe).
  Result<Receipt> Receive(const std::string& integration_id, std::string_view payload,
                          std::optional<std::string_view> signature_header);
  // Counters for benchmarks and diagnostics.
  GroupCommitStats CommitStats() const;

  // ---- Applier ----

  // Starts the applier thread (it first drains what is pending). Idempotent.
  void Start();
  // Asks the applier thread to stop after the event it is applying, without waiting.
  void RequestStop();
  // RequestStop, then joins the applier thread. Idempotent.
  void Stop();
  // Whether the applier keeps up: stalled when running without progress for stall_after.
  ApplierState Applier();
  // Wakes the applier (e.g. after an activation).
  void Wake();
  // Applies every due pending event in the calling thread, batch after batch, until none is
  // left; returns how many rows were processed (applied, failed or rescheduled). The thread
  // calls this; so may tests and tools.
  Result<int64_t> ApplyPending();

 private:
  struct Writer;
  // What a delivery to one integration is checked against, as last read from the database.
  struct Endpoint {
    std::string current_secret;
    std::optional<std::string> previous_secret;
    int64_t previous_expires_at = 0;
    std::string account;  // the Stripe account the integration syncs
    bool livemode = false;  // and its mode: an event of the other mode is not its
    bool active = true;
    std::chrono::steady_clock::time_point read_at;
  };

  // The integration's endpoint, from the cache when fresh. NotFound errors as Receive's.
  Result<std::shared_ptr<const Endpoint>> FindEndpoint(const std::string& integration_id);
  Result<std::shared_ptr<const Endpoint>> ReadEndpoint(const std::string& integration_id);
  void ForgetEndpoint(const std::string& integration_id);
  // Group commit: stores `event` durably together with whatever other callers queued.
  Result<bool> StoreDurably(const WebhookEvent& event);
  void CommitGroup(const std::vector<Writer*>& group);
  // Applies one event, known since `known_since`, and says what its row becomes; nullopt when
  // it was abandoned because the applier is stopping (the row stays as it is). `payload` is
  // its stored payload, parsed beforehand (nullptr: not a JSON object).
  std::optional<WebhookEvent> ApplyOne(WebhookEvent event, const boost::json::object* payload,
                                       std::chrono::steady_clock::time_point known_since);
  bool Stopping();
  void MarkProgress();
  // Waits until no delivery is queued for the group commit, at most max_apply_deferral.
  void YieldToDeliveries();
  void RunApplier();
  Result<store::Integration> VisibleIntegration(const access::Actor& actor,
                                                const std::string& integration_id);
  Result<WebhookConfig> ConfigOf(const std::string& integration_id);
  Status Audit(const access::Actor& actor, const std::string& integration_id,
               const std::string& action, std::string summary);

  store::Store& store_;
  WebhookStore webhooks_;
  integrations::IntegrationService& integrations_;
  const SecretBox& box_;
  EventApplier& applier_;
  Clock& clock_;
  const WebhookIntakeOptions options_;

  std::mutex endpoints_mu_;
  std::map<std::string, std::shared_ptr<const Endpoint>> endpoints_;  // guarded by endpoints_mu_

  mutable std::mutex writers_mu_;
  std::deque<Writer*> writers_;  // guarded by writers_mu_; the front one commits
  std::condition_variable writers_drained_;  // notified when writers_ becomes empty
  // writers_.size(), readable without the lock: the applier ends a transaction early when a
  // delivery waits.
  std::atomic<int> deliveries_waiting_{0};
  GroupCommitStats commit_stats_;  // guarded by writers_mu_

  std::mutex apply_mu_;  // one ApplyPending at a time, so events go in order

  std::mutex applier_mu_;
  std::condition_variable applier_cv_;
  bool wake_ = false;      // guarded by applier_mu_
  bool stopping_ = false;  // guarded by applier_mu_
  bool started_ = false;   // guarded by applier_mu_
  std::thread applier_thread_;
  // Clock::Monotonic() of the applier's last progress, as nanoseconds since its epoch.
  std::atomic<int64_t> progress_at_ns_{0};
};

}  // namespace stripeline::sync
