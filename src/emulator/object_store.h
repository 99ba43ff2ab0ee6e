#pragma once
// Collection: the objects of one resource in one account and mode, stored compactly so that an
// emulator can serve millions of them. An object lives at a *position*; positions are in
// ascending (created, position) order, so a list walks them backwards (newest first), a cursor
// is found by id in O(1) and a `created` bound by binary search.
//
// Two kinds of positions:
//  - generated ones (0..generated_count-1), rendered on demand by a GeneratedObjects source from
//    a few bytes of state (ids and fields are pure functions of the position), so a large
//    generated dataset costs tens of bytes per object, not kilobytes;
//  - stored ones: a serialized JSON string (small datasets, objects created by the admin API, and
//    generated objects once updated, whose JSON then overrides the rendering).
// Deleted objects keep their position (a tombstone): lists skip them, Find still knows them.
//
// Thread-safety: none; the Dataset that owns collections guards them with its lock.

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stripeline::emulator {

// Objects rendered from compact state. Implementations are immutable, so thread-safe.
class GeneratedObjects {
 public:
  virtual ~GeneratedObjects() = default;
  virtual size_t size() const = 0;
  // Non-decreasing in position.
  virtual int64_t Created(uint32_t position) const = 0;
  virtual std::string Id(uint32_t position) const = 0;
  // The position whose Id() is `id`, if any.
  virtual std::optional<uint32_t> Position(std::string_view id) const = 0;
  // The object as generated.
  virtual boost::json::object Render(uint32_t position) const = 0;
};

// Ids that are a bijection of a position: prefix + 6 base62 characters of a keyed 32-bit
// permutation of the position + `tail` characters of a keyed hash (so ids look random, differ
// between datasets, and decode back to their position without any index).
class IdCodec {
 public:
  IdCodec(std::string prefix, uint64_t key, size_t tail = 18)
      : prefix_(std::move(prefix)), key_(key), tail_(tail) {}
  std::string Encode(uint32_t position) const;
  // The position `id` encodes, when `id` is exactly Encode(position).
  std::optional<uint32_t> Decode(std::string_view id) const;

 private:
  uint32_t Permute(uint32_t x, bool inverse) const;
  std::string prefix_;
  uint64_t key_;
  size_t tail_;
};

// splitmix64 finaliser: a fast, portable hash of 64 bits.
uint64_t Mix64(uint64_t x);

class Collection {
 public:
  // Makes positions 0..source->size()-1 generated ones. Precondition: the collection is empty.
  void SetGenerated(std::shared_ptr<const GeneratedObjects> source);
  // Appends a stored object at the end. Precondition: `created` >= Created of the last position
  // (the caller clamps), `id` is new.
  uint32_t Append(std::string id, int64_t created, std::string json);

  size_t size() const { return generated_count_ + appended_created_.size(); }
  // Objects not deleted.
  size_t alive() const { return size() - deleted_count_; }
  int64_t Created(uint32_t position) const;
  bool Deleted(uint32_t position) const;
  // The position of the object with that id, deleted ones included.
  std::optional<uint32_t> Find(std::string_view id) const;
  std::string Id(uint32_t position) const;

  // The current object, serialized or as a tree.
  std::string Json(uint32_t position) const;
  boost::json::object Object(uint32_t position) const;
  // Replaces the object's JSON (its id and created stay).
  void Update(uint32_t position, std::string json);
  void Delete(uint32_t position);

  // The positions [first, last) whose created lies in [min, max] (both optional, inclusive).
  std::pair<uint32_t, uint32_t> CreatedRange(std::optional<int64_t> min,
                                             std::optional<int64_t> max) const;

 private:
  std::shared_ptr<const GeneratedObjects> generated_;
  uint32_t generated_count_ = 0;
  std::vector<int64_t> appended_created_;
  std::vector<std::string> appended_json_;
  std::vector<std::string> appended_ids_;
  std::vector<bool> deleted_;  // sized lazily
  size_t deleted_count_ = 0;
  std::unordered_map<uint32_t, std::string> overrides_;  // updated generated objects
  std::unordered_map<std::string, uint32_t> ids_;        // ids of appended objects
};

}  // namespace stripeline::emulator
