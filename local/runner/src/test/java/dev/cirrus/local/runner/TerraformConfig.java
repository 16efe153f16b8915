package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Terraform root as HashiCorp's own HCL parser reads it ({@code local/infra-check},
 *
 * @cdktf/hcl2json): the google provider cannot be downloaded here, so {@code terraform validate}
 *     cannot run. Expressions come back as {@code ${...}} strings, attributes and blocks as JSON.
 */
final class TerraformConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode tf;
  private final Map<String, JsonNode> locals = new LinkedHashMap<>();

  private TerraformConfig(JsonNode tf) {
    this.tf = tf;
    tf.path("locals")
        .forEach(block -> block.properties().forEach(e -> locals.put(e.getKey(), e.getValue())));
  }

  /** Parses every {@code .tf} file of {@code dir} (not its subdirectories). */
  static TerraformConfig parse(Path root, Path dir) throws Exception {
    Path script = root.resolve("local/infra-check/tf2json.mjs");
    Process node =
        new ProcessBuilder("node", script.toString(), dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = node.getInputStream().readAllBytes();
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the HCL parser finished").isTrue();
    assertThat(node.exitValue())
        .as("node %s (its node_modules come from local/test)", script)
        .isZero();
    return new TerraformConfig(JSON.readTree(out));
  }

  JsonNode tree() {
    return tf;
  }

  JsonNode local(String name) {
    JsonNode value = locals.get(name);
    assertThat(value).as("local." + name).isNotNull();
    return value;
  }

  /** The resources of one type, by name: each body as parsed (blocks are arrays). */
  Map<String, JsonNode> ofType(String type) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    tf.path("resource")
        .path(type)
        .properties()
        .forEach(e -> byName.put(e.getKey(), e.getValue().get(0)));
    return byName;
  }

  JsonNode only(String type, String name) {
    JsonNode body = ofType(type).get(name);
    assertThat(body).as(type + "." + name).isNotNull();
    return body;
  }

  /** Every string value anywhere in the configuration. */
  List<String> allStrings() {
    List<String> strings = new ArrayList<>();
    collect(tf, strings);
    return strings;
  }

  private static void collect(JsonNode node, List<String> into) {
    if (node.isTextual()) {
      into.add(node.asText());
    }
    node.elements().forEachRemaining(child -> collect(child, into));
  }

  static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(e -> list.add(e.asText()));
    return list;
  }
}
