#pragma once
// Reconciliation fixtures: the files a bookkeeper brings to reconcile an emulator account, made
// to fit its payouts and charges — per settlement currency a bank statement as German CSV
// (`;`, decimal comma, DD.MM.YYYY, Latin-1), CAMT.053 (ISO 20022 XML, camt.053.001.02) and
// MT940, plus the open invoices of the merchant's invoicing tool as German CSV — with the
// awkward cases of reconciliation planted (metrics-and-reconciliation.md, "Payout
// reconciliation"): a payout missing in the bank, two equal payouts in one window, a partial
// payment, an overpayment, a payment with no invoice, an ambiguous invoice match, an FX
// payment, a payout with refunds and disputes; failed payouts are not in the bank, manual and
// instant ones are. A manifest (manifest.json) names every planted case with its ids, so tests
// know what a reconciliation must find.
//
// Deterministic: the files are a pure function of the dataset's objects and `now` (no random
// draws), so the same seed, start time and objects give the same bytes.
//
// Served by `stripeline emulator fixtures --out DIR` (built from its own dataset) and
// `GET /_emulator/fixtures[/<file>]` (from the running emulator's current data).
//
// Thread-safety: pure functions; the caller holds the dataset's lock (shared).

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/dataset.h"

namespace stripeline::emulator {

struct FixtureFile {
  std::string name;          // "bank-eur.camt053.xml", "invoices.csv", "manifest.json"
  std::string content_type;  // e.g. "text/csv; charset=ISO-8859-1"
  std::string content;       // the file's bytes
};

struct FixtureOptions {
  // The emulated now: the statements cover the payouts, and the invoices the charges, created
  // in the `days` before it.
  int64_t now = 0;
  int64_t days = 90;
};

// The fixtures of `dataset` (see the header comment), manifest.json last.
std::vector<FixtureFile> ReconciliationFixtures(const Dataset& dataset, const FixtureOptions& options);

}  // namespace stripeline::emulator
