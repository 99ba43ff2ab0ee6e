#pragma once
// Verifier: compares an integration's synced rows with what Stripe lists now, stream by stream:
// every id is listed from Stripe (rate-limited) and compared with the local non-deleted rows
// (SyncedData). Events are compared only back to the oldest one Stripe still lists (it keeps
// 30 days; older local events are expected). A stream the key cannot read is "unreadable",
// with the reason.
//
// Every request goes through the target's AccountSession (paced, retried by the client). A
// verification can be canceled: it stops before its next request to Stripe.
//
// Thread-safety: thread-safe (holds no state of its own); the data and clock must outlive it.

#include <atomic>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "stripe/list_pager.h"
#include "sync/run_context.h"
#include "sync/stream_table.h"
#include "sync/synced_data.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

class Verifier {
 public:
  Verifier(SyncedData& data, Clock& clock) : data_(data), clock_(clock) {}

  // Counts and up to 20 differing ids each way for every stream of `streams`. Errors are
  // database errors (Stripe errors make a stream unreadable instead), and FailedPrecondition
  // verify_canceled once `canceled` (when given) is set: checked before every request.
  Result<VerifyReport> Verify(const SyncTarget& target,
                              const std::vector<const StreamSpec*>& streams,
                              const std::atomic<bool>* canceled = nullptr);

 private:
  SyncedData& data_;
  Clock& clock_;
};

}  // namespace stripeline::sync
