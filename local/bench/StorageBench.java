import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.cirrus.local.emulators.ProcessStats;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Cloud Storage emulator's benchmark (issue 3), run by local/bench/storage: a large object
 * uploaded (resumable, 16 MiB chunks) and downloaded through the Java client, three times, each as
 * a ratio to the floor measured in the same run: copying the same file on the same disk while
 * computing its MD5 in the same pass, the least work a store that answers with an object's md5Hash
 * does. Also the emulator's peak RSS, sampled from /proc while it works.
 */
public final class StorageBench {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    long pid = Long.parseLong(args[1]);
    Path source = Path.of(args[2]);
    Path work = source.getParent();
    long size = Files.size(source);
    double mib = size / 1048576.0;

    AtomicLong peak = new AtomicLong();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ProcessStats.rssKib(pid), Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();

    Storage storage =
        StorageOptions.newBuilder()
            .setHost(url)
            .setProjectId("demo-bench")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    storage.create(BucketInfo.of("bench"));
    BlobId id = BlobId.of("bench", "large.bin");
    Path downloaded = work.resolve("downloaded.bin");

    // Rounds of copy, upload, download, so page-cache and writeback drift hit all three alike;
    // the medians are reported (one copy of 1 GiB varied from 440 to 2,000 MiB/s here).
    int rounds = 3;
    double[] copySeconds = new double[rounds];
    double[] uploadSeconds = new double[rounds];
    double[] downloadSeconds = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      String md5 = copyWithMd5(source, work.resolve("copy.bin"));
      copySeconds[round] = (System.nanoTime() - t0) / 1e9;
      Files.delete(work.resolve("copy.bin"));

      double[] cpu0 = {
        ProcessStats.cpuSeconds(pid), ProcessStats.cpuSeconds(ProcessHandle.current().pid())
      };
      t0 = System.nanoTime();
      try (FileChannel in = FileChannel.open(source);
          WriteChannel writer = storage.writer(BlobInfo.newBuilder(id).build())) {
        writer.setChunkSize(16 * 1024 * 1024);
        ByteBuffer buffer = ByteBuffer.allocate(4 * 1024 * 1024);
        while (in.read(buffer) > 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            writer.write(buffer);
          }
          buffer.clear();
        }
      }
      uploadSeconds[round] = (System.nanoTime() - t0) / 1e9;
      double[] cpu1 = {
        ProcessStats.cpuSeconds(pid), ProcessStats.cpuSeconds(ProcessHandle.current().pid())
      };
      String stored = storage.get(id).getMd5ToHexString();
      if (!stored.equals(md5)) {
        throw new IllegalStateException(
            "the emulator's md5Hash " + stored + " is not the file's " + md5);
      }

      t0 = System.nanoTime();
      try (ReadChannel reader = storage.reader(id);
          FileChannel out =
              FileChannel.open(
                  downloaded,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING)) {
        reader.setChunkSize(16 * 1024 * 1024);
        ByteBuffer buffer = ByteBuffer.allocate(4 * 1024 * 1024);
        while (reader.read(buffer) > 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
          buffer.clear();
        }
      }
      downloadSeconds[round] = (System.nanoTime() - t0) / 1e9;
      double[] cpu2 = {
        ProcessStats.cpuSeconds(pid), ProcessStats.cpuSeconds(ProcessHandle.current().pid())
      };
      if (Files.size(downloaded) != size || Files.mismatch(source, downloaded) != -1) {
        throw new IllegalStateException("downloaded bytes differ from the source");
      }
      Files.delete(downloaded);
      System.out.printf(
          "round %d: copy+MD5 %.0f, upload %.0f, download %.0f MiB/s;"
              + " CPU seconds up: emulator %.1f, client %.1f; down: emulator %.1f, client %.1f%n",
          round + 1,
          mib / copySeconds[round],
          mib / uploadSeconds[round],
          mib / downloadSeconds[round],
          cpu1[0] - cpu0[0],
          cpu1[1] - cpu0[1],
          cpu2[0] - cpu1[0],
          cpu2[1] - cpu1[1]);
    }
    sampler.interrupt();

    double disk = mib / median(copySeconds);
    double up = mib / median(uploadSeconds);
    double down = mib / median(downloadSeconds);
    System.out.printf("object %.0f MiB, medians of %d rounds%n", mib, rounds);
    System.out.printf("copy + MD5  %7.1f MiB/s (the floor)%n", disk);
    System.out.printf("upload      %7.1f MiB/s  ratio %.2f (goal >= 0.7)%n", up, up / disk);
    System.out.printf("download    %7.1f MiB/s  ratio %.2f (goal >= 0.7)%n", down, down / disk);
    System.out.printf("emulator peak RSS %d MiB (goal < 256)%n", peak.get() / 1024);
    storage.close();
  }

  /**
   * The floor: one pass that reads, digests and writes, in 4 MiB blocks; returns the MD5 in hex.
   */
  static String copyWithMd5(Path from, Path to) throws Exception {
    java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
    try (FileChannel in = FileChannel.open(from);
        FileChannel out =
            FileChannel.open(
                to,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.allocate(4 * 1024 * 1024);
      while (in.read(buffer) > 0) {
        buffer.flip();
        md5.update(buffer.array(), 0, buffer.limit());
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        buffer.clear();
      }
    }
    return java.util.HexFormat.of().formatHex(md5.digest());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
