// `stripeline clients ...`: an agency's clients and who may work on them.
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/clock.h"
#include "integrations/views.h"

namespace stripeline::cli {

void AddClientCommands(CLI::App& app) {
  auto* clients = app.add_subcommand("clients", "Manage clients and their members");
  clients->require_subcommand(1);
  struct Options {
    CommonOptions common;
    std::string id, name, user;
  };
  auto options = std::make_shared<Options>();
  const auto actor = access::Actor::LocalOperator();

  auto* add = clients->add_subcommand("add", "Add a client");
  AddCommonOptions(*add, options->common);
  add->add_option("--name", options->name, "Client name")->required();
  OnRun(add, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto client, runtime.clients().Create(actor, options->name));
    if (options->common.json) {
      PrintJson(boost::json::object{{"client", integrations::ClientJson(client)},
                                    {"message", "Client added"}});
    } else {
      std::cout << "Client added: " << client.name << " (" << client.id << ")\n";
    }
    return Status::OK();
  });

  auto* list = clients->add_subcommand("list", "List clients");
  AddCommonOptions(*list, options->common);
  OnRun(list, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto all, runtime.clients().List(actor));
    if (options->common.json) {
      boost::json::array data;
      for (const auto& client : all) data.push_back(integrations::ClientJson(client));
      PrintJsonList(std::move(data));
      return Status::OK();
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& client : all) rows.push_back({client.id, client.name, FormatUnixTime(client.created_at)});
    PrintTable({"ID", "NAME", "CREATED"}, rows);
    return Status::OK();
  });

  auto* rename = clients->add_subcommand("rename", "Rename a client");
  AddCommonOptions(*rename, options->common);
  rename->add_option("id", options->id, "Client id")->required();
  rename->add_option("--name", options->name, "New name")->required();
  OnRun(rename, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_ASSIGN_OR_RETURN(auto client, runtime.clients().Rename(actor, options->id, options->name));
    if (options->common.json) {
      PrintJson(boost::json::object{{"client", integrations::ClientJson(client)},
                                    {"message", "Client updated"}});
    } else {
      std::cout << "Client updated: " << client.name << "\n";
    }
    return Status::OK();
  });

  auto* remove = clients->add_subcommand("delete", "Delete a client without integrations");
  AddCommonOptions(*remove, options->common);
  remove->add_option("id", options->id, "Client id")->required();
  OnRun(remove, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_RETURN_IF_ERROR(runtime.clients().Delete(actor, options->id));
    if (options->common.json) {
      PrintJson(boost::json::object{{"message", "Client deleted"}, {"id", options->id}});
    } else {
      std::cout << "Client deleted\n";
    }
    return Status::OK();
  });

  auto* grant = clients->add_subcommand("grant", "Give a member or viewer access to a client");
  AddCommonOptions(*grant, options->common);
  grant->add_option("id", options->id, "Client id")->required();
  grant->add_option("--user", options->user, "The user's email")->required();
  OnRun(grant, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_RETURN_IF_ERROR(runtime.clients().AddMember(actor, options->id, options->user));
    PrintMessage(options->common.json, "Access granted");
    return Status::OK();
  });

  auto* revoke = clients->add_subcommand("revoke", "Take away a user's access to a client");
  AddCommonOptions(*revoke, options->common);
  revoke->add_option("id", options->id, "Client id")->required();
  revoke->add_option("--user", options->user, "The user's email")->required();
  OnRun(revoke, options->common, [options, actor](Runtime& runtime) -> Status {
    SL_RETURN_IF_ERROR(runtime.clients().RemoveMember(actor, options->id, options->user));
    PrintMessage(options->common.json, "Access removed");
    return Status::OK();
  });
}

}  // namespace stripeline::cli
