package dev.cirrus.shared.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar as an unpacker does, header by header, checking each header's checksum and that the
 * archive ends with its two zero blocks: what a test makes of an export.
 */
public final class TarEntries {
  /** One entry: its size and the SHA-256 of its bytes, or the bytes when small. */
  public record Entry(long size, String sha256, byte[] small) {}

  private TarEntries() {}

  /** Entries by name, in archive order; small ones (up to 16 MiB) keep their bytes. */
  public static Map<String, Entry> read(InputStream in) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    byte[] header = new byte[512];
    while (true) {
      if (in.readNBytes(header, 0, 512) != 512) {
        throw new IOException("the archive ends without its end blocks");
      }
      if (allZero(header)) {
        if (in.readNBytes(header, 0, 512) != 512 || !allZero(header)) {
          throw new IOException("one zero block, not two");
        }
        return entries;
      }
      checkSum(header);
      String name = text(header, 0, 100);
      long size = Long.parseLong(text(header, 124, 12).trim(), 8);
      MessageDigest sha = sha256();
      boolean keep = size <= 16 * 1024 * 1024;
      byte[] kept = keep ? new byte[(int) size] : null;
      long left = size;
      byte[] buffer = new byte[64 * 1024];
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException(name + " is cut short");
        }
        sha.update(buffer, 0, n);
        if (keep) {
          System.arraycopy(buffer, 0, kept, (int) (size - left), n);
        }
        left -= n;
      }
      in.readNBytes((int) ((512 - size % 512) % 512));
      if (entries.put(name, new Entry(size, HexFormat.of().formatHex(sha.digest()), kept))
          != null) {
        throw new IOException("two entries named " + name);
      }
    }
  }

  /** The SHA-256 of bytes, in hex, as {@link Entry#sha256()} has it. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static void checkSum(byte[] header) throws IOException {
    long stored = Long.parseLong(text(header, 148, 8).trim(), 8);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
    }
    if (sum != stored) {
      throw new IOException("bad header checksum");
    }
  }

  private static String text(byte[] header, int at, int length) {
    int end = at;
    while (end < at + length && header[end] != 0) {
      end++;
    }
    return new String(header, at, end - at, StandardCharsets.US_ASCII);
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
