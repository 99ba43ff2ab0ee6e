#include "reconcile/invoice_csv.h"

#include <unordered_map>

#include "common/text.h"

namespace stripeline::reconcile {

Result<std::vector<Invoice>> ReadInvoiceCsv(std::string_view bytes,
                                            const InvoiceCsvOptions& options) {
  SL_ASSIGN_OR_RETURN(DelimitedTable table, DelimitedTable::Parse(bytes, options.format));
  SL_ASSIGN_OR_RETURN(size_t number, table.Column("the invoice number", options.number_column));
  SL_ASSIGN_OR_RETURN(size_t amount, table.Column("the amount", options.amount_column));
  SL_ASSIGN_OR_RETURN(size_t email, table.Column("the customer's email", options.email_column));
  SL_ASSIGN_OR_RETURN(size_t due_date, table.Column("the due date", options.due_date_column));
  SL_ASSIGN_OR_RETURN(CurrencySource currency,
                      CurrencySource::Of(table, options.currency_column, options.default_currency));
  SL_ASSIGN_OR_RETURN(std::optional<size_t> remaining,
                      table.OptionalColumn("the open amount", options.remaining_column));

  std::vector<Invoice> invoices;
  std::unordered_map<std::string, std::pair<size_t, int>> seen;  // number → (invoice, line)
  for (const DelimitedRow& row : table.rows()) {
    Invoice invoice;
    SL_ASSIGN_OR_RETURN(invoice.number, table.Text(row, number, "invoice number"));
    SL_ASSIGN_OR_RETURN(invoice.amount.currency, currency.At(table, row));
    SL_ASSIGN_OR_RETURN(invoice.amount.minor_units,
                        table.Amount(row, amount, "amount", invoice.amount.currency));
    if (invoice.amount.minor_units <= 0) {
      return LineError(row.line, "amount \"" + std::string(Trim(row.cells[amount])) +
                                     "\" is not positive");
    }
    invoice.remaining = invoice.amount.minor_units;
    if (remaining && !Trim(row.cells[*remaining]).empty()) {
      SL_ASSIGN_OR_RETURN(invoice.remaining, table.Amount(row, *remaining, "open amount",
                                                          invoice.amount.currency));
      if (invoice.remaining < 0 || invoice.remaining > invoice.amount.minor_units) {
        return LineError(row.line, "open amount \"" + std::string(Trim(row.cells[*remaining])) +
                                       "\" is not between 0 and the amount");
      }
    }
    invoice.customer_email = ToLower(Trim(row.cells[email]));
    SL_ASSIGN_OR_RETURN(invoice.due_date, table.DateAt(row, due_date, "due date"));

    const std::string key = ToUpper(invoice.number);
    if (auto earlier = seen.find(key); earlier != seen.end()) {
      const Invoice& first = invoices[earlier->second.first];
      if (first.amount == invoice.amount) continue;
      return LineError(row.line, "invoice " + invoice.number + " is on line " +
                                     std::to_string(earlier->second.second) + " with amount " +
                                     FormatAmount(first.amount.minor_units,
                                                  first.amount.currency) +
                                     " " + first.amount.currency + ", here with " +
                                     FormatAmount(invoice.amount.minor_units,
                                                  invoice.amount.currency) +
                                     " " + invoice.amount.currency);
    }
    seen.emplace(key, std::make_pair(invoices.size(), row.line));
    invoices.push_back(std::move(invoice));
  }
  return invoices;
}

}  // namespace stripeline::reconcile
