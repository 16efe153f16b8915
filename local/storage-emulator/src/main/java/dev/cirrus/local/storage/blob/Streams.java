package dev.cirrus.local.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies object bytes in large pieces. The JDK HTTP server hands over at most 8 KiB per read, and
 * every write to a file or socket here is a system call, so filling a large buffer before each
 * write is what keeps a 1 GiB transfer from costing hundreds of thousands of them.
 */
public final class Streams {
  /** Large enough to amortise system calls, small enough for many concurrent transfers. */
  static final int BUFFER = 512 * 1024;

  private Streams() {}

  /** Copies everything from {@code in} to {@code out}; returns the byte count. */
  public static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = fill(in, buffer)) > 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  /** Reads until {@code buffer} is full or the stream ends; 0 only at the end of the stream. */
  static int fill(InputStream in, byte[] buffer) throws IOException {
    int filled = 0;
    while (filled < buffer.length) {
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    return filled;
  }
}
