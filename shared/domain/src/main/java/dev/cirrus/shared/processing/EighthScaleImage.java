package dev.cirrus.shared.processing;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The decoder's output: one pixel per 8x8 block of the luma, its mean, with the chroma blocks that
 * lie under it converted from YCbCr to RGB.
 */
final class EighthScaleImage {
  private EighthScaleImage() {}

  /**
   * @param width the frame's width in pixels
   * @param progressive whether the DC values are still in {@code coefficients}, to be dequantized
   */
  static BufferedImage of(
      JpegComponent[] components, int width, int height, int maxH, int maxV, boolean progressive) {
    if (progressive) {
      for (JpegComponent c : components) {
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
      JpegComponent c = components[i];
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

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
