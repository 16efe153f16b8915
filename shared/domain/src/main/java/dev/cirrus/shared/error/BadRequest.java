package dev.cirrus.shared.error;

import java.util.Optional;

/** The request is malformed or a field is invalid; {@code field} names it when there is one. */
public final class BadRequest extends CirrusException {
  private final String field;

  private BadRequest(String code, String field, String detail) {
    super(code, detail);
    this.field = field;
  }

  /** A field that is missing, of the wrong type, or out of range. */
  public static BadRequest invalidField(String field, String detail) {
    return new BadRequest("invalid-argument", field, field + ": " + detail);
  }

  /** A body that is not the JSON this route expects. */
  public static BadRequest malformedBody(String detail) {
    return new BadRequest("malformed-body", null, detail);
  }

  /** A query or path parameter that cannot be parsed. */
  public static BadRequest invalidParameter(String name, String detail) {
    return new BadRequest("invalid-argument", name, name + ": " + detail);
  }

  /** A query string that cannot be decoded (a percent-escape that is not UTF-8, for one). */
  public static BadRequest malformedQuery(String detail) {
    return new BadRequest("malformed-query", null, detail);
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
