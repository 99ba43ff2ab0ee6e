#include "reconcile/statement.h"

#include <map>

#include "common/secrets.h"
#include "common/text.h"

namespace stripeline::reconcile {

std::string NormalizeAccount(std::string_view account) {
  std::string normalized = ToUpper(Trim(account));
  std::erase(normalized, ' ');
  return normalized;
}

void AssignDedupKeys(std::string_view account, std::vector<StatementLine>& lines) {
  std::map<std::string, int> occurrences;
  for (StatementLine& line : lines) {
    if (!line.bank_reference.empty()) {
      line.dedup_key = "ref:" + std::string(account) + ":" + line.bank_reference;
      continue;
    }
    std::string identity = FormatDate(line.booking_date) + "\n" +
                           std::to_string(line.amount.minor_units) + "\n" + line.amount.currency +
                           "\n" + line.text;
    const int occurrence = occurrences[identity]++;
    line.dedup_key = "hash:" + std::string(account) + ":" +
                     Sha256Hex(identity + "\n" + std::to_string(occurrence)).substr(0, 32);
  }
}

}  // namespace stripeline::reconcile
