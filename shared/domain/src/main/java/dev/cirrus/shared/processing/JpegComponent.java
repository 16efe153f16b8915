package dev.cirrus.shared.processing;

/** One colour component of a JPEG frame, and what the decoder has of it so far. */
final class JpegComponent {
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
  JpegHuffmanTable dcTable;
  JpegHuffmanTable acTable;
  int dcQuantizer;
  int predictor;
  boolean decoded;

  JpegComponent(int id, int h, int v, int quantizer) {
    this.id = id;
    this.h = h;
    this.v = v;
    this.quantizer = quantizer;
  }
}
