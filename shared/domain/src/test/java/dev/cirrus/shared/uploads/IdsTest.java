package dev.cirrus.shared.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.auth.Standing;
import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.files.FileId;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ids validate themselves where they come in. */
class IdsTest {

  @Test
  void aFilesIdIsItsUploadsId() {
    UploadId upload = new UploadId(UUID.randomUUID().toString());
    assertThat(FileId.of(upload).value()).isEqualTo(upload.value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/b",
        "..",
        "%2F",
        "x y",
        "é",
        "0123456789012345678901234567890123456789012345678901234567890123456789"
      })
  void idsFromARequestThatAreNotIdsAreNothing(String raw) {
    assertThat(UploadId.parse(raw)).isEmpty();
    assertThat(FileId.parse(raw)).isEmpty();
    assertThatThrownBy(() -> new UploadId(raw)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void generatedIdsAreIds() {
    assertThat(UploadId.parse(UUID.randomUUID().toString())).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a/b", ".", "..", "__reserved__", "tab\there"})
  void uidsThatCannotNameADocumentAreRefused(String raw) {
    assertThatThrownBy(() -> new Uid(raw)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Principal(raw, Optional.empty(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTokenWhoseUidCannotBeStoredIsRefusedNotAnError() {
    assertThatThrownBy(
            () -> Principal.fromToken("a/b", Optional.empty(), Set.of(), Standing.VERIFIED))
        .isInstanceOfSatisfying(
            Unauthenticated.class, e -> assertThat(e.code()).isEqualTo("invalid-token"));
  }

  @Test
  void firebaseStyleUidsAreAccepted() {
    assertThat(new Uid("Xy7pQ2mZr0a8bC3dE4fG5hI6jK71").value()).hasSize(28);
    assertThatThrownBy(() -> new Uid("x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
  }
}
