#include "access/login_throttle.h"

#include <algorithm>
#include <vector>

namespace stripeline::access {

namespace {

using std::chrono::seconds;
using TimePoint = std::chrono::steady_clock::time_point;

seconds Remaining(TimePoint until, TimePoint now) {
  // Rounded up: "try again in 0 seconds" would be refused again.
  auto left = std::chrono::ceil<seconds>(until - now);
  return std::max(left, seconds(1));
}

std::string WaitText(seconds wait) {
  const int64_t s = wait.count();
  if (s < 120) return std::to_string(s) + (s == 1 ? " second" : " seconds");
  return std::to_string((s + 59) / 60) + " minutes";
}

}  // namespace

LoginThrottle::LoginThrottle(Clock& clock, LoginThrottleOptions options)
    : clock_(clock), options_(options) {}

LoginThrottle::Failures& LoginThrottle::EntryLocked(Table& table, const std::string& key,
                                                    TimePoint now) {
  auto [it, inserted] = table.try_emplace(key);
  if (!inserted && it->second.count > 0 && now - it->second.last >= options_.forget_after &&
      now >= it->second.closed_until) {
    it->second = Failures{};
  }
  if (inserted) {
    it->second.last = now;
    TrimLocked(table, key);
  }
  return table.at(key);
}

void LoginThrottle::TrimLocked(Table& table, const std::string& keep) {
  if (table.size() <= options_.max_tracked) return;
  // Forget the older half at once, so a flood of new names costs one sort per
  // max_tracked / 2 insertions, not one per insertion.
  std::vector<std::pair<TimePoint, const std::string*>> by_age;
  by_age.reserve(table.size());
  for (const auto& [key, entry] : table) by_age.emplace_back(entry.last, &key);
  const std::size_t drop = table.size() - options_.max_tracked / 2;
  std::nth_element(by_age.begin(), by_age.begin() + drop, by_age.end());
  std::vector<std::string> keys;
  keys.reserve(drop);
  for (std::size_t i = 0; i < drop; ++i) {
    if (*by_age[i].second != keep) keys.push_back(*by_age[i].second);
  }
  for (const std::string& key : keys) table.erase(key);
}

Status LoginThrottle::Admit(const std::string& account, const std::string& address) {
  const TimePoint now = clock_.Monotonic();
  std::lock_guard lock(mu_);
  TimePoint until = now;
  if (auto it = accounts_.find(account); it != accounts_.end()) {
    until = std::max(until, it->second.closed_until);
  }
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    until = std::max(until, it->second.closed_until);
  }
  if (until <= now) return Status::OK();
  const seconds wait = Remaining(until, now);
  return Status::ResourceExhausted("Too many failed sign-ins. Try again in " + WaitText(wait) +
                                       ".",
                                   "login_throttled")
      .WithRetryAfter(wait);
}

std::optional<seconds> LoginThrottle::FailLocked(Failures& entry, int allowance, TimePoint now) {
  ++entry.count;
  entry.last = now;
  if (entry.count < allowance) return std::nullopt;
  // The allowance-th failure closes for first_wait, each further one for twice as long.
  const int doublings = std::min(entry.count - allowance, 20);
  const seconds wait = std::min(options_.first_wait * (int64_t{1} << doublings), options_.max_wait);
  entry.closed_until = now + wait;
  return wait;
}

std::optional<LoginThrottle::Closed> LoginThrottle::RecordFailure(const std::string& account,
                                                                  const std::string& address) {
  const TimePoint now = clock_.Monotonic();
  std::lock_guard lock(mu_);
  Failures& by_account = EntryLocked(accounts_, account, now);
  std::optional<seconds> account_wait = FailLocked(by_account, options_.account_allowance, now);
  const int account_failures = by_account.count;
  Failures& by_address = EntryLocked(addresses_, address, now);
  std::optional<seconds> address_wait = FailLocked(by_address, options_.address_allowance, now);
  Closed closed{.account = account_wait && account_failures == options_.account_allowance,
                .address = address_wait && by_address.count == options_.address_allowance,
                .failures = account_failures};
  if (!closed.account && !closed.address) return std::nullopt;
  closed.wait = std::max(account_wait.value_or(seconds(0)), address_wait.value_or(seconds(0)));
  return closed;
}

void LoginThrottle::RecordSuccess(const std::string& account) {
  std::lock_guard lock(mu_);
  accounts_.erase(account);
}

}  // namespace stripeline::access
