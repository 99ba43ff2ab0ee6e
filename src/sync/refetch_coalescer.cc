#include "sync/refetch_coalescer.h"

namespace stripeline::sync {

RefetchCoalescer::Fetched RefetchCoalescer::Get(const Key& key,
                                                std::chrono::steady_clock::time_point known_since,
                                                const std::function<Fetched()>& fetch) {
  std::unique_lock lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end() && it->second->began > known_since) {
    std::shared_ptr<Entry> shared = it->second;
    answered_.wait(lock, [&] { return shared->done; });
    return *shared->answer;
  }
  auto entry = std::make_shared<Entry>();
  entry->began = clock_.Monotonic();
  entries_[key] = entry;
  ++fetches_;
  lock.unlock();
  Fetched answer = fetch();
  lock.lock();
  entry->done = true;
  entry->answer = answer;
  if (auto it = entries_.find(key); !answer.ok() && it != entries_.end() && it->second == entry) {
    entries_.erase(it);
  }
  if (entries_.size() > kMaxKept) {
    std::erase_if(entries_, [](const auto& kept) { return kept.second->done; });
  }
  answered_.notify_all();
  return answer;
}

int64_t RefetchCoalescer::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace stripeline::sync
