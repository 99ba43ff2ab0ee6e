#pragma once
// Backfill: reads whole streams from Stripe into their tables, in parallel time slices.
//
// Plan. A sliceable stream starts as one slice, created >= 0 and open-ended (no created[lt]
// sent), so nothing falls outside. Its first page is its newest objects; from their density the
// rest of the stream (down to the account's creation, or SyncOptions::backfill_floor) is split
// at once into up to SyncOptions::initial_slices equal slices of at least 4 expected pages — a
// stream of a few pages stays one slice, and a small account no longer pays for slices that
// come back nearly empty. Slices are rows of sync_slices, keyed by slice_end (slices of a stream
// are disjoint, so ends are unique).
//
// Work. A pool of SyncOptions::workers threads takes pending slices of every stream. A slice is
// paged newest first by a stripe::ListPager bounded by created[gte]=start & created[lt]=end and
// resumed from the slice's cursor; after each page its rows and the slice's checkpoint (cursor =
// last object written, done, objects) are written in ONE transaction, so a crash resumes exactly
// after the last page written. A slice is done only when a page says has_more=false (or the
// list ran below the slice's start, see splitting). When no slice is pending, an idle worker
// splits the busiest active slice (most objects still expected, from its density so far; never
// one expected to hold fewer than 4 pages, since each split costs a partial page): its remaining
// range [start (at least the floor), created of its cursor object] is halved, the lower half
// becoming a new slice and the active slice's start moving up (both persisted in one
// transaction). Pages already in flight are filtered under the same lock, so no object is
// written by two slices. Pacing is not the backfill's: every request goes through the target's
// AccountSession, whose client takes a token from the account's limiter for every attempt.
//
// Deletions. Once every slice of a list stream is done, its rows of this account whose version
// is below the stream's backfill version were neither listed by this backfill nor changed by a
// later event: they no longer exist in Stripe, and are marked deleted = 1 (kept, not removed).
// This is what lets a re-backfill after a 30-day event gap notice deletions. Events (kept
// locally beyond Stripe's 30 days) and the account are never swept; neither is anything when
// the version is 0 (no event existed when the backfill was planned).
//
// Errors. 401 (or 403 account_invalid) stops the whole backfill (paused; the caller records
// needs_reconnect). A 403 naming a permission stops only that stream (missing_permission, named).
// 5xx / 429 / connection errors are retried by the client only (RetryPolicy; 429s for as long
// as the adaptive limiter finds a pace Stripe accepts); a page that still fails fails its
// stream. A 400 resource_missing on the cursor (the object was
// deleted meanwhile) restarts the slice below the cursor's time.
//
// Thread-safety: one Backfill runs once, from one thread (it starts and joins its workers).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "store/database.h"
#include "stripe/client.h"
#include "sync/object_writer.h"
#include "sync/run_context.h"
#include "sync/stream_table.h"
#include "sync/sync_state.h"
#include "sync/synced_data.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

// 401, or 403 account_invalid: the key no longer reaches the account.
bool IsAuthFailure(const stripe::StripeError& error);

class Backfill {
 public:
  struct Outcome {
    // Set when the key was refused: the run is paused.
    std::optional<stripe::StripeError> auth_error;
    bool stopped = false;  // stopped early (pause, database error or shutdown)
  };

  // `version` is the ordering key written on every row (see object_writer.h).
  // Requests go through target.session (paced by the account's limiter).
  Backfill(store::Database& db, const SyncOptions& options, Clock& clock,
           const SyncTarget& target, RunContext& context, int64_t version);

  // Backfills `streams` (which must not be synced already), resuming their unfinished slices.
  // Stream states end in sync_streams (and the context): synced, missing_permission, failed,
  // unavailable_to_key, or pending/paused when stopped early. Errors are only database errors.
  Result<Outcome> Run(const std::vector<const StreamSpec*>& streams);

 private:
  struct LiveSlice {
    const StreamSpec* stream = nullptr;
    int64_t start = 0, end = 0;
    std::optional<std::string> cursor;
    std::optional<int64_t> last_created;  // created of the cursor object, once known
    std::optional<int64_t> first_created;  // created of the first object this run wrote
    int64_t seen = 0;                      // objects this run wrote for the slice
    bool active = false;
    // Its last page was written: it must not be split any more, although its worker has not
    // yet handed it back (`active` is cleared only then, after the lock was let go).
    bool finished = false;
    // A fresh stream's only slice: split it once its first page shows the density.
    bool plan_from_first_page = false;
  };
  // Objects an active slice probably still has to page through (its density so far times its
  // remaining range), or 0 when unknown. Requires mu_.
  int64_t EstimatedRemaining(const LiveSlice& slice) const;
  struct StreamRun {
    int64_t total = 0, done = 0;
    bool stopped = false;  // failed or missing permission: its slices are left for next time
    bool planned = false;  // its slices were loaded or planned in this run
    int64_t version = 0;   // written on its rows (sync_streams.backfill_version)
  };

  Status SyncAccount(const StreamSpec& stream, int64_t* floor);
  Status Plan(const std::vector<const StreamSpec*>& streams, int64_t floor);
  // After the first page of a fresh stream's only slice: splits its remaining range into as
  // many slices as its density says it needs (persisted, queued). Requires mu_.
  void PlanFromFirstPageLocked(LiveSlice* slice);
  // Marks rows the completed backfill of `stream` did not see as deleted; returns how many.
  Result<int64_t> SweepDeleted(const StreamSpec& stream, int64_t version);
  void Worker();
  LiveSlice* Take();
  void ProcessSlice(LiveSlice* slice);
  // Marks a stream stopped with `state` (failed / missing_permission / unavailable_to_key).
  void StopStream(const StreamSpec& stream, StreamState state, const std::string& error,
                  std::optional<std::string> permission);
  void PauseForAuth(const stripe::StripeError& error);
  void ReportSlices(const std::string& stream);  // requires mu_

  store::Database& db_;
  SyncStateStore state_;
  SyncedData data_;
  ObjectWriter writer_;
  const SyncOptions& options_;
  Clock& clock_;
  const SyncTarget& target_;
  RunContext& context_;
  const int64_t version_;
  int64_t floor_ = 0;  // the account's creation (or backfill_floor); set by Run

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LiveSlice*> pending_;                     // guarded by mu_
  std::vector<std::unique_ptr<LiveSlice>> slices_;     // guarded by mu_
  std::map<std::string, StreamRun> streams_;           // guarded by mu_
  int active_ = 0;                                     // guarded by mu_
  std::optional<stripe::StripeError> auth_error_;      // guarded by mu_
  Status db_error_;                                    // guarded by mu_
};

}  // namespace stripeline::sync
