#pragma once
// Bank statement lines read from an MT940 file (SWIFT customer statement, as German banks
// export it): `:20:` opens a statement, `:25:` names the account, `:60F:`/`:60M:` the opening
// balance (and the currency), each `:61:` is a line (value date, booking date, C/D/RC/RD,
// amount, type, references — the bank's after "//" is the de-duplication key) followed by its
// `:86:` remittance text (structured "?20...?29" subfields or free text; "EREF+" gives the
// end-to-end id), `:62F:`/`:62M:` the closing balance, which must agree with the lines. SWIFT
// block headers ({1:...}{2:...}{4:) are skipped. Our own reader: no Debian library reads
// MT940. All or nothing. Pure; thread-safe; fuzz-friendly.

#include <string>
#include <string_view>

#include "common/result.h"
#include "reconcile/delimited_table.h"
#include "reconcile/statement.h"

namespace stripeline::reconcile {

struct Mt940Options {
  Charset charset = Charset::kAuto;  // German banks write Latin-1
  // The account the statements must be of (IBAN or "BLZ/account", spaces ignored); empty: any.
  std::string account;
};

// The lines of every statement in `bytes`, which must all be of one account. Errors name the
// line and the field: `line 7: :61: amount "10395.00" is not a number`.
Result<BankStatement> ReadMt940(std::string_view bytes, const Mt940Options& options = {});

}  // namespace stripeline::reconcile
