#pragma once
// RefetchCoalescer: one request to Stripe for several events of one object whose order the
// events do not say (event_order.h). A re-fetch answers the object's current state, which is at
// least as new as every event this process already held when the request began (Stripe sends
// an event after its change). So an event known since instant K may be decided by any re-fetch
// of its object that began after K (strictly: a clock that did not move proves nothing) — a
// finished one, or one still in flight, which the caller then waits for instead of sending its
// own. A backlog of N events of one object
// re-fetches once, not N times.
//
// Failed re-fetches are not kept (the next caller tries again; whoever waited for one gets its
// error). At most kMaxKept objects are kept: beyond that the finished re-fetches are dropped.
//
// Thread-safety: thread-safe. The fetch function runs without the coalescer's lock held.

#include <boost/json/object.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

#include "common/clock.h"
#include "stripe/error.h"

namespace stripeline::sync {

class RefetchCoalescer {
 public:
  // What a re-fetch answers: the object, nullopt when Stripe says it is gone, or the error.
  using Fetched = stripe::StripeResult<std::optional<boost::json::object>>;
  // (integration id, stream name, object id).
  using Key = std::tuple<std::string, std::string, std::string>;

  static constexpr size_t kMaxKept = 4096;

  // `clock` (Monotonic) dates the re-fetches; it must outlive the coalescer.
  explicit RefetchCoalescer(Clock& clock) : clock_(clock) {}

  // A re-fetch of `key` begun after `known_since`: a kept or in-flight one when there is
  // such, otherwise `fetch()` called now in this thread (its answer is shared with whoever
  // asks for the same key meanwhile).
  Fetched Get(const Key& key, std::chrono::steady_clock::time_point known_since,
              const std::function<Fetched()>& fetch);

  // Re-fetches actually sent (for tests and diagnostics).
  int64_t fetches() const;

 private:
  struct Entry {
    std::chrono::steady_clock::time_point began;
    bool done = false;
    std::optional<Fetched> answer;  // set when done
  };

  Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable answered_;                 // an in-flight entry finished
  std::map<Key, std::shared_ptr<Entry>> entries_;    // guarded by mu_
  int64_t fetches_ = 0;                              // guarded by mu_
};

}  // namespace stripeline::sync
