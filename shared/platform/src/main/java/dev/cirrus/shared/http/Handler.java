package dev.cirrus.shared.http;

/** One route's behaviour; failures are thrown as {@code CirrusException}s. */
@FunctionalInterface
public interface Handler {
  Reply handle(ApiRequest request);
}
