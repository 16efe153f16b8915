package dev.cirrus.shared.adapter.redis;

import dev.cirrus.shared.error.Unavailable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Just enough of Redis's protocol (RESP2) for rate limits and a cache: commands as arrays of bulk
 * strings, and the five reply types. Written here rather than taken from a client library because
 * what the front door needs from it is narrow and strict: a connect and a read that give up within
 * their timeouts, nothing loaded that the first request does not use, and a server that answers
 * garbage treated like one that is down. After a failure it stops trying for {@link #PAUSE}, so a
 * dead Redis costs one timeout, not one per request.
 */
public final class RedisClient implements AutoCloseable {
  /** How long a failed Redis is left alone before the next attempt. */
  public static final Duration PAUSE = Duration.ofSeconds(5);

  private static final int MAX_IDLE = 16;
  private static final int MAX_BULK = 1024 * 1024;

  /** A Redis error reply ({@code -ERR ...}): the server is up and refused the command. */
  public static final class ErrorReply extends IOException {
    ErrorReply(String message) {
      super(message);
    }
  }

  private final InetSocketAddress address;
  private final Duration timeout;
  private final Optional<String> auth;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile long pausedUntil;

  /**
   * @param url {@code redis://host:port}
   * @param timeout for connecting and for each answer
   * @param auth the AUTH string (Memorystore's, from Secret Manager), sent on every new connection
   */
  public RedisClient(URI url, Duration timeout, Optional<String> auth) {
    if (!"redis".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("not a redis://host:port URL: " + url);
    }
    this.address =
        InetSocketAddress.createUnresolved(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort());
    this.timeout = timeout;
    this.auth = auth;
  }

  /**
   * Sends one command and reads its reply: a String, Long, byte[] (bulk), List, or null.
   *
   * @throws ErrorReply when Redis answers with an error
   * @throws Unavailable when it cannot be reached, does not answer in time, or answers nonsense
   */
  public Object call(String... args) throws ErrorReply {
    if (System.nanoTime() < pausedUntil) {
      throw new Unavailable(
          "Redis at " + address + " failed moments ago; not asking again yet", null);
    }
    Connection connection = idle.pollFirst();
    try {
      if (connection == null) {
        connection = new Connection(address, timeout);
        if (auth.isPresent()) {
          connection.call("AUTH", auth.get());
        }
      }
      Object reply = connection.call(args);
      release(connection);
      return reply;
    } catch (ErrorReply e) {
      release(connection);
      throw e;
    } catch (IOException | RuntimeException e) {
      if (connection != null) {
        connection.close();
      }
      pausedUntil = System.nanoTime() + PAUSE.toNanos();
      throw new Unavailable("Redis at " + address + " failed: " + e, e);
    }
  }

  /** A Lua script, sent by its SHA-1 and in full only when the server does not know it yet. */
  public record Script(String text, String sha1) {
    public static Script of(String... lines) {
      String text = String.join("\n", lines);
      try {
        return new Script(
            text,
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8))));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is part of every JDK", e);
      }
    }
  }

  /**
   * Runs {@code script} over {@code keys} with {@code args}, loading it first if Redis has
   * forgotten it (a restart, a failover, {@code SCRIPT FLUSH}).
   *
   * @throws ErrorReply when the script fails or Redis refuses it
   * @throws Unavailable as {@link #call}
   */
  public Object eval(Script script, List<String> keys, List<String> args) throws ErrorReply {
    List<String> command = new ArrayList<>();
    command.add("EVALSHA");
    command.add(script.sha1());
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    try {
      return call(command.toArray(String[]::new));
    } catch (ErrorReply e) {
      if (!String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
        throw e;
      }
      command.set(0, "EVAL");
      command.set(1, script.text());
      return call(command.toArray(String[]::new));
    }
  }

  private void release(Connection connection) {
    if (idle.size() < MAX_IDLE) {
      idle.offerFirst(connection);
    } else {
      connection.close();
    }
  }

  @Override
  public void close() {
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      c.close();
    }
  }

  private static final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(InetSocketAddress unresolved, Duration timeout) throws IOException {
      socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(
            new InetSocketAddress(unresolved.getHostString(), unresolved.getPort()),
            (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }

    Object call(String... args) throws IOException {
      out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write('\r');
        out.write('\n');
      }
      out.flush();
      return read();
    }

    private Object read() throws IOException {
      int type = in.read();
      String line = line();
      switch (type) {
        case '+':
          return line;
        case '-':
          throw new ErrorReply(line);
        case ':':
          return number(line);
        case '$':
          {
            long length = number(line);
            if (length < 0) {
              return null;
            }
            if (length > MAX_BULK) {
              throw new IOException("a bulk reply of " + length + " bytes");
            }
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length || in.read() != '\r' || in.read() != '\n') {
              throw new IOException("a bulk reply cut short");
            }
            return bytes;
          }
        case '*':
          {
            long count = number(line);
            if (count < 0) {
              return null;
            }
            if (count > 1024) {
              throw new IOException("an array reply of " + count + " elements");
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
              items.add(readNested());
            }
            return items;
          }
        default:
          throw new IOException("not a RESP reply (first byte " + type + ")");
      }
    }

    /** An element of an array: an error inside one is a value, not a failure of the call. */
    private Object readNested() throws IOException {
      try {
        return read();
      } catch (ErrorReply e) {
        return e;
      }
    }

    private String line() throws IOException {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != '\r') {
        if (b < 0 || buffer.size() > 4096) {
          throw new IOException("a reply line that does not end");
        }
        buffer.write(b);
      }
      if (in.read() != '\n') {
        throw new IOException("a reply line without its newline");
      }
      return buffer.toString(StandardCharsets.UTF_8);
    }

    private static long number(String line) throws IOException {
      try {
        return Long.parseLong(line);
      } catch (NumberFormatException e) {
        throw new IOException("not a number: " + line);
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection: nothing left to do
      }
    }
  }
}
