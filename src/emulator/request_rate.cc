#include "emulator/request_rate.h"

#include <boost/json.hpp>

#include <algorithm>

namespace stripeline::emulator {

void RequestRate::Count(const std::string& account, bool livemode, int64_t second) {
  std::lock_guard lock(mu_);
  std::map<int64_t, int64_t>& windows = windows_[{account, livemode}];
  ++windows[second];
  while (!windows.empty() && windows.begin()->first <= second - kKeptSeconds) {
    windows.erase(windows.begin());
  }
}

boost::json::object RequestRate::Report(const std::optional<std::string>& account,
                                        std::optional<bool> livemode) const {
  std::lock_guard lock(mu_);
  boost::json::array accounts;
  for (const auto& [key, windows] : windows_) {
    if ((account && key.first != *account) || (livemode && key.second != *livemode)) continue;
    boost::json::array list;
    int64_t max = 0, total = 0;
    for (const auto& [second, requests] : windows) {
      list.push_back(boost::json::object{{"second", second}, {"requests", requests}});
      max = std::max(max, requests);
      total += requests;
    }
    accounts.push_back(boost::json::object{{"account", key.first},
                                           {"livemode", key.second},
                                           {"max_per_second", max},
                                           {"requests", total},
                                           {"windows", std::move(list)}});
  }
  return boost::json::object{{"accounts", std::move(accounts)}};
}

void RequestRate::Clear() {
  std::lock_guard lock(mu_);
  windows_.clear();
}

}  // namespace stripeline::emulator
