// WorkGate: at most max_running inside, at most max_waiting queued in arrival order, the rest
// turned away at once.
#include "common/work_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace stripeline {
namespace {

TEST(WorkGate, AdmitsUpToMaxRunningAndRefusesWhenNoOneMayWait) {
  WorkGate gate({.max_running = 2, .max_waiting = 0});
  auto a = gate.Enter();
  auto b = gate.Enter();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(gate.running(), 2);
  EXPECT_FALSE(gate.Enter().has_value());
  EXPECT_FALSE(gate.TryEnter().has_value());
  EXPECT_EQ(gate.refused(), 2);
  a.reset();
  EXPECT_EQ(gate.running(), 1);
  EXPECT_TRUE(gate.TryEnter().has_value());  // the freed place, released again at once
  EXPECT_EQ(gate.running(), 1);
}

TEST(WorkGate, WaitersGetFreedPlacesInArrivalOrderAndTheRestAreRefused) {
  WorkGate gate({.max_running = 1, .max_waiting = 2});
  std::optional<WorkGate::Ticket> holder = gate.Enter();
  ASSERT_TRUE(holder);

  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 2; ++i) {
    waiters.emplace_back([&, i] {
      auto ticket = gate.Enter();
      ASSERT_TRUE(ticket);
      std::lock_guard lock(mu);
      order.push_back(i);
    });
    // The next waiter starts only once this one is queued, so arrival order is known.
    while (gate.waiting() != i + 1) std::this_thread::yield();
  }
  // Both waiting places are taken: a third caller is refused without waiting.
  EXPECT_FALSE(gate.Enter().has_value());
  EXPECT_EQ(gate.refused(), 1);

  holder.reset();
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1}));
  EXPECT_EQ(gate.running(), 0);
  EXPECT_EQ(gate.waiting(), 0);
}

TEST(WorkGate, NeverMoreThanMaxRunningInsideUnderContention) {
  WorkGate gate({.max_running = 3, .max_waiting = 100});
  std::atomic<int> inside{0}, most{0}, admitted{0};
  std::vector<std::thread> threads;
  std::latch start(16);
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 200; ++i) {
        auto ticket = gate.Enter();
        if (!ticket) continue;
        admitted.fetch_add(1);
        int now = inside.fetch_add(1) + 1;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        inside.fetch_sub(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(admitted.load() + gate.refused(), 16 * 200);
}

}  // namespace
}  // namespace stripeline
