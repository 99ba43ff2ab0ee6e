#pragma once
// Which of two events of one object, created in the same second, is the newer — decided from
// the events themselves where they say it, so that a tie costs no request to Stripe
// (stripe-api.md §5: order by `created`, re-fetch on ties). Stripe documents no order of event
// ids, so the id never decides; what the events do say:
//
//   1. Content: both carry the same object → the order changes nothing (kSameContent).
//   2. Lifecycle: `<object>.created` comes before every other event of its object, and a
//      deletion (`*.deleted`, or an object saying `"deleted": true`) after every other one.
//   3. Changes: an `*.updated` event's `data.previous_attributes` are the values its change
//      replaced. B follows A when B's previous attributes are A's object's values and A's are
//      not B's (both holding means the change went back and forth: undecided). Followed through
//      the object's other stored events of the same second, so a burst of updates orders
//      every pair in it, not only neighbours.
//
// Anything else is kUnknown: the caller re-fetches the object (the applier coalesces those
// re-fetches, refetch_coalescer.h).
//
// Thread-safety: pure functions.

#include <boost/json/object.hpp>

#include <span>
#include <string_view>

namespace stripeline::sync {

enum class TieOrder {
  kIncomingNewer,  // the arriving event is the later one: its object is written
  kStoredNewer,    // the stored row's event is the later one: the row is kept
  kSameContent,    // both carry the same object: either order gives the same row
  kUnknown,        // the events do not say
};

// "incoming_newer", "stored_newer", "same_content", "unknown" (for logs).
std::string_view Name(TieOrder order);

// Orders `incoming` (an event) against the stored row: `stored_object` is the row's object as
// stored, `stored_deleted` its deleted flag, and `stored_event` the event that wrote it (null
// when it is no longer stored: only what the row itself says is used then). `same_second` may
// hold the object's other stored events of the same `created` (links of rule 3's chain).
TieOrder OrderOfTie(const boost::json::object& incoming, const boost::json::object& stored_object,
                    bool stored_deleted, const boost::json::object* stored_event,
                    std::span<const boost::json::object> same_second = {});

}  // namespace stripeline::sync
