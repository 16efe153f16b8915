package dev.cirrus.shared.adapter.gcp;

import com.google.auth.ServiceAccountSigner;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.common.base.Suppliers;
import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.adapter.fcm.FcmPushSender;
import dev.cirrus.shared.adapter.firestore.FirestoreAccountDeletions;
import dev.cirrus.shared.adapter.firestore.FirestoreAccountExports;
import dev.cirrus.shared.adapter.firestore.FirestoreAdminRegistry;
import dev.cirrus.shared.adapter.firestore.FirestoreAuditLog;
import dev.cirrus.shared.adapter.firestore.FirestoreDeadLetterStore;
import dev.cirrus.shared.adapter.firestore.FirestoreDeliveryLog;
import dev.cirrus.shared.adapter.firestore.FirestoreEventClaims;
import dev.cirrus.shared.adapter.firestore.FirestoreFileStore;
import dev.cirrus.shared.adapter.firestore.FirestoreNotificationStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUploadStore;
import dev.cirrus.shared.adapter.firestore.FirestoreUserStore;
import dev.cirrus.shared.adapter.firestore.FirestoreWebhookDeliveries;
import dev.cirrus.shared.adapter.firestore.FirestoreWebhookEndpoints;
import dev.cirrus.shared.adapter.gcs.GcsObjectStorage;
import dev.cirrus.shared.adapter.identity.IdentityToolkitAdmin;
import dev.cirrus.shared.adapter.pubsub.PubSubSubscriptionTopics;
import dev.cirrus.shared.adapter.pubsub.RestPubSubEventBus;
import dev.cirrus.shared.adapter.telemetry.TracedEventBus;
import dev.cirrus.shared.adapter.telemetry.TracedPorts;
import dev.cirrus.shared.adapter.webhooks.PinnedWebhookTransport;
import dev.cirrus.shared.admin.AdminRegistry;
import dev.cirrus.shared.admin.AuditLog;
import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.deadletters.DeadLetterStore;
import dev.cirrus.shared.deadletters.SubscriptionTopics;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.exports.AccountExports;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.notifications.DeliveryLog;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.notifications.PushSender;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.UserStore;
import dev.cirrus.shared.webhooks.WebhookDeliveries;
import dev.cirrus.shared.webhooks.WebhookEndpoints;
import dev.cirrus.shared.webhooks.WebhookTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every port of the domain on Google Cloud, each adapter built once per instance on first use and
 * over the instance's one set of lazily created clients. A composition root asks for the ports it
 * needs and never sees a client, so no function assembles an adapter its own way. Every port's
 * calls are client spans of the work they serve ({@link TracedPorts}).
 */
public final class GcpAdapters {
  private final Supplier<UserStore> users;
  private final Supplier<UploadStore> uploads;
  private final Supplier<FileStore> files;
  private final Supplier<EventClaims> claims;
  private final Supplier<NotificationStore> notifications;
  private final Supplier<DeliveryLog> deliveries;
  private final Supplier<DeadLetterStore> deadLetters;
  private final Supplier<SubscriptionTopics> subscriptionTopics;
  private final Supplier<PushSender> push;
  private final Supplier<ObjectStorage> storage;
  private final Supplier<EventBus> events;
  private final Supplier<IdentityAdmin> identity;
  private final Supplier<AdminRegistry> adminRegistry;
  private final Supplier<AuditLog> auditLog;
  private final Supplier<AccountDeletions> accountDeletions;
  private final Supplier<AccountExports> accountExports;
  private final Supplier<WebhookEndpoints> webhookEndpoints;
  private final Supplier<WebhookDeliveries> webhookDeliveries;
  private final Supplier<WebhookTransport> webhookTransport;

  /** Untraced adapters, for tests and tools that trace nothing. */
  public GcpAdapters(GcpClients clients, CirrusConfig config, JsonCodec json, Clock clock) {
    this(clients, config, json, clock, Tracer.NONE);
  }

