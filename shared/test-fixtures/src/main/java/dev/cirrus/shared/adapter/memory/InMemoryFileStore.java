package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStatus;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.users.Quota;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link FileStore} in memory over the files and quotas of an {@link InMemoryUploadStore}, as
 * Firestore's files and users documents are shared by both adapters; held to the same contract. It
 * locks the upload store, so the two change the shared state one at a time.
 */
public final class InMemoryFileStore implements FileStore {
  private static final Comparator<FileRecord> NEWEST_FIRST =
      Comparator.comparing(FileRecord::createdAt).thenComparing(FileRecord::id).reversed();

  private final InMemoryUploadStore data;

  public InMemoryFileStore(InMemoryUploadStore data) {
    this.data = data;
  }

  /** Writes {@code file} as a promotion would; for tests that need files without uploads. */
  public void put(FileRecord file, Quota ownerQuota) {
    synchronized (data) {
      data.files().put(file.id(), file);
      data.quotas().putIfAbsent(file.ownerUid(), ownerQuota);
    }
  }

  @Override
  public Optional<FileRecord> find(String id) {
    synchronized (data) {
      return Optional.ofNullable(data.files().get(id));
    }
  }

  @Override
  public FilePage list(
      String ownerUid, Set<FileStatus> statuses, int pageSize, Optional<Cursor> after) {
    synchronized (data) {
      List<FileRecord> matching =
          data.files().values().stream()
              .filter(f -> f.ownerUid().equals(ownerUid) && statuses.contains(f.status()))
              .filter(f -> after.isEmpty() || comesAfter(f, after.get()))
              .sorted(NEWEST_FIRST)
              .limit(pageSize + 1L)
              .toList();
      return FilePage.of(matching, pageSize);
    }
  }

  @Override
  public Usage usage(String ownerUid) {
    synchronized (data) {
      long bytes = 0;
      long count = 0;
      for (FileRecord f : data.files().values()) {
        if (f.ownerUid().equals(ownerUid) && f.status() == FileStatus.READY) {
          bytes += f.size();
          count++;
        }
      }
      return new Usage(bytes, count);
    }
  }

  /** Newest first: older, or as old with a smaller id (Firestore's order by time, then name). */
  private static boolean comesAfter(FileRecord file, Cursor cursor) {
    int byTime = file.createdAt().compareTo(cursor.createdAt());
    return byTime < 0 || (byTime == 0 && file.id().compareTo(cursor.id()) < 0);
  }

  @Override
  public FileRecord update(
      String id,
      Optional<Long> expectedVersion,
      Optional<String> filename,
      Optional<List<String>> tags,
      Instant now) {
    synchronized (data) {
      FileRecord current = data.files().get(id);
      if (current == null) {
        throw new NotFound("file not found");
      }
      FileRecord next = current.edited(expectedVersion, filename, tags, now);
      data.files().put(id, next);
      return next;
    }
  }

  @Override
  public Optional<FileRecord> delete(String id, Instant now) {
    synchronized (data) {
      FileRecord file = data.files().get(id);
      if (file == null || file.isDeleted()) {
        return Optional.empty();
      }
      data.files().put(id, file.deleted(now));
      Quota quota = data.quotas().get(file.ownerUid());
      data.quotas()
          .put(
              file.ownerUid(),
              new Quota(
                  quota.usedBytes() - file.size(), quota.fileCount() - 1, quota.limitBytes()));
      return Optional.of(file);
    }
  }

  @Override
  public List<FileRecord> tombstones(Instant deletedBefore, int limit) {
    synchronized (data) {
      return data.files().values().stream()
          .filter(f -> f.isDeleted() && f.updatedAt().isBefore(deletedBefore))
          .sorted(Comparator.comparing(FileRecord::updatedAt))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public boolean purge(FileRecord tombstone) {
    synchronized (data) {
      FileRecord now = data.files().get(tombstone.id());
      if (now == null || !now.isDeleted() || now.version() != tombstone.version()) {
        return false;
      }
      data.files().remove(tombstone.id());
      return true;
    }
  }

  @Override
  public List<FileRecord> ofOwner(String ownerUid, int limit) {
    synchronized (data) {
      return data.files().values().stream()
          .filter(f -> f.ownerUid().equals(ownerUid))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public void erase(String id) {
    synchronized (data) {
      data.files().remove(id);
    }
  }
}
