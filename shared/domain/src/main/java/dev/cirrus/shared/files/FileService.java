package dev.cirrus.shared.files;

import dev.cirrus.shared.auth.AccessPolicy;
import dev.cirrus.shared.auth.Principal;
import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PreconditionFailed;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.files.FileStore.FilePage;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.SignedUrl;
import dev.cirrus.shared.uploads.NewUpload;
import dev.cirrus.shared.users.UserCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The files API: list, get, rename and tag, delete, download. */
public final class FileService {
  public static final Duration DOWNLOAD_TTL = Duration.ofMinutes(15);
  public static final int DEFAULT_PAGE_SIZE = 50;
  public static final int MAX_PAGE_SIZE = 200;
  public static final int MAX_TAGS = 20;
  private final FileStore files;
  private final UserCache users;
  private final ObjectStorage storage;
  private final EventBus events;
  private final MessageCodec messages;
  private final Clock clock;
  private final String filesBucket;
  private final AccessPolicy access = new AccessPolicy();

  public FileService(
      FileStore files,
      UserCache users,
      ObjectStorage storage,
      EventBus events,
      MessageCodec messages,
      Clock clock,
      String filesBucket) {
    this.files = files;
    this.users = users;
    this.storage = storage;
    this.events = events;
    this.messages = messages;
    this.clock = clock;
    this.filesBucket = filesBucket;
  }

  /** {@code GET /v1/files} answer. */
  public record FileList(List<FileView> files, String nextPageToken) {}

  /** {@code GET /v1/files/{id}/download} answer. */
  public record Download(String url, Instant expiresAt) {}

  /**
   * One page of files, newest first: the caller's own, or with {@code ownerUid} (admins only)
   * someone else's.
   */
  public FileList list(
      Principal caller,
      Optional<String> ownerUid,
      Optional<String> pageSize,
      Optional<String> pageToken,
      Optional<String> status) {
    String owner = ownerUid.orElse(caller.uid());
    if (!owner.equals(caller.uid())) {
      access.requireRole(caller, Principal.ADMIN);
    }
    int size = Cursor.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    Set<FileStatus> statuses =
        status
            .map(
                s ->
                    FileStatus.parse(s)
                        .filter(FileStatus.LISTED::contains)
                        .map(Set::of)
                        .orElseThrow(
                            () ->
                                BadRequest.invalidParameter(
                                    "status",
                                    "must be one of "
                                        + String.join(
                                            ", ",
                                            FileStatus.LISTED.stream()
                                                .map(FileStatus::wireName)
                                                .toList()))))
            .orElse(FileStatus.LISTED);
    Optional<Cursor> after =
        pageToken.map(token -> Cursor.fromToken(token, id -> FileId.parse(id).isPresent()));
    FilePage page = files.list(owner, statuses, size, after);
    return new FileList(
        page.files().stream().map(FileView::of).toList(),
        page.next().map(Cursor::token).orElse(null));
  }

  public FileRecord get(Principal caller, String id) {
    return visible(caller, id);
  }

  /**
   * Renames and/or retags.
   *
   * @param ifMatch the caller's {@code If-Match}; a stale one fails with 412
   */
  public FileRecord update(
      Principal caller,
      String id,
      Optional<String> ifMatch,
      Optional<String> filename,
      Optional<List<String>> tags) {
    FileRecord file = visible(caller, id);
    if (filename.isEmpty() && tags.isEmpty()) {
      throw BadRequest.malformedBody("give filename, tags or both");
    }
    Optional<String> name = filename.map(NewUpload::filename);
    Optional<List<String>> cleanTags = tags.map(FileService::tags);
    Optional<Long> expected = ifMatch.filter(v -> !v.equals("*")).map(v -> version(file, v));
    return files.update(id, expected, name, cleanTags, clock.instant());
  }

  /**
   * Deletes the file: tombstone and quota first, in one transaction, then bytes and the event. A
   * repeated call finds the tombstone and finishes the byte removal, so a crash half-way heals.
   */
  public void delete(Principal caller, String id) {
    FileRecord file = files.find(validId(id)).orElseThrow(() -> new NotFound("file not found"));
    access.requireOwnerOrAdmin(caller, file.ownerUid(), "file");
    Optional<FileRecord> deleted = files.delete(id, clock.instant());
    // Also when a retry finds the tombstone: the first call may have died before this line.
    users.evict(file.ownerUid());
    file.objects(filesBucket).forEach(storage::delete);
    if (deleted.isPresent()) {
      FileEvent event = FileEvent.deleted(file, clock.instant());
      events.publish(
          Topics.FILE_EVENTS, Map.of("type", FileEvent.DELETED), messages.fileEvent(event));
    }
  }

  public Download download(Principal caller, String id, Optional<String> variant) {
    FileRecord file = visible(caller, id);
    String which = variant.orElse("original");
    String object;
    Optional<String> disposition;
    if (which.equals("original")) {
      object = file.originalObject();
      disposition = Optional.of(ContentDisposition.attachment(file.filename()));
    } else if (which.equals(Thumbnail.THUMB256)) {
      object =
          file.thumbnail(which)
              .orElseThrow(() -> new NotFound("no-thumbnail", "this file has no " + which))
              .objectName();
      disposition = Optional.empty();
    } else {
      throw BadRequest.invalidParameter("variant", "must be original or " + Thumbnail.THUMB256);
    }
    SignedUrl url =
        storage.signedDownload(new ObjectRef(filesBucket, object), DOWNLOAD_TTL, disposition);
    return new Download(url.url().toString(), url.expiresAt());
  }

  /** The file if the caller may see it; 404 for anyone else and for deleted files. */
  private FileRecord visible(Principal caller, String id) {
    FileRecord file =
        files
            .find(validId(id))
            .filter(f -> !f.isDeleted())
            .orElseThrow(() -> new NotFound("file not found"));
    access.requireOwnerOrAdmin(caller, file.ownerUid(), "file");
    return file;
  }

  private static String validId(String id) {
    return FileId.parse(id).orElseThrow(() -> new NotFound("file not found")).value();
  }

  private static long version(FileRecord file, String etag) {
    // Any ETag but the current one is stale: 412 with the current one in the detail.
    if (etag.equals(file.etag()) || etag.equals("W/" + file.etag())) {
      return file.version();
    }
    throw new PreconditionFailed(
        "etag-mismatch", "the file has changed; its current ETag is " + file.etag());
  }

  private static List<String> tags(List<String> raw) {
    if (raw.size() > MAX_TAGS) {
      throw BadRequest.invalidField("tags", "at most " + MAX_TAGS + " tags");
    }
    LinkedHashSet<String> clean = new LinkedHashSet<>();
    for (String tag : raw) {
      if (tag == null || !tag.matches("[\\p{L}\\p{N}_.:-]{1,40}")) {
        throw BadRequest.invalidField(
            "tags", "each tag is 1-40 letters, digits or _ . : - (got " + tag + ")");
      }
      clean.add(tag);
    }
    return new ArrayList<>(clean);
  }
}
