package dev.cirrus.shared.processing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * One pass over an object's bytes: its digests, its sniffed type, and, when the type says it will
 * be decoded, a spooled copy on local disk so decoding needs no second download and no heap.
 *
 * @param sha256 hex
 * @param md5 base64, as Cloud Storage writes it
 * @param crc32c base64 of the big-endian value, as Cloud Storage writes it
 * @param spool the local copy, if one was asked for; the caller deletes it
 */
public record ObjectScan(
    long size, String sha256, String md5, String crc32c, String detectedType, Optional<Path> spool)
    implements AutoCloseable {

  private static final int BUFFER = 64 * 1024;

  /**
   * Reads {@code in} to its end.
   *
   * @param spoolWhen decides from the sniffed type whether to keep a local copy
   */
  public static ObjectScan of(InputStream in, Predicate<String> spoolWhen) throws IOException {
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[BUFFER];
    int head = in.readNBytes(buffer, 0, MagicBytes.HEAD);
    String type = MagicBytes.detect(buffer, head);
    Path spool = spoolWhen.test(type) ? Files.createTempFile("cirrus-scan", ".bin") : null;
    long size = 0;
    try (OutputStream out =
        spool == null ? OutputStream.nullOutputStream() : Files.newOutputStream(spool)) {
      int n = head;
      while (n > 0) {
        sha256.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
        size += n;
        n = in.read(buffer);
      }
    } catch (IOException | RuntimeException e) {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
      throw e;
    }
    byte[] crcBytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    return new ObjectScan(
        size,
        HexFormat.of().formatHex(sha256.digest()),
        Base64.getEncoder().encodeToString(md5.digest()),
        Base64.getEncoder().encodeToString(crcBytes),
        type,
        Optional.ofNullable(spool));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    spool.ifPresent(
        p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
