// `stripeline integrations webhook-secret`: sets or rotates an integration's webhook signing
// secret. The secret is read from stdin (or a hidden prompt), never taken as an argument; with
// none given, a new one is generated and printed this once.
#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/clock.h"
#include "cli/prompt.h"
#include "sync/views.h"

namespace stripeline::cli {

namespace {

struct WebhookSecretOptions {
  CommonOptions common;
  std::string id;
  int64_t overlap_seconds = -1;  // -1: the default overlap
};

}  // namespace

void AddWebhookCommands(CLI::App& app) {
  CLI::App* integrations = app.get_subcommand("integrations");
  auto options = std::make_shared<WebhookSecretOptions>();
  auto* command = integrations->add_subcommand(
      "webhook-secret",
      "Set the webhook signing secret from stdin (whsec_... from the Stripe Dashboard), or "
      "generate one when none is given; the previous one stays valid for the overlap");
  AddCommonOptions(*command, options->common);
  command->add_option("--id", options->id, "Integration id")->required();
  command->add_option("--overlap-seconds", options->overlap_seconds,
                      "How long the previous secret stays valid (default 86400, at most 604800; "
                      "0 revokes it now)");
  OnRun(command, options->common, [options](Runtime& runtime) -> Status {
    std::optional<std::string> secret =
        ReadSecret("Webhook signing secret (whsec_...; empty to generate one)");
    if (secret && secret->empty()) secret.reset();
    std::optional<std::chrono::seconds> overlap;
    if (options->overlap_seconds >= 0) overlap = std::chrono::seconds(options->overlap_seconds);
    SL_ASSIGN_OR_RETURN(sync::SecretChange change,
                        runtime.webhooks().SetSecret(access::Actor::LocalOperator(), options->id,
                                                     secret, overlap));
    const sync::WebhookConfig& webhook = change.webhook;
    if (options->common.json) {
      PrintJson(sync::SecretChangeJson(change));
      return Status::OK();
    }
    std::cout << change.message << "\n";
    if (change.generated_secret) {
      std::cout << "Signing secret: " << *change.generated_secret
                << "\n  (shown only now: enter it in Stripe for this endpoint)\n";
    } else {
      std::cout << "Signing secret: " << webhook.secret_masked << "\n";
    }
    std::cout << "Endpoint path:  " << webhook.url_path
              << "  (register https://<your host>" << webhook.url_path << " in Stripe)\n";
    if (webhook.previous_expires_at) {
      std::cout << "The previous secret is accepted until " << FormatUnixTime(*webhook.previous_expires_at)
                << "\n";
    }
    return Status::OK();
  });
}

}  // namespace stripeline::cli
