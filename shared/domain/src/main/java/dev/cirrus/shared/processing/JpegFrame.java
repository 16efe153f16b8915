package dev.cirrus.shared.processing;

import static dev.cirrus.shared.processing.EighthScaleJpegDecoder.damaged;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What a JPEG's header segments declare before and between its scans: the frame (size, components
 * and their sampling), the DC quantizers, the Huffman tables, the restart interval, and whether the
 * three channels are RGB rather than YCbCr. Read from the segments as the decoder meets them.
 */
final class JpegFrame {
  private final JpegInput input;
  private final int expectedWidth;
  private final int expectedHeight;

  int width;
  int height;
  JpegComponent[] components;
  int maxH;
  int maxV;
  final int[] dcQuantizers = new int[4];
  final boolean[] quantizerDefined = new boolean[4];
  final JpegHuffmanTable[] dcTables = new JpegHuffmanTable[4];
  final JpegHuffmanTable[] acTables = new JpegHuffmanTable[4];
  int restartInterval;
  boolean rgbCoded;
  boolean progressive;

  JpegFrame(JpegInput input, int expectedWidth, int expectedHeight) {
    this.input = input;
    this.expectedWidth = expectedWidth;
    this.expectedHeight = expectedHeight;
  }

  /**
   * @return whether this decoder handles the frame
   */
  boolean readFrame() throws IOException {
    if (components != null) {
      throw damaged("a second frame header");
    }
    int length = input.readLength(8);
    int precision = input.readByte();
    height = input.readU16();
    width = input.readU16();
    int count = input.readByte();
    if (length != 8 + 3 * count || count < 1) {
      throw damaged("a frame header of the wrong length");
    }
    if (width != expectedWidth || height != expectedHeight) {
      throw damaged("the frame is " + width + "x" + height);
    }
    if (precision != 8 || (count != 1 && count != 3)) {
      // 12-bit or CMYK: not this decoder's.
      return false;
    }
    components = new JpegComponent[count];
    for (int i = 0; i < count; i++) {
      int id = input.readByte();
      int sampling = input.readByte();
      int quantizer = input.readByte();
      int h = sampling >> 4;
      int v = sampling & 15;
      if (h < 1 || h > 4 || v < 1 || v > 4 || quantizer > 3) {
        throw damaged("a component with sampling " + h + "x" + v + ", table " + quantizer);
      }
      components[i] = new JpegComponent(id, h, v, quantizer);
      maxH = Math.max(maxH, h);
      maxV = Math.max(maxV, v);
    }
    // JFIF's convention, as libjpeg reads it: components named R, G, B are not YCbCr.
    if (count == 3
        && components[0].id == 'R'
        && components[1].id == 'G'
        && components[2].id == 'B') {
      rgbCoded = true;
    }
    int mcusX = ceilDiv(width, 8 * maxH);
    int mcusY = ceilDiv(height, 8 * maxV);
    for (JpegComponent c : components) {
      c.stride = mcusX * c.h;
      c.dc = new byte[c.stride * mcusY * c.v];
      if (progressive) {
        c.coefficients = new int[c.dc.length];
      }
      c.blocksX = ceilDiv(ceilDiv(width * c.h, maxH), 8);
      c.blocksY = ceilDiv(ceilDiv(height * c.v, maxV), 8);
    }
    return true;
  }

  void readAdobe() throws IOException {
    int length = input.readLength(2);
    byte[] body = new byte[length - 2];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) input.readByte();
    }
    // "Adobe", version, flags0, flags1, transform: 0 means the three channels are RGB.
    if (body.length >= 12 && new String(body, 0, 5, StandardCharsets.US_ASCII).equals("Adobe")) {
      rgbCoded = body[11] == 0;
    }
  }

  void readQuantizers() throws IOException {
    int remaining = input.readLength(2) - 2;
    while (remaining > 0) {
      int spec = input.readByte();
      int precision = spec >> 4;
      int table = spec & 15;
      if (precision > 1 || table > 3) {
        throw damaged("a quantization table " + spec);
      }
      int size = precision == 0 ? 64 : 128;
      if (remaining < 1 + size) {
        throw damaged("a quantization table cut short");
      }
      // The first value in zig-zag order is the DC coefficient's: the only one this decoder needs.
      dcQuantizers[table] = precision == 0 ? input.readByte() : input.readU16();
      input.skip(size - (precision == 0 ? 1 : 2));
      quantizerDefined[table] = true;
      remaining -= 1 + size;
    }
  }

  void readHuffmanTables() throws IOException {
    int remaining = input.readLength(2) - 2;
    while (remaining > 0) {
      int spec = input.readByte();
      int type = spec >> 4;
      int table = spec & 15;
      if (type > 1 || table > 3 || remaining < 17) {
        throw damaged("a JpegHuffmanTable table " + spec);
      }
      int[] counts = new int[17];
      int total = 0;
      for (int length = 1; length <= 16; length++) {
        counts[length] = input.readByte();
        total += counts[length];
      }
      if (total > 256 || remaining < 17 + total) {
        throw damaged("a JpegHuffmanTable table with " + total + " codes");
      }
      byte[] symbols = new byte[total];
      for (int i = 0; i < total; i++) {
        symbols[i] = (byte) input.readByte();
        if (type == 0 && (symbols[i] & 0xFF) > 15) {
          throw damaged("a DC JpegHuffmanTable table with symbol " + (symbols[i] & 0xFF));
        }
      }
      (type == 0 ? dcTables : acTables)[table] = new JpegHuffmanTable(counts, symbols);
      remaining -= 17 + total;
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
