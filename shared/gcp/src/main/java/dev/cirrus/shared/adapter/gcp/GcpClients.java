package dev.cirrus.shared.adapter.gcp;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.common.base.Suppliers;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import dev.cirrus.shared.config.CirrusConfig;
import dev.cirrus.shared.config.FirestoreTransport;
import dev.cirrus.shared.error.Unavailable;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Google clients of one function instance, each created on first use and then reused: a cold
 * start pays only for the clients its first request needs, and nothing slow runs when the class
 * loads. Emulator hosts come from {@link CirrusConfig}, never from ambient variables the libraries
 * would otherwise read on their own (the Pub/Sub and Storage clients ignore them).
 */
public final class GcpClients implements AutoCloseable {
  private static final String FCM_HOST = "fcm.googleapis.com";
  private static final String PUBSUB_SCOPE = "https://www.googleapis.com/auth/pubsub";
  private static final URI PUBSUB_API = URI.create("https://pubsub.googleapis.com");
  private static final String CLOUD_PLATFORM_SCOPE =
      "https://www.googleapis.com/auth/cloud-platform";
  private static final String TRACE_SCOPE = "https://www.googleapis.com/auth/trace.append";
  private static final URI IDENTITY_TOOLKIT_API =
      URI.create("https://identitytoolkit.googleapis.com");

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

  private final Supplier<SubscriptionAdminClient> subscriptionAdmin;
  private volatile SubscriptionAdminClient openedSubscriptionAdmin;
  private final Supplier<HttpClient> http;
  private final Supplier<GoogleCredentials> pubsubCredentials;
  private final Supplier<GoogleCredentials> identityCredentials;
  private final Supplier<GoogleCredentials> traceCredentials;

  public GcpClients(CirrusConfig config) {
    this.config = config;
    this.firestore = Suppliers.memoize(this::createFirestore);
    this.storage = Suppliers.memoize(this::createStorage);
    this.firebase = Suppliers.memoize(this::createFirebase);
    this.messaging = Suppliers.memoize(() -> FirebaseMessaging.getInstance(firebase.get()));
    this.pubsubEmulatorChannel = Suppliers.memoize(this::createPubSubChannel);
    this.subscriptionAdmin = Suppliers.memoize(this::createSubscriptionAdmin);
    this.http =
        Suppliers.memoize(
            () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    this.pubsubCredentials =
        Suppliers.memoize(() -> applicationDefault().createScoped(PUBSUB_SCOPE));
    this.identityCredentials =
        Suppliers.memoize(() -> applicationDefault().createScoped(CLOUD_PLATFORM_SCOPE));
    this.traceCredentials = Suppliers.memoize(() -> applicationDefault().createScoped(TRACE_SCOPE));
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

  /**
   * The instance's one JDK HTTP client, created on first use (it initialises TLS, ~0.4 s of a cold
   * start), for the REST APIs called without a client library.
   */
  public Supplier<HttpClient> http() {
    return http;
  }

  /** Where Pub/Sub's REST API is: the service, or the emulator's address. */
  public URI pubsubApi() {
    return config.pubsubEmulatorHost().map(host -> URI.create("http://" + host)).orElse(PUBSUB_API);
  }

  /** A current OAuth token for Pub/Sub's REST API; none for the emulator, which takes none. */
  public Optional<String> pubsubAccessToken() {
    if (config.pubsubEmulatorHost().isPresent()) {
      return Optional.empty();
    }
    GoogleCredentials credentials = pubsubCredentials.get();
    try {
      credentials.refreshIfExpired();
    } catch (IOException e) {
      throw new Unavailable("cannot get a token for Pub/Sub", e);
    }
    return Optional.of(credentials.getAccessToken().getTokenValue());
  }

  /** Where Identity Toolkit's REST API is: the service, or the Auth emulator's address. */
  public URI identityToolkitApi() {
    return config
        .authEmulatorHost()
        .map(host -> URI.create("http://" + host + "/identitytoolkit.googleapis.com"))
        .orElse(IDENTITY_TOOLKIT_API);
  }

  /** A current OAuth token for Identity Toolkit's admin calls; the emulator's {@code owner}. */
  public String identityAccessToken() {
    if (config.usesAuthEmulator()) {
      return "owner";
    }
    GoogleCredentials credentials = identityCredentials.get();
    try {
      credentials.refreshIfExpired();
    } catch (IOException e) {
      throw new Unavailable("cannot get a token for Firebase Auth", e);
    }
    return credentials.getAccessToken().getTokenValue();
  }

  /** A current OAuth token for Cloud Trace's OTLP endpoint (scope {@code trace.append}). */
  public String traceAccessToken() {
    GoogleCredentials credentials = traceCredentials.get();
    try {
      credentials.refreshIfExpired();
    } catch (IOException e) {
      throw new Unavailable("cannot get a token for Cloud Trace", e);
    }
    return credentials.getAccessToken().getTokenValue();
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
    // The storage-testbench's way to aim faults at one client's calls (the chaos run's).
    config
        .storageRetryTestId()
        .ifPresent(
            id -> builder.setHeaderProvider(FixedHeaderProvider.create("x-retry-test-id", id)));
    return builder.build().getService();
  }

  private FirebaseApp createFirebase() {
    GoogleCredentials credentials;
    if (config.usesAuthEmulator() || config.fcmEmulatorHost().isPresent()) {
      // Only in demo projects (CirrusConfig refuses emulators elsewhere): no real credentials.
      credentials = emulatorCredentials();
    } else {
      credentials = applicationDefault();
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

  private SubscriptionAdminClient createSubscriptionAdmin() {
    try {
      SubscriptionAdminSettings.Builder settings = SubscriptionAdminSettings.newBuilder();
      if (config.pubsubEmulatorHost().isPresent()) {
        settings
            .setTransportChannelProvider(pubsubEmulatorChannel.get())
            .setCredentialsProvider(NoCredentialsProvider.create());
      }
      openedSubscriptionAdmin = SubscriptionAdminClient.create(settings.build());
      return openedSubscriptionAdmin;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the subscription admin client", e);
    }
  }

  private static GoogleCredentials applicationDefault() {
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new UncheckedIOException("no application default credentials", e);
    }
  }

  private static GoogleCredentials emulatorCredentials() {
    // The emulators accept "Bearer owner" as an administrator that bypasses security rules.
    return GoogleCredentials.create(new AccessToken("owner", null));
  }

  /** Closes the subscription admin client's channel if it was opened; nothing else holds one. */
  @Override
  public void close() {
    SubscriptionAdminClient admin = openedSubscriptionAdmin;
    if (admin != null) {
      admin.close();
    }
  }
}
