#include "emulator/reconciliation_fixtures.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "common/http_message.h"  // HtmlEscape: XML text too
#include "common/text.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr int64_t kDay = 86400;
// What the bank account holds before the statement's first line: 10,000.00.
constexpr int64_t kOpeningBalance = 1'000'000;

struct Date {
  int year, month, day;
};

// Howard Hinnant's civil_from_days.
Date ToDate(int64_t unix) {
  int64_t z = (unix >= 0 ? unix : unix - kDay + 1) / kDay + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (month <= 2)), month, day};
}

int64_t Midnight(int64_t unix) { return unix - ((unix % kDay) + kDay) % kDay; }

// The bank books on business days: a Saturday or Sunday moves to the Monday.
int64_t BusinessDay(int64_t unix) {
  int64_t day = Midnight(unix);
  int64_t weekday = ((day / kDay) % 7 + 11) % 7;  // 0 = Sunday (1970-01-01 was a Thursday)
  return day + (weekday == 6 ? 2 : weekday == 0 ? 1 : 0) * kDay;
}

std::string Format(const char* format, auto... args) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, args...);
  return buffer;
}

std::string GermanDate(int64_t t) {
  Date d = ToDate(t);
  return Format("%02d.%02d.%04d", d.day, d.month, d.year);
}
std::string IsoDate(int64_t t) {
  Date d = ToDate(t);
  return Format("%04d-%02d-%02d", d.year, d.month, d.day);
}
std::string SwiftDate(int64_t t) {  // YYMMDD
  Date d = ToDate(t);
  return Format("%02d%02d%02d", d.year % 100, d.month, d.day);
}

// Minor units as "1234<sep>56" (absolute value); German text adds thousands dots and the sign.
std::string Decimal(int64_t minor, char separator) {
  int64_t value = minor < 0 ? -minor : minor;
  return Format("%" PRId64 "%c%02" PRId64, value / 100, separator, value % 100);
}
std::string GermanAmount(int64_t minor) {
  std::string whole = std::to_string((minor < 0 ? -minor : minor) / 100);
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3) whole.insert(at, ".");
  return (minor < 0 ? "-" : "") + whole + Format(",%02" PRId64, (minor < 0 ? -minor : minor) % 100);
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// UTF-8 text (of Latin-1 characters) as Latin-1 bytes; anything else becomes '?'.
std::string Latin1(std::string_view utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out.push_back(static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F)));
    } else {
      while (i + 1 < utf8.size() && (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) ++i;
      out.push_back('?');
    }
  }
  return out;
}

// The SWIFT character set of MT940 has no umlauts: "Büro" -> "Buero".
std::string SwiftText(std::string_view utf8) {
  static const std::map<std::string_view, std::string_view> kTransliterations = {
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "Ae"}, {"Ö", "Oe"}, {"Ü", "Ue"}, {"ß", "ss"}};
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    bool replaced = false;
    for (const auto& [from, to] : kTransliterations) {
      if (utf8.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(static_cast<unsigned char>(utf8[i++]) < 0x80 ? utf8[i - 1] : '.');
  }
  return out;
}

