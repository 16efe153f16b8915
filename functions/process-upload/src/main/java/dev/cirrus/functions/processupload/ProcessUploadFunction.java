package dev.cirrus.functions.processupload;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import dev.cirrus.shared.processing.UploadProcessor;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Pub/Sub-triggered function on {@code upload-finalized}: verify, describe, thumbnail, promote,
 * record and announce one finished upload ({@link UploadProcessor}).
 */
public final class ProcessUploadFunction implements CloudEventsFunction {
  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public ProcessUploadFunction() {
    this(Platform.fromEnvironment("process-upload"));
  }

  private ProcessUploadFunction(Platform platform) {
    UploadProcessor processor = processor(platform);
    this.trigger =
        platform.pubSubTrigger(
            "upload-finalized",
            // The upload's trace: the request that created it, since the notification has none.
            message -> processor.traceOf(message.attributes(), message.data()),
            message -> {
              UploadProcessor.Handled handled =
                  processor.handleMessage(message.attributes(), message.data());
              return Outcome.done(handled.outcome()).because(handled.reason());
            });
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  private static UploadProcessor processor(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE));
    return new UploadProcessor(
        new UploadProcessor.Ports(
            platform.adapters().uploads(),
            platform.userCache(),
            platform.adapters().claims(),
            platform.adapters().objectStorage(),
            platform.adapters().eventBus(),
            platform.messages(),
            platform.clock(),
            platform.tracer()),
        new UploadProcessor.Settings(
            platform.config().uploads(),
            platform.config().uploadsBucket(),
            platform.config().filesBucket(),
            "process-upload-" + UUID.randomUUID(),
            Duration.ofSeconds(30)));
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
