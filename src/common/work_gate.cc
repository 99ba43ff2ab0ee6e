#include "common/work_gate.h"

#include <algorithm>
#include <utility>

namespace stripeline {

WorkGate::Ticket& WorkGate::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    if (gate_ != nullptr) gate_->Leave();
    gate_ = std::exchange(other.gate_, nullptr);
  }
  return *this;
}

WorkGate::Ticket::~Ticket() {
  if (gate_ != nullptr) gate_->Leave();
}

WorkGate::WorkGate(Options options)
    : options_{std::max(1, options.max_running), std::max(0, options.max_waiting)} {}

std::optional<WorkGate::Ticket> WorkGate::Enter() {
  std::unique_lock lock(mu_);
  if (running_ < options_.max_running && waiting_ == 0) {
    ++running_;
    return Ticket(this);
  }
  if (waiting_ >= options_.max_waiting) {
    ++refused_;
    return std::nullopt;
  }
  // Waiters are served in arrival order: a late arrival never overtakes one that waited.
  const uint64_t turn = next_turn_++;
  ++waiting_;
  cv_.wait(lock, [&] { return serving_turn_ == turn && running_ < options_.max_running; });
  --waiting_;
  ++serving_turn_;
  ++running_;
  lock.unlock();
  cv_.notify_all();  // the next waiter may fit too (several places may have freed)
  return Ticket(this);
}

std::optional<WorkGate::Ticket> WorkGate::TryEnter() {
  std::lock_guard lock(mu_);
  if (running_ < options_.max_running && waiting_ == 0) {
    ++running_;
    return Ticket(this);
  }
  ++refused_;
  return std::nullopt;
}

void WorkGate::Leave() {
  {
    std::lock_guard lock(mu_);
    --running_;
  }
  cv_.notify_all();
}

int WorkGate::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

int WorkGate::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

int64_t WorkGate::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

}  // namespace stripeline
