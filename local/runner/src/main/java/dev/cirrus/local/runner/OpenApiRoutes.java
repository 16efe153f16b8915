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

/**
 * The routes of {@code infra/openapi.yaml}: path template, method, backend variable and whether the
 * operation is secured by the file's JWT provider (the global {@code security}, unless the
 * operation says {@code security: []}).
 */
public final class OpenApiRoutes {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
  private static final Pattern BACKEND = Pattern.compile("^\\$\\{([a-z0-9_]+)_url}$");

  /** One operation: {@code backend} is the function name from {@code ${<name>_url}}. */
  public record Operation(
      String method, String template, Pattern path, String backend, boolean secured) {}

  /**
   * The JWT provider of {@code securityDefinitions}, as API Gateway reads it: {@code
   * x-google-issuer} and {@code x-google-audiences}, with {@code ${project_id}} still to fill in.
   */
  public record JwtProvider(String issuerTemplate, List<String> audienceTemplates) {
    public String issuer(String projectId) {
      return issuerTemplate.replace("${project_id}", projectId);
    }

    public List<String> audiences(String projectId) {
      return audienceTemplates.stream().map(a -> a.replace("${project_id}", projectId)).toList();
    }
  }

  private final List<Operation> operations;
  private final JwtProvider provider;

  private OpenApiRoutes(List<Operation> operations, JwtProvider provider) {
    this.operations = List.copyOf(operations);
    this.provider = provider;
  }

  public static OpenApiRoutes load(Path openapi) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(openapi.toFile());
    JwtProvider provider = provider(root);
    boolean securedByDefault = requiresProvider(root.path("security"));
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
                m.group(1).replace('_', '-'),
                op.getValue().has("security")
                    ? requiresProvider(op.getValue().get("security"))
                    : securedByDefault));
      }
    }
    return new OpenApiRoutes(operations, provider);
  }

  private static JwtProvider provider(JsonNode root) throws IOException {
    JsonNode definitions = root.path("securityDefinitions");
    if (definitions.size() != 1) {
      throw new IOException("securityDefinitions must hold exactly one JWT provider");
    }
    JsonNode firebase = definitions.elements().next();
    String issuer = firebase.path("x-google-issuer").asText("");
    String audiences = firebase.path("x-google-audiences").asText("");
    if (issuer.isEmpty() || audiences.isEmpty()) {
      throw new IOException("the JWT provider needs x-google-issuer and x-google-audiences");
    }
    return new JwtProvider(
        issuer, List.of(audiences.split(",")).stream().map(String::trim).toList());
  }

  /** {@code security: [{firebase: []}]} requires the provider; {@code security: []} nothing. */
  private static boolean requiresProvider(JsonNode security) {
    return security.isArray() && !security.isEmpty();
  }

  public JwtProvider provider() {
    return provider;
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
