#include "reconcile/camt053.h"

#include <pugixml.hpp>

#include <algorithm>
#include <vector>

#include "common/text.h"

namespace stripeline::reconcile {
namespace {

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The first child element named `name` (namespace prefix ignored); an empty node when none.
pugi::xml_node Child(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child) == name) return child;
  }
  return {};
}

std::vector<pugi::xml_node> Children(const pugi::xml_node& node, std::string_view name) {
  std::vector<pugi::xml_node> found;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child) == name) found.push_back(child);
  }
  return found;
}

// The element at a path of child names ("Acct/Id/IBAN"); an empty node when any is missing.
pugi::xml_node At(pugi::xml_node node, std::initializer_list<std::string_view> path) {
  for (std::string_view name : path) {
    if (!node) break;
    node = Child(node, name);
  }
  return node;
}

std::string TextOf(const pugi::xml_node& node) { return std::string(Trim(node.child_value())); }

// Every descendant element named `name`, in document order.
void Collect(const pugi::xml_node& node, std::string_view name, std::vector<std::string>& out) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (LocalName(child) == name) {
      std::string text = TextOf(child);
      if (!text.empty()) out.push_back(std::move(text));
    } else {
      Collect(child, name, out);
    }
  }
}

// An element's amount with its Ccy attribute and the CdtDbtInd beside it, signed.
Result<Money> SignedAmount(const pugi::xml_node& parent, const std::string& where) {
  pugi::xml_node amount = Child(parent, "Amt");
  if (!amount) return Status::InvalidArgument(where + ": Amt is missing");
  Result<std::string> currency = ParseCurrency(amount.attribute("Ccy").value());
  if (!currency.ok()) {
    return Status::InvalidArgument(where + ": Amt@Ccy " + currency.status().message());
  }
  Result<std::int64_t> value = ParseAmount(amount.child_value(), DecimalMark::kPoint, *currency);
  if (!value.ok()) return Status::InvalidArgument(where + ": Amt " + value.status().message());
  const std::string indicator = TextOf(Child(parent, "CdtDbtInd"));
  if (indicator != "CRDT" && indicator != "DBIT") {
    return Status::InvalidArgument(where + ": CdtDbtInd \"" + indicator +
                                   "\" is neither CRDT nor DBIT");
  }
  return Money{indicator == "DBIT" ? -*value : *value, *currency};
}

// BookgDt or ValDt: <Dt>2024-03-01</Dt> or <DtTm>2024-03-01T10:00:00</DtTm>.
Result<std::optional<Date>> DateIn(const pugi::xml_node& parent, std::string_view element,
                                   const std::string& where) {
  pugi::xml_node holder = Child(parent, element);
  if (!holder) return std::optional<Date>();
  pugi::xml_node date = Child(holder, "Dt");
  std::string text = TextOf(date ? date : Child(holder, "DtTm"));
  Result<Date> parsed = ParseDate(text.substr(0, std::min<size_t>(text.size(), 10)), DateFormat::kIso);
  if (!parsed.ok()) {
    return Status::InvalidArgument(where + ": " + std::string(element) + " \"" + text +
                                   "\" is not a date (YYYY-MM-DD)");
  }
  return std::optional<Date>(*parsed);
}

}  // namespace

