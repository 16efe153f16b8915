package dev.cirrus.shared.processing;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import dev.cirrus.shared.files.ImageInfo;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Makes a JPEG thumbnail whose longest edge is {@code edge}, with the EXIF orientation applied.
 * Large images are never decoded whole: a 50-megapixel photo needs a few megabytes of heap, not
 * hundreds. A JPEG at least eight times the target is decoded at 1/8 scale in the DCT ({@link
 * EighthScaleJpegDecoder}), as libvips does; other images with source subsampling to about twice
 * the target size.
 */
public final class Thumbnailer {
  /**
   * The types ImageIO decodes here: the JDK's readers and TwelveMonkeys' WebP reader. HEIC gets
   * metadata but no thumbnail: no Java decoder for it is available.
   */
  public static final Set<String> DECODABLE =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private final int edge;
  private final float quality;

  public Thumbnailer(int edge, float quality) {
    this.edge = edge;
    this.quality = quality;
    // ImageIO finds plugins through the class loader that first touches it; a function's own
    // class loader may not be that one, so the WebP reader is registered by name (idempotent).
    IIORegistry.getDefaultInstance().registerServiceProvider(new WebPImageReaderSpi());
  }

  /** A rendered thumbnail. */
  public record Rendered(byte[] jpeg, int width, int height) {}

  /**
   * @throws Rejection {@code image-unreadable} when the pixels cannot be decoded (truncated or
   *     corrupt data)
   */
  public Rendered render(Path file, ImageInfo info) {
    BufferedImage decoded = decode(file, info);
    BufferedImage scaled = scale(decoded);
    BufferedImage oriented = orient(scaled, info.orientation());
    return new Rendered(encode(oriented), oriented.getWidth(), oriented.getHeight());
  }

  private BufferedImage decode(Path file, ImageInfo info) {
    if (info.format().equals("jpeg") && Math.max(info.width(), info.height()) / 8 >= edge) {
      try {
        Optional<BufferedImage> scaled =
            EighthScaleJpegDecoder.decode(file, info.width(), info.height());
        if (scaled.isPresent()) {
          return scaled.get();
        }
      } catch (IOException e) {
        throw new Rejection(Rejection.IMAGE_UNREADABLE, "cannot read the image: " + e.getMessage());
      }
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new Rejection(Rejection.IMAGE_UNREADABLE, "no decoder for " + info.format());
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        int longest = Math.max(reader.getWidth(0), reader.getHeight(0));
        int step = Math.max(1, longest / (edge * 2));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
          // libjpeg reports truncated data as a warning and pads with grey: that is not a photo.
          throw new Rejection(Rejection.IMAGE_UNREADABLE, "corrupt image data: " + warnings.get(0));
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof Rejection rejection) {
        throw rejection;
      }
      throw new Rejection(Rejection.IMAGE_UNREADABLE, "cannot decode the image: " + e.getMessage());
    }
  }

  /** Halves with bilinear filtering while far from the target, then one bicubic step. */
  private BufferedImage scale(BufferedImage image) {
    BufferedImage current = toRgb(image);
    int longest = Math.max(current.getWidth(), current.getHeight());
    if (longest <= edge) {
      return current;
    }
    while (Math.max(current.getWidth(), current.getHeight()) >= edge * 2) {
      current =
          draw(
              current,
              current.getWidth() / 2,
              current.getHeight() / 2,
              RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
    double factor = (double) edge / Math.max(current.getWidth(), current.getHeight());
    int width = Math.max(1, (int) Math.round(current.getWidth() * factor));
    int height = Math.max(1, (int) Math.round(current.getHeight() * factor));
    return draw(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
  }

  private static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    // Transparent pixels become white, as JPEG has no alpha.
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static BufferedImage draw(
      BufferedImage source, int width, int height, Object interpolation) {
    BufferedImage target =
        new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(source, 0, 0, target.getWidth(), target.getHeight(), null);
    } finally {
      g.dispose();
    }
    return target;
  }

  /** Applies EXIF orientation 1-8 so the thumbnail displays upright without metadata. */
  static BufferedImage orient(BufferedImage image, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = orientation >= 5;
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        switch (orientation) {
          case 2 -> out.setRGB(w - 1 - x, y, rgb);
          case 3 -> out.setRGB(w - 1 - x, h - 1 - y, rgb);
          case 4 -> out.setRGB(x, h - 1 - y, rgb);
          case 5 -> out.setRGB(y, x, rgb);
          case 6 -> out.setRGB(h - 1 - y, x, rgb);
          case 7 -> out.setRGB(h - 1 - y, w - 1 - x, rgb);
          default -> out.setRGB(y, w - 1 - x, rgb);
        }
      }
    }
    return out;
  }

  private byte[] encode(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new IllegalStateException("encoding a JPEG in memory cannot fail", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
