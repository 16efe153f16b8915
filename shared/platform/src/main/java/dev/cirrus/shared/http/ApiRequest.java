package dev.cirrus.shared.http;

import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.json.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A decoded request as handlers see it: the body is already read and size-checked. */
public final class ApiRequest {
  private final String method;
  private final String path;
  private final Map<String, String> pathParams;
  private final Map<String, List<String>> query;
  private final Function<String, Optional<String>> headers;
  private final byte[] body;
  private final String requestId;
  private final Optional<Principal> principal;
  private final Optional<String> traceparent;
  private final JsonCodec json;

  ApiRequest(
      String method,
      String path,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      Function<String, Optional<String>> headers,
      byte[] body,
      String requestId,
      Optional<Principal> principal,
      Optional<String> traceparent,
      JsonCodec json) {
    this.method = method;
    this.path = path;
    this.pathParams = Map.copyOf(pathParams);
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.requestId = requestId;
    this.principal = principal;
    this.traceparent = traceparent;
    this.json = json;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public String requestId() {
    return requestId;
  }

  /** The verified caller; routes that need a token always have one. */
  public Principal principal() {
    return principal.orElseThrow(() -> new Unauthenticated("this route needs a token"));
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path variable " + name);
    }
    return value;
  }

  /** A single-valued query parameter; repeating it is a client error. */
  public Optional<String> query(String name) {
    List<String> values = query.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw BadRequest.invalidParameter(name, "must be given at most once");
    }
    return values.stream().findFirst();
  }

  public Optional<String> header(String name) {
    return headers.apply(name);
  }

  /**
   * This request's span as a W3C {@code traceparent} (in the caller's trace when it sent one), for
   * what this request starts: an upload's processing continues it.
   */
  public Optional<String> traceparent() {
    return traceparent;
  }

  /** The body parsed as {@code type}; 400 naming the field when it does not fit. */
  public <T> T body(Class<T> type) {
    return json.read(body, type);
  }
}
