#pragma once
// Bank statement lines read from a bank's CSV export, with the machinery of
// delimited_table.h (the invoice CSV reader's, not a copy): configurable columns, `;` and
// decimal comma, DD.MM.YYYY, Latin-1 — what German online banking writes. All or nothing.
// Pure; thread-safe; fuzz-friendly.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "reconcile/delimited_table.h"
#include "reconcile/statement.h"

namespace stripeline::reconcile {

struct BankCsvOptions {
  DelimitedFormat format;
  // Header names of the columns; an empty name leaves an optional field out.
  std::string booking_date_column = "booking_date";
  std::string value_date_column = "value_date";
  std::string amount_column = "amount";
  // A column saying credit or debit ("C"/"D", "H"/"S" for Haben/Soll, "credit"/"debit"); with
  // it the amount column is unsigned.
  std::string credit_debit_column = "";
  std::string currency_column = "currency";
  std::vector<std::string> text_columns = {"text"};  // joined with a space
  std::string reference_column = "";
  std::string end_to_end_column = "";
  std::string account_column = "";
  std::string default_currency = "";  // for files without a currency column
  // The account the statement must be of (an IBAN, spaces ignored); checked against the
  // account column when there is one. Also the statement's account for de-duplication.
  std::string account = "";
};

// The statement of `bytes`: lines in file order, dedup keys assigned. Errors name the line:
// a missing column, a bad amount or date, an unknown credit/debit mark, another account.
Result<BankStatement> ReadBankCsv(std::string_view bytes, const BankCsvOptions& options);

}  // namespace stripeline::reconcile
