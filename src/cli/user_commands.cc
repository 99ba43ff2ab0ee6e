// `stripeline users ...` and `stripeline tokens ...`, run by the operator of the data directory.
#include <iostream>

#include "access/views.h"
#include "cli/cli.h"
#include "cli/output.h"
#include "common/clock.h"
#include "cli/prompt.h"

namespace stripeline::cli {

namespace {

Result<std::string> ReadPassword() {
  auto password = ReadSecret("Password");
  if (!password || password->empty()) {
    return Status::InvalidArgument("No password given: type it at the prompt or pipe it on stdin.",
                                   "missing_password");
  }
  return *password;
}

Result<store::Role> RoleFrom(const std::string& text) {
  auto role = store::ParseRole(text);
  if (!role) return Status::InvalidArgument("Role must be admin, member or viewer.", "invalid_role");
  return *role;
}

}  // namespace

void AddUserCommands(CLI::App& app) {
  auto* users = app.add_subcommand("users", "Manage users (password read from stdin or a prompt)");
  users->require_subcommand(1);
  auto operator_actor = access::Actor::LocalOperator();

  struct UserOptions {
    CommonOptions common;
    std::string email, role = "member";
    bool disable = false, enable = false;
  };
  auto options = std::make_shared<UserOptions>();

  auto* add = users->add_subcommand("add", "Add a user");
  AddCommonOptions(*add, options->common);
  add->add_option("--email", options->email, "Email address (the login)")->required();
  add->add_option("--role", options->role, "admin, member or viewer")->capture_default_str();
  OnRun(add, options->common, [options, operator_actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(store::Role role, RoleFrom(options->role));
    SL_ASSIGN_OR_RETURN(std::string password, ReadPassword());
    SL_ASSIGN_OR_RETURN(auto user,
                        runtime.users().CreateUser(operator_actor, options->email, role, password));
    if (options->common.json) {
      PrintJson(
          boost::json::object{{"user", access::UserJson(user)}, {"message", "User added"}});
    } else {
      std::cout << "User added: " << user.email << " (" << store::RoleName(user.role) << ")\n";
    }
    return Status::OK();
  });

  auto* list = users->add_subcommand("list", "List users");
  AddCommonOptions(*list, options->common);
  OnRun(list, options->common, [options, operator_actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto all, runtime.users().ListUsers(operator_actor));
    if (options->common.json) {
      boost::json::array data;
      for (const auto& user : all) data.push_back(access::UserJson(user));
      PrintJsonList(std::move(data));
      return Status::OK();
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& user : all) {
      rows.push_back({user.id, user.email, std::string(store::RoleName(user.role)),
                      user.disabled ? "disabled" : "active", FormatUnixTime(user.created_at)});
    }
    PrintTable({"ID", "EMAIL", "ROLE", "STATUS", "CREATED"}, rows);
    return Status::OK();
  });

  auto* set_password = users->add_subcommand("set-password", "Set a user's password");
  AddCommonOptions(*set_password, options->common);
  set_password->add_option("--email", options->email, "The user's email")->required();
  OnRun(set_password, options->common, [options, operator_actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(std::string password, ReadPassword());
    SL_ASSIGN_OR_RETURN(auto user,
                        runtime.users().SetPassword(operator_actor, options->email, password));
    PrintMessage(options->common.json,
                 "Password changed for " + user.email + "; their sessions were signed out.");
    return Status::OK();
  });

  auto* update = users->add_subcommand("update", "Change a user's role, or disable/enable them");
  AddCommonOptions(*update, options->common);
  update->add_option("--email", options->email, "The user's email")->required();
  update->add_option("--role", options->role, "admin, member or viewer");
  update->add_flag("--disable", options->disable, "Disable the account");
  update->add_flag("--enable", options->enable, "Enable the account");
  OnRun(update, options->common, [options, operator_actor, update](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto user, runtime.users().UserByEmail(operator_actor, options->email));
    std::optional<store::Role> role;
    if (update->count("--role") > 0) {
      SL_ASSIGN_OR_RETURN(role, RoleFrom(options->role));
    }
    std::optional<bool> disabled;
    if (options->disable) disabled = true;
    if (options->enable) disabled = false;
    SL_ASSIGN_OR_RETURN(user, runtime.users().UpdateUser(operator_actor, user.id, role, disabled));
    if (options->common.json) {
      PrintJson(
          boost::json::object{{"user", access::UserJson(user)}, {"message", "User updated"}});
      return Status::OK();
    }
    std::cout << "User updated: " << user.email << " (" << store::RoleName(user.role) << ", "
              << (user.disabled ? "disabled" : "active") << ")\n";
    return Status::OK();
  });

  auto* tokens = app.add_subcommand("tokens", "Manage API tokens for programs");
  tokens->require_subcommand(1);
  struct TokenOptions {
    CommonOptions common;
    std::string user, name, id;
  };
  auto token_options = std::make_shared<TokenOptions>();

  auto* create = tokens->add_subcommand("create", "Create a token; prints it alone on stdout, once");
  AddCommonOptions(*create, token_options->common);
  create->add_option("--user", token_options->user, "Email of the user the token acts as")->required();
  create->add_option("--name", token_options->name, "What the token is for");
  OnRun(create, token_options->common, [token_options, operator_actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto issued, runtime.users().CreateToken(operator_actor, token_options->user,
                                                                 token_options->name));
    if (token_options->common.json) {
      PrintJson(boost::json::object{
          {"token", issued.token},
          {"api_token", access::ApiTokenJson(issued.record)},
          {"message", "Token created. Copy it now: it is not shown again."}});
    } else {
      std::cout << issued.token << std::endl;
    }
    return Status::OK();
  });

  auto* list_tokens = tokens->add_subcommand("list", "List a user's tokens (never the token itself)");
  AddCommonOptions(*list_tokens, token_options->common);
  list_tokens->add_option("--user", token_options->user, "The user's email")->required();
  OnRun(list_tokens, token_options->common, [token_options, operator_actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto user,
                        runtime.users().UserByEmail(operator_actor, token_options->user));
    SL_ASSIGN_OR_RETURN(auto all, runtime.users().ListTokens(operator_actor, user.id));
    if (token_options->common.json) {
      boost::json::array data;
      for (const auto& token : all) data.push_back(access::ApiTokenJson(token));
      PrintJsonList(std::move(data));
      return Status::OK();
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& token : all) {
      rows.push_back({token.id, token.name, token.token_prefix + "...",
                      token.revoked ? "revoked" : "active", FormatUnixTime(token.created_at),
                      FormatUnixTime(token.last_used_at.value_or(0))});
    }
    PrintTable({"ID", "NAME", "TOKEN", "STATUS", "CREATED", "LAST USED"}, rows);
    return Status::OK();
  });

  auto* revoke = tokens->add_subcommand("revoke", "Revoke a token");
  AddCommonOptions(*revoke, token_options->common);
  revoke->add_option("id", token_options->id, "Token id (tok_...)")->required();
  OnRun(revoke, token_options->common, [token_options, operator_actor](Runtime& runtime) -> Status {
    SL_RETURN_IF_ERROR(runtime.users().RevokeToken(operator_actor, token_options->id));
    PrintMessage(token_options->common.json, "Token revoked");
    return Status::OK();
  });
}

}  // namespace stripeline::cli
