package dev.cirrus.shared.exports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The POSIX ustar format, as much of it as an export needs: a 512-byte header per entry, the
 * entry's bytes padded to 512, and two zero blocks at the end. Tar is what lets an archive be
 * composed of parts: entries simply follow each other, so parts written by separate steps join into
 * one archive by concatenation.
 */
final class Tar {
  static final int BLOCK = 512;

  /** The largest entry ustar's 11 octal digits can say. */
  static final long MAX_SIZE = 077777777777L;

  static final int MAX_NAME = 100;

  private Tar() {}

  /**
   * The header of a regular file.
   *
   * @param name ASCII, at most {@link #MAX_NAME} bytes
   */
  static byte[] header(String name, long size, Instant modified) {
    byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
    if (raw.length > MAX_NAME || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
      throw new IllegalArgumentException("not a ustar name: " + name);
    }
    if (size < 0 || size > MAX_SIZE) {
      throw new IllegalArgumentException("too large for ustar: " + size);
    }
    byte[] h = new byte[BLOCK];
    System.arraycopy(raw, 0, h, 0, raw.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, Math.max(0, modified.getEpochSecond()));
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = '0';
    ascii(h, 257, "ustar\0");
    ascii(h, 263, "00");
    ascii(h, 265, "cirrus");
    ascii(h, 297, "cirrus");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  /** The zeros after an entry of {@code size} bytes that fill its last block. */
  static byte[] padding(long size) {
    return new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)];
  }

  /** What follows the last entry, of {@code size} bytes: its padding and two zero blocks. */
  static byte[] endAfter(long size) {
    return new byte[padding(size).length + 2 * BLOCK];
  }

  /** {@code value} in octal, zero-filled to {@code width - 1} digits and a NUL. */
  private static void octal(byte[] h, int at, int width, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, width - 1 - digits.length())) + digits;
    ascii(h, at, padded);
    h[at + width - 1] = 0;
  }

  private static void ascii(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }
}
