package dev.cirrus.local.storage;

import com.sun.net.httpserver.HttpExchange;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fault injected into each exchange in flight. Exchange attributes cannot carry it: the JDK
 * server keeps them on the context, shared by every request.
 */
public final class Faults {
  private final Map<HttpExchange, Fault> byExchange = new ConcurrentHashMap<>();

  void put(HttpExchange exchange, Fault fault) {
    byExchange.put(exchange, fault);
  }

  void remove(HttpExchange exchange) {
    byExchange.remove(exchange);
  }

  /** The fault of this exchange if it is of {@code kind}, else null. */
  public Fault get(HttpExchange exchange, Fault.Kind kind) {
    Fault fault = byExchange.get(exchange);
    return fault != null && fault.kind() == kind ? fault : null;
  }
}
