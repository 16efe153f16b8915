package dev.cirrus.shared.http;

/**
 * A method and path bound to a handler.
 *
 * @param authenticated false only for the few routes anyone may call, such as health
 */
public record Route(String method, PathTemplate path, boolean authenticated, Handler handler) {}
