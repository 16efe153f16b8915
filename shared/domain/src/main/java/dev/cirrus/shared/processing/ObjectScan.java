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
import java.util.zip.CRC32C;

/**
 * One pass over an object's bytes: its digests, its sniffed type, and, when the caller holds room
 * for it, a spooled copy on local disk so decoding needs no second download and no heap.
 *
 * <p>The type is sniffed first ({@link #sniff}), so the caller can refuse the object, or reserve
 * room to spool it, before the rest is read: what is spooled is decided by the bytes, never by the
 * type the client declared.
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

  /** The first bytes of a stream, read, and the type they show; the rest is still unread. */
  public static final class Sniffed {
    private final InputStream in;
    private final byte[] buffer;
    private final int head;
    private final String type;

    private Sniffed(InputStream in, byte[] buffer, int head, String type) {
      this.in = in;
      this.buffer = buffer;
      this.head = head;
      this.type = type;
    }

    /** The media type the first bytes show ({@link MagicBytes}). */
    public String type() {
      return type;
    }
  }

  /** Reads the first {@link MagicBytes#HEAD} bytes of {@code in} and sniffs their type. */
  public static Sniffed sniff(InputStream in) throws IOException {
    byte[] buffer = new byte[BUFFER];
    int head = in.readNBytes(buffer, 0, MagicBytes.HEAD);
    return new Sniffed(in, buffer, head, MagicBytes.detect(buffer, head));
  }

  /** Reads the rest of a sniffed stream to its end, keeping no copy. */
  public static ObjectScan of(Sniffed sniffed) throws IOException {
    return scan(sniffed, OutputStream.nullOutputStream(), Long.MAX_VALUE, null);
  }

  /**
   * Reads the rest of a sniffed stream to its end and spools it under {@code room}.
   *
   * @throws Rejection when the stream holds more bytes than were reserved: the object is not the
   *     size it was declared to be, and the spool stops there
   */
  public static ObjectScan of(Sniffed sniffed, SpoolBudget.Reservation room) throws IOException {
    Path spool = Files.createTempFile("cirrus-scan", ".bin");
    try {
      return scan(sniffed, Files.newOutputStream(spool), room.bytes(), spool);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(spool);
      throw e;
    }
  }

  private static ObjectScan scan(Sniffed sniffed, OutputStream sink, long limit, Path spool)
      throws IOException {
    MessageDigest sha256 = digest("SHA-256");
    MessageDigest md5 = digest("MD5");
    CRC32C crc = new CRC32C();
    byte[] buffer = sniffed.buffer;
    long size = 0;
    try (OutputStream out = sink) {
      int n = sniffed.head;
      while (n > 0) {
        if (size + n > limit) {
          throw new Rejection(
              Rejection.SIZE_MISMATCH, "more than the " + limit + " bytes the upload declared");
        }
        sha256.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        crc.update(buffer, 0, n);
        out.write(buffer, 0, n);
        size += n;
        n = sniffed.in.read(buffer);
      }
    }
    byte[] crcBytes = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    return new ObjectScan(
        size,
        HexFormat.of().formatHex(sha256.digest()),
        Base64.getEncoder().encodeToString(md5.digest()),
        Base64.getEncoder().encodeToString(crcBytes),
        sniffed.type,
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
