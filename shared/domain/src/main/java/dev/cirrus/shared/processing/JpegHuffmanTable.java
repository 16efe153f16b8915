package dev.cirrus.shared.processing;

import static dev.cirrus.shared.processing.EighthScaleJpegDecoder.damaged;

/** A Huffman table: codes up to 10 bits by one lookup, longer ones by the JPEG standard's walk. */
final class JpegHuffmanTable {
  static final int LOOKUP_BITS = 10;

  /** The width of the window from which several AC symbols are stepped over at once. */
  static final int RUN_BITS = 12;

  static final int END_OF_BLOCK = 1 << 16;

  /** (code length << 8 | symbol) for every prefix that starts with a short code, else 0. */
  private final int[] lookup = new int[1 << LOOKUP_BITS];

  /**
   * For an AC table, what the complete symbols at the start of every {@link #RUN_BITS}-bit window
   * cost together: (end of block flag | coefficients advanced << 8 | bits), 0 when not even one
   * fits. Taken only when it cannot pass the block's last coefficient.
   */
  final int[] runs = new int[1 << RUN_BITS];

  private final int[] maxCode = new int[18];
  private final int[] offset = new int[18];
  private final byte[] symbols;

  JpegHuffmanTable(int[] counts, byte[] symbols) {
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
  int decode(JpegInput d) {
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

  /**
   * What an AC symbol {@code rs} (a run of zeros, then a value of {@code s} bits) whose code is
   * {@code codeLength} long costs: (coefficients advanced << 8 | bits to step over); advanced is 0
   * for the end of the block.
   */
  static int skip(int rs, int codeLength) {
    int run = rs >> 4;
    int size = rs & 15;
    if (size == 0) {
      return (run == 15 ? 16 << 8 : 0) | codeLength;
    }
    return (run + 1) << 8 | (codeLength + size);
  }
}
