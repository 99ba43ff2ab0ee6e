// README's configuration table against the CLI's own definitions: every option of `serve` and
// `demo` (as `--help` prints it) has a row with the same environment variable and default, and
// every row names an option they have. The table is written by hand for its explanations; this
// keeps its facts from drifting.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

struct OptionFacts {
  std::string env;           // "" when there is none
  std::string default_text;  // "" when --help shows none
};

// The options of `stripeline <command> --help`: CLI11 prints each as
// "  --name TYPE=DEFAULT (Env:VAR)" (=DEFAULT and (Env:..) when there are), then, two spaces or
// a line further, its description.
std::map<std::string, OptionFacts> HelpOptions(const std::string& command) {
  CommandResult help = RunCli({command, "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  static const std::regex kEnv(R"( \(Env:(\w+)\))");
  static const std::regex kDefault(R"(=(\S+))");
  std::map<std::string, OptionFacts> options;
  std::istringstream lines(help.out);
  for (std::string line; std::getline(lines, line);) {
    size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || line.compare(start, 2, "--") != 0) continue;
    std::string head = line.substr(start, line.find("  ", start) - start);
    OptionFacts facts;
    std::smatch match;
    if (std::regex_search(head, match, kEnv)) {
      facts.env = match[1];
      head = match.prefix();
    }
    if (std::regex_search(head, match, kDefault)) facts.default_text = match[1];
    options[head.substr(0, head.find(' '))] = facts;
  }
  EXPECT_FALSE(options.empty()) << help.out;
  return options;
}

struct Row {
  std::string env;           // the first `VAR` of the environment cell, or ""
  std::string default_text;  // the default cell without backticks
};

// The rows of README's "Configuration reference" table that name a flag.
std::map<std::string, Row> ReadmeRows() {
  std::ifstream file(std::string(STRIPELINE_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << file.rdbuf();
  std::string readme = text.str();
  size_t section = readme.find("## Configuration reference");
  EXPECT_NE(section, std::string::npos);
  std::istringstream lines(readme.substr(section));
  std::map<std::string, Row> rows;
  static const std::regex kFirstCode("`([^`]+)`");
  auto first_code = [](const std::string& cell) {
    std::smatch match;
    return std::regex_search(cell, match, kFirstCode) ? match[1].str() : std::string();
  };
  std::string line;
  std::getline(lines, line);  // the heading
  for (; std::getline(lines, line);) {
    if (line.starts_with("## ")) break;
    if (!line.starts_with("| `--")) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    if (cells.size() < 3) continue;
    std::string default_text = std::regex_replace(cells[2], std::regex("[` ]"), "");
    rows[first_code(cells[0])] = Row{first_code(cells[1]), default_text};
  }
  EXPECT_FALSE(rows.empty());
  return rows;
}

TEST(ConfigurationReference, EveryServeAndDemoOptionHasItsRowWithTheSameEnvAndDefault) {
  // Not configuration: help itself, and the output format every command shares.
  const std::set<std::string> kNotInTable = {"--help", "--json"};
  std::map<std::string, Row> rows = ReadmeRows();
  for (const std::string command : {"serve", "demo"}) {
    for (const auto& [name, facts] : HelpOptions(command)) {
      if (kNotInTable.contains(name)) continue;
      auto row = rows.find(name);
      if (row == rows.end()) {
        ADD_FAILURE() << command << " " << name << " has no row in README's configuration table";
        continue;
      }
      EXPECT_EQ(row->second.env, facts.env) << command << " " << name << ": environment variable";
      if (!facts.default_text.empty()) {
        EXPECT_EQ(row->second.default_text, facts.default_text) << command << " " << name
                                                                << ": default";
      }
    }
  }
}

TEST(ConfigurationReference, EveryRowNamesAnOptionOfServeOrDemo) {
  std::map<std::string, OptionFacts> serve = HelpOptions("serve");
  std::map<std::string, OptionFacts> demo = HelpOptions("demo");
  for (const auto& [name, row] : ReadmeRows()) {
    EXPECT_TRUE(serve.contains(name) || demo.contains(name))
        << "README's configuration table has " << name << ", which neither serve nor demo takes";
  }
}

}  // namespace
}  // namespace stripeline::testing
