package dev.cirrus.shared.processing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What an image file declares about its size, read by walking its structure in one bounded pass and
 * allocating nothing the file can inflate: no compressed chunk is inflated, no segment is kept but
 * the first EXIF block (at most 64 KiB). Metadata libraries read every text chunk and profile in
 * full, so a 2 MB PNG whose zTXt chunks inflate a thousandfold could exhaust the heap before the
 * pixel limit was checked; this runs first.
 *
 * @param width the widest thing the decoder will allocate for: for a GIF, the larger of the logical
 *     screen and the first frame
 * @param progressive a progressive (or lossless/hierarchical multi-scan) JPEG: libjpeg keeps
 *     coefficients for the whole image while it decodes one
 * @param exif the TIFF block of the image's EXIF, if it has one of at most 64 KiB
 */
public record ImageHeaders(int width, int height, boolean progressive, Optional<byte[]> exif) {
  private static final int MAX_EXIF = 64 * 1024;
  private static final int MAX_SEGMENTS = 4096;
  private static final long MAX_PNG_METADATA = 1024 * 1024;
  private static final long MAX_ICC = 1024 * 1024;

  /** The file's structure is broken: it cannot be an image we can describe. */
  public static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  public long pixels() {
    return (long) width * height;
  }

  /**
   * @param type a sniffed image type; HEIC is not walked here (empty)
   */
  public static Optional<ImageHeaders> read(Path file, String type) throws Malformed {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 8192))) {
      return switch (type) {
        case "image/jpeg" -> Optional.of(jpeg(in));
        case "image/png" -> Optional.of(png(in));
        case "image/gif" -> Optional.of(gif(in));
        case "image/webp" -> Optional.of(webp(in));
        default -> Optional.empty();
      };
    } catch (EOFException e) {
      throw new Malformed("the file ends inside its headers");
    } catch (IOException e) {
      throw new Malformed("cannot read the headers: " + e.getMessage());
    }
  }

  private static ImageHeaders jpeg(DataInputStream in) throws IOException, Malformed {
    if (in.readUnsignedShort() != 0xFFD8) {
      throw new Malformed("not a JPEG");
    }
    byte[] exif = null;
    long iccBytes = 0;
    for (int segments = 0; segments < MAX_SEGMENTS; segments++) {
      int marker = nextMarker(in);
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // markers without a length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new Malformed("the image data starts before a frame header");
      }
      int length = in.readUnsignedShort();
      if (length < 2) {
        throw new Malformed("a segment of length " + length);
      }
      int body = length - 2;
      if (isStartOfFrame(marker)) {
        if (body < 6) {
          throw new Malformed("a frame header of " + body + " bytes");
        }
        in.readUnsignedByte(); // precision
        int height = in.readUnsignedShort();
        int width = in.readUnsignedShort();
        boolean progressive = marker != 0xC0 && marker != 0xC1 && marker != 0xC3;
        return new ImageHeaders(width, height, progressive, Optional.ofNullable(exif));
      }
      if (marker == 0xE2) {
        // The decoder gathers every ICC_PROFILE segment in memory to colour-convert with it;
        // real profiles are kilobytes, rarely a megabyte.
        iccBytes += body;
        if (iccBytes > MAX_ICC) {
          throw new Malformed("more than " + MAX_ICC + " bytes of colour profile");
        }
      }
      if (marker == 0xE1 && exif == null && body > 6) {
        byte[] segment = in.readNBytes(body);
        if (segment.length < body) {
          throw new EOFException();
        }
        if (new String(segment, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
          exif = Arrays.copyOfRange(segment, 6, segment.length);
        }
        continue;
      }
      skip(in, body);
    }
    throw new Malformed("more than " + MAX_SEGMENTS + " segments before the frame header");
  }

  private static int nextMarker(DataInputStream in) throws IOException, Malformed {
    if (in.readUnsignedByte() != 0xFF) {
      throw new Malformed("expected a marker");
    }
    int marker;
    int fill = 0;
    do {
      marker = in.readUnsignedByte();
      if (++fill > 64) {
        throw new Malformed("endless fill bytes");
      }
    } while (marker == 0xFF);
    return marker;
  }

  /** SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  private static ImageHeaders png(DataInputStream in) throws IOException, Malformed {
    byte[] signature = in.readNBytes(8);
    if (signature.length < 8
        || (signature[1] != 'P' || signature[2] != 'N' || signature[3] != 'G')) {
      throw new Malformed("not a PNG");
    }
    int length = in.readInt();
    byte[] kind = in.readNBytes(4);
    if (length != 13 || !new String(kind, StandardCharsets.ISO_8859_1).equals("IHDR")) {
      throw new Malformed("the first chunk is not a 13-byte IHDR");
    }
    long width = in.readInt() & 0xFFFFFFFFL;
    long height = in.readInt() & 0xFFFFFFFFL;
    skip(in, 5 + 4); // the rest of IHDR, its CRC
    // Walk to the pixels. Compressed text and colour profiles are never inflated here, but a
    // photo carries kilobytes of them: megabytes of compressed metadata are a bomb, not a photo.
    long compressedMetadata = 0;
    for (int chunks = 0; chunks < MAX_SEGMENTS; chunks++) {
      long chunkLength = in.readInt() & 0xFFFFFFFFL;
      String chunk = new String(in.readNBytes(4), StandardCharsets.ISO_8859_1);
      if (chunk.equals("IDAT")) {
        return new ImageHeaders(clamp(width), clamp(height), false, Optional.empty());
      }
      if (chunk.equals("zTXt") || chunk.equals("iTXt") || chunk.equals("iCCP")) {
        compressedMetadata += chunkLength;
        if (compressedMetadata > MAX_PNG_METADATA) {
          throw new Malformed(
              "more than " + MAX_PNG_METADATA + " bytes of compressed text and profiles");
        }
      }
      if (chunk.equals("IEND")) {
        break;
      }
      skip(in, chunkLength + 4);
    }
    throw new Malformed("no image data");
  }

  private static ImageHeaders gif(DataInputStream in) throws IOException, Malformed {
    byte[] signature = in.readNBytes(6);
    String version = new String(signature, StandardCharsets.ISO_8859_1);
    if (!version.equals("GIF87a") && !version.equals("GIF89a")) {
      throw new Malformed("not a GIF");
    }
    int screenWidth = littleShort(in);
    int screenHeight = littleShort(in);
    int packed = in.readUnsignedByte();
    skip(in, 2); // background colour, aspect ratio
    if ((packed & 0x80) != 0) {
      skip(in, 3L << ((packed & 0x07) + 1));
    }
    for (int blocks = 0; blocks < MAX_SEGMENTS; blocks++) {
      int introducer = in.readUnsignedByte();
      if (introducer == 0x21) {
        in.readUnsignedByte(); // label
        skipSubBlocks(in);
      } else if (introducer == 0x2C) {
        skip(in, 4); // left, top: the frame may lie anywhere, the decoder allocates its size
        int frameWidth = littleShort(in);
        int frameHeight = littleShort(in);
        long screen = (long) screenWidth * screenHeight;
        long frame = (long) frameWidth * frameHeight;
        return frame > screen
            ? new ImageHeaders(frameWidth, frameHeight, false, Optional.empty())
            : new ImageHeaders(screenWidth, screenHeight, false, Optional.empty());
      } else {
        throw new Malformed(
            "no image in the GIF (block 0x" + Integer.toHexString(introducer) + ")");
      }
    }
    throw new Malformed("more than " + MAX_SEGMENTS + " extensions before the first frame");
  }

  private static void skipSubBlocks(DataInputStream in) throws IOException, Malformed {
    for (int blocks = 0; ; blocks++) {
      int size = in.readUnsignedByte();
      if (size == 0) {
        return;
      }
      if (blocks > 1_000_000) {
        throw new Malformed("an endless extension");
      }
      skip(in, size);
    }
  }

  private static ImageHeaders webp(DataInputStream in) throws IOException, Malformed {
    byte[] riff = in.readNBytes(12);
    if (riff.length < 12
        || !new String(riff, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
        || !new String(riff, 8, 4, StandardCharsets.ISO_8859_1).equals("WEBP")) {
      throw new Malformed("not a WebP");
    }
    Integer width = null;
    Integer height = null;
    byte[] exif = null;
    for (int chunks = 0; chunks < MAX_SEGMENTS; chunks++) {
      byte[] fourcc = in.readNBytes(4);
      if (fourcc.length < 4) {
        break; // the end of the file
      }
      long size = littleInt(in) & 0xFFFFFFFFL;
      long padded = size + (size & 1);
      String kind = new String(fourcc, StandardCharsets.ISO_8859_1);
      switch (kind) {
        case "VP8X" -> {
          if (size < 10) {
            throw new Malformed("a VP8X chunk of " + size + " bytes");
          }
          skip(in, 4);
          width = littleTriple(in) + 1;
          height = littleTriple(in) + 1;
          skip(in, padded - 10);
        }
        case "VP8 " -> {
          if (size < 10) {
            throw new Malformed("a VP8 chunk of " + size + " bytes");
          }
          skip(in, 3); // frame tag
          if (in.readUnsignedByte() != 0x9D
              || in.readUnsignedByte() != 0x01
              || in.readUnsignedByte() != 0x2A) {
            throw new Malformed("a VP8 frame without its start code");
          }
          int w = littleShort(in) & 0x3FFF;
          int h = littleShort(in) & 0x3FFF;
          if (width == null) {
            width = w;
            height = h;
          }
          return new ImageHeaders(width, height, false, Optional.ofNullable(exif));
        }
        case "VP8L" -> {
          if (size < 5 || in.readUnsignedByte() != 0x2F) {
            throw new Malformed("a VP8L chunk without its signature");
          }
          long bits = littleInt(in) & 0xFFFFFFFFL;
          int w = (int) (bits & 0x3FFF) + 1;
          int h = (int) ((bits >> 14) & 0x3FFF) + 1;
          if (width == null) {
            width = w;
            height = h;
          }
          return new ImageHeaders(width, height, false, Optional.ofNullable(exif));
        }
        case "EXIF" -> {
          if (size <= MAX_EXIF && exif == null) {
            byte[] block = in.readNBytes((int) size);
            if (block.length < size) {
              throw new EOFException();
            }
            exif =
                block.length > 6
                        && new String(block, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")
                    ? Arrays.copyOfRange(block, 6, block.length)
                    : block;
            skip(in, padded - size);
          } else {
            skip(in, padded);
          }
        }
        default -> skip(in, padded);
      }
    }
    if (width == null) {
      throw new Malformed("no VP8, VP8L or VP8X chunk");
    }
    return new ImageHeaders(width, height, false, Optional.ofNullable(exif));
  }

  private static int clamp(long dimension) {
    return (int) Math.min(dimension, Integer.MAX_VALUE);
  }

  private static int littleShort(DataInputStream in) throws IOException {
    int low = in.readUnsignedByte();
    return low | (in.readUnsignedByte() << 8);
  }

  private static int littleTriple(DataInputStream in) throws IOException {
    return littleShort(in) | (in.readUnsignedByte() << 16);
  }

  private static int littleInt(DataInputStream in) throws IOException {
    return littleShort(in) | (littleShort(in) << 16);
  }

  /** Skips exactly {@code n} bytes, or fails at the end of the file. */
  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException();
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
