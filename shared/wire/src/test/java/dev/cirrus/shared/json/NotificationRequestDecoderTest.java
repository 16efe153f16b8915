package dev.cirrus.shared.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.notifications.NotificationRequestReader.SkippedRecipient;
import dev.cirrus.shared.notifications.PushBudget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NotificationRequestDecoderTest {
  private final ObjectMapper mapper = new JsonCodec().mapper();
  private final NotificationRequestDecoder decoder = new NotificationRequestDecoder(mapper);

  @Test
  void aValidRequestDecodesWithEveryField() {
    var decoded = decoder.read(bytes(request(r -> {})));

    assertThat(decoded.skipped()).isEmpty();
    assertThat(decoded.request())
        .isEqualTo(
            new NotificationRequest(
                "req-1",
                "billing.invoice-ready",
                List.of(new Uid("alice"), new Uid("bob")),
                "Your invoice is ready",
                "November, 12.00 EUR",
                Map.of("invoiceId", "inv-42")));
  }

  @Test
  void bodyAndDataMayBeLeftOut() {
    var decoded =
        decoder.read(
            bytes(
                request(
                    r -> {
                      r.remove("body");
                      r.remove("data");
                    })));

    assertThat(decoded.request().body()).isEmpty();
    assertThat(decoded.request().data()).isEmpty();
  }

  @Test
  void aRecipientNamedTwiceIsNotifiedOnce() {
    var decoded = decoder.read(bytes(request(r -> uids(r).add("alice"))));

    assertThat(decoded.request().recipients()).containsExactly(new Uid("alice"), new Uid("bob"));
  }

  @Test
  void invalidRecipientsAreSkippedWithAReasonAndTheOthersStillCount() {
    var decoded =
        decoder.read(
            bytes(
                request(
                    r -> {
                      ArrayNode uids = uids(r);
                      uids.add(5);
                      uids.add("a/b");
                      uids.add("");
                      uids.add("..");
                      uids.add("__reserved__");
                      uids.add("x".repeat(129));
                      uids.addNull();
                    })));

    assertThat(decoded.request().recipients()).containsExactly(new Uid("alice"), new Uid("bob"));
    assertThat(decoded.skipped())
        .extracting(SkippedRecipient::uid)
        .containsExactly("5", "a/b", "", "..", "__reserved__", "x".repeat(129), "null");
    assertThat(decoded.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
  }

  @Test
  void tenThousandRecipientsAreAccepted() {
    var decoded = decoder.read(bytes(request(r -> setUids(r, 10_000))));

    assertThat(decoded.request().recipients()).hasSize(10_000);
  }

  @Test
  void moreThanTenThousandRecipientsAreRefused() {
    assertMalformed(request(r -> setUids(r, 10_001)), "/recipients/uids: must have at most");
  }

  @Test
  void anEmptyRecipientListIsRefused() {
    assertMalformed(request(r -> setUids(r, 0)), "uids");
  }

  @Test
  void aBodyThatIsNotJsonIsRefused() {
    assertThatThrownBy(() -> decoder.read("{\"requestId\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEvent.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> decoder.read("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedEvent.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void aMissingTitleIsRefused() {
    assertMalformed(request(r -> r.remove("title")), "title");
  }

  @Test
  void anOverlongTitleIsRefused() {
    assertMalformed(request(r -> r.put("title", "t".repeat(201))), "title");
  }

  @Test
  void anOverlongBodyIsRefused() {
    assertMalformed(request(r -> r.put("body", "b".repeat(1001))), "body");
  }

  @Test
  void aDataValueThatIsNotAStringIsRefused() {
    assertMalformed(request(r -> ((ObjectNode) r.get("data")).put("count", 3)), "count");
  }

  @Test
  void aDataKeyThatFcmReservesIsRefused() {
    assertMalformed(
        request(r -> ((ObjectNode) r.get("data")).put("google.sent_time", "1")), "data");
    assertMalformed(request(r -> ((ObjectNode) r.get("data")).put("from", "x")), "data");
  }

  @Test
  void cirrusOwnFileTypesAreNotForProducers() {
    assertMalformed(request(r -> r.put("type", "file.ready")), "type");
    assertMalformed(request(r -> r.put("type", "file.deleted")), "type");
    assertThat(decoder.read(bytes(request(r -> r.put("type", "files.shared")))).request().type())
        .isEqualTo("files.shared");
  }

  @Test
  void dataKeysThatNameFilesOrCirrusOwnFieldsAreNotForProducers() {
    for (String key : new String[] {"uploadId", "fileId", "notificationId", "notificationType"}) {
      assertMalformed(request(r -> ((ObjectNode) r.get("data")).put(key, "x")), "data");
    }
  }

  @Test
  void anUnknownFieldIsRefused() {
    assertMalformed(request(r -> r.put("priority", "high")), "priority");
  }

  @Test
  void aTypeThatIsNotADottedNameIsRefused() {
    assertMalformed(request(r -> r.put("type", "File Ready")), "type");
  }

  @Test
  void aRequestIdThatCannotNameADocumentIsRefused() {
    assertMalformed(request(r -> r.put("requestId", "a/b")), "requestId");
    assertMalformed(request(r -> r.remove("requestId")), "requestId");
  }

  @Test
  void aRequestThatNoPushCouldCarryIsRefusedWhole() {
    // Each value within the schema's limits, together over FCM's 4096 bytes.
    assertMalformed(
        request(
            r -> {
              ObjectNode data = r.putObject("data");
              for (int i = 0; i < 5; i++) {
                data.put("k" + i, "v".repeat(1_000));
              }
            }),
        "bytes");
  }

  @Test
  void aRequestThatFillsThePushToTheByteIsAccepted() {
    String title = "Your invoice is ready";
    String body = "November, 12.00 EUR";
    // Values of two-byte characters, each within the schema's 1000, to the budget's last byte.
    long left = PushBudget.FOR_THE_REQUEST - title.length() - body.length();
    ObjectNode data = mapper.createObjectNode();
    for (int i = 0; left > 0; i++) {
      String key = "k" + i;
      int chars = (int) Math.min(1_000, (left - key.length()) / 2);
      String value =
          "é".repeat(chars) + ((left - key.length()) % 2 == 1 && chars < 1_000 ? "x" : "");
      data.put(key, value);
      left -= key.length() + value.getBytes(StandardCharsets.UTF_8).length;
    }
    var decoded = decoder.read(bytes(request(r -> r.set("data", data))));
    assertThat(PushBudget.bytes(title, body, decoded.request().data()))
        .isEqualTo(PushBudget.FOR_THE_REQUEST);
  }

  private void assertMalformed(ObjectNode request, String named) {
    assertThatThrownBy(() -> decoder.read(bytes(request)))
        .isInstanceOf(MalformedEvent.class)
        .hasMessageContaining(named);
  }

  private ObjectNode request(Consumer<ObjectNode> change) {
    ObjectNode r = mapper.createObjectNode();
    r.put("requestId", "req-1");
    r.put("type", "billing.invoice-ready");
    r.putObject("recipients").putArray("uids").add("alice").add("bob");
    r.put("title", "Your invoice is ready");
    r.put("body", "November, 12.00 EUR");
    r.putObject("data").put("invoiceId", "inv-42");
    change.accept(r);
    return r;
  }

  private static ArrayNode uids(ObjectNode request) {
    return (ArrayNode) request.get("recipients").get("uids");
  }

  private static void setUids(ObjectNode request, int count) {
    ArrayNode uids = uids(request).removeAll();
    IntStream.range(0, count).forEach(i -> uids.add("user-" + i));
  }

  private byte[] bytes(ObjectNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