Result<BankStatement> ReadCamt053(std::string_view bytes, const Camt053Options& options) {
  pugi::xml_document document;
  pugi::xml_parse_result parsed =
      document.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    const size_t offset = std::min<size_t>(static_cast<size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)), bytes.size());
    const int line = 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
    return Status::InvalidArgument("line " + std::to_string(line) +
                                   ": the XML is not well-formed (" + parsed.description() + ")");
  }
  pugi::xml_node report = At(document.document_element(), {"BkToCstmrStmt"});
  if (LocalName(document.document_element()) != "Document" || !report) {
    return Status::InvalidArgument(
        "the XML is not a CAMT.053 statement (no Document/BkToCstmrStmt)");
  }
  std::vector<pugi::xml_node> statements = Children(report, "Stmt");
  if (statements.empty()) return Status::InvalidArgument("BkToCstmrStmt holds no Stmt");

  BankStatement result;
  int entry_number = 0;
  for (size_t s = 0; s < statements.size(); ++s) {
    const pugi::xml_node& statement = statements[s];
    const std::string statement_where = "Stmt " + std::to_string(s + 1);
    pugi::xml_node iban = At(statement, {"Acct", "Id", "IBAN"});
    std::string account =
        NormalizeAccount(TextOf(iban ? iban : At(statement, {"Acct", "Id", "Othr", "Id"})));
    if (account.empty()) {
      return Status::InvalidArgument(statement_where + ": Acct/Id names no account");
    }
    if (!options.account.empty() && account != NormalizeAccount(options.account)) {
      return Status::InvalidArgument(statement_where + ": the statement is of account " +
                                     account + ", not " + NormalizeAccount(options.account));
    }
    if (!result.account.empty() && account != result.account) {
      return Status::InvalidArgument(statement_where + ": account " + account +
                                     " differs from the first statement's " + result.account);
    }
    result.account = account;

    std::optional<Money> opening, closing;
    for (const pugi::xml_node& balance : Children(statement, "Bal")) {
      const std::string code = TextOf(At(balance, {"Tp", "CdOrPrtry", "Cd"}));
      if (code != "OPBD" && code != "CLBD") continue;
      SL_ASSIGN_OR_RETURN(Money amount, SignedAmount(balance, statement_where + ", Bal " + code));
      (code == "OPBD" ? opening : closing) = amount;
    }

    std::int64_t booked_sum = 0;
    bool one_currency = true;
    std::vector<pugi::xml_node> entries = Children(statement, "Ntry");
    for (size_t e = 0; e < entries.size(); ++e) {
      const pugi::xml_node& entry = entries[e];
      ++entry_number;
      const std::string where = statement_where + ", Ntry " + std::to_string(e + 1);
      pugi::xml_node status = Child(entry, "Sts");
      std::string status_code = TextOf(Child(status, "Cd") ? Child(status, "Cd") : status);
      if (!status_code.empty() && status_code != "BOOK") continue;  // pending: not yet booked

      StatementLine line;
      line.source_position = entry_number;
      SL_ASSIGN_OR_RETURN(line.amount, SignedAmount(entry, where));
      SL_ASSIGN_OR_RETURN(std::optional<Date> booking, DateIn(entry, "BookgDt", where));
      SL_ASSIGN_OR_RETURN(line.value_date, DateIn(entry, "ValDt", where));
      if (!booking && !line.value_date) {
        return Status::InvalidArgument(where + ": neither BookgDt nor ValDt is given");
      }
      line.booking_date = booking ? *booking : *line.value_date;
      line.bank_reference = TextOf(Child(entry, "AcctSvcrRef"));

      std::vector<std::string> ends, texts, names;
      for (const pugi::xml_node& details : Children(entry, "NtryDtls")) {
        for (const pugi::xml_node& transaction : Children(details, "TxDtls")) {
          std::string end = TextOf(At(transaction, {"Refs", "EndToEndId"}));
          if (!end.empty() && end != "NOTPROVIDED") ends.push_back(end);
          Collect(Child(transaction, "RmtInf"), "Ustrd", texts);
          Collect(Child(transaction, "RltdPties"), "Nm", names);
          Collect(transaction, "AddtlTxInf", texts);
        }
      }
      if (!ends.empty()) line.end_to_end_id = ends.front();
      std::string additional = TextOf(Child(entry, "AddtlNtryInf"));
      for (const std::string& part : texts) line.text += (line.text.empty() ? "" : " ") + part;
      for (const std::string& part : names) line.text += (line.text.empty() ? "" : " ") + part;
      if (!additional.empty()) line.text += (line.text.empty() ? "" : " ") + additional;

      one_currency &= !opening || line.amount.currency == opening->currency;
      booked_sum += line.amount.minor_units;
      result.lines.push_back(std::move(line));
    }
    if (opening && closing && one_currency && opening->currency == closing->currency &&
        opening->minor_units + booked_sum != closing->minor_units) {
      const std::string& currency = opening->currency;
      return Status::InvalidArgument(
          statement_where + ": the opening balance " +
          FormatAmount(opening->minor_units, currency) + " plus the booked entries " +
          FormatAmount(booked_sum, currency) + " is not the closing balance " +
          FormatAmount(closing->minor_units, currency) + " " + currency);
    }
  }
  AssignDedupKeys(result.account, result.lines);
  return result;
}

}  // namespace stripeline::reconcile
