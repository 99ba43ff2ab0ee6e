#pragma once
// PacedTransport: a Transport decorator that paces every request it sends by one Stripe
// account's RateLimiter and tells the limiter how Stripe answered. Each Send() takes a slot
// first (RateLimiter::Acquire), so retries take slots like first attempts; a 429 rate-limit
// answer slows the limiter down (honouring Retry-After), any other answer lets it recover. It
// never retries and never changes a request or an answer (the Client decides retries, by
// RetryPolicy). Build one through Client::Paced or an AccountSession.
//
// Thread-safety: as thread-safe as the inner Transport (the limiter is thread-safe).

#include <memory>

#include "stripe/rate_limiter.h"
#include "stripe/transport.h"

namespace stripeline::stripe {

class PacedTransport final : public Transport {
 public:
  // Both must be non-null.
  PacedTransport(std::shared_ptr<Transport> inner, std::shared_ptr<RateLimiter> limiter);

  Result<TransportResponse> Send(const TransportRequest& request) override;

  const std::shared_ptr<RateLimiter>& limiter() const { return limiter_; }

 private:
  const std::shared_ptr<Transport> inner_;
  const std::shared_ptr<RateLimiter> limiter_;
};

}  // namespace stripeline::stripe
