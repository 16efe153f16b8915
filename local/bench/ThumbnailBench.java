import dev.cirrus.shared.files.ImageInfo;
import dev.cirrus.shared.processing.ImageInspector;
import dev.cirrus.shared.processing.ObjectScan;
import dev.cirrus.shared.processing.SpoolBudget;
import dev.cirrus.shared.processing.Thumbnailer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Thumbnail time of process-upload's Thumbnailer (decode, orient, scale, encode) against the peer a
 * user would pick instead, sharp (libvips, as Firebase's Resize Images extension calls it), and
 * ImageMagick at its fastest when installed, on the same files in the same run; and the whole
 * in-memory processing of a 50-megapixel photo in a JVM limited to -Xmx96m.
 *
 * <p>Usage: java -cp CLASSPATH ThumbnailBench.java WORKDIR RUNS NODE_THUMBNAILS_DIR; or, as the
 * child that processes one file: java -Xmx96m -cp CLASSPATH ThumbnailBench.java --process FILE
 */
public class ThumbnailBench {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("--process")) {
      processOne(Path.of(args[1]));
      return;
    }
    Path work = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    Path sharp = Path.of(args[2]);
    boolean magickInstalled = Files.isExecutable(Path.of("/usr/bin/convert"));
    System.out.printf(
        "warm: median of %d runs after %d untimed ones, as in an instance that has made thumbnails"
            + " before; first: the first run in the process (at 12 MP a fresh one: Java's includes"
            + " class loading and the JIT's start)%n",
        runs, WARM_UPS);
    System.out.printf(
        "%-8s %10s %10s %12s %11s %11s %14s%n",
        "size", "java ms", "sharp ms", "java/sharp", "java first", "sharp first", "imagemagick ms");
    List<String> differences = new ArrayList<>();
    // {width, height, progressive}: phones write baseline JPEGs, the web often progressive ones.
    for (int[] size : new int[][] {{4000, 3000, 0}, {8660, 5773, 0}, {4000, 3000, 1}}) {
      boolean progressive = size[2] == 1;
      Path photo =
          work.resolve(size[0] + "x" + size[1] + (progressive ? "-progressive" : "") + ".jpg");
      if (!Files.exists(photo)) {
        Files.write(photo, photo(size[0], size[1], progressive));
      }
      double[] java = medianMillis(runs, () -> javaThumbnail(photo));
      double[] peer = sharpMillis(sharp, runs, photo);
      // Like for like: the same dimensions as sharp's thumbnail, and nearly the same pixels.
      Thumbnailer.Rendered ours = javaThumbnail(photo);
      BufferedImage theirs =
          ImageIO.read(photo.resolveSibling(photo.getFileName() + ".sharp.jpg").toFile());
      if (ours.width() != theirs.getWidth() || ours.height() != theirs.getHeight()) {
        throw new IllegalStateException(
            photo.getFileName()
                + ": Cirrus made "
                + ours.width()
                + "x"
                + ours.height()
                + ", sharp "
                + theirs.getWidth()
                + "x"
                + theirs.getHeight());
      }
      double difference =
          meanDifference(ImageIO.read(new ByteArrayInputStream(ours.jpeg())), theirs);
      differences.add(
          photo.getFileName()
              + " "
              + ours.width()
              + "x"
              + ours.height()
              + String.format(", mean difference from sharp's %.1f levels of 255", difference));
      Path out = work.resolve("im.jpg");
      double magick =
          magickInstalled
              ? medianMillis(
                  runs,
                  () ->
                      run(
                          "/usr/bin/convert",
                          "-define",
                          "jpeg:size=512x512",
                          photo.toString(),
                          "-auto-orient",
                          "-thumbnail",
                          "256x256",
                          out.toString()))[0]
              : Double.NaN;
      System.out.printf(
          "%-8s %10.1f %10.1f %12.2f %11.1f %11.1f %14s   (%.1f MB)%n",
          Math.round(size[0] * (double) size[1] / 1e6) + "MP" + (progressive ? " p" : ""),
          java[0],
          peer[0],
          java[0] / peer[0],
          java[1],
          peer[1],
          magickInstalled ? String.format("%.1f", magick) : "not installed",
          Files.size(photo) / 1e6);
    }
    differences.forEach(line -> System.out.println("  output: " + line));
    Path big = work.resolve("8660x5773.jpg");
    String cp = System.getProperty("java.class.path");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-XX:+UseSerialGC",
                "-cp",
                cp,
                "local/bench/ThumbnailBench.java",
                "--process",
                big.toString())
            .inheritIO()
            .start();
    int exit = child.waitFor();
    System.out.println(
        "whole processing of the 50 MP photo in -Xmx96m: "
            + (exit == 0 ? "ok" : "FAILED (exit " + exit + ")"));
  }

  /** What process-upload does with the bytes of one image, from stream to thumbnail. */
  static void processOne(Path file) throws Exception {
    long t0 = System.nanoTime();
    try (InputStream in = Files.newInputStream(file);
        SpoolBudget.Reservation room =
            new SpoolBudget(Files.size(file), Duration.ZERO).reserve(Files.size(file));
        ObjectScan scan = ObjectScan.of(ObjectScan.sniff(in), room)) {
      ImageInfo info =
          new ImageInspector(100_000_000L, 25_000_000L)
              .inspect(scan.spool().orElseThrow(), scan.detectedType());
      Thumbnailer.Rendered thumb =
          new Thumbnailer(256, 0.85f).render(scan.spool().orElseThrow(), info);
      Runtime rt = Runtime.getRuntime();
      System.out.printf(
          "  child: %dx%d orientation %d -> %dx%d thumbnail in %d ms; heap max %d MiB, used now %d MiB%n",
          info.width(),
          info.height(),
          info.orientation(),
          thumb.width(),
          thumb.height(),
          (System.nanoTime() - t0) / 1_000_000,
          rt.maxMemory() >> 20,
          (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
  }

  // One of each per instance, as process-upload wires them (UploadVerifier).
  static final ImageInspector INSPECTOR = new ImageInspector(100_000_000L, 25_000_000L);
  static final Thumbnailer THUMBNAILER = new Thumbnailer(256, 0.85f);

  static Thumbnailer.Rendered javaThumbnail(Path photo) {
    return THUMBNAILER.render(photo, INSPECTOR.inspect(photo, "image/jpeg"));
  }

  /** The mean absolute difference of two images of one size, over every channel of every pixel. */
  static double meanDifference(BufferedImage a, BufferedImage b) {
    long total = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          total += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
        }
      }
    }
    return total / (3.0 * a.getWidth() * a.getHeight());
  }

  /** sharp's median and first run in one Node process, warmed as Java is. */
  static double[] sharpMillis(Path dir, int runs, Path photo) throws Exception {
    Process p =
        new ProcessBuilder(
                "node",
                dir.resolve("index.js").toString(),
                String.valueOf(WARM_UPS),
                String.valueOf(runs),
                "256",
                "85",
                photo.getParent().toString(),
                photo.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the sharp peer failed: " + out);
    }
    String[] fields = out.split(" ");
    return new double[] {Double.parseDouble(fields[1]), Double.parseDouble(fields[3])};
  }

  static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static final int WARM_UPS = 10;

  /** {median of {@code runs} timed runs after {@link #WARM_UPS} untimed ones, the first run}. */
  static double[] medianMillis(int runs, Runnable action) {
    long t = System.nanoTime();
    action.run();
    double first = (System.nanoTime() - t) / 1e6;
    for (int i = 1; i < WARM_UPS; i++) {
      action.run();
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      action.run();
      times.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(times);
    return new double[] {times.get(runs / 2), first};
  }

  /** A camera-like photo: smooth gradients with sensor noise, and EXIF orientation 6. */
  static byte[] photo(int width, int height, boolean progressive) throws Exception {
    Random random = new Random(42);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = Math.min(255, x * 200 / width + random.nextInt(72));
        int g = Math.min(255, y * 200 / height + random.nextInt(72));
        int b = Math.min(255, ((x + y) & 0xFF) / 2 + random.nextInt(72));
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
    if (progressive) {
      param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
    }
    try (var out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
    }
    writer.dispose();
    byte[] plain = bytes.toByteArray();
    // EXIF with orientation 6, big-endian: IFD0 with one entry.
    byte[] tiff = {
      'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0
    };
    byte[] header = "Exif\0\0".getBytes();
    int length = 2 + header.length + tiff.length;
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(plain.length + 2 + length);
    out.put(plain, 0, 2)
        .put((byte) 0xFF)
        .put((byte) 0xE1)
        .putShort((short) length)
        .put(header)
        .put(tiff);
    out.put(plain, 2, plain.length - 2);
    return out.array();
  }
}
