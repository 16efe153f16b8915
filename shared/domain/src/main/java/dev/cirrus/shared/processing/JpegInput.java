package dev.cirrus.shared.processing;

import static dev.cirrus.shared.processing.EighthScaleJpegDecoder.damaged;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a JPEG as its decoder reads them: marker segments byte by byte, and entropy-coded
 * data as a bit buffer that unstuffs {@code 0xFF00} and stops at the next marker. The bit buffer's
 * fields are the decoder's to read directly: its hot loop keeps them in locals.
 */
final class JpegInput {
  /** Stands for the end of the file where the entropy-coded data should have had a marker. */
  static final int END_OF_FILE = 0x100;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;

  // The entropy decoder's bit buffer: the low `bits` bits of `accumulator`, oldest first.
  long accumulator;
  int bits;
  // Zero bytes fed after the data ended (at a marker or the end of the file): consuming them
  // means the data was cut short.
  int paddingBytes;
  int marker = -1;

  JpegInput(InputStream in) {
    this.in = in;
  }

  int receiveExtend(int size) throws IOException {
    if (bits < size) {
      fill();
    }
    bits -= size;
    int value = (int) (accumulator >>> bits) & ((1 << size) - 1);
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }

  void resetBits() {
    accumulator = 0;
    bits = 0;
    paddingBytes = 0;
    marker = -1;
  }

  /** Tops the bit buffer up to more than 56 bits, unstuffing 0xFF00 and stopping at a marker. */
  void fill() throws IOException {
    if (marker < 0) {
      // Most bytes are plain data already in the buffer: take them without the checks below.
      byte[] data = buffer;
      int p = position;
      int end = limit;
      long window = accumulator;
      int n = bits;
      while (n <= 56 && p < end && data[p] != (byte) 0xFF) {
        window = window << 8 | (data[p++] & 0xFF);
        n += 8;
      }
      position = p;
      accumulator = window;
      bits = n;
    }
    while (bits <= 56) {
      int b;
      if (marker >= 0) {
        b = 0;
        paddingBytes++;
      } else {
        b = position < limit ? buffer[position++] & 0xFF : readByteOrEnd();
        if (b == 0xFF) {
          int next = readByteOrEnd();
          while (next == 0xFF) {
            next = readByteOrEnd();
          }
          if (next != 0) {
            marker = next < 0 ? END_OF_FILE : next;
            b = 0;
            paddingBytes++;
          }
        } else if (b < 0) {
          marker = END_OF_FILE;
          b = 0;
          paddingBytes++;
        }
      }
      accumulator = accumulator << 8 | b;
      bits += 8;
    }
  }

  /** Steps over a scan's entropy-coded data (and its restart markers) to the next marker. */
  void skipEntropyData() throws IOException {
    resetBits();
    int b = readByteOrEnd();
    while (b >= 0) {
      if (b != 0xFF) {
        b = readByteOrEnd();
        continue;
      }
      int next = readByteOrEnd();
      while (next == 0xFF) {
        next = readByteOrEnd();
      }
      if (next < 0) {
        break;
      }
      if (next != 0 && (next < 0xD0 || next > 0xD7)) {
        marker = next;
        return;
      }
      b = readByteOrEnd();
    }
    marker = END_OF_FILE;
  }

  int nextMarker() throws IOException {
    if (marker >= 0) {
      int pending = marker;
      marker = -1;
      return pending;
    }
    // After a scan its data (or garbage) may run on to the marker: step over it, as libjpeg does.
    int b = readByteOrEnd();
    while (true) {
      while (b >= 0 && b != 0xFF) {
        b = readByteOrEnd();
      }
      if (b < 0) {
        return END_OF_FILE;
      }
      while (b == 0xFF) {
        b = readByteOrEnd();
      }
      if (b < 0) {
        return END_OF_FILE;
      }
      if (b != 0) {
        return b;
      }
      b = readByteOrEnd();
    }
  }

  int readLength(int minimum) throws IOException {
    int length = readU16();
    if (length < minimum) {
      throw damaged("a segment of length " + length);
    }
    return length;
  }

  int readU16() throws IOException {
    return readByte() << 8 | readByte();
  }

  int readByte() throws IOException {
    int b = readByteOrEnd();
    if (b < 0) {
      throw damaged("the file ends inside a header");
    }
    return b;
  }

  int readByteOrEnd() throws IOException {
    if (position == limit) {
      limit = in.read(buffer, 0, buffer.length);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
    }
    return buffer[position++] & 0xFF;
  }

  void skip(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      readByte();
    }
  }
}
