package dev.cirrus.local.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bucket notification configurations, as Terraform and the client libraries create them, and the
 * messages they publish to the Pub/Sub emulator on object finalize, delete and metadata update,
 * with the real attributes and the JSON_API_V1 payload. Publishing is asynchronous and in order, as
 * the service's own notifications are at-least-once and after the write.
 */
public final class Notifications implements AutoCloseable {
  public static final String FINALIZE = "OBJECT_FINALIZE";
  public static final String DELETE = "OBJECT_DELETE";
  public static final String METADATA_UPDATE = "OBJECT_METADATA_UPDATE";
  private static final Pattern TOPIC =
      Pattern.compile("^(?://pubsub\\.googleapis\\.com/)?projects/([^/]+)/topics/([^/]+)$");

  /**
   * One configuration.
   *
   * @param eventTypes empty for every type
   */
  public record Config(
      String id,
      String bucket,
      String project,
      String topic,
      String payloadFormat,
      List<String> eventTypes,
      Map<String, String> customAttributes,
      String objectNamePrefix) {}

  private final Optional<String> pubsubHost;
  private final Map<String, Config> configs = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final ExecutorService publisher = Executors.newSingleThreadExecutor();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param pubsubHost the Pub/Sub emulator; without it configs are kept but nothing is sent
   */
  public Notifications(Optional<String> pubsubHost) {
    this.pubsubHost = pubsubHost;
  }

  public Config create(
      String bucket,
      String topic,
      String payloadFormat,
      List<String> eventTypes,
      Map<String, String> customAttributes,
      String objectNamePrefix) {
    Matcher m = TOPIC.matcher(topic == null ? "" : topic);
    if (!m.matches()) {
      throw StorageError.invalid("Invalid topic: " + topic);
    }
    String format = payloadFormat == null ? "JSON_API_V1" : payloadFormat;
    if (!format.equals("JSON_API_V1") && !format.equals("NONE")) {
      throw StorageError.invalid("Invalid payload_format: " + payloadFormat);
    }
    for (String type : eventTypes) {
      if (!List.of(FINALIZE, DELETE, METADATA_UPDATE, "OBJECT_ARCHIVE").contains(type)) {
        throw StorageError.invalid("Invalid event type: " + type);
      }
    }
    Config config =
        new Config(
            Long.toString(ids.incrementAndGet()),
            bucket,
            m.group(1),
            m.group(2),
            format,
            List.copyOf(eventTypes),
            Map.copyOf(customAttributes),
            objectNamePrefix);
    configs.put(config.id(), config);
    return config;
  }

  public List<Config> list(String bucket) {
    List<Config> result = new ArrayList<>();
    configs.values().stream().filter(c -> c.bucket().equals(bucket)).forEach(result::add);
    result.sort((a, b) -> Long.compare(Long.parseLong(a.id()), Long.parseLong(b.id())));
    return result;
  }

  public Config get(String bucket, String id) {
    Config config = configs.get(id);
    if (config == null || !config.bucket().equals(bucket)) {
      throw StorageError.notFound("Notification configuration not found: " + id);
    }
    return config;
  }

  public void delete(String bucket, String id) {
    get(bucket, id);
    configs.remove(id);
  }

  /** Forgets every configuration of a bucket (when it is deleted). */
  public void dropBucket(String bucket) {
    configs.values().removeIf(c -> c.bucket().equals(bucket));
  }

  /** Called after a change is committed; {@code resource} renders the object resource. */
  public void emit(
      String eventType, ObjectMeta object, Function<ObjectMeta, Map<String, Object>> resource) {
    if (pubsubHost.isEmpty()) {
      return;
    }
    for (Config config : list(object.bucket())) {
      if (!config.eventTypes().isEmpty() && !config.eventTypes().contains(eventType)) {
        continue;
      }
      if (config.objectNamePrefix() != null
          && !object.name().startsWith(config.objectNamePrefix())) {
        continue;
      }
      Map<String, String> attributes = new LinkedHashMap<>(config.customAttributes());
      attributes.put(
          "notificationConfig",
          "projects/_/buckets/" + object.bucket() + "/notificationConfigs/" + config.id());
      attributes.put("eventType", eventType);
      attributes.put("payloadFormat", config.payloadFormat());
      attributes.put("bucketId", object.bucket());
      attributes.put("objectId", object.name());
      attributes.put("objectGeneration", Long.toString(object.generation()));
      attributes.put("eventTime", object.updated().toString());
      String data =
          config.payloadFormat().equals("JSON_API_V1") ? encode(resource.apply(object)) : "";
      publisher.submit(() -> publish(config, data, attributes));
    }
  }

  private String encode(Map<String, Object> resource) {
    try {
      return Base64.getEncoder().encodeToString(json.writeValueAsBytes(resource));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(Config config, String data, Map<String, String> attributes) {
    try {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("data", data);
      message.put("attributes", attributes);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + pubsubHost.get()
                              + "/v1/projects/"
                              + config.project()
                              + "/topics/"
                              + config.topic()
                              + ":publish"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          json.writeValueAsBytes(Map.of("messages", List.of(message)))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.err.println(
            "notification to "
                + config.topic()
                + " failed: "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (IOException e) {
      System.err.println("notification to " + config.topic() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    publisher.shutdown();
  }
}
