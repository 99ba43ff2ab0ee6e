// OrderOfTie: two events of one object in the same second, ordered by what they say.
#include "sync/event_order.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <vector>

namespace stripeline::sync {
namespace {

namespace json = boost::json;

json::object Customer(const std::string& name, const std::string& email = "a@example.com") {
  return {{"id", "cus_1"}, {"object", "customer"}, {"name", name}, {"email", email},
          {"metadata", json::object{{"tier", "gold"}}}};
}

json::object Event(const std::string& id, const std::string& type, json::object object,
                   json::object previous = {}) {
  json::object data{{"object", std::move(object)}};
  if (!previous.empty()) data["previous_attributes"] = std::move(previous);
  return {{"id", id}, {"object", "event"}, {"type", type}, {"created", 100}, {"data", data}};
}

TEST(EventOrder, ACreationComesBeforeAndADeletionAfterEveryOtherEvent) {
  json::object created = Event("evt_c", "customer.created", Customer("A"));
  json::object updated = Event("evt_u", "customer.updated", Customer("B"), {{"name", "A"}});
  json::object deleted = Event("evt_d", "customer.deleted", Customer("B"));
  const auto& object = [](const json::object& e) {
    return e.at("data").at("object").as_object();
  };
  EXPECT_EQ(OrderOfTie(updated, object(created), false, &created), TieOrder::kIncomingNewer);
  EXPECT_EQ(OrderOfTie(created, object(updated), false, &updated), TieOrder::kStoredNewer);
  EXPECT_EQ(OrderOfTie(deleted, object(updated), false, &updated), TieOrder::kIncomingNewer);
  EXPECT_EQ(OrderOfTie(updated, object(deleted), true, &deleted), TieOrder::kStoredNewer);
  // Without the stored event the row's deleted flag still says it.
  EXPECT_EQ(OrderOfTie(updated, object(deleted), true, nullptr), TieOrder::kStoredNewer);
  EXPECT_EQ(OrderOfTie(created, object(updated), false, nullptr), TieOrder::kStoredNewer);
  // An object saying "deleted": true is a deletion whatever the type.
  json::object gone = Customer("B");
  gone["deleted"] = true;
  EXPECT_EQ(OrderOfTie(Event("evt_g", "customer.updated", gone), object(updated), false,
                       &updated),
            TieOrder::kIncomingNewer);
}

TEST(EventOrder, PreviousAttributesChainTwoUpdatesInEitherArrivalOrder) {
  // A: name A0 -> A1. B: name A1 -> A2 (B follows A).
  json::object a = Event("evt_z", "customer.updated", Customer("A1"), {{"name", "A0"}});
  json::object b = Event("evt_a", "customer.updated", Customer("A2"), {{"name", "A1"}});
  EXPECT_EQ(OrderOfTie(b, Customer("A1"), false, &a), TieOrder::kIncomingNewer);
  EXPECT_EQ(OrderOfTie(a, Customer("A2"), false, &b), TieOrder::kStoredNewer);
}

TEST(EventOrder, ABurstOfUpdatesIsOrderedThroughTheStoredEventsBetween) {
  // n0 -> n1 -> n2 -> n3 in one second; n3's event is stored, n1's arrives late. Neither says
  // anything about the other, but n2's event (stored) links them.
  json::object u1 = Event("evt_1", "customer.updated", Customer("n1"), {{"name", "n0"}});
  json::object u2 = Event("evt_2", "customer.updated", Customer("n2"), {{"name", "n1"}});
  json::object u3 = Event("evt_3", "customer.updated", Customer("n3"), {{"name", "n2"}});
  EXPECT_EQ(OrderOfTie(u1, Customer("n3"), false, &u3), TieOrder::kUnknown);
  const std::vector<json::object> stored{u2, u3};
  EXPECT_EQ(OrderOfTie(u1, Customer("n3"), false, &u3, stored), TieOrder::kStoredNewer);
  EXPECT_EQ(OrderOfTie(u3, Customer("n1"), false, &u1, std::vector<json::object>{u1, u2}),
            TieOrder::kIncomingNewer);
}

TEST(EventOrder, NestedPreviousAttributesMayNameOnlyTheChangedKeys) {
  json::object before = Customer("A");
  json::object after = Customer("A");
  after["metadata"].as_object()["plan"] = "pro";
  json::object a = Event("evt_1", "customer.updated", before, {{"name", "Z"}});
  json::object b = Event("evt_2", "customer.updated", after,
                         {{"metadata", json::object{{"plan", nullptr}}}});
  EXPECT_EQ(OrderOfTie(b, before, false, &a), TieOrder::kIncomingNewer);
  EXPECT_EQ(OrderOfTie(a, after, false, &b), TieOrder::kStoredNewer);
}

TEST(EventOrder, WhatTheEventsDoNotSayIsUnknown) {
  // No previous_attributes (charge.succeeded vs charge.refunded style).
  json::object a = Event("evt_1", "customer.updated", Customer("A"));
  json::object b = Event("evt_2", "customer.updated", Customer("B"));
  EXPECT_EQ(OrderOfTie(b, Customer("A"), false, &a), TieOrder::kUnknown);
  // A value set and set back within the second: each change starts from the other's state.
  json::object there = Event("evt_3", "customer.updated", Customer("Y"), {{"name", "X"}});
  json::object back = Event("evt_4", "customer.updated", Customer("X"), {{"name", "Y"}});
  EXPECT_EQ(OrderOfTie(back, Customer("Y"), false, &there), TieOrder::kUnknown);
  // The reverse cannot be checked without the stored event.
  json::object next = Event("evt_5", "customer.updated", Customer("B"), {{"name", "A"}});
  EXPECT_EQ(OrderOfTie(next, Customer("A"), false, nullptr), TieOrder::kUnknown);
}

TEST(EventOrder, TheSameObjectTwiceNeedsNoOrder) {
  json::object a = Event("evt_1", "customer.updated", Customer("A"));
  json::object b = Event("evt_2", "customer.updated", Customer("A"));
  EXPECT_EQ(OrderOfTie(b, Customer("A"), false, &a), TieOrder::kSameContent);
  EXPECT_EQ(Name(TieOrder::kSameContent), "same_content");
}

}  // namespace
}  // namespace stripeline::sync
