package dev.cirrus.functions.processupload;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.adapter.firestore.FirestoreEventClaims;
import dev.cirrus.shared.adapter.firestore.FirestoreUploadStore;
import dev.cirrus.shared.events.PubSubEnvelope;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.log.StructuredLogger;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.processing.ProcessingOutcome;
import dev.cirrus.shared.processing.UploadProcessor;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Pub/Sub-triggered function on {@code upload-finalized}. Returning normally acknowledges the
 * message; throwing asks Pub/Sub to redeliver it, which only transient failures do.
 */
public final class ProcessUploadFunction implements CloudEventsFunction {
  private final UploadProcessor processor;
  private final JsonCodec json;
  private final StructuredLogger log;
  private final Clock clock;

  /** Used by the Functions Framework: production wiring from the environment. */
  public ProcessUploadFunction() {
    this(Platform.fromEnvironment("process-upload"));
  }

  private ProcessUploadFunction(Platform platform) {
    this(processor(platform), platform.json(), platform.log(), platform.clock());
  }

  /** Built from the processor and what it logs with, so a test needs no Google client. */
  ProcessUploadFunction(
      UploadProcessor processor, JsonCodec json, StructuredLogger log, Clock clock) {
    this.processor = processor;
    this.json = json;
    this.log = log;
    this.clock = clock;
  }

  /** The composition root: Firestore, Cloud Storage and Pub/Sub adapters. */
  private static UploadProcessor processor(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE, WarmUp.STORAGE));
    return new UploadProcessor(
        new UploadProcessor.Ports(
            new FirestoreUploadStore(platform.clients().firestore()),
            new FirestoreEventClaims(platform.clients().firestore()),
            platform.objectStorage(),
            platform.eventBus(),
            platform.json(),
            platform.clock()),
        new UploadProcessor.Settings(
            platform.config().uploads(),
            platform.config().uploadsBucket(),
            platform.config().filesBucket(),
            "process-upload-" + UUID.randomUUID(),
            Duration.ofSeconds(30)));
  }

  @Override
  public void accept(CloudEvent event) {
    StructuredLogger.Context context =
        new StructuredLogger.Context(event.getId(), Optional.empty());
    Optional<PubSubEnvelope> envelope =
        PubSubEnvelope.decode(
            json.mapper(), event.getData() == null ? new byte[0] : event.getData().toBytes());
    if (envelope.isEmpty()) {
      log.warn(context, "dropping a message that is not a Pub/Sub push envelope");
      return;
    }
    StructuredLogger.Context traced =
        new StructuredLogger.Context(event.getId(), envelope.get().trace());
    Instant started = clock.instant();
    ProcessingOutcome outcome =
        processor.handle(envelope.get().attributes(), envelope.get().data());
    Instant finished = clock.instant();
    // How long the work took, and how long the message waited before it: the two halves of
    // an upload's latency that the logs can tell apart.
    String waited =
        event.getTime() == null
            ? ""
            : ", waited "
                + Duration.between(event.getTime().toInstant(), started).toMillis()
                + " ms";
    log.info(
        traced,
        "upload-finalized "
            + envelope.get().messageId()
            + ": "
            + outcome
            + " in "
            + Duration.between(started, finished).toMillis()
            + " ms"
            + waited);
  }
}
