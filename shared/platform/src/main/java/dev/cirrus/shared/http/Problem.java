package dev.cirrus.shared.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail, extended with a stable {@code code} and the {@code requestId}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String code,
    String requestId,
    String field) {}
