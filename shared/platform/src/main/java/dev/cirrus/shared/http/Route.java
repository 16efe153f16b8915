package dev.cirrus.shared.http;

import dev.cirrus.shared.config.RouteClass;

/**
 * A method and path bound to a handler.
 *
 * @param authenticated false only for the few routes anyone may call, such as health
 * @param routeClass what the front door's App Check mode and rate budget are chosen by
 */
public record Route(
    String method,
    PathTemplate path,
    boolean authenticated,
    RouteClass routeClass,
    Handler handler) {}