// A cell of a `;`-separated file, quoted when it must be.
std::string Cell(std::string_view text) {
  if (text.find_first_of(";\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

uint64_t Fnv(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}
int64_t Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

// The live objects of `path` created in [from, to], oldest first.
std::vector<json::object> Window(const Dataset& dataset, std::string_view path, int64_t from,
                                 int64_t to) {
  std::vector<json::object> out;
  const Collection& objects = *dataset.Objects(path);
  auto [first, last] = objects.CreatedRange(from, to);
  for (uint32_t p = first; p < last; ++p) {
    if (!objects.Deleted(p)) out.push_back(objects.Object(p));
  }
  return out;
}

// One line of a bank statement.
struct BankLine {
  int64_t booked = 0;  // midnight UTC of the booking day
  int64_t value = 0;   // of the value day
  int64_t amount = 0;  // minor units, credit positive
  std::string counterparty;
  std::string text;          // remittance information (UTF-8)
  std::string reference;     // the bank's own reference (AcctSvcrRef): unique per line
  std::string end_to_end;    // the payer's reference, or "NOTPROVIDED"
};

std::string IbanFor(std::string_view currency) {
  // The well-known example IBANs of Germany and the UK.
  return currency == "eur" ? "DE89370400440532013000" : "GB29NWBK60161331926819";
}

FixtureFile GermanCsv(std::string_view currency, const std::vector<BankLine>& lines) {
  std::string out = "Buchungstag;Valutadatum;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung;Referenz\r\n";
  for (const BankLine& line : lines) {
    out += GermanDate(line.booked) + ";" + GermanDate(line.value) + ";" + Cell(line.counterparty) +
           ";" + Cell(line.text) + ";" + GermanAmount(line.amount) + ";" + Upper(currency) + ";" +
           line.reference + "\r\n";
  }
  return {"bank-" + std::string(currency) + ".csv", "text/csv; charset=ISO-8859-1", Latin1(out)};
}

FixtureFile Camt053(std::string_view currency, std::string_view owner, int64_t now,
                    const std::vector<BankLine>& lines) {
  std::string ccy = Upper(currency);
  int64_t from = lines.empty() ? Midnight(now) : lines.front().booked;
  int64_t to = lines.empty() ? Midnight(now) : lines.back().booked;
  int64_t closing = kOpeningBalance;
  for (const BankLine& line : lines) closing += line.amount;
  std::string id = "EMU-" + ccy + "-" + SwiftDate(to);
  auto balance = [&](std::string_view code, int64_t amount, int64_t day) {
    return "      <Bal><Tp><CdOrPrtry><Cd>" + std::string(code) + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"" +
           ccy + "\">" + Decimal(amount, '.') + "</Amt><CdtDbtInd>" +
           (amount < 0 ? "DBIT" : "CRDT") + "</CdtDbtInd><Dt><Dt>" + IsoDate(day) +
           "</Dt></Dt></Bal>\n";
  };
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
      "  <BkToCstmrStmt>\n"
      "    <GrpHdr><MsgId>" + id + "</MsgId><CreDtTm>" + IsoDate(now) + "T00:00:00Z</CreDtTm></GrpHdr>\n"
      "    <Stmt>\n"
      "      <Id>" + id + "</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>" + IsoDate(now) +
      "T00:00:00Z</CreDtTm>\n"
      "      <FrToDt><FrDtTm>" + IsoDate(from) + "T00:00:00Z</FrDtTm><ToDtTm>" + IsoDate(to) +
      "T23:59:59Z</ToDtTm></FrToDt>\n"
      "      <Acct><Id><IBAN>" + IbanFor(currency) + "</IBAN></Id><Ccy>" + ccy + "</Ccy><Ownr><Nm>" +
      HtmlEscape(owner) + "</Nm></Ownr></Acct>\n";
  out += balance("OPBD", kOpeningBalance, from);
  out += balance("CLBD", closing, to);
  for (const BankLine& line : lines) {
    bool credit = line.amount >= 0;
    out += "      <Ntry>\n"
           "        <Amt Ccy=\"" + ccy + "\">" + Decimal(line.amount, '.') + "</Amt><CdtDbtInd>" +
           (credit ? "CRDT" : "DBIT") + "</CdtDbtInd><Sts>BOOK</Sts>\n"
           "        <BookgDt><Dt>" + IsoDate(line.booked) + "</Dt></BookgDt><ValDt><Dt>" +
           IsoDate(line.value) + "</Dt></ValDt>\n"
           "        <AcctSvcrRef>" + line.reference + "</AcctSvcrRef>\n"
           "        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>" + (credit ? "RCDT" : "ICDT") +
           "</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
           "        <NtryDtls><TxDtls>\n"
           "          <Refs><EndToEndId>" + HtmlEscape(line.end_to_end) + "</EndToEndId></Refs>\n"
           "          <RltdPties><" + (credit ? "Dbtr" : "Cdtr") + "><Nm>" +
           HtmlEscape(line.counterparty) + "</Nm></" + (credit ? "Dbtr" : "Cdtr") + "></RltdPties>\n"
           "          <RmtInf><Ustrd>" + HtmlEscape(line.text) + "</Ustrd></RmtInf>\n"
           "        </TxDtls></NtryDtls>\n"
           "      </Ntry>\n";
  }
  out += "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n";
  return {"bank-" + std::string(currency) + ".camt053.xml", "application/xml", out};
}

FixtureFile Mt940(std::string_view currency, int64_t now, const std::vector<BankLine>& lines) {
  std::string ccy = Upper(currency);
  int64_t from = lines.empty() ? Midnight(now) : lines.front().booked;
  int64_t to = lines.empty() ? Midnight(now) : lines.back().booked;
  int64_t closing = kOpeningBalance;
  for (const BankLine& line : lines) closing += line.amount;
  auto balance = [&](std::string_view tag, int64_t amount, int64_t day) {
    return std::string(tag) + (amount < 0 ? "D" : "C") + SwiftDate(day) + ccy +
           Decimal(amount, ',') + "\r\n";
  };
  std::string out = ":20:EMU" + SwiftDate(to) + "\r\n:25:" + IbanFor(currency) + "\r\n:28C:00001/001\r\n";
  out += balance(":60F:", kOpeningBalance, from);
  for (const BankLine& line : lines) {
    std::string customer_reference =
        line.end_to_end == "NOTPROVIDED" ? "NONREF" : line.end_to_end.substr(0, 16);
    Date booked = ToDate(line.booked);
    out += ":61:" + SwiftDate(line.value) + Format("%02d%02d", booked.month, booked.day) +
           (line.amount < 0 ? "D" : "C") + Decimal(line.amount, ',') + "NTRF" + customer_reference +
           "//" + line.reference.substr(0, 16) + "\r\n";
    out += ":86:" + SwiftText(line.counterparty + " " + line.text).substr(0, 65) + "\r\n";
  }
  out += balance(":62F:", closing, to);
  out += "-\r\n";
  return {"bank-" + std::string(currency) + ".mt940", "text/plain; charset=US-ASCII", out};
}

// One row of the open-invoice CSV.
struct Invoice {
  std::string number;
  std::string customer;
  std::string email;
  int64_t issued = 0;
  int64_t due = 0;
  int64_t amount = 0;
  std::string currency;
};

FixtureFile InvoiceCsv(const std::vector<Invoice>& invoices) {
  std::string out = "Rechnungsnummer;Kunde;E-Mail;Rechnungsdatum;Fällig am;Betrag;Währung\r\n";
  for (const Invoice& i : invoices) {
    out += Cell(i.number) + ";" + Cell(i.customer) + ";" + Cell(i.email) + ";" +
           GermanDate(i.issued) + ";" + GermanDate(i.due) + ";" + GermanAmount(i.amount) + ";" +
           Upper(i.currency) + "\r\n";
  }
  return {"invoices.csv", "text/csv; charset=ISO-8859-1", Latin1(out)};
}

}  // namespace

std::vector<FixtureFile> ReconciliationFixtures(const Dataset& dataset, const FixtureOptions& options) {
  const int64_t now = options.now;
  const int64_t from = now - options.days * kDay;
  const AccountConfig& account = dataset.account();
  std::vector<json::object> payouts = Window(dataset, "payouts", from, now);
  std::vector<json::object> charges = Window(dataset, "charges", from, now);
  json::array cases;  // everything planted, for manifest.json
  std::vector<FixtureFile> files;

  // Payouts: which reach the bank, and how.
  auto arrived = [&](const json::object& p) {
    return Str(p, "status") == "paid" && Int(p, "arrival_date") <= now;
  };
  std::set<std::string> special;
  // Two equal payouts of one currency arriving within three days: booked the same day with no
  // trace id, so only a person can tell them apart.
  std::optional<std::pair<size_t, size_t>> twins;
  for (size_t a = 0; a < payouts.size() && !twins; ++a) {
    for (size_t b = a + 1; b < payouts.size() && !twins; ++b) {
      if (arrived(payouts[a]) && arrived(payouts[b]) &&
          Int(payouts[a], "amount") == Int(payouts[b], "amount") &&
          Str(payouts[a], "currency") == Str(payouts[b], "currency") &&
          std::abs(Int(payouts[a], "arrival_date") - Int(payouts[b], "arrival_date")) <= 3 * kDay) {
        twins = {a, b};
      }
    }
  }
  if (twins) {
    special.insert(Str(payouts[twins->first], "id"));
    special.insert(Str(payouts[twins->second], "id"));
  }
  // A payout whose itemisation holds refunds and disputes (or, if none has both, either) stays
  // matched normally.
  const Collection& transactions = *dataset.Objects("balance_transactions");
  std::optional<json::object> mixed;
  for (const json::object& p : payouts) {
    if (!arrived(p) || !p.at("automatic").as_bool() || special.contains(Str(p, "id"))) continue;
    json::array refunds, disputes;
    for (uint32_t position : dataset.PayoutTransactions(Str(p, "id"))) {
      json::object t = transactions.Object(position);
      std::string category = Str(t, "reporting_category");
      if (category == "refund") refunds.emplace_back(Str(t, "source"));
      if (category == "dispute" || category == "dispute_reversal") {
        disputes.emplace_back(Str(t, "source"));
      }
    }
    if (refunds.empty() && disputes.empty()) continue;
    bool both = !refunds.empty() && !disputes.empty();
    if (!mixed || both) {
      mixed = json::object{{"case", "payout_with_refunds_and_disputes"}, {"payout", Str(p, "id")},
                           {"refunds", std::move(refunds)}, {"disputes", std::move(disputes)}};
    }
    if (both) break;
  }
  if (mixed) {
    special.insert(Str(*mixed, "payout"));
    cases.push_back(std::move(*mixed));
  }
  // The oldest other paid automatic payout of the default currency never reaches the bank.
  std::string missing;
  for (const json::object& p : payouts) {
    if (arrived(p) && p.at("automatic").as_bool() && Str(p, "currency") == account.default_currency &&
        !special.contains(Str(p, "id"))) {
      missing = Str(p, "id");
      cases.push_back(json::object{{"case", "missing_in_bank"}, {"payout", missing}, {"amount", Int(p, "amount")},
                 {"currency", Str(p, "currency")}, {"arrival_date", Int(p, "arrival_date")}});
      break;
    }
  }

  std::map<std::string, std::vector<BankLine>> statements;
  for (const std::string& currency : SettlementCurrencies(account)) statements[currency];
  json::array in_bank;
  for (size_t i = 0; i < payouts.size(); ++i) {
    const json::object& p = payouts[i];
    std::string id = Str(p, "id"), currency = Str(p, "currency");
    if (Str(p, "status") == "failed") {
      cases.push_back(json::object{{"case", "failed_payout"}, {"payout", id},
                 {"failure_code", Str(p, "failure_code")}, {"amount", Int(p, "amount")}});
      continue;
    }
    if (!p.at("automatic").as_bool()) {
      cases.push_back(json::object{{"case", "not_itemisable"}, {"payout", id}, {"method", Str(p, "method")}});
    }
    if (!arrived(p) || id == missing) continue;
    bool twin = twins && (i == twins->first || i == twins->second);
    int64_t arrival = twin ? std::max(Int(payouts[twins->first], "arrival_date"),
                                      Int(payouts[twins->second], "arrival_date"))
                           : Int(p, "arrival_date");
    std::string trace;
    if (const json::value* t = p.if_contains("trace_id"); t && t->is_object() && t->at("value").is_string()) {
      trace = std::string(t->at("value").as_string());
    }
    if (twin) trace.clear();
    std::string descriptor = Str(p, "statement_descriptor");
    BankLine line;
    line.booked = BusinessDay(arrival);
    line.value = Midnight(arrival);
    line.amount = Int(p, "amount");
    line.counterparty = "STRIPE";
    line.text = "STRIPE " + (descriptor.empty() ? std::string("PAYOUT") : descriptor) +
                (trace.empty() ? "" : " " + trace);
    line.reference = Format("EMU%016" PRIX64, Fnv(id));
    line.end_to_end = trace.empty() ? "NOTPROVIDED" : trace;
    statements[currency].push_back(line);
    in_bank.emplace_back(id);
  }
  if (twins) {
    cases.push_back(json::object{{"case", "ambiguous_payouts"},
               {"payouts", {Str(payouts[twins->first], "id"), Str(payouts[twins->second], "id")}},
               {"amount", Int(payouts[twins->first], "amount")},
               {"currency", Str(payouts[twins->first], "currency")}});
  }
  // What else a business account sees each month: rent and the bank's fee.
  for (auto& [currency, lines] : statements) {
    for (int64_t day = Midnight(from) + kDay; day <= now; day += kDay) {
      if (ToDate(day).day != 1) continue;
      std::string month = IsoDate(day).substr(0, 7);
      lines.push_back({BusinessDay(day), day, -120000, "Hausverwaltung Müller",
                       "Miete Büro " + month, Format("EMU%016" PRIX64, Fnv(currency + "rent" + month)),
                       "NOTPROVIDED"});
      lines.push_back({BusinessDay(day), day, -990, "Bank", "Kontoführungsgebühr " + month,
                       Format("EMU%016" PRIX64, Fnv(currency + "fee" + month)), "NOTPROVIDED"});
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const BankLine& a, const BankLine& b) { return a.booked < b.booked; });
    files.push_back(GermanCsv(currency, lines));
    files.push_back(Camt053(currency, account.name, now, lines));
    files.push_back(Mt940(currency, now, lines));
  }

  // Open invoices: one per payment, the planted ones aside, and a few nobody has paid yet.
  std::vector<Invoice> invoices;
  int64_t sequence = 0;
  auto next_number = [&] { return Format("RE-%06" PRId64, ++sequence); };
  auto invoice_for = [&](const json::object& charge, std::string number, int64_t amount) {
    const json::object& billing = charge.at("billing_details").as_object();
    int64_t paid = Midnight(Int(charge, "created"));
    invoices.push_back({std::move(number), Str(billing, "name"), Str(billing, "email"),
                        paid - 14 * kDay, paid, amount, Str(charge, "currency")});
    return invoices.back().number;
  };
  // Payments whose email, amount and currency no other payment has: only those can be left
  // without an invoice, or get two, without another payment's invoice blurring the case.
  auto identity = [](const json::object& charge) {
    return Str(charge.at("billing_details").as_object(), "email") + "/" +
           std::to_string(Int(charge, "amount")) + Str(charge, "currency");
  };
  std::map<std::string, int> payers;
  for (const json::object& charge : charges) {
    if (Str(charge, "status") == "succeeded") ++payers[identity(charge)];
  }
  bool fx_done = false, no_invoice_done = false, ambiguous_done = false;
  int referenced = 0;
  for (const json::object& charge : charges) {
    if (Str(charge, "status") != "succeeded") continue;
    std::string id = Str(charge, "id"), currency = Str(charge, "currency");
    int64_t amount = Int(charge, "amount");
    std::string reference;
    if (const json::value* m = charge.if_contains("metadata"); m && m->is_object()) {
      reference = Str(m->as_object(), "invoice_number");
    }
    bool clean = Int(charge, "amount_refunded") == 0 && !charge.at("disputed").as_bool();
    bool unique = payers[identity(charge)] == 1;
    Settlement settlement = SettlementOf(account, currency);
    if (settlement.exchange_rate != 0 && !fx_done && clean) {
      fx_done = true;
      std::string number = invoice_for(charge, reference.empty() ? next_number() : reference, amount);
      cases.push_back(json::object{{"case", "fx_payment"}, {"charge", id}, {"invoice", number}, {"amount", amount},
                 {"currency", currency}, {"settlement_currency", settlement.currency},
                 {"exchange_rate", settlement.exchange_rate}});
      continue;
    }
    if (!reference.empty()) {
      if (clean && referenced < 2) {
        // The customer paid less than the invoice (a quarter stays open), or more.
        bool partial = referenced++ == 0;
        int64_t total = partial ? amount + amount / 4 : amount - amount / 10;
        invoice_for(charge, reference, total);
        cases.push_back(json::object{{"case", partial ? "partial_payment" : "overpayment"}, {"charge", id},
                   {"invoice", reference}, {"invoice_amount", total}, {"paid", amount},
                   {"currency", currency}});
      } else {
        invoice_for(charge, reference, amount);
      }
      continue;
    }
    if (clean && unique && !no_invoice_done) {
      no_invoice_done = true;
      cases.push_back(json::object{{"case", "no_invoice"}, {"charge", id}, {"amount", amount}, {"currency", currency}});
      continue;
    }
    if (clean && unique && !ambiguous_done) {
      // Two invoices to the same customer, same amount, same due date.
      ambiguous_done = true;
      std::string first = invoice_for(charge, next_number(), amount);
      std::string second = invoice_for(charge, next_number(), amount);
      cases.push_back(json::object{{"case", "ambiguous_invoice"}, {"charge", id}, {"invoices", {first, second}}});
      continue;
    }
    std::string number = invoice_for(charge, next_number(), amount);
    if (!clean) {
      cases.push_back(json::object{{"case", Int(charge, "amount_refunded") != 0 ? "refunded_payment" : "disputed_payment"},
                 {"charge", id}, {"invoice", number}});
    }
  }
  // Unpaid: amounts no payment has (odd cents).
  for (int64_t k = 0; k < 3 && !charges.empty(); ++k) {
    const json::object& charge = charges[static_cast<size_t>(k) % charges.size()];
    invoice_for(charge, next_number(), 77777 + k * 1111);
    invoices.back().due = Midnight(now) + (k + 1) * 7 * kDay;
    invoices.back().currency = account.default_currency;
    cases.push_back(json::object{{"case", "open_invoice"}, {"invoice", invoices.back().number}});
  }
  files.push_back(InvoiceCsv(invoices));

  json::array names;
  for (const FixtureFile& f : files) names.emplace_back(f.name);
  json::object manifest{{"account", account.id},
                        {"livemode", dataset.livemode()},
                        {"now", now},
                        {"from", from},
                        {"files", std::move(names)},
                        {"payouts_in_bank", std::move(in_bank)},
                        {"invoices", static_cast<int64_t>(invoices.size())},
                        {"cases", std::move(cases)}};
  files.push_back({"manifest.json", "application/json", json::serialize(manifest) + "\n"});
  return files;
}

}  // namespace stripeline::emulator
