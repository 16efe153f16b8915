package dev.cirrus.local.runner;

import java.util.List;

/**
 * A deployable function as the local stack runs it.
 *
 * @param name the function's name, as in {@code infra/} and the OpenAPI backend variables
 * @param target the class the Functions Framework loads
 * @param signature {@code http} or {@code cloudevent}
 * @param topics for event functions, the topics a push subscription delivers to it
 */
public record FunctionSpec(String name, String target, String signature, List<String> topics) {
  public FunctionSpec {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("bad function name " + name);
    }
    if (!signature.equals("http") && !signature.equals("cloudevent")) {
      throw new IllegalArgumentException("signature is http or cloudevent");
    }
    topics = List.copyOf(topics);
  }

  public static FunctionSpec http(String name, String target) {
    return new FunctionSpec(name, target, "http", List.of());
  }

  public static FunctionSpec event(String name, String target, List<String> topics) {
    return new FunctionSpec(name, target, "cloudevent", topics);
  }

  /** The argument {@link FunctionHostMain} takes for this function on {@code port}. */
  String hostArgument(int port) {
    return name + "=" + target + ":" + signature + ":" + port;
  }
}
