#pragma once
// StoreEventApplier: the EventApplier that writes events into the stream tables. It is the one
// place the ordering rules live, whichever way an event arrives (polled from /v1/events by the
// sync engine, or delivered by webhook):
//
// 1. Dedupe: an event id already in sync_processed_events (per Stripe account) changes nothing.
// 2. Every event is stored in stripe_events (version = its `created`).
// 3. `data.object` goes to the stream whose object type it is (FindStreamByObjectType), with
//    version = event.created and last_event_id = event.id; `*.deleted` events (or objects
//    saying `"deleted": true`) set deleted = 1 and keep the object's last JSON. The upsert's
//    WHERE clause keeps a stored row with a larger version: an older event never overwrites
//    newer data.
// 4. Ties: when the stored row already carries a *different event* with the same `created`,
//    the events decide where they say it (event_order.h: lifecycle, same content, the chain of
//    previous_attributes), with no request to Stripe. Otherwise the object is re-fetched (its
//    current state is at least as new as both) and stored with this event's version; a 404
//    means it was deleted. Re-fetches coalesce (refetch_coalescer.h): the pending events of one
//    object share one request. Without a refetcher, or when the re-fetch fails, the larger
//    event id wins (deterministic, whatever the arrival order); so does it between events with
//    the same content. A re-fetch abandoned because the process stops fails the event with
//    Unavailable "stripe_request_cancelled", leaving it to be applied later. A row written by
//    the backfill (last_event_id NULL) at the same version is overwritten by the event. No
//    database transaction is open while Stripe is asked.
// 5. Objects of a stream whose state is missing_permission are not written (the stream is
//    reported as unreadable rather than half-filled); the event itself is stored.
// 6. `account.application.deauthorized` records health needs_reconnect ("Access was revoked in
//    Stripe") through IntegrationService::RecordDeauthorization, unless the grant held now
//    still works (the event predates a reconnect); the data is kept.
// Event types of objects Stripeline does not sync are stored in stripe_events only.
//
// Thread-safety: thread-safe. Apply may run concurrently for the same integration; the
// dedupe insert and the writes of one event share a transaction.

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/clock.h"
#include "integrations/integration_service.h"
#include "store/store.h"
#include "stripe/error.h"
#include "sync/event_applier.h"
#include "sync/event_order.h"
#include "sync/object_writer.h"
#include "sync/refetch_coalescer.h"
#include "sync/stream_table.h"
#include "sync/sync_state.h"

namespace stripeline::sync {

enum class ApplyOutcome {
  kApplied,     // the object was written
  kDuplicate,   // the event id was seen before: nothing changed
  kOlder,       // stored data is newer: only the event row was written
  kRefetched,   // a tie: the object was re-fetched from Stripe and written
  kTieDecided,  // a tie the events decided without Stripe: the later one's object is stored
  kEventOnly,   // no synced stream for this object (or the stream is unreadable)
  kDeauthorized,
};

class StoreEventApplier final : public EventApplier {
 public:
  // Re-fetches `object_id` of `stream` for `integration_id`: the current object, nullopt when
  // Stripe answers 404 (deleted), or the error.
  using Refetcher = std::function<stripe::StripeResult<std::optional<boost::json::object>>(
      const std::string& integration_id, const StreamSpec& stream, const std::string& object_id)>;

  // Writes the stream and sync_* tables of `db`; `store` gives the integrations (the same
  // database). Both must outlive the applier.
  StoreEventApplier(store::Database& db, store::Store& store,
                    integrations::IntegrationService& integrations, Clock& clock,
                    Refetcher refetch = {});

  Status Apply(const std::string& integration_id, const boost::json::object& event) override;
  Status ApplyKnownSince(const std::string& integration_id, const boost::json::object& event,
                         std::chrono::steady_clock::time_point known_since) override;
  // As ApplyKnownSince (known since now when not given), saying what happened. InvalidArgument
  // for an event without id, type or created; NotFound for an unknown integration.
  Result<ApplyOutcome> ApplyEvent(
      const std::string& integration_id, const boost::json::object& event,
      std::optional<std::chrono::steady_clock::time_point> known_since = std::nullopt);
  // Re-fetches sent to Stripe to decide ties (for tests and diagnostics).
  int64_t refetches() const { return coalescer_.fetches(); }

 private:
  // How `event` orders against the stored row of the same `created` (event_order.h), from the
  // row's object and the stored event that wrote it.
  Result<TieOrder> OrderAgainstStored(const StreamSpec& stream, const DataScope& scope,
                                      const std::string& object_id, const RowVersion& stored,
                                      const boost::json::object& event);

  store::Store& store_;
  store::Database& db_;
  SyncStateStore state_;
  ObjectWriter writer_;
  integrations::IntegrationService& integrations_;
  Clock& clock_;
  const Refetcher refetch_;
  RefetchCoalescer coalescer_{clock_};
};

}  // namespace stripeline::sync
