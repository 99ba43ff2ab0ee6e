#include "common/shutdown_signal.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace stripeline {
namespace {

// One test: the signals stay blocked for this process afterwards, as they would in main.
TEST(ShutdownSignal, WaitForTimesOutThenTakesAPendingSignal) {
  ShutdownSignal shutdown;
  EXPECT_EQ(shutdown.WaitFor(std::chrono::milliseconds(20)), std::nullopt);
  ASSERT_EQ(raise(SIGTERM), 0);  // blocked, so it waits for us instead of ending the process
  EXPECT_EQ(shutdown.WaitFor(std::chrono::seconds(5)), SIGTERM);
  EXPECT_EQ(shutdown.WaitFor(std::chrono::milliseconds(1)), std::nullopt) << "taken only once";
}

}  // namespace
}  // namespace stripeline
