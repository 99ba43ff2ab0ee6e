#pragma once
// Open invoices read from a CSV export of the user's invoicing system: which column holds
// which field is configurable (the defaults are the English names below), the rest of the
// format (separator, decimal mark, dates, charset) is detected or configured as in
// delimited_table.h. All or nothing: the first bad cell fails the whole file with its line.
// Pure; thread-safe; fuzz-friendly (bytes in, records or an error out).

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "reconcile/delimited_table.h"
#include "reconcile/invoice_matcher.h"

namespace stripeline::reconcile {

struct InvoiceCsvOptions {
  DelimitedFormat format;
  // Header names of the columns (compared case-insensitively). An empty name leaves an
  // optional field out: currency (then default_currency), remaining (then the amount).
  std::string number_column = "number";
  std::string amount_column = "amount";
  std::string currency_column = "currency";
  std::string email_column = "email";
  std::string due_date_column = "due_date";
  std::string remaining_column = "";
  std::string default_currency = "";  // for files without a currency column
};

// The invoices of `bytes`. Errors: a mapped column missing from the header, a cell that is
// not what its field needs (`line 14: amount "1.234,5x" is not a number`), an invoice number
// twice with different amounts or currencies (identical repeats are read once), an open
// amount above the invoice's.
Result<std::vector<Invoice>> ReadInvoiceCsv(std::string_view bytes,
                                            const InvoiceCsvOptions& options);

}  // namespace stripeline::reconcile
