package dev.cirrus.local.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One storage-testbench instruction, parsed.
 *
 * @param status the HTTP status to answer, for the {@code return-N} kinds
 * @param afterBytes how many bytes pass before the fault strikes
 */
public record Fault(Kind kind, int status, long afterBytes) {
  /** What the fault does. */
  public enum Kind {
    /** Answer {@code status} at once. */
    STATUS,
    /** Drop the connection without an answer. */
    RESET,
    /** Send the response headers and {@code afterBytes} of the body, then drop the connection. */
    BROKEN_STREAM,
    /** Take {@code afterBytes} of the upload (kept, for resumable ones), then answer status. */
    STATUS_AFTER_UPLOAD,
    /** On the chunk that completes a resumable upload: take {@code afterBytes}, then drop. */
    BROKEN_FINAL_CHUNK
  }

  /** Raised to drop a connection on purpose; the server answers nothing more. */
  public static final class DropConnection extends RuntimeException {
    public DropConnection() {
      super("fault injection: connection dropped", null, false, false);
    }
  }

  private static final long BROKEN_STREAM_BYTES = 4096;
  private static final Pattern STATUS = Pattern.compile("^return-(\\d{3})$");
  private static final Pattern BROKEN_AFTER =
      Pattern.compile("^return-broken-stream-after-(\\d+)K$");
  private static final Pattern STATUS_AFTER = Pattern.compile("^return-(\\d{3})-after-(\\d+)K$");
  private static final Pattern FINAL_CHUNK =
      Pattern.compile("^return-broken-stream-final-chunk-after-(\\d+)B$");

  public static Fault parse(String instruction) {
    Matcher m;
    if ((m = STATUS.matcher(instruction)).matches()) {
      return new Fault(Kind.STATUS, Integer.parseInt(m.group(1)), 0);
    }
    if (instruction.equals("return-reset-connection")) {
      return new Fault(Kind.RESET, 0, 0);
    }
    if (instruction.equals("return-broken-stream")) {
      // Like the testbench, some bytes go out before the break: a body cut at zero bytes is
      // taken by the Java client's HTTP layer for an empty object, not a failure.
      return new Fault(Kind.BROKEN_STREAM, 0, BROKEN_STREAM_BYTES);
    }
    if ((m = BROKEN_AFTER.matcher(instruction)).matches()) {
      return new Fault(Kind.BROKEN_STREAM, 0, Long.parseLong(m.group(1)) * 1024);
    }
    if ((m = STATUS_AFTER.matcher(instruction)).matches()) {
      return new Fault(
          Kind.STATUS_AFTER_UPLOAD,
          Integer.parseInt(m.group(1)),
          Long.parseLong(m.group(2)) * 1024);
    }
    if ((m = FINAL_CHUNK.matcher(instruction)).matches()) {
      return new Fault(Kind.BROKEN_FINAL_CHUNK, 0, Long.parseLong(m.group(1)));
    }
    throw StorageError.invalid("Unknown instruction: " + instruction);
  }
}
