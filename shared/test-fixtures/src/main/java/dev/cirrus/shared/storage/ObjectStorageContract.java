package dev.cirrus.shared.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.testing.TestDigests;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ObjectStorage} adapter must have; one subclass per adapter. */
public abstract class ObjectStorageContract {
  protected abstract ObjectStorage storage();

  /** The bucket the adapter's backend has, empty or not. */
  protected abstract String bucket();

  /**
   * A client sends {@code bytes} to the session in one request.
   *
   * @return whether the upload was accepted
   */
  protected abstract boolean sendToSession(URI session, byte[] bytes) throws Exception;

  private ObjectRef ref() {
    return new ObjectRef(bucket(), "contract/" + UUID.randomUUID());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] readAll(ObjectRef ref, long generation) throws Exception {
    try (InputStream in = storage().read(ref, generation)) {
      return in.readAllBytes();
    }
  }

  private URI session(ObjectRef ref, byte[] bytes, Optional<String> md5) {
    return storage()
        .openResumableUpload(
            ref, "text/plain", bytes.length, md5, Optional.empty(), Optional.empty());
  }

  @Test
  void aSessionTakesItsDeclaredBytesAndTheObjectAppearsWithItsDigests() throws Exception {
    ObjectRef ref = ref();
    byte[] hello = bytes("hello, session");
    URI session = session(ref, hello, Optional.of(TestDigests.md5(hello)));
    assertThat(storage().stat(ref)).isEmpty();

    assertThat(sendToSession(session, hello)).isTrue();

    StoredObject object = storage().stat(ref).orElseThrow();
    assertThat(object.size()).isEqualTo(hello.length);
    assertThat(object.contentType()).isEqualTo("text/plain");
    assertThat(object.md5()).contains(TestDigests.md5(hello));
    assertThat(readAll(ref, object.generation())).isEqualTo(hello);
  }

  @Test
  void aSessionRefusesBytesThatDoNotMatchItsDigest() throws Exception {
    ObjectRef ref = ref();
    byte[] sent = bytes("not what was declared");
    URI session = session(ref, sent, Optional.of(TestDigests.md5(bytes("x"))));
    assertThat(sendToSession(session, sent)).isFalse();
    assertThat(storage().stat(ref)).isEmpty();
  }

  @Test
  void aSessionNeverOverwritesAnObject() throws Exception {
    ObjectRef ref = ref();
    storage().write(ref, "text/plain", bytes("first"));
    byte[] second = bytes("other");
    assertThat(sendToSession(session(ref, second, Optional.empty()), second)).isFalse();
    StoredObject kept = storage().stat(ref).orElseThrow();
    assertThat(readAll(ref, kept.generation())).isEqualTo(bytes("first"));
  }

  @Test
  void aCancelledSessionTakesNoBytesAndCancellingAgainIsFine() throws Exception {
    ObjectRef ref = ref();
    byte[] data = bytes("late");
    URI session = session(ref, data, Optional.empty());
    storage().cancelResumableUpload(session);
    storage().cancelResumableUpload(session);
    assertThat(sendToSession(session, data)).isFalse();
    assertThat(storage().stat(ref)).isEmpty();
  }

  @Test
  void aReplacedGenerationIsGone() throws Exception {
    ObjectRef ref = ref();
    StoredObject first = storage().write(ref, "text/plain", bytes("one"));
    StoredObject second = storage().write(ref, "text/plain", bytes("two"));
    assertThat(second.generation()).isNotEqualTo(first.generation());
    assertThat(readAll(ref, second.generation())).isEqualTo(bytes("two"));
    assertThatThrownBy(() -> readAll(ref, first.generation()))
        .isInstanceOf(ObjectStorage.ObjectGone.class);
    assertThatThrownBy(() -> storage().copy(ref, first.generation(), ref()))
        .isInstanceOf(ObjectStorage.ObjectGone.class);
  }

