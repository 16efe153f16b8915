package dev.cirrus.shared.adapter.gcp;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.common.base.Suppliers;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.pubsub.v1.TopicName;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.config.FirestoreTransport;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Google clients of one function instance, each created on first use and then reused: a cold
 * start pays only for the clients its first request needs, and nothing slow runs when the class
 * loads. Emulator hosts come from {@link CirrusConfig}, never from ambient variables the libraries
 * would otherwise read on their own (the Pub/Sub and Storage clients ignore them).
 */
public final class GcpClients implements AutoCloseable {
  private static final String FCM_HOST = "fcm.googleapis.com";

  private final CirrusConfig config;
  private final Supplier<Firestore> firestore;
  private final Supplier<Storage> storage;
  private final Supplier<FirebaseApp> firebase;
  private final Supplier<FirebaseMessaging> messaging;

  /**
   * The Pub/Sub emulator's channel, typed as gax's provider so that nothing gRPC is loaded until a
   * publisher is made: an HTTP function on REST Firestore never loads it.
   */
  private final Supplier<TransportChannelProvider> pubsubEmulatorChannel;

  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();
  private final Supplier<SubscriptionAdminClient> subscriptionAdmin;

  public GcpClients(CirrusConfig config) {
    this.config = config;
    this.firestore = Suppliers.memoize(this::createFirestore);
    this.storage = Suppliers.memoize(this::createStorage);
    this.firebase = Suppliers.memoize(this::createFirebase);
    this.messaging = Suppliers.memoize(() -> FirebaseMessaging.getInstance(firebase.get()));
    this.pubsubEmulatorChannel = Suppliers.memoize(this::createPubSubChannel);
    this.subscriptionAdmin = Suppliers.memoize(this::createSubscriptionAdmin);
  }

  public Supplier<Firestore> firestore() {
    return firestore;
  }

  public Supplier<Storage> storage() {
    return storage;
  }

  public Supplier<FirebaseApp> firebase() {
    return firebase;
  }

  /** FCM through the Admin SDK, on the same app as Auth. */
  public Supplier<FirebaseMessaging> messaging() {
    return messaging;
  }

  /** Reads subscriptions (the dead-letters function asks which topic one reads). */
  public Supplier<SubscriptionAdminClient> subscriptionAdmin() {
    return subscriptionAdmin;
  }

  /** One publisher per topic, batching tuned for small event messages. */
  public Publisher publisher(String topicId) {
    return publishers.computeIfAbsent(topicId, this::createPublisher);
  }

  private Firestore createFirestore() {
    FirestoreOptions.Builder builder =
        FirestoreOptions.newBuilder().setProjectId(config.projectId());
    config.firestoreEmulatorHost().ifPresent(builder::setEmulatorHost);
    if (config.firestoreTransport() == FirestoreTransport.REST) {
      builder.setServiceRpcFactory(options -> RestFirestoreRpc.create((FirestoreOptions) options));
    }
    return builder.build().getService();
  }

  private Storage createStorage() {
    StorageOptions.Builder builder = StorageOptions.newBuilder().setProjectId(config.projectId());
    config
        .storageEmulatorHost()
        .ifPresent(host -> builder.setHost(host).setCredentials(NoCredentials.getInstance()));
    return builder.build().getService();
  }

  private FirebaseApp createFirebase() {
    GoogleCredentials credentials;
    if (config.usesAuthEmulator() || config.fcmEmulatorHost().isPresent()) {
      // Only in demo projects (CirrusConfig refuses emulators elsewhere): no real credentials.
      credentials = emulatorCredentials();
    } else {
      try {
        credentials = GoogleCredentials.getApplicationDefault();
      } catch (IOException e) {
        throw new UncheckedIOException("no application default credentials", e);
      }
    }
    FirebaseOptions.Builder options =
        FirebaseOptions.builder().setProjectId(config.projectId()).setCredentials(credentials);
    config.fcmEmulatorHost().ifPresent(host -> options.setHttpTransport(fcmRedirect(host)));
    // A named app: the default one is global state other code may also claim.
    return FirebaseApp.initializeApp(
        options.build(), "cirrus-" + config.functionName() + "-" + hashCode());
  }

  /**
   * The Admin SDK's own HTTP transport, with requests for FCM sent to {@code host} instead: the SDK
   * builds, sends and parses every message as in production, and only the address differs. Every
   * other host (the Auth emulator) is reached as addressed.
   */
  private static NetHttpTransport fcmRedirect(String host) {
    URI fake = URI.create("http://" + host);
    return new NetHttpTransport.Builder()
        .setConnectionFactory(
            url -> {
              URL target =
                  FCM_HOST.equals(url.getHost())
                      ? new URL("http", fake.getHost(), fake.getPort(), url.getFile())
                      : url;
              return (HttpURLConnection) target.openConnection();
            })
        .build();
  }

  private TransportChannelProvider createPubSubChannel() {
    return FixedTransportChannelProvider.create(
        GrpcTransportChannel.create(
            ManagedChannelBuilder.forTarget(config.pubsubEmulatorHost().orElseThrow())
                .usePlaintext()
                .build()));
  }

  private Publisher createPublisher(String topicId) {
    try {
      Publisher.Builder builder =
          Publisher.newBuilder(TopicName.of(config.projectId(), topicId))
              .setEnableMessageOrdering(false);
      if (config.pubsubEmulatorHost().isPresent()) {
        builder
            .setChannelProvider(pubsubEmulatorChannel.get())
            .setCredentialsProvider(NoCredentialsProvider.create());
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create publisher for " + topicId, e);
    }
  }

  private SubscriptionAdminClient createSubscriptionAdmin() {
    try {
      SubscriptionAdminSettings.Builder settings = SubscriptionAdminSettings.newBuilder();
      if (config.pubsubEmulatorHost().isPresent()) {
        settings
            .setTransportChannelProvider(pubsubEmulatorChannel.get())
            .setCredentialsProvider(NoCredentialsProvider.create());
      }
      return SubscriptionAdminClient.create(settings.build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the subscription admin client", e);
    }
  }

  private static GoogleCredentials emulatorCredentials() {
    // The emulators accept "Bearer owner" as an administrator that bypasses security rules.
    return GoogleCredentials.create(new AccessToken("owner", null));
  }

  /** Flushes and stops the publishers; the other clients die with the instance. */
  @Override
  public void close() {
    try {
      for (Publisher publisher : publishers.values()) {
        publisher.shutdown();
        publisher.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
