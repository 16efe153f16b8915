package dev.cirrus.shared.processing;

import dev.cirrus.shared.config.UploadPolicy;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.ImageInfo;
import dev.cirrus.shared.files.Thumbnail;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.tracing.Tracer;
import dev.cirrus.shared.tracing.Tracer.Span;
import dev.cirrus.shared.uploads.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What process-upload does with the bytes of one upload: checks their size and digests in one read,
 * sniffs their type, describes an image and makes its thumbnail, and copies the original to the
 * files bucket; the file it describes, or a {@link Rejection}. Every write is idempotent (same
 * names, same bytes), so a redelivery may do it again. Its stages are spans: verify (with sniff
 * inside it), describe, thumbnail and promote (the copy to the files bucket).
 */
final class UploadVerifier {
  private final ObjectStorage storage;
  private final Clock clock;
  private final UploadPolicy policy;
  private final String filesBucket;
  private final ImageInspector inspector;
  private final Thumbnailer thumbnailer = new Thumbnailer(256, 0.85f);
  private final SpoolBudget spools;
  private final Tracer tracer;

  UploadVerifier(
      ObjectStorage storage,
      Clock clock,
      UploadPolicy policy,
      String filesBucket,
      SpoolBudget spools,
      Tracer tracer) {
    this.storage = storage;
    this.clock = clock;
    this.policy = policy;
    this.filesBucket = filesBucket;
    this.inspector = new ImageInspector(policy.maxImagePixels(), policy.maxProgressivePixels());
    this.spools = spools;
    this.tracer = tracer;
  }

  FileRecord verifyAndCopy(StorageObjectEvent event, Upload upload) {
    Span verify = tracer.start("verify");
    try {
      return verifyAndCopy(event, upload, verify);
    } catch (Rejection rejection) {
      verify.outcome("rejected").attribute("cirrus.reason", rejection.reason());
      throw rejection;
    } finally {
      // Closed here when the bytes were refused; when they passed, before describe began.
      verify.close();
    }
  }

  private FileRecord verifyAndCopy(StorageObjectEvent event, Upload upload, Span verify) {
    StoredObject object =
        storage
            .stat(event.ref())
            .filter(o -> o.generation() == event.generation())
            .orElseThrow(
                () -> new Rejection(Rejection.OBJECT_MISSING, "the uploaded object is gone"));
    if (object.size() == 0) {
      throw new Rejection(Rejection.EMPTY, "the file is empty");
    }
    if (object.size() != upload.size()) {
      throw new Rejection(
          Rejection.SIZE_MISMATCH,
          "the object has " + object.size() + " bytes, the upload declared " + upload.size());
    }
    try (InputStream in = storage.read(event.ref(), event.generation())) {
      ObjectScan.Sniffed sniffed;
      String type;
      try (Span sniff = tracer.start("sniff")) {
        sniffed = ObjectScan.sniff(in);
        // The type is judged from the first bytes, before anything is spooled: a declared text
        // file whose bytes begin like a JPEG must not reach the spool at all.
        type = sniffed.type();
        sniff.attribute("cirrus.detected_type", type);
        if (!policy.allowedTypes().contains(type)) {
          sniff.outcome("rejected");
          throw new Rejection(
              Rejection.TYPE_NOT_ALLOWED, "the content is " + type + ", which is not accepted");
        }
        if (!MagicBytes.family(type).equals(MagicBytes.family(upload.contentType()))) {
          sniff.outcome("rejected");
          throw new Rejection(
              Rejection.TYPE_MISMATCH,
              "declared " + upload.contentType() + " but the content is " + type);
        }
        sniff.outcome("ok");
      }
      // Room is reserved for what the bytes will be spooled as, whatever was declared.
      try (SpoolBudget.Reservation room = isImage(type) ? spools.reserve(object.size()) : null;
          ObjectScan scan = room == null ? ObjectScan.of(sniffed) : ObjectScan.of(sniffed, room)) {
        checkScan(upload, object, scan);
        verify.outcome("ok").close();
        return describeAndCopy(event, upload, scan);
      }
    } catch (ObjectStorage.ObjectGone e) {
      throw new Rejection(Rejection.OBJECT_MISSING, "the uploaded object is gone");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + event.ref(), e);
    }
  }

  /** What was read is what was declared and what Cloud Storage says it holds. */
  private static void checkScan(Upload upload, StoredObject object, ObjectScan scan) {
    if (scan.size() != upload.size()) {
      throw new Rejection(
          Rejection.SIZE_MISMATCH, "read " + scan.size() + " bytes, declared " + upload.size());
    }
    checkDigest("md5", upload.md5(), scan.md5());
    checkDigest("crc32c", upload.crc32c(), scan.crc32c());
    checkDigest("md5", object.md5(), scan.md5());
    checkDigest("crc32c", object.crc32c(), scan.crc32c());
  }

  private FileRecord describeAndCopy(StorageObjectEvent event, Upload upload, ObjectScan scan) {
    String type = scan.detectedType();
    String prefix = FileRecord.objectPrefix(upload.ownerUid(), FileRecord.idOf(upload));
    Optional<ImageInfo> image = Optional.empty();
    List<Thumbnail> thumbnails = new ArrayList<>();
    if (isImage(type)) {
      ImageInfo info;
      try (Span describe = tracer.start("describe")) {
        info = describe(scan, type, describe);
      }
      image = Optional.of(info);
      if (Thumbnailer.DECODABLE.contains(type)) {
        try (Span thumbnail = tracer.start("thumbnail")) {
          Thumbnailer.Rendered thumb = thumbnailer.render(scan.spool().orElseThrow(), info);
          String name = prefix + Thumbnail.THUMB256 + ".jpg";
          storage.write(new ObjectRef(filesBucket, name), "image/jpeg", thumb.jpeg());
          thumbnails.add(
              new Thumbnail(Thumbnail.THUMB256, thumb.width(), thumb.height(), "image/jpeg", name));
          thumbnail.outcome("ok");
        }
      }
    }
    String original = prefix + "original";
    try (Span promote = tracer.start("promote")) {
      storage.copy(event.ref(), event.generation(), new ObjectRef(filesBucket, original));
      promote.outcome("ok");
    }
    return FileRecord.ready(
        upload,
        new FileRecord.Contents(
            type, scan.size(), new FileRecord.Digests(scan.md5(), scan.crc32c(), scan.sha256())),
        image,
        thumbnails,
        original,
        clock.instant());
  }

  private ImageInfo describe(ObjectScan scan, String type, Span describe) {
    try {
      ImageInfo info = inspector.inspect(scan.spool().orElseThrow(), type);
      describe.outcome("ok");
      return info;
    } catch (Rejection rejection) {
      describe.outcome("rejected").attribute("cirrus.reason", rejection.reason());
      throw rejection;
    }
  }

  private static void checkDigest(String name, Optional<String> expected, String actual) {
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new Rejection(
          Rejection.CHECKSUM_MISMATCH,
          name + " of the bytes is " + actual + ", expected " + expected.get());
    }
  }

  /** The types this pipeline describes as images (and spools for decoding). */
  private static boolean isImage(String type) {
    return type.startsWith("image/");
  }
}
