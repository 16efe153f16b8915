package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.PayloadTooLarge;
import dev.cirrus.shared.error.UnsupportedMediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NewUploadTest {
  private static final UploadPolicy POLICY = UploadPolicy.DEFAULTS;
  private static final String MD5 = "1B2M2Y8AsgTpgAmY7PhCfg==";

  @Test
  void validRequestIsNormalised() {
    NewUpload upload =
        NewUpload.validate(
            "Cafe\u0301.JPG", "Image/JPEG; charset=binary", 10L, MD5, "AAAAAA==", POLICY);

    assertThat(upload.filename()).isEqualTo("Café.JPG").hasSize(8);
    assertThat(upload.contentType()).isEqualTo("image/jpeg");
    assertThat(upload.md5()).contains(MD5);
    assertThat(upload.crc32c()).contains("AAAAAA==");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/b.jpg",
        "a\\b.jpg",
        "tab\there.jpg",
        "new\nline.jpg",
        "..",
        "   ",
        "zero\u0000.jpg",
        "photo\u202Egpj.exe",
        "left\u2066to\u2069right.jpg",
        "mark\u200F.jpg",
        "zero\u200Bwidth.jpg",
        "bom\uFEFF.jpg",
        "joiner\u200Dalone.jpg"
      })
  void badFilenamesAreRejectedNamingTheField(String filename) {
    assertThatThrownBy(() -> NewUpload.validate(filename, "image/jpeg", 1L, null, null, POLICY))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("filename"));
  }

  @Test
  void emojiSequencesJoinedByZeroWidthJoinersAreNames() {
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67.jpg";
    assertThat(NewUpload.validate(family, "image/jpeg", 1L, null, null, POLICY).filename())
        .isEqualTo(family);
  }

  @Test
  void filenameLengthIsCountedInCharactersAfterNfc() {
    String e = "e\u0301".repeat(255); // 255 characters once composed, 510 before
    assertThat(NewUpload.validate(e, "text/plain", 1L, null, null, POLICY).filename()).hasSize(255);
    assertThatThrownBy(
            () -> NewUpload.validate("x".repeat(256), "text/plain", 1L, null, null, POLICY))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void typeOutsideTheAllowlistIs415() {
    assertThatThrownBy(
            () -> NewUpload.validate("a.exe", "application/x-msdownload", 1L, null, null, POLICY))
        .isInstanceOf(UnsupportedMediaType.class)
        .hasMessageContaining("contentType");
  }

  @Test
  void malformedTypeIs400() {
    assertThatThrownBy(() -> NewUpload.validate("a", "jpeg", 1L, null, null, POLICY))
        .isInstanceOfSatisfying(
            BadRequest.class, e -> assertThat(e.field()).contains("contentType"));
  }

  @Test
  void sizeMustBeGivenPositiveAndWithinTheLimit() {
    assertThatThrownBy(() -> NewUpload.validate("a", "text/plain", null, null, null, POLICY))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("size"));
    assertThatThrownBy(() -> NewUpload.validate("a", "text/plain", 0L, null, null, POLICY))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("size"));
    assertThatThrownBy(
            () ->
                NewUpload.validate(
                    "a", "text/plain", POLICY.maxUploadBytes() + 1, null, null, POLICY))
        .isInstanceOf(PayloadTooLarge.class);
  }

  @Test
  void digestsMustBeBase64OfTheRightLength() {
    assertThatThrownBy(() -> NewUpload.validate("a", "text/plain", 1L, "not base64!", null, POLICY))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("md5"));
    assertThatThrownBy(() -> NewUpload.validate("a", "text/plain", 1L, null, MD5, POLICY))
        .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.field()).contains("crc32c"));
  }
}
