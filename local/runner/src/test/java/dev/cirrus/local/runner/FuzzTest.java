package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProjectLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random requests, from a fixed seed, to every operation of {@code openapi.yaml} with a valid
 * token, through the gateway: mutated JSON bodies (wrong types, odd numbers, deep nesting, control
 * and bidirectional characters, unknown fields, broken syntax), odd ids and path segments,
 * malformed query strings and percent-escapes, wrong or missing content types. No answer may be a
 * 5xx or a dropped connection, and every refusal a function makes is problem+json.
 */
@ExtendWith(RunningStack.class)
class FuzzTest {
  private static final long SEED = 20261202L;
  private static final int REQUESTS = 5_000;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static LocalStack stack;
  private static OpenApiRoutes routes;
  private static String token;

  @BeforeAll
  static void connect(RunningStack.Handle handle) throws Exception {
    stack = handle.stack();
    routes = OpenApiRoutes.load(ProjectLayout.locate().root().resolve("infra/openapi.yaml"));
    StackApi api = new StackApi(stack);
    AuthEmulatorClient.User user = api.newUser();
    token = user.idToken();
  }

  @Test
  void noRequestGetsA5xxADroppedConnectionOrAnAnswerThatIsNotAProblem() throws Exception {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    Map<String, Integer> byStatus = new TreeMap<>();
    int bareRefusals = 0;
    int reachedAFunction = 0;
    for (int i = 0; i < REQUESTS; i++) {
      OpenApiRoutes.Operation op =
          routes.operations().get(random.nextInt(routes.operations().size()));
      String path = path(op.template(), random);
      String query = random.nextInt(3) == 0 ? "" : "?" + query(random);
      String method =
          random.nextInt(20) == 0
              ? pick(random, "GET", "PUT", "POST", "PATCH", "DELETE")
              : op.method();
      String body = Bodies.mutated(random);
      HttpRequest.Builder request;
      try {
        request =
            HttpRequest.newBuilder(URI.create(stack.endpoints().apiUrl() + path + query))
                .timeout(Duration.ofSeconds(30));
      } catch (IllegalArgumentException notAUri) {
        continue; // the client itself refuses to send it
      }
      boolean sendsBody =
          !method.equals("GET") && !method.equals("DELETE") || random.nextInt(10) == 0;
      request.method(
          method,
          sendsBody && body != null
              ? HttpRequest.BodyPublishers.ofString(body)
              : HttpRequest.BodyPublishers.noBody());
      String contentType = contentType(random);
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      request.header("Authorization", "Bearer " + token);
      String label = method + " " + path + query + " body=" + abbreviate(body);
      HttpResponse<String> response;
      try {
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        failures.add("dropped: " + label + ": " + e);
        continue;
      }
      int status = response.statusCode();
      byStatus.merge(String.valueOf(status), 1, Integer::sum);
      if (response.headers().firstValue("X-Request-Id").isPresent()) {
        reachedAFunction++;
      }
      if (status >= 500) {
        failures.add(status + ": " + label + " -> " + abbreviate(response.body()));
      } else if (status >= 400) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        boolean fromFunction = response.headers().firstValue("X-Request-Id").isPresent();
        if (fromFunction && !type.startsWith("application/problem+json")) {
          failures.add(status + " not problem+json: " + label);
        } else if (!fromFunction && response.body().isEmpty()) {
          bareRefusals++; // the function's server refused the request line (docs/walkthrough.md,
          // Bad input)
        } else if (!fromFunction && !type.startsWith("application/")) {
          failures.add(status + " from the gateway without JSON: " + label);
        }
      }
      if (failures.size() > 20) {
        break;
      }
    }
    System.out.println(
        "fuzz: "
            + REQUESTS
            + " requests, seed "
            + SEED
            + ", statuses "
            + byStatus
            + ", bare refusals by the server in front of the function "
            + bareRefusals
            + ", answered by a function "
            + reachedAFunction);
    assertThat(failures).isEmpty();
    assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum())
        .as("requests answered")
        .isGreaterThan(REQUESTS * 9 / 10);
    // A gateway that refused everything (a 401 for all) would pass the checks above: the fuzz
    // must reach the functions' own parsing, and some of it must be valid enough to succeed.
    assertThat(reachedAFunction).as("requests that reached a function").isGreaterThan(REQUESTS / 4);
    assertThat(byStatus.keySet()).as("some requests succeed").anyMatch(s -> s.startsWith("2"));
  }

  private static String path(String template, Random random) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{[^}]+}").matcher(template);
    while (m.find()) {
      out.append(template, at, m.start()).append(segment(random));
      at = m.end();
    }
    out.append(template.substring(at));
    if (random.nextInt(25) == 0) {
      out.append(pick(random, "/", "/x", "//", "/%2e%2e", ":x", ";a=b"));
    }
    return out.toString();
  }

  private static String segment(Random random) {
    return switch (random.nextInt(14)) {
      case 0 -> "a".repeat(1 + random.nextInt(4000));
      case 1 -> "%00";
      case 2 -> "%2F..%2F";
      case 3 -> "%2e%2e";
      case 4 -> "%FF%FE";
      case 5 -> "%C3%28";
      case 6 -> "%E2%80%AE" + "gpj.exe";
      case 7 -> "caf%C3%A9";
      case 8 -> "-";
      case 9 -> "123456789012345678901234567890";
      case 10 -> "%20";
      case 11 -> "a:b";
      case 12 -> "x%3Acomplete";
      default -> Long.toHexString(random.nextLong());
    };
  }

  private static String query(Random random) {
    List<String> parts = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      String key =
          pick(
              random,
              "pageSize",
              "pageToken",
              "status",
              "unreadOnly",
              "variant",
              "ownerUid",
              "x",
              "",
              "%FF");
      String value =
          pick(
              random,
              "",
              "-1",
              "0",
              "1",
              "2147483648",
              "99999999999999999999999",
              "1e309",
              "NaN",
              "true",
              "ready",
              "thumb256",
              "original",
              "%FF",
              "%C3%28",
              "%E2%80%AE",
              "%00",
              "a%20b",
              "eyJhIjoxfQ",
              "x".repeat(5000));
      parts.add(random.nextInt(8) == 0 ? key : key + "=" + value);
    }
    return String.join(random.nextInt(10) == 0 ? ";" : "&", parts);
  }

  private static String contentType(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> "text/plain";
      case 2 -> "application/json; charset=latin1";
      case 3 -> "multipart/form-data; boundary=x";
      case 4 -> "application/x-www-form-urlencoded";
      case 5 -> "application/JSON";
      default -> "application/json";
    };
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 160 ? text.substring(0, 160) + "…(" + text.length() + ")" : text;
  }

  /** JSON bodies for the API's operations, then broken in one of many ways. */
  static final class Bodies {
    private static final String[] VALID = {
      "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10}",
      "{\"filename\":\"a.txt\",\"contentType\":\"text/plain\",\"size\":3,\"md5\":\"kAFQmDzST7DWlj99KOF/cg==\"}",
      "{\"mutedTypes\":[\"file.ready\"]}",
      "{\"token\":\"fcm-token\",\"platform\":\"ios\"}",
      "{\"filename\":\"b.txt\",\"tags\":[\"x\"]}",
      "{}"
    };

    static String mutated(Random random) {
      String valid = VALID[random.nextInt(VALID.length)];
      return switch (random.nextInt(16)) {
        case 0 -> null;
        case 1 -> "";
        case 2 -> valid.substring(0, random.nextInt(valid.length()));
        case 3 -> "[".repeat(5_000 + random.nextInt(20_000));
        case 4 -> "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
        case 5 -> valid.replace("10", "1e400").replace("3", "99999999999999999999999999");
        case 6 -> valid.replace("10", "-5").replace("3", "1.5");
        case 7 -> valid.replace("\"a.jpg\"", "\"a\\u0000\\u202Eb\\u200B.jpg\"");
        case 8 -> valid.replace("\"image/jpeg\"", "123").replace("\"ios\"", "[]");
        case 9 -> valid.replace("{", "{\"unknown\":{\"deep\":[1,2,3]},");
        case 10 -> "null";
        case 11 -> "\"just a string\"";
        case 12 -> valid.replace("[", "[" + "\"x\",".repeat(10_000));
        case 13 -> valid + "garbage";
        case 14 -> "{\"filename\":\"" + "\uD83D".repeat(3) + "\",\"size\":\"10\"}";
        default -> valid;
      };
    }
  }
}