  @Test
  void aCopyTakesOneGenerationsBytesAndType() throws Exception {
    ObjectRef from = ref();
    ObjectRef to = ref();
    StoredObject source = storage().write(from, "image/png", bytes("pixels"));
    StoredObject copy = storage().copy(from, source.generation(), to);
    assertThat(copy.ref()).isEqualTo(to);
    assertThat(copy.contentType()).isEqualTo("image/png");
    assertThat(copy.md5()).isEqualTo(source.md5());
    assertThat(readAll(to, copy.generation())).isEqualTo(bytes("pixels"));
    assertThat(storage().copy(from, source.generation(), to).md5())
        .as("copying again is fine")
        .isEqualTo(source.md5());
  }

  @Test
  void aStreamedWriteStoresWhatWasWrittenAcrossManyChunks() throws Exception {
    ObjectRef ref = ref();
    byte[] block = new byte[1000];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i * 31);
    }
    // 5 MB: more than one chunk of a resumable upload.
    StoredObject written =
        storage()
            .writeStreamed(
                ref,
                "application/x-tar",
                out -> {
                  for (int i = 0; i < 5_000; i++) {
                    out.write(block);
                  }
                });
    assertThat(written.size()).isEqualTo(5_000_000L);
    assertThat(written.contentType()).isEqualTo("application/x-tar");
    byte[] back = readAll(ref, written.generation());
    assertThat(back).hasSize(5_000_000);
    assertThat(Arrays.copyOfRange(back, 4_999_000, 5_000_000)).isEqualTo(block);
  }

  @Test
  void aStreamedWriteWhoseBodyFailsLeavesNoObject() {
    ObjectRef ref = ref();
    assertThatThrownBy(
            () ->
                storage()
                    .writeStreamed(
                        ref,
                        "text/plain",
                        out -> {
                          out.write(new byte[300_000]);
                          throw new IOException("the source went away");
                        }))
        .isInstanceOf(RuntimeException.class);
    assertThat(storage().stat(ref)).isEmpty();
  }

  @Test
  void composingConcatenatesTheSourcesInOrder() throws Exception {
    ObjectRef a = ref();
    ObjectRef b = ref();
    ObjectRef joined = ref();
    storage().write(a, "text/plain", bytes("first,"));
    storage().write(b, "text/plain", bytes("second"));
    StoredObject whole = storage().compose(List.of(a, b, a), joined, "application/x-tar");
    assertThat(whole.size()).isEqualTo(18);
    assertThat(whole.contentType()).isEqualTo("application/x-tar");
    assertThat(readAll(joined, whole.generation())).isEqualTo(bytes("first,secondfirst,"));
    assertThatThrownBy(() -> storage().compose(List.of(a, ref()), joined, "text/plain"))
        .as("a missing source")
        .isInstanceOf(ObjectStorage.ObjectGone.class);
  }

  @Test
  void deletingIsRepeatableAndAGenerationDeleteSparesANewerObject() throws Exception {
    ObjectRef ref = ref();
    StoredObject old = storage().write(ref, "text/plain", bytes("old"));
    StoredObject current = storage().write(ref, "text/plain", bytes("new"));
    storage().delete(ref, old.generation());
    assertThat(storage().stat(ref))
        .hasValueSatisfying(o -> assertThat(o.generation()).isEqualTo(current.generation()));
    storage().delete(ref, current.generation());
    assertThat(storage().stat(ref)).isEmpty();
    storage().delete(ref);
    storage().delete(ref, current.generation());
    assertThat(storage().stat(ref)).isEmpty();
  }

  @Test
  void listingFindsWhatIsUnderAPrefixInNameOrderUpToTheLimit() {
    String prefix = "contract-list/" + UUID.randomUUID() + "/";
    for (String name : List.of("b", "a", "c")) {
      storage().write(new ObjectRef(bucket(), prefix + name), "text/plain", bytes(name));
    }
    // Beside the prefix, not under it.
    String sibling = prefix.substring(0, prefix.length() - 1) + "-sibling";
    storage().write(new ObjectRef(bucket(), sibling), "text/plain", bytes("o"));

    assertThat(storage().list(bucket(), prefix, 10))
        .extracting(ObjectRef::name)
        .containsExactly(prefix + "a", prefix + "b", prefix + "c");
    assertThat(storage().list(bucket(), prefix, 2)).hasSize(2);
    assertThat(storage().list(bucket(), prefix + "nothing/", 10)).isEmpty();
  }
}
