#pragma once
// Bank statement lines read from a CAMT.053 file (ISO 20022 BankToCustomerStatement, any
// version from .001.02 on): per booked entry (Ntry with Sts BOOK) the amount and currency
// (Amt@Ccy), CdtDbtInd, BookgDt, ValDt, AcctSvcrRef (the bank's reference, the de-duplication
// key), Refs/EndToEndId, and as text RmtInf/Ustrd, the counterparty's name and AddtlNtryInf;
// the statement's account (Acct/Id/IBAN). Parsed with pugixml (Debian's libpugixml-dev), which
// neither loads external entities nor expands user-defined ones, so a hostile file cannot
// reach the file system or blow up in memory. Where the file gives an opening (OPBD) and a
// closing (CLBD) balance, they must agree with the entries. All or nothing. Pure;
// thread-safe; fuzz-friendly.

#include <string>
#include <string_view>

#include "common/result.h"
#include "reconcile/statement.h"

namespace stripeline::reconcile {

struct Camt053Options {
  // The account the statement must be of (IBAN, spaces ignored); empty: any.
  std::string account;
};

// The lines of every statement (Stmt) in `bytes`, which must all be of one account. Errors
// name the element: `Stmt 1, Ntry 3: Amt "12.5x" is not a number`, `Stmt 1, Ntry 2: CdtDbtInd
// "CRED" is neither CRDT nor DBIT`, XML that is not well-formed (with its line).
Result<BankStatement> ReadCamt053(std::string_view bytes, const Camt053Options& options = {});

}  // namespace stripeline::reconcile
