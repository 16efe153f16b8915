package dev.cirrus.functions.accountexport;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.MessageCodec.ExportStep;
import dev.cirrus.shared.exports.AccountExportService;
import dev.cirrus.shared.exports.ExportBuilder;
import dev.cirrus.shared.json.JsonExportFormat;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import io.cloudevents.CloudEvent;
import java.util.Set;

/**
 * Pub/Sub-triggered function on {@code account-exports}: one bounded step of a user's data export
 * per message ({@link ExportBuilder}); while there is more, it publishes the next message itself. A
 * failed step is retried by Pub/Sub; the sweeper re-drives a job whose messages stopped.
 */
public final class AccountExportFunction implements CloudEventsFunction {
  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public AccountExportFunction() {
    this(Platform.fromEnvironment("account-export"));
  }

  private AccountExportFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE));
    ExportBuilder builder = builder(platform);
    AccountExportService exports = platform.accountExports();
    MessageCodec messages = platform.messages();
    this.trigger =
        platform.pubSubTrigger(
            "account-exports",
            message -> {
              ExportStep step;
              try {
                step = messages.readAccountExport(message.data());
                new Uid(step.uid());
              } catch (MalformedEvent | IllegalArgumentException e) {
                return Outcome.warn("not an account export: " + e.getMessage());
              }
              String which = "export " + step.exportId() + " of " + step.uid();
              if (!builder.step(step.uid(), step.exportId())) {
                return Outcome.done(which + ": nothing more to do");
              }
              exports.kick(step.uid(), step.exportId());
              return Outcome.done(which + ": step taken, next one queued");
            });
  }

  /** The composition root: Firestore and Cloud Storage adapters. */
  private static ExportBuilder builder(Platform platform) {
    return new ExportBuilder(
        new ExportBuilder.Ports(
            platform.adapters().accountExports(),
            platform.adapters().files(),
            platform.adapters().notifications(),
            platform.adapters().users(),
            platform.adapters().objectStorage(),
            new JsonExportFormat(platform.json()),
            platform.clock()),
        ExportBuilder.Settings.defaults(platform.config().filesBucket()));
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
