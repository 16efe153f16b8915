package dev.cirrus.shared.testing;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Functions Framework's request and response, in memory: for tests that call a function's
 * {@code service} directly, built from fakes, with no server and no Google client.
 */
public final class InProcessHttp {
  private InProcessHttp() {}

  /** A request: method, path with an optional query, headers, body. */
  public static final class Request implements HttpRequest {
    private final String method;
    private final String uri;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];

    public Request(String method, String uri) {
      this.method = method;
      this.uri = uri;
    }

    public Request header(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    public Request json(String text) {
      body = text.getBytes(StandardCharsets.UTF_8);
      return header("Content-Type", "application/json");
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getUri() {
      return uri;
    }

    @Override
    public String getPath() {
      int q = uri.indexOf('?');
      return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public Optional<String> getQuery() {
      int q = uri.indexOf('?');
      return q < 0 ? Optional.empty() : Optional.of(uri.substring(q + 1));
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      Map<String, List<String>> params = new TreeMap<>();
      getQuery()
          .ifPresent(
              query -> {
                for (String pair : query.split("&")) {
                  String[] kv = pair.split("=", 2);
                  params
                      .computeIfAbsent(decode(kv[0]), k -> new ArrayList<>())
                      .add(kv.length > 1 ? decode(kv[1]) : "");
                }
              });
      return params;
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, HttpPart> getParts() {
      return Map.of();
    }

    @Override
    public Optional<String> getContentType() {
      return getFirstHeader("Content-Type");
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.of("UTF-8");
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  /** A response that keeps what the function wrote. */
  public static final class Response implements HttpResponse {
    private int status = 200;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public int status() {
      return status;
    }

    public String body() {
      return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String contentType) {
      headers.put("Content-Type", new ArrayList<>(List.of(contentType)));
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(headers.get("Content-Type")).map(v -> v.get(0));
    }

    @Override
    public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
  }
}
