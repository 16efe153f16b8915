package dev.cirrus.local.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs on disk: bytes and digests survive the large, double-buffered copy. */
class FileBlobStoreTest {
  @TempDir Path dir;

  /** What the JDK HTTP server gives a handler: at most 8 KiB per read. */
  private static InputStream trickling(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 8192));
      }
    };
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String md5(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  @Test
  void objectSpanningManyBuffersKeepsItsBytesAndDigests() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] bytes = random(5 * Streams.BUFFER / 2 + 17, 1);

    StoredBlob blob = store.write(trickling(bytes));

    assertThat(blob.size()).isEqualTo(bytes.length);
    assertThat(blob.md5()).isEqualTo(md5(bytes));
    assertThat(blob.crc32c()).isEqualTo(crc32c(bytes));
    try (InputStream in = store.open(blob.id(), 0, bytes.length)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void resumableChunksHashAsOneObject() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] first = random(Streams.BUFFER + 3, 2);
    byte[] second = random(2 * Streams.BUFFER, 3);
    byte[] last = random(5, 4);
    String id = store.begin();

    store.append(id, trickling(first), first.length);
    store.append(id, trickling(second), second.length);
    long size = store.append(id, trickling(last), last.length);
    StoredBlob blob = store.finish(id);

    byte[] all = concat(first, second, last);
    assertThat(size).isEqualTo(all.length);
    assertThat(blob.md5()).isEqualTo(md5(all));
    assertThat(blob.crc32c()).isEqualTo(crc32c(all));
  }

  @Test
  void chunkLongerThanDeclaredIsRefusedAndLeavesTheUploadAsItWas() throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] first = random(Streams.BUFFER / 2, 5);
    byte[] tooLong = random(3 * Streams.BUFFER, 6);
    byte[] rest = random(1000, 7);
    String id = store.begin();
    store.append(id, trickling(first), first.length);

    assertThatThrownBy(() -> store.append(id, trickling(tooLong), Streams.BUFFER))
        .isInstanceOf(IOException.class);
    long size = store.append(id, trickling(rest), rest.length);
    StoredBlob blob = store.finish(id);

    byte[] kept = concat(first, rest);
    assertThat(size).isEqualTo(kept.length);
    assertThat(blob.md5()).isEqualTo(md5(kept));
    assertThat(blob.crc32c()).isEqualTo(crc32c(kept));
    try (InputStream in = store.open(blob.id(), 0, kept.length)) {
      assertThat(in.readAllBytes()).isEqualTo(kept);
    }
  }
}
