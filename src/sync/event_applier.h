#pragma once
// EventApplier: where Stripe events go to change the synced tables, whichever way they arrive
// (polled from /v1/events, or delivered by webhook). The one rule-keeper for ordering: events
// are deduplicated by id, and an event never overwrites data newer than itself.

#include <boost/json/object.hpp>

#include <chrono>
#include <string>

#include "common/status.h"

namespace stripeline::sync {

class EventApplier {
 public:
  virtual ~EventApplier() = default;
  // Applies one event (the JSON object of an `event`) to `integration_id`'s tables. Idempotent:
  // applying the same event twice changes nothing the second time. Thread-safe.
  virtual Status Apply(const std::string& integration_id, const boost::json::object& event) = 0;
  // As Apply, for an event this process has held since `known_since` (Clock::Monotonic):
  // whatever Stripe answered after that instant is at least as new as the event, so a tie may
  // be decided by a re-fetch of the object already made for another event (re-fetches
  // coalesce). Apply treats the event as known only now.
  virtual Status ApplyKnownSince(const std::string& integration_id,
                                 const boost::json::object& event,
                                 std::chrono::steady_clock::time_point known_since) {
    (void)known_since;
    return Apply(integration_id, event);
  }
};

}  // namespace stripeline::sync
