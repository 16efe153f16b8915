package dev.cirrus.local.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Fault injection compatible with Google's storage-testbench: a retry test holds, per API method
 * (such as {@code storage.objects.insert}), a queue of instructions that requests carrying its
 * {@code x-retry-test-id} consume one by one.
 */
public final class RetryTests {
  private static final Pattern INSTRUCTION =
      Pattern.compile(
          "^(return-\\d{3}|return-reset-connection|return-broken-stream"
              + "|return-broken-stream-after-\\d+K|return-\\d{3}-after-\\d+K"
              + "|return-broken-stream-final-chunk-after-\\d+B)$");

  /** One retry test as the control API shows it. */
  public static final class RetryTest {
    private final String id;
    private final String transport;
    private final Map<String, Deque<String>> instructions;

    RetryTest(String id, String transport, Map<String, Deque<String>> instructions) {
      this.id = id;
      this.transport = transport;
      this.instructions = instructions;
    }

    public synchronized Map<String, Object> view() {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("id", id);
      Map<String, List<String>> left = new LinkedHashMap<>();
      instructions.forEach((method, queue) -> left.put(method, new ArrayList<>(queue)));
      view.put("instructions", left);
      view.put("completed", instructions.values().stream().allMatch(Deque::isEmpty));
      view.put("transport", transport);
      return view;
    }

    synchronized Optional<String> next(String method) {
      Deque<String> queue = instructions.get(method);
      return queue == null ? Optional.empty() : Optional.ofNullable(queue.pollFirst());
    }
  }

  private final Map<String, RetryTest> tests = new ConcurrentHashMap<>();

  /**
   * @throws StorageError 400 for an unknown instruction
   */
  public RetryTest create(Map<String, List<String>> instructions, String transport) {
    return create(instructions, transport, Optional.empty());
  }

  /**
   * A retry test with the id the caller chose (our extension of the testbench's API): a client
   * configured before the test exists, such as a function host started with the header's value, can
   * then be aimed at.
   *
   * @throws StorageError 400 for an unknown instruction or a bad id, 409 for an id in use
   */
  public RetryTest create(
      Map<String, List<String>> instructions, String transport, Optional<String> chosenId) {
    if (chosenId.isPresent() && !chosenId.get().matches("[A-Za-z0-9_-]{1,64}")) {
      throw StorageError.invalid("a retry test id is 1 to 64 letters, digits, '-' or '_'");
    }
    Map<String, Deque<String>> queues = new LinkedHashMap<>();
    instructions.forEach(
        (method, list) -> {
          for (String instruction : list) {
            if (!INSTRUCTION.matcher(instruction).matches()) {
              throw StorageError.invalid("Unknown instruction: " + instruction);
            }
          }
          queues.put(method, new ArrayDeque<>(list));
        });
    String id = chosenId.orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
    RetryTest test = new RetryTest(id, transport, queues);
    if (tests.putIfAbsent(id, test) != null) {
      throw StorageError.conflict("retry test " + id + " exists");
    }
    return test;
  }

  public Optional<RetryTest> get(String id) {
    return Optional.ofNullable(tests.get(id));
  }

  public List<RetryTest> all() {
    return List.copyOf(tests.values());
  }

  public boolean delete(String id) {
    return tests.remove(id) != null;
  }

  /** The next instruction for {@code method} of test {@code id}, if any is left. */
  public Optional<String> next(String id, String method) {
    RetryTest test = tests.get(id);
    return test == null ? Optional.empty() : test.next(method);
  }

  /** The API method a JSON or XML API request is, in the testbench's names. */
  public static String methodOf(String httpMethod, String path, String query) {
    String q = query == null ? "" : query;
    if (path.startsWith("/upload/")) {
      return "storage.objects.insert";
    }
    if (path.startsWith("/download/")) {
      return "storage.objects.get";
    }
    String p = path.startsWith("/storage/v1/") ? path.substring("/storage/v1".length()) : path;
    if (p.matches("^/b/[^/]+/o/[^/]+/rewriteTo/.*")) {
      return "storage.objects.rewrite";
    }
    if (p.matches("^/b/[^/]+/o/[^/]+/copyTo/.*")) {
      return "storage.objects.copy";
    }
    if (p.matches("^/b/[^/]+/o/[^/]+/compose$")) {
      return "storage.objects.compose";
    }
    if (p.matches("^/b/[^/]+/notificationConfigs.*")) {
      return "storage.notifications." + verb(httpMethod, !p.endsWith("notificationConfigs"));
    }
    if (p.matches("^/b/[^/]+/o/[^/]+/acl(/[^/]+)?$")) {
      return "storage.object_acl." + verb(httpMethod, !p.endsWith("/acl"));
    }
    if (p.matches("^/b/[^/]+/acl(/[^/]+)?$")) {
      return "storage.bucket_acl." + verb(httpMethod, !p.endsWith("/acl"));
    }
    if (p.matches("^/b/[^/]+/defaultObjectAcl(/[^/]+)?$")) {
      return "storage.default_object_acl." + verb(httpMethod, !p.endsWith("/defaultObjectAcl"));
    }
    if (p.matches("^/b/[^/]+/iam$")) {
      return httpMethod.equals("PUT")
          ? "storage.buckets.setIamPolicy"
          : "storage.buckets.getIamPolicy";
    }
    if (p.matches("^/b/[^/]+/iam/testPermissions$")) {
      return "storage.buckets.testIamPermissions";
    }
    if (p.matches("^/b/[^/]+/lockRetentionPolicy$")) {
      return "storage.buckets.lockRetentionPolicy";
    }
    if (p.matches("^/projects/[^/]+/hmacKeys(/[^/]+)?$")) {
      return httpMethod.equals("POST")
          ? "storage.hmacKey.create"
          : "storage.hmacKey." + verb(httpMethod, !p.endsWith("/hmacKeys"));
    }
    if (p.matches("^/projects/[^/]+/serviceAccount$")) {
      return "storage.serviceaccount.get";
    }
    if (p.matches("^/b/[^/]+/o/.+")) {
      return switch (httpMethod) {
        case "DELETE" -> "storage.objects.delete";
        case "PATCH" -> "storage.objects.patch";
        case "PUT" -> "storage.objects.update";
        default -> "storage.objects.get";
      };
    }
    if (p.matches("^/b/[^/]+/o$")) {
      return httpMethod.equals("POST") ? "storage.objects.insert" : "storage.objects.list";
    }
    if (p.matches("^/b/[^/]+$")) {
      return "storage.buckets." + verb(httpMethod, true);
    }
    if (p.equals("/b")) {
      return httpMethod.equals("POST") ? "storage.buckets.insert" : "storage.buckets.list";
    }
    // XML API: /bucket/object
    return switch (httpMethod) {
      case "PUT", "POST" -> "storage.objects.insert";
      case "DELETE" -> "storage.objects.delete";
      default -> q.contains("uploadId") ? "storage.objects.insert" : "storage.objects.get";
    };
  }

  private static String verb(String httpMethod, boolean single) {
    return switch (httpMethod) {
      case "POST" -> "insert";
      case "DELETE" -> "delete";
      case "PATCH" -> "patch";
      case "PUT" -> "update";
      default -> single ? "get" : "list";
    };
  }
}
