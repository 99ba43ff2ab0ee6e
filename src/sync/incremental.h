#pragma once
// IncrementalSync: brings the tables up to date from /v1/events after a backfill. Events are
// read forward from the cursor (sync_cursors.last_event_id) by a stripe::ListPager: pages of
// `ending_before=<cursor>` come oldest-chunk first, each newest first, so each page is applied in reverse (oldest first)
// through the EventApplier and the cursor moves to the page's newest event after it — a crash
// re-applies at most one page, which the applier's dedupe absorbs.
//
// Staleness: Stripe keeps events 30 days. When the newest event is more than
// SyncOptions::events_window_seconds younger than the cursor event, or Stripe answers 400
// resource_missing for the cursor, events were lost: Run reports `stale_reason` and the engine
// re-backfills. (Both use Stripe's clock, so a skewed local clock cannot trigger it.)
//
// Thread-safety: one IncrementalSync runs once, from one thread.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "stripe/client.h"
#include "sync/event_applier_impl.h"
#include "sync/run_context.h"
#include "sync/sync_state.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

class IncrementalSync {
 public:
  struct Outcome {
    int64_t applied = 0;  // events written (duplicates not counted)
    std::optional<std::string> stale_reason;
    std::optional<stripe::StripeError> error;  // a Stripe error that stopped the poll
  };

  // Requests go through target.session (paced by the account's limiter, retried by the
  // client); a failed page ends the poll with its error.
  IncrementalSync(SyncStateStore& state, StoreEventApplier& applier, const SyncOptions& options,
                  Clock& clock, const SyncTarget& target, RunContext& context);

  // The newest event of the account (limit=1), or nullopt when it has none.
  stripe::StripeResult<std::optional<boost::json::object>> NewestEvent();

  // Polls from the stored cursor (which must exist) and applies what is new. Errors are
  // database errors and event-application errors.
  Result<Outcome> Run();

 private:
  Status ApplyPage(const std::vector<boost::json::object>& newest_first, Outcome& outcome);
  Status SaveCursor(const boost::json::object& newest_event, const CursorRecord& base);

  SyncStateStore& state_;
  StoreEventApplier& applier_;
  const SyncOptions& options_;
  Clock& clock_;
  const SyncTarget& target_;
  RunContext& context_;
};

}  // namespace stripeline::sync
