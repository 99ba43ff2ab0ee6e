#pragma once
// EventApplier: where Stripe events go to change the synced tables, whichever way they arrive
// (polled from /v1/events, or delivered by webhook). The one rule-keeper for ordering: events
// are deduplicated by id, and an event never overwrites data newer than itself.

#include <boost/json/object.hpp>
#include <string>

#include "common/status.h"

namespace stripeline::sync {

class EventApplier {
 public:
  virtual ~EventApplier() = default;
  // Applies one event (the JSON object of an `event`) to `integration_id`'s tables. Idempotent:
  // applying the same event twice changes nothing the second time. Thread-safe.
  virtual Status Apply(const std::string& integration_id, const boost::json::object& event) = 0;
};

}  // namespace stripeline::sync
