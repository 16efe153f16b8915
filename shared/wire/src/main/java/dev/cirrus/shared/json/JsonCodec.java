package dev.cirrus.shared.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.notifications.NotificationView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * JSON in and out, strict on the way in: unknown fields, wrong types and scalar coercions ({@code
 * "5"} for a number, {@code 5} for a string, {@code 1.5} for a whole number) are refused with a
 * {@link BadRequest} that names the field, so clients learn about their bugs instead of having them
 * silently accepted. Create one per instance: configuring a mapper is not free.
 */
public final class JsonCodec {
  private final ObjectMapper mapper;

  public JsonCodec() {
    JsonMapper built =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // 1.5 for a whole number would be truncated to 1: a size or a count must be exact.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .defaultPropertyInclusion(
                JsonInclude.Value.construct(
                    JsonInclude.Include.NON_ABSENT, JsonInclude.Include.USE_DEFAULTS))
            .build();
    built
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    // The API shows readAt null while a notification is unread, as its document does: clients
    // test for it. The domain record carries no Jackson annotation, so the rule is said here.
    built.addMixIn(NotificationView.class, NotificationViewJson.class);
    this.mapper = built;
  }

  /** Parses a request body, mapping every parse failure to a 400 that names the field. */
  public <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw BadRequest.malformedBody("a JSON body is required");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw BadRequest.malformedBody("the body must be a JSON object, not null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw BadRequest.invalidField(path(e), "unknown field");
    } catch (InvalidFormatException e) {
      throw BadRequest.invalidField(path(e), "has the wrong type or format");
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw field.isEmpty()
          ? BadRequest.malformedBody("the body must be a JSON object of the documented shape")
          : BadRequest.invalidField(field, "has the wrong type");
    } catch (JsonProcessingException e) {
      throw BadRequest.malformedBody("the body is not valid JSON");
    } catch (IllegalArgumentException e) {
      // Records validate in their compact constructors; Jackson wraps those failures.
      throw BadRequest.malformedBody(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  public String writeString(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** The underlying mapper, for adapters that need tree access. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** What {@link NotificationView} looks like in JSON, beside the record. */
  private abstract static class NotificationViewJson {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract Instant readAt();
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}
