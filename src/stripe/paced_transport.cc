#include "stripe/paced_transport.h"

#include <utility>

#include "stripe/retry_policy.h"

namespace stripeline::stripe {

PacedTransport::PacedTransport(std::shared_ptr<Transport> inner,
                               std::shared_ptr<RateLimiter> limiter)
    : inner_(std::move(inner)), limiter_(std::move(limiter)) {}

Result<TransportResponse> PacedTransport::Send(const TransportRequest& request) {
  limiter_->Acquire();
  Result<TransportResponse> answer = inner_->Send(request);
  // No answer says nothing about the account's limit.
  if (!answer.ok()) return answer;
  if (IsRateLimited(answer.value())) {
    limiter_->OnRateLimited(RetryAfter(answer.value()));
  } else {
    limiter_->OnAccepted();
  }
  return answer;
}

}  // namespace stripeline::stripe
