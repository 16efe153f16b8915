package dev.cirrus.shared.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.notifications.NotificationView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  record Body(String name, List<String> tags, int count) {}

  private final JsonCodec json = new JsonCodec();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void unreadNotificationShowsReadAtAsNullAndLeavesOutAnAbsentBody() {
    NotificationView unread =
        new NotificationView(
            "n1", "app.hello", "Hi", null, Map.of(), Instant.parse("2026-12-03T08:00:00Z"), null);
    assertThat(json.writeString(unread))
        .isEqualTo(
            "{\"id\":\"n1\",\"type\":\"app.hello\",\"title\":\"Hi\",\"data\":{},"
                + "\"createdAt\":\"2026-12-03T08:00:00Z\",\"readAt\":null}");
  }

  @Test
  void wellFormedBodyIsParsed() {
    Body body = json.read(bytes("{\"name\":\"a\",\"tags\":[\"x\"],\"count\":2}"), Body.class);
    assertThat(body).isEqualTo(new Body("a", List.of("x"), 2));
  }

  @Test
  void unknownFieldIsRejectedByName() {
    assertThatThrownBy(
            () -> json.read(bytes("{\"name\":\"a\",\"count\":1,\"evil\":1}"), Body.class))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("evil"));
  }

  @Test
  void numberWhereStringIsExpectedIsRejected() {
    assertThatThrownBy(() -> json.read(bytes("{\"name\":5}"), Body.class))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("name"));
  }

  @Test
  void stringWhereNumberIsExpectedIsRejected() {
    assertThatThrownBy(() -> json.read(bytes("{\"count\":\"5\"}"), Body.class))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("count"));
  }

  @Test
  void fractionWhereWholeNumberIsExpectedIsRejectedNotTruncated() {
    assertThatThrownBy(() -> json.read(bytes("{\"name\":\"a\",\"count\":1.5}"), Body.class))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("count"));
  }

  @Test
  void scalarWhereListIsExpectedIsRejected() {
    assertThatThrownBy(() -> json.read(bytes("{\"tags\":\"x\"}"), Body.class))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("tags"));
  }

  @Test
  void missingNumberIsRejectedByNameRatherThanDefaulted() {
    assertThatThrownBy(() -> json.read(bytes("{\"name\":\"a\"}"), Body.class))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("count"));
  }

  @Test
  void malformedEmptyNullAndTrailingBodiesAreRejected() {
    for (String body : List.of("{", "", "null", "[1]", "{} {}", "\"text\"")) {
      assertThatThrownBy(() -> json.read(bytes(body), Body.class))
          .as(body)
          .isInstanceOf(BadRequest.class);
    }
  }
}
