#pragma once
// The generators named by the resource table: each adds a few deterministic demo objects of one
// resource to a DatasetBuilder, referencing — and where Stripe keeps back-references, amending —
// objects generated before it. They choose the facts (object_shapes.h) from the builder's random
// stream; the renderers of object_shapes.h give them Stripe's shapes.
// They run in the table's order. Thread-safety: as DatasetBuilder (one thread per builder).

namespace stripeline::emulator {

class DatasetBuilder;

void GenerateCustomers(DatasetBuilder& b);
void GenerateProducts(DatasetBuilder& b);
void GeneratePrices(DatasetBuilder& b);  // sets products' default_price
void GenerateCoupons(DatasetBuilder& b);
void GenerateSubscriptions(DatasetBuilder& b);
void GenerateInvoices(DatasetBuilder& b);  // sets subscriptions' latest_invoice
void GenerateCharges(DatasetBuilder& b);   // reserves payment intent and balance txn ids
void GeneratePaymentIntents(DatasetBuilder& b);
void GenerateRefunds(DatasetBuilder& b);   // amends charges' amount_refunded / refunded
void GenerateDisputes(DatasetBuilder& b);  // amends charges' disputed
void GeneratePayouts(DatasetBuilder& b);
void GenerateBalanceTransactions(DatasetBuilder& b);  // from the ledger of the ones above
void GenerateCreditNotes(DatasetBuilder& b);
void GenerateEvents(DatasetBuilder& b);  // snapshots of objects above

}  // namespace stripeline::emulator
