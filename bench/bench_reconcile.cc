// Reconciliation's domain core at the scale (issue 14): 100,000 open invoices matched
// against 1,000,000 charges (first run, then an incremental run of 1,000 new charges), a year
// of a 1M-charge account's payouts explained, and a 100,000-entry CAMT.053 file read. Prints
// wall times and the peak RSS; docs/PERFORMANCE.md states the budgets.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "reconcile/camt053.h"
#include "reconcile/invoice_matcher.h"
#include "reconcile/payout_explanation.h"

namespace sr = stripeline::reconcile;
using Clock = std::chrono::steady_clock;

namespace {

// CPU seconds of this (single-threaded) process: on a shared machine the wall time measures
// the neighbours too, so both are printed.
double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

struct Stopwatch {
  Clock::time_point wall = Clock::now();
  double cpu = CpuSeconds();
  std::string Read() const {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f s (%.2f s CPU)",
                  std::chrono::duration<double>(Clock::now() - wall).count(), CpuSeconds() - cpu);
    return text;
  }
};

long PeakRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

const std::chrono::sys_days kStart =
    std::chrono::sys_days(sr::Date{std::chrono::year(2024), std::chrono::month(1), std::chrono::day(1)});

std::vector<sr::Payment> Charges(std::mt19937& random, int count, int first, int invoices) {
  std::vector<sr::Payment> charges;
  charges.reserve(count);
  for (int i = first; i < first + count; ++i) {
    sr::Payment charge{.charge_id = "ch_" + std::to_string(i),
                       .amount = {static_cast<std::int64_t>(500 + random() % 50000), "EUR"},
                       .customer_email = "buyer" + std::to_string(random() % 400000) + "@example.com",
                       .created = std::chrono::sys_seconds(kStart) +
                                  std::chrono::seconds(static_cast<std::int64_t>(i) * 31)};
    if (random() % 10 == 0) {  // one in ten names an invoice
      charge.metadata["invoice_number"] = "INV-" + std::to_string(random() % invoices);
    }
    if (random() % 50 == 0) {
      charge.adjustments.push_back({.id = "re_" + std::to_string(i),
                                    .kind = sr::PaymentAdjustmentKind::kRefund,
                                    .amount = charge.amount.minor_units / 2,
                                    .created = charge.created + std::chrono::hours(48)});
    }
    charges.push_back(std::move(charge));
  }
  return charges;
}

void BenchInvoiceMatching() {
  std::mt19937 random(14);
  constexpr int kInvoices = 100'000;
  std::vector<sr::Invoice> invoices;
  invoices.reserve(kInvoices);
  for (int i = 0; i < kInvoices; ++i) {
    std::int64_t amount = 500 + random() % 50000;
    invoices.push_back({.number = "INV-" + std::to_string(i),
                        .amount = {amount, "EUR"},
                        .remaining = amount,
                        .customer_email = "buyer" + std::to_string(random() % 400000) + "@example.com",
                        .due_date = sr::Date{kStart + std::chrono::days(random() % 365)}});
  }
  std::vector<sr::Payment> charges = Charges(random, 1'000'000, 0, kInvoices);
  std::vector<sr::Payment> later = Charges(random, 1'000, 1'000'000, kInvoices);

  Stopwatch first_run;
  stripeline::Result<sr::InvoiceMatcher> matcher = sr::InvoiceMatcher::Create(invoices);
  if (!matcher.ok()) {
    std::printf("invoice matcher: %s\n", matcher.status().ToString().c_str());
    return;
  }
  std::vector<sr::PaymentMatch> matches = matcher->Match(charges);
  const std::string first_run_took = first_run.Read();
  int applied = 0, ambiguous = 0, suggestions = 0;
  for (const sr::PaymentMatch& match : matches) {
    applied += !match.allocations.empty();
    ambiguous += match.state == sr::MatchState::kAmbiguous;
    suggestions += match.state == sr::MatchState::kSuggestion;
  }
  Stopwatch incremental;
  matcher->Match(later);
  std::printf(
      "invoice matching: 100,000 invoices x 1,000,000 charges in %s (budget 10 s; %d applied, "
      "%d ambiguous, %d suggestions); 1,000 new charges after it in %s (budget 0.2 s)\n",
      first_run_took.c_str(), applied, ambiguous, suggestions, incremental.Read().c_str());
}

void BenchPayoutExplanation() {
  std::mt19937 random(10395);
  // A year of daily automatic payouts, ~2,740 balance transactions each (1M in all).
  Stopwatch watch;
  std::int64_t explained = 0;
  std::vector<sr::BalanceTransaction> transactions;
  for (int day = 0; day < 365; ++day) {
    transactions.clear();
    std::int64_t net = 0;
    for (int i = 0; i < 2740; ++i) {
      std::int64_t amount = 500 + random() % 50000;
      std::int64_t fee = amount * 29 / 1000 + 25;
      const char* category = i % 100 == 0 ? "refund" : "charge";
      if (i % 100 == 0) amount = -amount;
      if (i % 100 == 0) fee = 0;
      transactions.push_back({.id = "txn_" + std::to_string(day * 2740 + i),
                              .amount = amount,
                              .fee = fee,
                              .net = amount - fee,
                              .currency = "EUR",
                              .reporting_category = category,
                              .type = category});
      net += amount - fee;
    }
    sr::Payout payout{.id = "po_" + std::to_string(day), .amount = {net, "EUR"}};
    explained += sr::ExplainPayout(payout, transactions).difference == 0;
  }
  std::printf("payout explanation: 365 payouts of 1,000,100 transactions in %s (budget 3 s; "
              "%lld explained with difference 0)\n",
              watch.Read().c_str(), static_cast<long long>(explained));
}

void BenchCamt053() {
  std::string xml =
      "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">"
      "<BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>";
  for (int i = 0; i < 100'000; ++i) {
    xml += "<Ntry><Amt Ccy=\"EUR\">" + std::to_string(10 + i % 9000) +
           ".95</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-03-04</Dt>"
           "</BookgDt><ValDt><Dt>2024-03-04</Dt></ValDt><AcctSvcrRef>REF" +
           std::to_string(i) +
           "</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E" + std::to_string(i) +
           "</EndToEndId></Refs><RmtInf><Ustrd>STRIPE PAYOUT po_" + std::to_string(i) +
           "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>";
  }
  xml += "</Stmt></BkToCstmrStmt></Document>";
  Stopwatch watch;
  stripeline::Result<sr::BankStatement> statement = sr::ReadCamt053(xml);
  std::printf("CAMT.053: %zu MB, %zu entries read in %s (budget 2 s with the import)\n",
              xml.size() >> 20, statement.ok() ? statement->lines.size() : 0, watch.Read().c_str());
}

}  // namespace

int main() {
  BenchPayoutExplanation();
  BenchCamt053();
  BenchInvoiceMatching();
  std::printf("peak RSS: %ld MB (budget 250 MB)\n", PeakRssMb());
}
