package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The routes of {@code infra/openapi.yaml}: path template, method and backend variable. */
public final class OpenApiRoutes {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
  private static final Pattern BACKEND = Pattern.compile("^\\$\\{([a-z0-9_]+)_url}$");

  /** One operation: {@code backend} is the function name from {@code ${<name>_url}}. */
  public record Operation(String method, String template, Pattern path, String backend) {}

  private final List<Operation> operations;

  private OpenApiRoutes(List<Operation> operations) {
    this.operations = List.copyOf(operations);
  }

  public static OpenApiRoutes load(Path openapi) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(openapi.toFile());
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        String address = op.getValue().path("x-google-backend").path("address").asText("");
        Matcher m = BACKEND.matcher(address);
        if (!m.matches()) {
          throw new IOException(
              path.getKey() + " " + op.getKey() + ": x-google-backend.address must be ${<fn>_url}");
        }
        operations.add(
            new Operation(
                op.getKey().toUpperCase(),
                path.getKey(),
                compile(path.getKey()),
                m.group(1).replace('_', '-')));
      }
    }
    return new OpenApiRoutes(operations);
  }

  private static Pattern compile(String template) {
    StringBuilder regex = new StringBuilder("^");
    Matcher m = Pattern.compile("\\{[^}]+}").matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/:]+");
      last = m.end();
    }
    return Pattern.compile(
        regex.append(Pattern.quote(template.substring(last))).append("$").toString());
  }

  public List<Operation> operations() {
    return operations;
  }

  /** The operation for this method and path, if any. */
  public Optional<Operation> find(String method, String path) {
    return operations.stream()
        .filter(o -> o.method().equals(method) && o.path().matcher(path).matches())
        .findFirst();
  }

  /** Methods declared for this path; empty when the path is unknown. */
  public Set<String> methodsFor(String path) {
    Set<String> methods = new TreeSet<>();
    operations.stream()
        .filter(o -> o.path().matcher(path).matches())
        .forEach(o -> methods.add(o.method()));
    return methods;
  }

  /** Function names the file routes to. */
  public Set<String> backends() {
    Set<String> names = new TreeSet<>();
    operations.forEach(o -> names.add(o.backend()));
    return names;
  }
}
