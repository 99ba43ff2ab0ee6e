#pragma once
// WorkGate: bounds one kind of expensive work (hashing a password, verifying an integration
// against Stripe) so that no burst of it can take every request thread or all the memory.
// At most `max_running` callers are inside at once; up to `max_waiting` more wait for a place
// (first come, first served); anyone beyond that is turned away at once, so a flood costs a
// refusal, not a thread. The request threads of the server thus keep a reserve that this kind
// of work cannot take.
//
//   WorkGate gate({.max_running = 2, .max_waiting = 6});
//   std::optional<WorkGate::Ticket> ticket = gate.Enter();
//   if (!ticket) return Status::Unavailable("busy").WithRetryAfter(1s);
//   ... the work; the ticket's destructor frees the place ...
//
// Thread-safety: thread-safe. Tickets may be released from any thread; the gate must outlive
// its tickets.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace stripeline {

class WorkGate {
 public:
  struct Options {
    int max_running = 1;  // >= 1
    int max_waiting = 0;  // >= 0
  };

  // A place inside the gate, held until destroyed (movable, not copyable).
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket();

   private:
    friend class WorkGate;
    explicit Ticket(WorkGate* gate) : gate_(gate) {}
    WorkGate* gate_;
  };

  explicit WorkGate(Options options);
  WorkGate(const WorkGate&) = delete;
  WorkGate& operator=(const WorkGate&) = delete;

  // A place now, or after waiting behind at most max_waiting others; nullopt (without
  // waiting) when every running and waiting place is taken.
  std::optional<Ticket> Enter();
  // A place only if one is free now; never waits.
  std::optional<Ticket> TryEnter();

  int running() const;
  int waiting() const;
  // Callers turned away since construction.
  int64_t refused() const;

 private:
  void Leave();

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;       // guarded by mu_
  int waiting_ = 0;       // guarded by mu_
  uint64_t next_turn_ = 0;     // ticket numbers handed to waiters; guarded by mu_
  uint64_t serving_turn_ = 0;  // the waiter whose turn is next; guarded by mu_
  int64_t refused_ = 0;   // guarded by mu_
};

}  // namespace stripeline
