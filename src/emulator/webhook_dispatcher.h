#pragma once
// WebhookDispatcher: the emulator's webhook endpoints and their deliveries. Every event the
// emulator emits is POSTed, from one background thread, to each endpoint registered for the
// event's account and mode whose enabled_events match its type, exactly as Stripe signs it
// (stripe-api.md §6): `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by
// the whole whsec_ secret>`, Content-Type application/json. A non-2xx answer or a connection
// failure is retried after initial_backoff, then doubling up to max_backoff, for up to
// max_attempts attempts in all. Every attempt is recorded (Deliveries).
//
// `t` is the wall-clock time of the attempt (from the injected Clock), not the emulated time:
// receivers check it against their own clock.
//
// Thread-safety: every public method may be called from any thread.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/http_message.h"
#include "common/result.h"

namespace stripeline::emulator {

struct WebhookOptions {
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8000};
  // Per attempt: connect, send and read.
  std::chrono::milliseconds timeout{5000};
};

class WebhookDispatcher {
 public:
  // Sends one request; returns the HTTP status or an error. Defaults to HttpPost (http_post.h).
  using Poster = std::function<Result<int>(const std::string& url, const Fields& headers,
                                           const std::string& body)>;

  // `clock` (not owned, outlives the dispatcher) stamps signatures and attempts; `seed` makes
  // endpoint ids and secrets deterministic.
  WebhookDispatcher(WebhookOptions options, Clock& clock, uint64_t seed, Poster poster = nullptr);
  ~WebhookDispatcher();  // stops the thread; pending deliveries are dropped
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  struct Endpoint {
    std::string id;      // we_...
    std::string secret;  // whsec_...
    std::string url;
    std::string account;
    bool livemode = false;
    std::vector<std::string> enabled_events;  // empty or "*": all; "charge.*" wildcards
  };
  // Registers an endpoint. The id is made here; so is the secret unless one is given (a test
  // registering the secret the receiver already holds, as one pastes it into Stripe).
  Endpoint Add(std::string url, std::string account, bool livemode,
               std::vector<std::string> enabled_events,
               std::optional<std::string> secret = std::nullopt);
  // False when no such endpoint. Its pending deliveries are dropped.
  bool Remove(const std::string& id);
  // Forgets every endpoint and delivery.
  void Clear();
  size_t EndpointCount() const;

  // The number of endpoints that will receive the event (its pending_webhooks).
  int Matching(const std::string& account, bool livemode, const std::string& type) const;
  // Queues the event for every matching endpoint. `body` is the event's JSON.
  void Enqueue(const std::string& account, bool livemode, const std::string& type,
               const std::string& event_id, const std::string& body);

  // The attempts made for an endpoint, oldest first (the last 1,000): {event, type, attempt,
  // status (HTTP status or null), error (or null), delivered, at}; nullopt for an unknown id.
  std::optional<boost::json::array> Deliveries(const std::string& id) const;

 private:
  struct Delivery {
    std::chrono::steady_clock::time_point due;
    uint64_t sequence;
    std::string endpoint;
    std::string event_id, type, body;
    int attempt = 1;
    bool operator>(const Delivery& other) const {
      return std::tie(due, sequence) > std::tie(other.due, other.sequence);
    }
  };
  static bool Matches(const Endpoint& endpoint, const std::string& account, bool livemode,
                      const std::string& type);
  std::string RandomChars(size_t n);
  void Run();

  const WebhookOptions options_;
  Clock& clock_;
  Poster poster_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Endpoint> endpoints_;                   // guarded by mu_
  std::map<std::string, std::deque<boost::json::object>> log_;  // guarded by mu_
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> queue_;  // guarded
  uint64_t sequence_ = 0;                                       // guarded by mu_
  std::mt19937_64 rng_;                                         // guarded by mu_
  bool stopping_ = false;                                       // guarded by mu_
  std::thread thread_;
};

}  // namespace stripeline::emulator
