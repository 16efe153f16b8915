package dev.cirrus.shared.processing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
  private static final int LOOKUP_BITS = 10;

  /** The width of the window from which several AC symbols are stepped over at once. */
  private static final int RUN_BITS = 12;

  private static final int END_OF_BLOCK = 1 << 16;

  private static final int SEQUENTIAL = 0;
  private static final int DC_FIRST = 1;
  private static final int DC_REFINE = 2;

  /** Stands for the end of the file where the entropy-coded data should have had a marker. */
  private static final int END_OF_FILE = 0x100;

  private final InputStream in;
  private final int expectedWidth;
  private final int expectedHeight;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;

  private int width;
  private int height;
  private Component[] components;
  private int maxH;
  private int maxV;
  private final int[] dcQuantizers = new int[4];
  private final boolean[] quantizerDefined = new boolean[4];
  private final Huffman[] dcTables = new Huffman[4];
  private final Huffman[] acTables = new Huffman[4];
  private int restartInterval;
  private boolean rgbCoded;
  private boolean progressive;

  // The entropy decoder's bit buffer: the low `bits` bits of `accumulator`, oldest first.
  private long accumulator;
  private int bits;
  // Zero bytes fed after the data ended (at a marker or the end of the file): consuming them
  // means the data was cut short.
  private int paddingBytes;
  private int marker = -1;

  private EighthScaleJpegDecoder(InputStream in, int expectedWidth, int expectedHeight) {
    this.in = in;
    this.expectedWidth = expectedWidth;
    this.expectedHeight = expectedHeight;
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
    if (readByte() != 0xFF || readByte() != 0xD8) {
      throw damaged("no start-of-image marker");
    }
    while (true) {
      int code = nextMarker();
      switch (code) {
        case 0xC0, 0xC1 -> {
          if (!readFrame()) {
            return Optional.empty();
          }
        }
        case 0xC2 -> {
          progressive = true;
          if (!readFrame()) {
            return Optional.empty();
          }
        }
        case 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> {
          return Optional.empty();
        }
        case 0xC4 -> readHuffmanTables();
        case 0xDB -> readQuantizers();
        case 0xDD -> {
          readLength(4);
          restartInterval = readU16();
        }
        case 0xEE -> readAdobe();
        case 0xDA -> {
          if (components == null) {
            throw damaged("a scan before the frame header");
          }
          if (rgbCoded && components.length == 3) {
            return Optional.empty();
          }
          decodeScan();
          if (!progressive && allDecoded()) {
            return Optional.of(image());
          }
        }
        case 0xD9 -> {
          // A progressive image's DC may be refined by any later scan: done only at the end.
          if (progressive && components != null && allDecoded()) {
            return Optional.of(image());
          }
          throw damaged("the image ends before all of its data");
        }
        case END_OF_FILE -> throw damaged("the file ends before the image does");
        default -> {
          if (code >= 0xD0 && code <= 0xD8 || code == 0x01) {
            throw damaged("a stray marker 0x" + Integer.toHexString(code));
          }
          skip(readLength(2) - 2);
        }
      }
    }
  }

  /**
   * @return whether this decoder handles the frame
   */
  private boolean readFrame() throws IOException {
    if (components != null) {
      throw damaged("a second frame header");
    }
    int length = readLength(8);
    int precision = readByte();
    height = readU16();
    width = readU16();
    int count = readByte();
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
    components = new Component[count];
    for (int i = 0; i < count; i++) {
      int id = readByte();
      int sampling = readByte();
      int quantizer = readByte();
      int h = sampling >> 4;
      int v = sampling & 15;
      if (h < 1 || h > 4 || v < 1 || v > 4 || quantizer > 3) {
        throw damaged("a component with sampling " + h + "x" + v + ", table " + quantizer);
      }
      components[i] = new Component(id, h, v, quantizer);
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
    for (Component c : components) {
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

  private void readAdobe() throws IOException {
    int length = readLength(2);
    byte[] body = new byte[length - 2];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) readByte();
    }
    // "Adobe", version, flags0, flags1, transform: 0 means the three channels are RGB.
    if (body.length >= 12 && new String(body, 0, 5, StandardCharsets.US_ASCII).equals("Adobe")) {
      rgbCoded = body[11] == 0;
    }
  }

  private void readQuantizers() throws IOException {
    int remaining = readLength(2) - 2;
    while (remaining > 0) {
      int spec = readByte();
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
      dcQuantizers[table] = precision == 0 ? readByte() : readU16();
      skip(size - (precision == 0 ? 1 : 2));
      quantizerDefined[table] = true;
      remaining -= 1 + size;
    }
  }

  private void readHuffmanTables() throws IOException {
    int remaining = readLength(2) - 2;
    while (remaining > 0) {
      int spec = readByte();
      int type = spec >> 4;
      int table = spec & 15;
      if (type > 1 || table > 3 || remaining < 17) {
        throw damaged("a Huffman table " + spec);
      }
      int[] counts = new int[17];
      int total = 0;
      for (int length = 1; length <= 16; length++) {
        counts[length] = readByte();
        total += counts[length];
      }
      if (total > 256 || remaining < 17 + total) {
        throw damaged("a Huffman table with " + total + " codes");
      }
      byte[] symbols = new byte[total];
      for (int i = 0; i < total; i++) {
        symbols[i] = (byte) readByte();
        if (type == 0 && (symbols[i] & 0xFF) > 15) {
          throw damaged("a DC Huffman table with symbol " + (symbols[i] & 0xFF));
        }
      }
      (type == 0 ? dcTables : acTables)[table] = new Huffman(counts, symbols);
      remaining -= 17 + total;
    }
  }

  private void decodeScan() throws IOException {
    int length = readLength(6);
    int count = readByte();
    if (count < 1 || count > 4 || length != 6 + 2 * count) {
      throw damaged("a scan header of the wrong length");
    }
    Component[] scan = new Component[count];
    for (int i = 0; i < count; i++) {
      int id = readByte();
      int tables = readByte();
      for (Component c : components) {
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
    int start = readByte();
    int end = readByte();
    int approximation = readByte();
    int high = approximation >> 4;
    int low = approximation & 15;
    int mode;
    if (!progressive) {
      if (start != 0 || end != 63 || approximation != 0) {
        throw damaged("a sequential scan with spectral selection " + start + "-" + end);
      }
      mode = SEQUENTIAL;
    } else if (start > 0) {
      // An AC scan of a progressive image: nothing in it changes a block's mean.
      if (end < start || end > 63 || count != 1) {
        throw damaged("a progressive AC scan " + start + "-" + end + " of " + count);
      }
      skipEntropyData();
      return;
    } else if (end != 0 || low > 13) {
      throw damaged("a progressive DC scan with spectral selection 0-" + end);
    } else {
      mode = high == 0 ? DC_FIRST : DC_REFINE;
    }
    for (Component c : scan) {
      c.dcTable = c.dcTableId > 3 ? null : dcTables[c.dcTableId];
      c.acTable = c.acTableId > 3 ? null : acTables[c.acTableId];
      boolean tablesMissing =
          switch (mode) {
            case SEQUENTIAL -> c.dcTable == null || c.acTable == null;
            case DC_FIRST -> c.dcTable == null;
            default -> !c.decoded;
          };
      if (tablesMissing || !quantizerDefined[c.quantizer]) {
        throw damaged("a scan whose tables are not defined");
      }
      if (mode != DC_REFINE) {
        c.dcQuantizer = dcQuantizers[c.quantizer];
      }
      c.predictor = 0;
    }
    resetBits();
    int mcus;
    int mcusX;
    if (count == 1) {
      mcusX = scan[0].blocksX;
      mcus = mcusX * scan[0].blocksY;
    } else {
      mcusX = ceilDiv(width, 8 * maxH);
      mcus = mcusX * ceilDiv(height, 8 * maxV);
    }
    int restarts = 0;
    for (int mcu = 0; mcu < mcus; mcu++) {
      if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
        restart(restarts++ & 7, scan);
      }
      int mx = mcu % mcusX;
      int my = mcu / mcusX;
      if (count == 1) {
        decodeBlock(mode, low, scan[0], mx, my);
      } else {
        for (Component c : scan) {
          for (int v = 0; v < c.v; v++) {
            for (int h = 0; h < c.h; h++) {
              decodeBlock(mode, low, c, mx * c.h + h, my * c.v + v);
            }
          }
        }
      }
      if (bits < 8 * paddingBytes) {
        throw damaged("the image data ends early");
      }
    }
    for (Component c : scan) {
      c.decoded = true;
    }
  }

  private void decodeBlock(int mode, int shift, Component c, int x, int y) throws IOException {
    if (bits < 32) {
      fill();
    }
    if (mode == DC_REFINE) {
      bits -= 1;
      if ((accumulator >>> bits & 1) != 0) {
        c.coefficients[y * c.stride + x] |= 1 << shift;
      }
      return;
    }
    int s = c.dcTable.decode(this);
    if (mode == DC_FIRST) {
      if (s > 0) {
        c.predictor += receiveExtend(s);
      }
      c.coefficients[y * c.stride + x] = c.predictor << shift;
      return;
    }
    if (s > 0) {
      c.predictor += receiveExtend(s);
    }
    int mean = ((c.predictor * c.dcQuantizer + 4) >> 3) + 128;
    c.dc[y * c.stride + x] = (byte) (mean < 0 ? 0 : Math.min(mean, 255));
    // The hot loop: the bit buffer in locals; one lookup steps over as many whole coefficients
    // (code and value bits; the value itself is never needed) as the window holds.
    Huffman ac = c.acTable;
    long window = accumulator;
    int available = bits;
    int k = 1;
    while (k < 64) {
      if (available < 32) {
        bits = available;
        fill();
        window = accumulator;
        available = bits;
      }
      int run = ac.runs[(int) (window >>> (available - RUN_BITS)) & (1 << RUN_BITS) - 1];
      int advanced = run >> 8 & 0xFF;
      if (run != 0 && k + advanced < 64) {
        available -= run & 0xFF;
        k += advanced;
        if ((run & END_OF_BLOCK) != 0) {
          break;
        }
        continue;
      }
      // One symbol at a time: near the block's end, or a code too long for the window.
      bits = available;
      int step = skip(ac.decode(this), 0);
      available = bits - (step & 0xFF);
      int advance = step >>> 8;
      if (advance == 0) {
        break;
      }
      k += advance;
    }
    bits = available;
    if (k > 64) {
      throw damaged("a block with more than 64 coefficients");
    }
  }

  private int receiveExtend(int size) throws IOException {
    if (bits < size) {
      fill();
    }
    bits -= size;
    int value = (int) (accumulator >>> bits) & ((1 << size) - 1);
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }

  private void restart(int expected, Component[] scan) throws IOException {
    fill();
    // Only the last byte's padding may be left before the marker.
    if (marker < 0 || bits - 8 * paddingBytes >= 8 || bits < 8 * paddingBytes) {
      throw damaged("data where restart marker " + expected + " should be");
    }
    if (marker != 0xD0 + expected) {
      throw damaged("restart marker " + (marker - 0xD0) + " where " + expected + " should be");
    }
    resetBits();
    for (Component c : scan) {
      c.predictor = 0;
    }
  }

  private void resetBits() {
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
  private void skipEntropyData() throws IOException {
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

  private boolean allDecoded() {
    for (Component c : components) {
      if (!c.decoded) {
        return false;
      }
    }
    return true;
  }

  private BufferedImage image() {
    if (progressive) {
      for (Component c : components) {
        for (int i = 0; i < c.dc.length; i++) {
          int mean = ((c.coefficients[i] * c.dcQuantizer + 4) >> 3) + 128;
          c.dc[i] = (byte) (mean < 0 ? 0 : Math.min(mean, 255));
        }
      }
    }
    int outWidth = ceilDiv(width, 8);
    int outHeight = ceilDiv(height, 8);
    BufferedImage image = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    // Which block of each component lies under each output pixel: its rows and columns are
    // scaled by the component's sampling factors (chroma is usually half the luma's resolution).
    int[][] rows = new int[components.length][];
    int[][] columns = new int[components.length][];
    for (int i = 0; i < components.length; i++) {
      Component c = components[i];
      rows[i] = new int[outHeight];
      columns[i] = new int[outWidth];
      for (int row = 0; row < outHeight; row++) {
        rows[i][row] = row * c.v / maxV * c.stride;
      }
      for (int col = 0; col < outWidth; col++) {
        columns[i][col] = col * c.h / maxH;
      }
    }
    byte[] luma = components[0].dc;
    for (int row = 0; row < outHeight; row++) {
      int out = row * outWidth;
      if (components.length == 1) {
        for (int col = 0; col < outWidth; col++) {
          int y = luma[rows[0][row] + columns[0][col]] & 0xFF;
          pixels[out + col] = y << 16 | y << 8 | y;
        }
        continue;
      }
      byte[] cb = components[1].dc;
      byte[] cr = components[2].dc;
      for (int col = 0; col < outWidth; col++) {
        int y = luma[rows[0][row] + columns[0][col]] & 0xFF;
        int blue = (cb[rows[1][row] + columns[1][col]] & 0xFF) - 128;
        int red = (cr[rows[2][row] + columns[2][col]] & 0xFF) - 128;
        // JFIF's YCbCr to RGB in 16.16 fixed point, as libjpeg computes it.
        int r = y + ((91881 * red + 32768) >> 16);
        int g = y + ((-22554 * blue - 46802 * red + 32768) >> 16);
        int b = y + ((116130 * blue + 32768) >> 16);
        pixels[out + col] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
      }
    }
    return image;
  }

  private static int clamp(int value) {
    return value < 0 ? 0 : Math.min(value, 255);
  }

  private int nextMarker() throws IOException {
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

  private int readLength(int minimum) throws IOException {
    int length = readU16();
    if (length < minimum) {
      throw damaged("a segment of length " + length);
    }
    return length;
  }

  private int readU16() throws IOException {
    return readByte() << 8 | readByte();
  }

  private int readByte() throws IOException {
    int b = readByteOrEnd();
    if (b < 0) {
      throw damaged("the file ends inside a header");
    }
    return b;
  }

  private int readByteOrEnd() throws IOException {
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

  private void skip(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      readByte();
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * What an AC symbol {@code rs} (a run of zeros, then a value of {@code s} bits) whose code is
   * {@code codeLength} long costs: (coefficients advanced << 8 | bits to step over); advanced is 0
   * for the end of the block.
   */
  private static int skip(int rs, int codeLength) {
    int run = rs >> 4;
    int size = rs & 15;
    if (size == 0) {
      return (run == 15 ? 16 << 8 : 0) | codeLength;
    }
    return (run + 1) << 8 | (codeLength + size);
  }

  private static Rejection damaged(String detail) {
    return new Rejection(Rejection.IMAGE_UNREADABLE, "corrupt JPEG data: " + detail);
  }

  private static final class Component {
    final int id;
    final int h;
    final int v;
    final int quantizer;
    int stride;
    int blocksX;
    int blocksY;
    byte[] dc;

    /** A progressive image's DC coefficients, refined scan by scan; null when sequential. */
    int[] coefficients;

    int dcTableId;
    int acTableId;
    Huffman dcTable;
    Huffman acTable;
    int dcQuantizer;
    int predictor;
    boolean decoded;

    Component(int id, int h, int v, int quantizer) {
      this.id = id;
      this.h = h;
      this.v = v;
      this.quantizer = quantizer;
    }
  }

  /**
   * A Huffman table: codes up to 10 bits by one lookup, longer ones by the JPEG standard's walk.
   */
  private static final class Huffman {
    /** (code length << 8 | symbol) for every prefix that starts with a short code, else 0. */
    private final int[] lookup = new int[1 << LOOKUP_BITS];

    /**
     * For an AC table, what the complete symbols at the start of every {@link #RUN_BITS}-bit window
     * cost together: (end of block flag | coefficients advanced << 8 | bits), 0 when not even one
     * fits. Taken only when it cannot pass the block's last coefficient.
     */
    private final int[] runs = new int[1 << RUN_BITS];

    private final int[] maxCode = new int[18];
    private final int[] offset = new int[18];
    private final byte[] symbols;

    Huffman(int[] counts, byte[] symbols) {
      this.symbols = symbols;
      int code = 0;
      int k = 0;
      for (int length = 1; length <= 16; length++) {
        offset[length] = k - code;
        for (int i = 0; i < counts[length]; i++, k++, code++) {
          if (length <= LOOKUP_BITS) {
            int shift = LOOKUP_BITS - length;
            for (int fill = 0; fill < 1 << shift; fill++) {
              lookup[code << shift | fill] = length << 8 | (symbols[k] & 0xFF);
            }
          }
        }
        if (code > 1 << length) {
          throw damaged("a Huffman table with more codes than fit their lengths");
        }
        maxCode[length] = counts[length] == 0 ? -1 : code - 1;
        code <<= 1;
      }
      maxCode[17] = Integer.MAX_VALUE;
      for (int window = 0; window < runs.length; window++) {
        runs[window] = run(window);
      }
    }

    private int run(int window) {
      int used = 0;
      int advanced = 0;
      while (true) {
        int rs = -1;
        int length = 1;
        for (; length <= 16 && used + length <= RUN_BITS; length++) {
          int code = window >>> (RUN_BITS - used - length) & (1 << length) - 1;
          if (code <= maxCode[length]) {
            rs = symbols[code + offset[length]] & 0xFF;
            break;
          }
        }
        if (rs < 0 || used + length + (rs & 15) > RUN_BITS) {
          return used == 0 ? 0 : advanced << 8 | used;
        }
        used += length + (rs & 15);
        if ((rs & 15) == 0 && rs >> 4 != 15) {
          return END_OF_BLOCK | advanced << 8 | used;
        }
        advanced += (rs & 15) == 0 ? 16 : (rs >> 4) + 1;
      }
    }

    /** The next symbol; the caller has made sure 32 bits are buffered. */
    int decode(EighthScaleJpegDecoder d) {
      int entry = lookup[(int) (d.accumulator >>> (d.bits - LOOKUP_BITS)) & (1 << LOOKUP_BITS) - 1];
      if (entry != 0) {
        d.bits -= entry >> 8;
        return entry & 0xFF;
      }
      for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
        int code = (int) (d.accumulator >>> (d.bits - length)) & (1 << length) - 1;
        if (code <= maxCode[length]) {
          d.bits -= length;
          return symbols[code + offset[length]] & 0xFF;
        }
      }
      throw damaged("a Huffman code that is in no table");
    }
  }
}
