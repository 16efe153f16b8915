package dev.cirrus.local.storage.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Splits a multipart/related body into [headers, content] pairs. */
final class Multipart {
  private Multipart() {}

  static List<byte[][]> split(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<byte[][]> parts = new ArrayList<>();
    int pos = indexOf(body, delimiter, 0);
    while (pos >= 0) {
      int start = pos + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break;
      }
      start = skipLineBreak(body, start);
      int next = indexOf(body, delimiter, start);
      if (next < 0) {
        break;
      }
      int end = next;
      if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
        end -= 2;
      } else if (end >= 1 && body[end - 1] == '\n') {
        end -= 1;
      }
      byte[] part = Arrays.copyOfRange(body, start, end);
      int split = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
      int skip = 4;
      if (split < 0) {
        split = indexOf(part, "\n\n".getBytes(StandardCharsets.US_ASCII), 0);
        skip = 2;
      }
      if (split < 0) {
        parts.add(new byte[][] {new byte[0], part});
      } else {
        parts.add(
            new byte[][] {
              Arrays.copyOfRange(part, 0, split),
              Arrays.copyOfRange(part, split + skip, part.length)
            });
      }
      pos = next;
    }
    return parts;
  }

  static String header(byte[] headers, String name) {
    for (String line : new String(headers, StandardCharsets.UTF_8).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static int skipLineBreak(byte[] body, int at) {
    if (at < body.length && body[at] == '\r') {
      at++;
    }
    if (at < body.length && body[at] == '\n') {
      at++;
    }
    return at;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
