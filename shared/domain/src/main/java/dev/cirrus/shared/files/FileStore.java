package dev.cirrus.shared.files;

import dev.cirrus.shared.paging.Cursor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Port: file documents. */
public interface FileStore {

  Optional<FileRecord> find(String id);

  /**
   * One page of a user's files, newest first.
   *
   * @param statuses the statuses to include
   * @param after the cursor of the last file of the previous page
   */
  FilePage list(String ownerUid, Set<FileStatus> statuses, int pageSize, Optional<Cursor> after);

  /**
   * Changes filename and/or tags if the file is at {@code expectedVersion} (or any version when
   * empty).
   *
   * @throws dev.cirrus.shared.error.PreconditionFailed when the version differs
   * @throws dev.cirrus.shared.error.NotFound when the file does not exist or is deleted
   */
  FileRecord update(
      String id,
      Optional<Long> expectedVersion,
      Optional<String> filename,
      Optional<List<String>> tags,
      Instant now);

  /**
   * Turns the file into a tombstone and releases its storage from the owner's quota, once.
   *
   * @return the file as it was if this call deleted it; empty if it was missing or already deleted
   */
  Optional<FileRecord> delete(String id, Instant now);

  /**
   * Tombstones whose delete happened before {@code deletedBefore}, oldest first: what the sweeper
   * purges.
   */
  List<FileRecord> tombstones(Instant deletedBefore, int limit);

  /**
   * Removes the document if it is still the tombstone {@code tombstone} (same version): the end of
   * a deleted file, once its bytes are gone.
   *
   * @return whether this call removed it
   */
  boolean purge(FileRecord tombstone);

  /** What a user's ready files take: what their quota's used bytes and file count should be. */
  record Usage(long bytes, long files) {}

  /** Sums the owner's ready files, counted by the store. */
  Usage usage(String ownerUid);

  /** A page of files and the cursor after its last one, if there may be more. */
  record FilePage(List<FileRecord> files, Optional<Cursor> next) {
    /**
     * The page in {@code fetched}, which holds up to one file more than {@code pageSize}: that one,
     * if there, only says another page follows.
     */
    public static FilePage of(List<FileRecord> fetched, int pageSize) {
      return new FilePage(
          List.copyOf(fetched.subList(0, Math.min(pageSize, fetched.size()))),
          Cursor.after(fetched, pageSize, FileRecord::createdAt, FileRecord::id));
    }
  }

  /** Up to {@code limit} of the owner's files, tombstones too: what an account deletion pages. */
  List<FileRecord> ofOwner(String ownerUid, int limit);

  /** Deletes the file's document, whatever its status; a missing one is not an error. */
  void erase(String id);
}
