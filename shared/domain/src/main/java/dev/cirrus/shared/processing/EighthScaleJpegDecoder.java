package dev.cirrus.shared.processing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decodes a sequential Huffman JPEG at one eighth of its size, as libjpeg's scaled inverse DCT does
 * (and with it libvips' shrink-on-load, which sharp uses): each 8x8 block becomes one pixel, the
 * block's mean, which is its dequantized DC coefficient. AC coefficients are entropy-decoded only
 * to be stepped over, with no inverse DCT and no colour conversion of the full image, so a photo
 * costs little more than its Huffman decoding. The JDK's decoder has no such mode: its source
 * subsampling decodes every pixel, then drops most of them.
 *
 * <p>Handles 8-bit baseline, extended sequential and progressive Huffman JPEGs with one (grey) or
 * three (YCbCr) components, interleaved or not, with restart intervals. Of a progressive image only
 * the DC scans are decoded (the first and its refinements); AC scans are stepped over to the next
 * marker, so memory stays at one value per block whatever the image. For anything else
 * (arithmetic-coded, lossless, 12-bit, CMYK, RGB-coded) it answers empty and the caller decodes the
 * file another way. Damaged data is a {@link Rejection}, as it is from the JDK's decoder.
 */
final class EighthScaleJpegDecoder {
  private static final int SEQUENTIAL = 0;
  private static final int DC_FIRST = 1;
  private static final int DC_REFINE = 2;

  private final JpegInput input;

  private final JpegFrame frame;

  private EighthScaleJpegDecoder(InputStream in, int expectedWidth, int expectedHeight) {
    this.input = new JpegInput(in);
    this.frame = new JpegFrame(input, expectedWidth, expectedHeight);
  }

  /**
   * @param expectedWidth the width the image's inspection read and checked against the pixel limit;
   *     a frame declaring other dimensions is damage
   * @return the image at 1/8 scale (each side rounded up), or empty when this decoder does not
   *     handle the file's coding
   * @throws Rejection {@code image-unreadable} when the data is damaged
   */
  static Optional<BufferedImage> decode(Path file, int expectedWidth, int expectedHeight)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new EighthScaleJpegDecoder(in, expectedWidth, expectedHeight).decode();
    }
  }

  private Optional<BufferedImage> decode() throws IOException {
    if (input.readByte() != 0xFF || input.readByte() != 0xD8) {
      throw damaged("no start-of-image marker");
    }
    while (true) {
      int code = input.nextMarker();
      switch (code) {
        case 0xC0, 0xC1 -> {
          if (!frame.readFrame()) {
            return Optional.empty();
          }
        }
        case 0xC2 -> {
          frame.progressive = true;
          if (!frame.readFrame()) {
            return Optional.empty();
          }
        }
        case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> {
          return Optional.empty();
        }
        case 0xC4 -> frame.readHuffmanTables();
        case 0xDB -> frame.readQuantizers();
        case 0xDD -> {
          input.readLength(4);
          frame.restartInterval = input.readU16();
        }
        case 0xEE -> frame.readAdobe();
        case 0xDA -> {
          if (frame.components == null) {
            throw damaged("a scan before the frame header");
          }
          if (frame.rgbCoded && frame.components.length == 3) {
            return Optional.empty();
          }
          decodeScan();
          if (!frame.progressive && allDecoded()) {
            return Optional.of(
                EighthScaleImage.of(
                    frame.components,
                    frame.width,
                    frame.height,
                    frame.maxH,
                    frame.maxV,
                    frame.progressive));
          }
        }
        case 0xD9 -> {
          // A progressive image's DC may be refined by any later scan: done only at the end.
          if (frame.progressive && frame.components != null && allDecoded()) {
            return Optional.of(
                EighthScaleImage.of(
                    frame.components,
                    frame.width,
                    frame.height,
                    frame.maxH,
                    frame.maxV,
                    frame.progressive));
          }
          throw damaged("the image ends before all of its data");
        }
        case JpegInput.END_OF_FILE -> throw damaged("the file ends before the image does");
        default -> {
          if (code >= 0xD0 && code <= 0xD8 || code == 0x01) {
            throw damaged("a stray marker 0x" + Integer.toHexString(code));
          }
          input.skip(input.readLength(2) - 2);
        }
      }
    }
  }

  private void decodeScan() throws IOException {
    int length = input.readLength(6);
    int count = input.readByte();
    if (count < 1 || count > 4 || length != 6 + 2 * count) {
      throw damaged("a scan header of the wrong length");
    }
    JpegComponent[] scan = new JpegComponent[count];
    for (int i = 0; i < count; i++) {
      int id = input.readByte();
      int tables = input.readByte();
      for (JpegComponent c : frame.components) {
        if (c.id == id) {
          scan[i] = c;
        }
      }
      if (scan[i] == null) {
        throw damaged("a scan of component " + id + ", which the frame does not have");
      }
      scan[i].dcTableId = tables >> 4;
      scan[i].acTableId = tables & 15;
    }
    int start = input.readByte();
    int end = input.readByte();
    int approximation = input.readByte();
    int high = approximation >> 4;
    int low = approximation & 15;
    int mode;
    if (!frame.progressive) {
      if (start != 0 || end != 63 || approximation != 0) {
        throw damaged("a sequential scan with spectral selection " + start + "-" + end);
      }
      mode = SEQUENTIAL;
    } else if (start > 0) {
      // An AC scan of a progressive image: nothing in it changes a block's mean.
      if (end < start || end > 63 || count != 1) {
        throw damaged("a frame.progressive AC scan " + start + "-" + end + " of " + count);
      }
      input.skipEntropyData();
      return;
    } else if (end != 0 || low > 13) {
      throw damaged("a frame.progressive DC scan with spectral selection 0-" + end);
    } else {
      mode = high == 0 ? DC_FIRST : DC_REFINE;
    }
    for (JpegComponent c : scan) {
      c.dcTable = c.dcTableId > 3 ? null : frame.dcTables[c.dcTableId];
      c.acTable = c.acTableId > 3 ? null : frame.acTables[c.acTableId];
      boolean tablesMissing =
          switch (mode) {
            case SEQUENTIAL -> c.dcTable == null || c.acTable == null;
            case DC_FIRST -> c.dcTable == null;
            default -> !c.decoded;
          };
      if (tablesMissing || !frame.quantizerDefined[c.quantizer]) {
        throw damaged("a scan whose tables are not defined");
      }
      if (mode != DC_REFINE) {
        c.dcQuantizer = frame.dcQuantizers[c.quantizer];
      }
      c.predictor = 0;
    }
    input.resetBits();
    int mcus;
    int mcusX;
    if (count == 1) {
      mcusX = scan[0].blocksX;
      mcus = mcusX * scan[0].blocksY;
    } else {
      mcusX = ceilDiv(frame.width, 8 * frame.maxH);
      mcus = mcusX * ceilDiv(frame.height, 8 * frame.maxV);
    }
    int restarts = 0;
    for (int mcu = 0; mcu < mcus; mcu++) {
      if (frame.restartInterval > 0 && mcu > 0 && mcu % frame.restartInterval == 0) {
        restart(restarts++ & 7, scan);
      }
      int mx = mcu % mcusX;
      int my = mcu / mcusX;
      if (count == 1) {
        decodeBlock(mode, low, scan[0], mx, my);
      } else {
        for (JpegComponent c : scan) {
          for (int v = 0; v < c.v; v++) {
            for (int h = 0; h < c.h; h++) {
              decodeBlock(mode, low, c, mx * c.h + h, my * c.v + v);
            }
          }
        }
      }
      if (input.bits < 8 * input.paddingBytes) {
        throw damaged("the image data ends early");
      }
    }
    for (JpegComponent c : scan) {
      c.decoded = true;
    }
  }

  private void decodeBlock(int mode, int shift, JpegComponent c, int x, int y) throws IOException {
    if (input.bits < 32) {
      input.fill();
    }
    if (mode == DC_REFINE) {
      input.bits -= 1;
      if ((input.accumulator >>> input.bits & 1) != 0) {
        c.coefficients[y * c.stride + x] |= 1 << shift;
      }
      return;
    }
    int s = c.dcTable.decode(input);
    if (mode == DC_FIRST) {
      if (s > 0) {
        c.predictor += input.receiveExtend(s);
      }
      c.coefficients[y * c.stride + x] = c.predictor << shift;
      return;
    }
    if (s > 0) {
      c.predictor += input.receiveExtend(s);
    }
    int mean = ((c.predictor * c.dcQuantizer + 4) >> 3) + 128;
    c.dc[y * c.stride + x] = (byte) (mean < 0 ? 0 : Math.min(mean, 255));
    // The hot loop: the bit buffer in locals; one lookup steps over as many whole coefficients
    // (code and value bits; the value itself is never needed) as the window holds.
    JpegHuffmanTable ac = c.acTable;
    long window = input.accumulator;
    int available = input.bits;
    int k = 1;
    while (k < 64) {
      if (available < 32) {
        input.bits = available;
        input.fill();
        window = input.accumulator;
        available = input.bits;
      }
      int run =
          ac.runs[
              (int) (window >>> (available - JpegHuffmanTable.RUN_BITS))
                  & (1 << JpegHuffmanTable.RUN_BITS) - 1];
      int advanced = run >> 8 & 0xFF;
      if (run != 0 && k + advanced < 64) {
        available -= run & 0xFF;
        k += advanced;
        if ((run & JpegHuffmanTable.END_OF_BLOCK) != 0) {
          break;
        }
        continue;
      }
      // One symbol at a time: near the block's end, or a code too long for the window.
      input.bits = available;
      int step = JpegHuffmanTable.skip(ac.decode(input), 0);
      available = input.bits - (step & 0xFF);
      int advance = step >>> 8;
      if (advance == 0) {
        break;
      }
      k += advance;
    }
    input.bits = available;
    if (k > 64) {
      throw damaged("a block with more than 64 coefficients");
    }
  }

  private void restart(int expected, JpegComponent[] scan) throws IOException {
    input.fill();
    // Only the last byte's padding may be left before the marker.
    if (input.marker < 0
        || input.bits - 8 * input.paddingBytes >= 8
        || input.bits < 8 * input.paddingBytes) {
      throw damaged("data where restart marker " + expected + " should be");
    }
    if (input.marker != 0xD0 + expected) {
      throw damaged(
          "restart marker " + (input.marker - 0xD0) + " where " + expected + " should be");
    }
    input.resetBits();
    for (JpegComponent c : scan) {
      c.predictor = 0;
    }
  }

  private boolean allDecoded() {
    for (JpegComponent c : frame.components) {
      if (!c.decoded) {
        return false;
      }
    }
    return true;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  static Rejection damaged(String detail) {
    return new Rejection(Rejection.IMAGE_UNREADABLE, "corrupt JPEG data: " + detail);
  }
}
