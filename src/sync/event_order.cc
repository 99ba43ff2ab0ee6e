#include "sync/event_order.h"

#include <boost/json.hpp>

#include <vector>

namespace stripeline::sync {

namespace json = boost::json;

namespace {

const json::object* ObjectAt(const json::object& parent, std::string_view key) {
  const json::value* value = parent.if_contains(key);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

const json::object* DataField(const json::object& event, std::string_view key) {
  const json::object* data = ObjectAt(event, "data");
  return data != nullptr ? ObjectAt(*data, key) : nullptr;
}

bool SaysDeleted(const json::object* object) {
  if (object == nullptr) return false;
  const json::value* deleted = object->if_contains("deleted");
  return deleted != nullptr && deleted->is_bool() && deleted->get_bool();
}

// Where an event stands in its object's life: 0 its creation, 2 its deletion, 1 in between.
int LifecycleRank(const json::object& event) {
  const json::value* type = event.if_contains("type");
  const std::string_view name =
      type != nullptr && type->is_string() ? std::string_view(type->get_string()) : "";
  if (name.ends_with(".deleted") || SaysDeleted(DataField(event, "object"))) return 2;
  if (name.ends_with(".created")) return 0;
  return 1;
}

// Whether `part` is contained in `whole`: equal values, or for objects every key of `part`
// matching within `whole` (previous_attributes may name only the changed keys of a hash such
// as metadata). A key `whole` lacks counts as null.
bool Contained(const json::value& part, const json::value& whole) {
  // An empty hash says the value was empty, not "any hash".
  if (part.is_object() && part.get_object().empty()) {
    return whole.is_null() || (whole.is_object() && whole.get_object().empty());
  }
  if (part.is_object() && whole.is_object()) {
    for (const auto& [key, value] : part.get_object()) {
      const json::value* other = whole.get_object().if_contains(key);
      if (!Contained(value, other != nullptr ? *other : json::value(nullptr))) return false;
    }
    return true;
  }
  return part == whole;
}

// Whether the change recorded by `previous` (an event's previous_attributes) started from
// `object`: every value it replaced is `object`'s.
bool ChangedFrom(const json::object* previous, const json::object* object) {
  if (previous == nullptr || previous->empty() || object == nullptr) return false;
  return Contained(json::value(*previous), json::value(*object));
}

// Whether `to` is reached from `from` along "b follows a" links among `events`.
bool Precedes(size_t from, size_t to, const std::vector<const json::object*>& events) {
  std::vector<bool> seen(events.size(), false);
  std::vector<size_t> next{from};
  seen[from] = true;
  while (!next.empty()) {
    const size_t a = next.back();
    next.pop_back();
    const json::object* a_object = DataField(*events[a], "object");
    const json::object* a_previous = DataField(*events[a], "previous_attributes");
    for (size_t b = 0; b < events.size(); ++b) {
      if (seen[b]) continue;
      const json::object* b_object = DataField(*events[b], "object");
      const bool follows = ChangedFrom(DataField(*events[b], "previous_attributes"), a_object) &&
                           !ChangedFrom(a_previous, b_object);
      if (!follows) continue;
      if (b == to) return true;
      seen[b] = true;
      next.push_back(b);
    }
  }
  return false;
}

// Events of one object in one second that a chain is followed through, at most.
constexpr size_t kMaxChain = 64;

}  // namespace

std::string_view Name(TieOrder order) {
  switch (order) {
    case TieOrder::kIncomingNewer:
      return "incoming_newer";
    case TieOrder::kStoredNewer:
      return "stored_newer";
    case TieOrder::kSameContent:
      return "same_content";
    case TieOrder::kUnknown:
      return "unknown";
  }
  return "unknown";
}

TieOrder OrderOfTie(const json::object& incoming, const json::object& stored_object,
                    bool stored_deleted, const json::object* stored_event,
                    std::span<const json::object> same_second) {
  // Without its event the row still says whether it is deleted; two creations of one object
  // do not happen, so an unknown event counts as one in between.
  const int incoming_rank = LifecycleRank(incoming);
  const int stored_rank =
      stored_deleted ? 2 : (stored_event != nullptr ? LifecycleRank(*stored_event) : 1);
  if (incoming_rank != stored_rank) {
    return incoming_rank > stored_rank ? TieOrder::kIncomingNewer : TieOrder::kStoredNewer;
  }

  const json::object* incoming_object = DataField(incoming, "object");
  if (incoming_object != nullptr && *incoming_object == stored_object) {
    return TieOrder::kSameContent;
  }

  // A change only orders the two when the reverse does not hold too (a value set and set
  // back within the second), and the reverse can only be checked with the stored event.
  if (stored_event == nullptr) return TieOrder::kUnknown;
  std::vector<const json::object*> events{&incoming, stored_event};
  const json::value* stored_id = stored_event->if_contains("id");
  for (const json::object& other : same_second) {
    if (events.size() >= kMaxChain) break;
    const json::value* id = other.if_contains("id");
    const json::value* incoming_id = incoming.if_contains("id");
    if (id != nullptr && ((stored_id != nullptr && *id == *stored_id) ||
                          (incoming_id != nullptr && *id == *incoming_id))) {
      continue;
    }
    events.push_back(&other);
  }
  const bool incoming_follows = Precedes(1, 0, events);
  const bool stored_follows = Precedes(0, 1, events);
  if (incoming_follows != stored_follows) {
    return incoming_follows ? TieOrder::kIncomingNewer : TieOrder::kStoredNewer;
  }
  return TieOrder::kUnknown;
}

}  // namespace stripeline::sync
