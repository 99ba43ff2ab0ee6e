#pragma once
// BuildScaledDataset: a large, realistic dataset for benchmarks and backfill tests
// (`--objects N`): N charges and every other resource in proportion, spread over the two years
// before `now`, rendered by the same functions as the small demo dataset (object_shapes.h), so
// with the same fields. Counts, for N charges:
//   customers max(5, N/5); products max(5, N/1000); prices 2 per product (monthly, yearly);
//   coupons 20; subscriptions customers/2 (1-2 items; active, trialing, past_due, unpaid,
//   canceled); invoices up to 3 per subscription (its last periods); payment_intents N
//   (one per charge); refunds every 20th charge (5%); disputes every 200th (0.5%); payouts one
//   per day, each sweeping exactly the net that became available since the previous one (so
//   GET /v1/balance_transactions?payout= itemises it to the cent); balance_transactions one per
//   succeeded charge, refund, dispute (and won-dispute reversal) and payout; credit_notes one
//   per 100 invoices; events `<prefix>.created` for every object of the last 30 days. Every
//   50th charge is paid in a foreign currency and converted (exchange_rate, a conversion fee);
//   every 10th names the merchant's invoice in metadata.invoice_number.
//
// Every object is a pure function of (seed, account, mode, now, N, its position): the dataset
// keeps only a few arrays (invoice and balance transaction order, event order) and renders
// objects when asked (object_store.h): it derives an object's facts from its position and hands
// them to object_shapes.h. So 1,000,000 charges cost tens of MB, not GB. Ids decode back to
// their position, so retrieving and paging by id need no index.
//
// Thread-safety: the result is a Dataset like any other (see dataset.h).

#include <cstdint>
#include <memory>

#include "emulator/dataset.h"

namespace stripeline::emulator {

std::unique_ptr<Dataset> BuildScaledDataset(const AccountConfig& account, bool livemode,
                                            uint64_t seed, int64_t now, int64_t charges);

}  // namespace stripeline::emulator
