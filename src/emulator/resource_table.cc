#include "emulator/resource_table.h"

#include <algorithm>

#include "emulator/object_generators.h"

namespace stripeline::emulator {

const std::vector<ResourceSpec>& Resources() {
  static const std::vector<ResourceSpec> kResources = {
      {"customers", "customer", "cus_", "rak_customer_read", {{"email", "email"}}, {},
       GenerateCustomers, "customer", Deletion::kDelete},
      {"products", "product", "prod_", "rak_product_read", {{"active", "active"}}, {},
       GenerateProducts, "product", Deletion::kDelete},
      {"prices", "price", "price_", "rak_plan_read",
       {{"product", "product"}, {"active", "active"}, {"type", "type"}, {"currency", "currency"}},
       {}, GeneratePrices, "price", Deletion::kArchive},
      {"coupons", "coupon", "", "rak_coupon_read", {}, {}, GenerateCoupons, "coupon", Deletion::kDelete},
      {"subscriptions", "subscription", "sub_", "rak_subscription_read",
       {{"customer", "customer"}}, "canceled", GenerateSubscriptions, "customer.subscription"},
      {"invoices", "invoice", "in_", "rak_invoice_read",
       {{"customer", "customer"},
        {"status", "status"},
        {"subscription", "parent.subscription_details.subscription"}},
       {}, GenerateInvoices, "invoice"},
      {"charges", "charge", "ch_", "rak_charge_read",
       {{"customer", "customer"}, {"payment_intent", "payment_intent"}}, {}, GenerateCharges, "charge"},
      {"payment_intents", "payment_intent", "pi_", "rak_payment_intent_read",
       {{"customer", "customer"}}, {}, GeneratePaymentIntents, "payment_intent"},
      {"refunds", "refund", "re_", "rak_charge_read",
       {{"charge", "charge"}, {"payment_intent", "payment_intent"}}, {}, GenerateRefunds, "refund"},
      {"disputes", "dispute", "dp_", "rak_dispute_read",
       {{"charge", "charge"}, {"payment_intent", "payment_intent"}}, {}, GenerateDisputes, "charge.dispute"},
      {"payouts", "payout", "po_", "rak_payout_read", {{"status", "status"}}, {},
       GeneratePayouts, "payout"},
      {"balance_transactions", "balance_transaction", "txn_", "rak_balance_read",
       {{"type", "type"}, {"source", "source"}, {"currency", "currency"}}, {},
       GenerateBalanceTransactions},
      {"credit_notes", "credit_note", "cn_", "rak_credit_note_read",
       {{"customer", "customer"}, {"invoice", "invoice"}}, {}, GenerateCreditNotes, "credit_note"},
      {"events", "event", "evt_", "rak_event_read", {{"type", "type"}}, {}, GenerateEvents},
  };
  return kResources;
}

const ResourceSpec* FindResource(std::string_view path) {
  for (const ResourceSpec& spec : Resources()) {
    if (spec.path == path) return &spec;
  }
  return nullptr;
}

std::vector<std::string> AllReadPermissions() {
  std::vector<std::string> permissions{std::string(kBalancePermission)};
  for (const ResourceSpec& spec : Resources()) permissions.emplace_back(spec.permission);
  std::sort(permissions.begin(), permissions.end());
  permissions.erase(std::unique(permissions.begin(), permissions.end()), permissions.end());
  return permissions;
}

}  // namespace stripeline::emulator
