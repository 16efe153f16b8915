package dev.cirrus.shared.adapter.telemetry;

import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Kind;
import dev.cirrus.shared.tracing.Tracer.Span;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A port's calls as client spans, one per call, named for the service and the call ({@code
 * firestore UploadStore.promote}): every adapter gets them the same way, without a line of its own.
 * Only inside traced work (a request, a message): a call outside any span, such as a warm-up, makes
 * none. With {@link Tracer#NONE} the adapter itself is returned, and costs nothing.
 */
public final class TracedPorts {
  private TracedPorts() {}

  /**
   * @param service what the span names the other side: {@code firestore}, {@code cloud-storage}
   */
  public static <T> T of(Class<T> port, T adapter, String service, Tracer tracer) {
    if (tracer == Tracer.NONE) {
      return adapter;
    }
    String prefix = service + " " + port.getSimpleName() + ".";
    return port.cast(
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class || tracer.traceparent().isEmpty()) {
                return call(adapter, method, args);
              }
              try (Span span = tracer.start(prefix + method.getName(), Kind.CLIENT)) {
                span.attribute("peer.service", service);
                try {
                  return call(adapter, method, args);
                } catch (Throwable e) {
                  span.failed(e);
                  throw e;
                }
              }
            }));
  }

  private static Object call(Object adapter, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(adapter, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
