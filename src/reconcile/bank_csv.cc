#include "reconcile/bank_csv.h"

#include <algorithm>

#include "common/text.h"

namespace stripeline::reconcile {

Result<BankStatement> ReadBankCsv(std::string_view bytes, const BankCsvOptions& options) {
  SL_ASSIGN_OR_RETURN(DelimitedTable table, DelimitedTable::Parse(bytes, options.format));
  SL_ASSIGN_OR_RETURN(size_t booking_date,
                      table.Column("the booking date", options.booking_date_column));
  SL_ASSIGN_OR_RETURN(size_t amount, table.Column("the amount", options.amount_column));
  SL_ASSIGN_OR_RETURN(std::optional<size_t> value_date,
                      table.OptionalColumn("the value date", options.value_date_column));
  SL_ASSIGN_OR_RETURN(std::optional<size_t> credit_debit,
                      table.OptionalColumn("credit or debit", options.credit_debit_column));
  SL_ASSIGN_OR_RETURN(CurrencySource currency,
                      CurrencySource::Of(table, options.currency_column, options.default_currency));
  SL_ASSIGN_OR_RETURN(std::optional<size_t> reference,
                      table.OptionalColumn("the bank reference", options.reference_column));
  SL_ASSIGN_OR_RETURN(std::optional<size_t> end_to_end,
                      table.OptionalColumn("the end-to-end id", options.end_to_end_column));
  SL_ASSIGN_OR_RETURN(std::optional<size_t> account,
                      table.OptionalColumn("the account", options.account_column));
  std::vector<size_t> texts;
  for (const std::string& column : options.text_columns) {
    SL_ASSIGN_OR_RETURN(size_t position, table.Column("the text", column));
    texts.push_back(position);
  }

  BankStatement statement;
  statement.account = NormalizeAccount(options.account);
  for (const DelimitedRow& row : table.rows()) {
    StatementLine line;
    line.source_position = row.line;
    if (account) {
      std::string row_account = NormalizeAccount(row.cells[*account]);
      if (statement.account.empty()) statement.account = row_account;
      if (row_account != statement.account) {
        return LineError(row.line, "account " + row_account + " is not the statement's account " +
                                       statement.account);
      }
    }
    SL_ASSIGN_OR_RETURN(line.booking_date, table.DateAt(row, booking_date, "booking date"));
    if (value_date && !Trim(row.cells[*value_date]).empty()) {
      SL_ASSIGN_OR_RETURN(line.value_date, table.DateAt(row, *value_date, "value date"));
    }
    SL_ASSIGN_OR_RETURN(line.amount.currency, currency.At(table, row));
    SL_ASSIGN_OR_RETURN(line.amount.minor_units,
                        table.Amount(row, amount, "amount", line.amount.currency));
    if (credit_debit) {
      const std::string mark = ToLower(Trim(row.cells[*credit_debit]));
      const bool credit = mark == "c" || mark == "h" || mark == "credit" || mark == "cr";
      const bool debit = mark == "d" || mark == "s" || mark == "debit" || mark == "dr";
      if (!credit && !debit) {
        return LineError(row.line, "credit or debit \"" + std::string(Trim(row.cells[*credit_debit])) +
                                       "\" is none of C, D, H, S, credit, debit");
      }
      if (line.amount.minor_units < 0) {
        return LineError(row.line, "amount \"" + std::string(Trim(row.cells[amount])) +
                                       "\" is signed although a credit/debit column says which");
      }
      if (debit) line.amount.minor_units = -line.amount.minor_units;
    }
    for (size_t text : texts) {
      std::string_view part = Trim(row.cells[text]);
      if (part.empty()) continue;
      if (!line.text.empty()) line.text += ' ';
      line.text += part;
    }
    if (reference) line.bank_reference = std::string(Trim(row.cells[*reference]));
    if (end_to_end) line.end_to_end_id = std::string(Trim(row.cells[*end_to_end]));
    statement.lines.push_back(std::move(line));
  }
  AssignDedupKeys(statement.account, statement.lines);
  return statement;
}

}  // namespace stripeline::reconcile
