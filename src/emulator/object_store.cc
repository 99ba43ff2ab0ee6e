#include "emulator/object_store.h"

#include <boost/json.hpp>

#include <algorithm>

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr size_t kHeadChars = 6;  // 62^6 > 2^32

int Base62Value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return -1;
}

}  // namespace

uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint32_t IdCodec::Permute(uint32_t x, bool inverse) const {
  // A 4-round Feistel network on two 16-bit halves: a keyed bijection of 32 bits.
  uint32_t left = x >> 16, right = x & 0xffff;
  for (int i = 0; i < 4; ++i) {
    int round = inverse ? 3 - i : i;
    auto f = [&](uint32_t half) {
      return static_cast<uint32_t>(Mix64(key_ ^ (static_cast<uint64_t>(round) << 32) ^ half)) &
             0xffff;
    };
    if (!inverse) {
      uint32_t next = left ^ f(right);
      left = right;
      right = next;
    } else {
      uint32_t previous = right ^ f(left);
      right = left;
      left = previous;
    }
  }
  return (left << 16) | right;
}

std::string IdCodec::Encode(uint32_t position) const {
  std::string id = prefix_;
  id.resize(prefix_.size() + kHeadChars + tail_);
  uint64_t head = Permute(position, false);
  for (size_t i = 0; i < kHeadChars; ++i) {
    id[prefix_.size() + kHeadChars - 1 - i] = kBase62[head % 62];
    head /= 62;
  }
  uint64_t h = Mix64(key_ ^ (0x5bd1e995ull * (position + 1)));
  for (size_t i = 0; i < tail_; ++i) {
    if (i % 10 == 0 && i > 0) h = Mix64(h);
    id[prefix_.size() + kHeadChars + i] = kBase62[h % 62];
    h /= 62;
  }
  return id;
}

std::optional<uint32_t> IdCodec::Decode(std::string_view id) const {
  if (id.size() != prefix_.size() + kHeadChars + tail_ || !id.starts_with(prefix_)) {
    return std::nullopt;
  }
  uint64_t head = 0;
  for (size_t i = 0; i < kHeadChars; ++i) {
    int v = Base62Value(id[prefix_.size() + i]);
    if (v < 0) return std::nullopt;
    head = head * 62 + static_cast<uint64_t>(v);
  }
  if (head > 0xffffffffull) return std::nullopt;
  uint32_t position = Permute(static_cast<uint32_t>(head), true);
  if (Encode(position) != id) return std::nullopt;
  return position;
}

void Collection::SetGenerated(std::shared_ptr<const GeneratedObjects> source) {
  generated_count_ = static_cast<uint32_t>(source->size());
  generated_ = std::move(source);
}

uint32_t Collection::Append(std::string id, int64_t created, std::string json) {
  auto position = static_cast<uint32_t>(size());
  ids_.emplace(id, position);
  appended_ids_.push_back(std::move(id));
  appended_created_.push_back(created);
  appended_json_.push_back(std::move(json));
  return position;
}

int64_t Collection::Created(uint32_t position) const {
  if (position < generated_count_) return generated_->Created(position);
  return appended_created_[position - generated_count_];
}

bool Collection::Deleted(uint32_t position) const {
  return position < deleted_.size() && deleted_[position];
}

std::optional<uint32_t> Collection::Find(std::string_view id) const {
  if (generated_) {
    if (std::optional<uint32_t> position = generated_->Position(id)) {
      if (*position < generated_count_) return position;
    }
  }
  auto it = ids_.find(std::string(id));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::string Collection::Id(uint32_t position) const {
  if (position < generated_count_) return generated_->Id(position);
  return appended_ids_[position - generated_count_];
}

std::string Collection::Json(uint32_t position) const {
  if (position >= generated_count_) return appended_json_[position - generated_count_];
  auto it = overrides_.find(position);
  if (it != overrides_.end()) return it->second;
  return json::serialize(generated_->Render(position));
}

json::object Collection::Object(uint32_t position) const {
  if (position < generated_count_ && !overrides_.contains(position)) {
    return generated_->Render(position);
  }
  return json::parse(Json(position)).as_object();
}

void Collection::Update(uint32_t position, std::string json) {
  if (position < generated_count_) {
    overrides_[position] = std::move(json);
  } else {
    appended_json_[position - generated_count_] = std::move(json);
  }
}

void Collection::Delete(uint32_t position) {
  if (Deleted(position)) return;
  if (deleted_.size() < size()) deleted_.resize(size());
  deleted_[position] = true;
  ++deleted_count_;
}

std::pair<uint32_t, uint32_t> Collection::CreatedRange(std::optional<int64_t> min,
                                                       std::optional<int64_t> max) const {
  auto n = static_cast<uint32_t>(size());
  // First position whose created is >= t (or > t when `after`).
  auto bound = [&](int64_t t, bool after) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      int64_t c = Created(mid);
      if (after ? c <= t : c < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  uint32_t first = min ? bound(*min, false) : 0;
  uint32_t last = max ? bound(*max, true) : n;
  return {first, std::max(first, last)};
}

}  // namespace stripeline::emulator