  public GcpAdapters(
      GcpClients clients, CirrusConfig config, JsonCodec json, Clock clock, Tracer tracer) {
    this.users =
        traced(
            UserStore.class, FIRESTORE, tracer, () -> new FirestoreUserStore(clients.firestore()));
    this.uploads =
        traced(
            UploadStore.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreUploadStore(clients.firestore()));
    this.files =
        traced(
            FileStore.class, FIRESTORE, tracer, () -> new FirestoreFileStore(clients.firestore()));
    this.claims =
        traced(
            EventClaims.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreEventClaims(clients.firestore()));
    this.notifications =
        traced(
            NotificationStore.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreNotificationStore(clients.firestore()));
    this.deliveries =
        traced(
            DeliveryLog.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreDeliveryLog(clients.firestore()));
    this.deadLetters =
        traced(
            DeadLetterStore.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreDeadLetterStore(clients.firestore()));
    this.adminRegistry =
        traced(
            AdminRegistry.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreAdminRegistry(clients.firestore()));
    this.auditLog =
        traced(AuditLog.class, FIRESTORE, tracer, () -> new FirestoreAuditLog(clients.firestore()));
    this.accountDeletions =
        traced(
            AccountDeletions.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreAccountDeletions(clients.firestore()));
    this.accountExports =
        traced(
            AccountExports.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreAccountExports(clients.firestore()));
    this.webhookEndpoints =
        traced(
            WebhookEndpoints.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreWebhookEndpoints(clients.firestore()));
    this.webhookDeliveries =
        traced(
            WebhookDeliveries.class,
            FIRESTORE,
            tracer,
            () -> new FirestoreWebhookDeliveries(clients.firestore()));
    this.webhookTransport =
        traced(WebhookTransport.class, "webhook", tracer, PinnedWebhookTransport::new);
    this.identity =
        traced(
            IdentityAdmin.class,
            "identity-toolkit",
            tracer,
            () ->
                new IdentityToolkitAdmin(
                    clients.identityToolkitApi(),
                    config.projectId(),
                    clients.http(),
                    clients::identityAccessToken,
                    json.mapper(),
                    clock));
    this.subscriptionTopics =
        traced(
            SubscriptionTopics.class,
            "pubsub",
            tracer,
            () -> new PubSubSubscriptionTopics(clients.subscriptionAdmin()));
    this.push =
        traced(PushSender.class, "fcm", tracer, () -> new FcmPushSender(clients.messaging()));
    this.storage =
        traced(
            ObjectStorage.class,
            "cloud-storage",
            tracer,
            () ->
                new GcsObjectStorage(
                    clients.storage(),
                    config.storageEmulatorHost(),
                    clients.http().get(),
                    json.mapper(),
                    clock,
                    once(() -> signer(config))));
    this.events =
        once(
            () ->
                new TracedEventBus(
                    new RestPubSubEventBus(
                        clients.http(),
                        clients.pubsubApi(),
                        config.projectId(),
                        clients::pubsubAccessToken,
                        json.mapper()),
                    tracer));
  }

  public AccountDeletions accountDeletions() {
    return accountDeletions.get();
  }

  public AccountExports accountExports() {
    return accountExports.get();
  }

  public WebhookEndpoints webhookEndpoints() {
    return webhookEndpoints.get();
  }

  public WebhookDeliveries webhookDeliveries() {
    return webhookDeliveries.get();
  }

  /** Webhooks go out through one client per instance, to checked addresses only. */
  public WebhookTransport webhookTransport() {
    return webhookTransport.get();
  }

  public UserStore users() {
    return users.get();
  }

  public UploadStore uploads() {
    return uploads.get();
  }

  public FileStore files() {
    return files.get();
  }

  /** Idempotency claims in {@code processedEvents}. */
  public EventClaims claims() {
    return claims.get();
  }

  public NotificationStore notifications() {
    return notifications.get();
  }

  public DeliveryLog deliveries() {
    return deliveries.get();
  }

  public DeadLetterStore deadLetters() {
    return deadLetters.get();
  }

  /** Firebase Auth's accounts, as an administrator changes them. */
  public IdentityAdmin identity() {
    return identity.get();
  }

  /** Who holds the admin role, in {@code adminRegistry/admins}. */
  public AdminRegistry adminRegistry() {
    return adminRegistry.get();
  }

  /** Every admin action, in {@code auditLog}. */
  public AuditLog auditLog() {
    return auditLog.get();
  }

  /** Which topic a subscription reads, from Pub/Sub's admin API. */
  public SubscriptionTopics subscriptionTopics() {
    return subscriptionTopics.get();
  }

  /** FCM through the Admin SDK. */
  public PushSender push() {
    return push.get();
  }

  /**
   * Cloud Storage. URLs are signed with the key file from {@code CIRRUS_SIGNING_KEY_FILE} when one
   * is configured, else by the instance's own account.
   */
  public ObjectStorage objectStorage() {
    return storage.get();
  }

  /** Pub/Sub through its REST API. */
  public EventBus eventBus() {
    return events.get();
  }

  private static Optional<ServiceAccountSigner> signer(CirrusConfig config) {
    return config
        .signingKeyFile()
        .map(
            file -> {
              try (InputStream in = Files.newInputStream(Path.of(file))) {
                return (ServiceAccountSigner) ServiceAccountCredentials.fromStream(in);
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
              }
            });
  }

  private static final String FIRESTORE = "firestore";

  private static <T> Supplier<T> traced(
      Class<T> port, String service, Tracer tracer, Supplier<? extends T> make) {
    return once(() -> TracedPorts.of(port, make.get(), service, tracer));
  }

  private static <T> Supplier<T> once(Supplier<T> make) {
    return Suppliers.memoize(make::get);
  }
}
