package dev.cirrus.shared.exports;

import dev.cirrus.shared.exports.AccountExport.Phase;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStatus;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.files.FileStore.FilePage;
import dev.cirrus.shared.files.FileView;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.notifications.NotificationStore.NotificationPage;
import dev.cirrus.shared.notifications.NotificationView;
import dev.cirrus.shared.notifications.StoredNotification;
import dev.cirrus.shared.paging.Cursor;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.users.UserRecord;
import dev.cirrus.shared.users.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One step of a data export: one part of originals, or {@code data.json}, or the assembly, or the
 * clean-up; then the job moves on by compare-and-set. Every step writes objects named by the job
 * and its position, so a step run twice writes the same object again, and a step of a job that was
 * replaced or removed (an account deletion) deletes what its job wrote instead. Files created after
 * the request are not in it; a file deleted while it runs may have its original in the archive but
 * no entry in {@code data.json}, which lists the files still there when it is written.
 */
public final class ExportBuilder {

  /** What it works with. */
  public record Ports(
      AccountExports exports,
      FileStore files,
      NotificationStore notifications,
      UserStore users,
      ObjectStorage storage,
      ExportFormat format,
      Clock clock) {}

  /**
   * @param filesPerPart originals one step packs at most
   * @param bytesPerPart bytes one step packs at most (a larger single file is packed alone)
   * @param listPage documents one listing call reads
   */
  public record Settings(String filesBucket, int filesPerPart, long bytesPerPart, int listPage) {
    public static Settings defaults(String filesBucket) {
      return new Settings(filesBucket, 200, 256L * 1024 * 1024, 100);
    }
  }

  private static final Set<FileStatus> READY = Set.of(FileStatus.READY);

  private final Ports ports;
  private final Settings settings;

  public ExportBuilder(Ports ports, Settings settings) {
    this.ports = ports;
    this.settings = settings;
  }

  /**
   * Runs the next step of the export {@code id} of the user.
   *
   * @return true if there is more to do and this step moved the job (the caller schedules the
   *     next); false when it is done, replaced, removed, or another step moved it meanwhile
   */
  public boolean step(String uid, String id) {
    Optional<AccountExport> current = current(uid, id);
    if (current.isEmpty()) {
      discard(uid, id);
      return false;
    }
    AccountExport job = current.get();
    Instant now = ports.clock().instant();
    AccountExport next =
        switch (job.phase()) {
          case ORIGINALS -> packOriginals(job, now);
          case DATA -> writeData(job, now);
          case ASSEMBLE -> {
            try {
              yield job.assembled(assemble(job).size(), now);
            } catch (ObjectStorage.ObjectGone e) {
              // A part went missing (deleted by hand, or by a race with a clean-up): build it anew
              // rather than fail for ever.
              yield job.restarted(now);
            }
          }
          case CLEANUP -> {
            cleanUp(job);
            yield job.at(Phase.DONE, now);
          }
          case DONE, EXPIRED -> null;
        };
    if (next == null) {
      return false;
    }
    Optional<AccountExport> moved = ports.exports().advance(job, next);
    if (moved.isEmpty()) {
      // A duplicate of this step moved it (and wrote the same objects), or the job is gone: then
      // what this step wrote belongs to nobody.
      if (current(uid, id).isEmpty()) {
        discard(uid, id);
      }
      return false;
    }
    return moved.get().isRunning();
  }

  /** The archive of a job whose archive exists. */
  public ObjectRef archiveOf(AccountExport job) {
    return ref(ExportArchive.archive(job.uid(), job.id()));
  }

  private Optional<AccountExport> current(String uid, String id) {
    return ports.exports().find(uid).filter(job -> job.id().equals(id));
  }

  /** One part of originals, or on to {@code data.json} when none are left. */
  private AccountExport packOriginals(AccountExport job, Instant now) {
    List<FileRecord> batch = new ArrayList<>();
    long bytes = 0;
    Optional<Cursor> cursor = job.after();
    fill:
    while (true) {
      FilePage page = ports.files().list(job.uid(), READY, settings.listPage(), cursor);
      for (FileRecord file : page.files()) {
        cursor = Optional.of(new Cursor(file.createdAt(), file.id()));
        if (!file.createdAt().isAfter(job.requestedAt())) {
          batch.add(file);
          bytes += file.size();
        }
        if (batch.size() >= settings.filesPerPart() || bytes >= settings.bytesPerPart()) {
          break fill;
        }
      }
      if (page.next().isEmpty()) {
        break;
      }
    }
    if (batch.isEmpty()) {
      return job.at(Phase.DATA, now);
    }
    long[] packed = new long[2];
    ports
        .storage()
        .writeStreamed(
            ref(ExportArchive.part(job.uid(), job.id(), job.parts())),
            ExportArchive.CONTENT_TYPE,
            out -> {
              for (FileRecord file : batch) {
                Optional<StoredObject> original = original(file);
                if (original.isPresent()) {
                  writeEntry(out, file, original.get());
                  packed[0]++;
                  packed[1] += original.get().size();
                }
              }
            });
    return job.packed(cursor.orElseThrow(), packed[0], packed[1], now);
  }

  private Optional<StoredObject> original(FileRecord file) {
    return ports.storage().stat(ref(file.originalObject()));
  }

  private void writeEntry(OutputStream out, FileRecord file, StoredObject original)
      throws IOException {
    out.write(Tar.header(ExportArchive.entryOf(file), original.size(), file.createdAt()));
    long left = original.size();
    try (InputStream in = ports.storage().read(original.ref(), original.generation())) {
      byte[] buffer = new byte[64 * 1024];
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException(original.ref() + " ended " + left + " bytes before its size");
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    out.write(Tar.padding(original.size()));
  }

  /**
   * {@code data.json}, streamed as it is read, then its tar header and the archive's end as objects
   * of their own: the header needs the document's size, known only once it is written.
   */
  private AccountExport writeData(AccountExport job, Instant now) {
    StoredObject data =
        ports
            .storage()
            .writeStreamed(
                ref(ExportArchive.data(job.uid(), job.id())),
                "application/json",
                out -> {
                  try (ExportFormat.Document document = ports.format().open(out)) {
                    document.profile(profile(job, now));
                    writeFiles(job, document);
                    writeNotifications(job, document);
                  }
                });
    ports
        .storage()
        .write(
            ref(ExportArchive.dataHeader(job.uid(), job.id())),
            ExportArchive.CONTENT_TYPE,
            Tar.header(ExportArchive.DATA_ENTRY, data.size(), now));
    ports
        .storage()
        .write(
            ref(ExportArchive.dataTrailer(job.uid(), job.id())),
            ExportArchive.CONTENT_TYPE,
            Tar.endAfter(data.size()));
    return job.at(Phase.ASSEMBLE, now);
  }

  private ExportProfile profile(AccountExport job, Instant now) {
    Optional<UserRecord> user = ports.users().find(job.uid());
    return new ExportProfile(
        job.uid(),
        user.flatMap(UserRecord::email).orElse(null),
        user.map(UserRecord::createdAt).orElse(null),
        user.map(u -> u.settings().mutedTypes()).orElse(List.of()),
        user.map(u -> u.quota().usedBytes()).orElse(0L),
        user.map(u -> u.quota().fileCount()).orElse(0L),
        user.map(u -> u.quota().limitBytes()).orElse(0L),
        now);
  }

  private void writeFiles(AccountExport job, ExportFormat.Document document) throws IOException {
    Optional<Cursor> cursor = Optional.empty();
    do {
      FilePage page = ports.files().list(job.uid(), READY, settings.listPage(), cursor);
      for (FileRecord file : page.files()) {
        if (!file.createdAt().isAfter(job.requestedAt())) {
          document.file(FileView.of(file), ExportArchive.entryOf(file));
        }
      }
      cursor = page.next();
    } while (cursor.isPresent());
  }

  private void writeNotifications(AccountExport job, ExportFormat.Document document)
      throws IOException {
    Optional<Cursor> cursor = Optional.empty();
    do {
      NotificationPage page =
          ports.notifications().list(job.uid(), false, settings.listPage(), cursor);
      for (StoredNotification n : page.notifications()) {
        document.notification(NotificationView.of(n));
      }
      cursor = page.next();
    } while (cursor.isPresent());
  }

  /**
   * The parts, then {@code data.json} between its header and the archive's end, composed into the
   * archive: 32 sources a call, each call after the first starting from what the last one made.
   */
  private StoredObject assemble(AccountExport job) {
    String uid = job.uid();
    List<ObjectRef> sources = new ArrayList<>();
    for (int n = 0; n < job.parts(); n++) {
      sources.add(ref(ExportArchive.part(uid, job.id(), n)));
    }
    sources.add(ref(ExportArchive.dataHeader(uid, job.id())));
    sources.add(ref(ExportArchive.data(uid, job.id())));
    sources.add(ref(ExportArchive.dataTrailer(uid, job.id())));
    ObjectRef archive = archiveOf(job);
    int max = ObjectStorage.MAX_COMPOSE_SOURCES;
    ObjectRef made = null;
    int from = 0;
    int round = 0;
    while (true) {
      List<ObjectRef> call = new ArrayList<>();
      if (made != null) {
        call.add(made);
      }
      int take = Math.min(max - call.size(), sources.size() - from);
      call.addAll(sources.subList(from, from + take));
      from += take;
      boolean last = from == sources.size();
      ObjectRef target = last ? archive : ref(ExportArchive.assembled(uid, job.id(), round++));
      StoredObject result = ports.storage().compose(call, target, ExportArchive.CONTENT_TYPE);
      if (last) {
        return result;
      }
      made = target;
    }
  }

  /**
   * This job's parts, and the archives of older exports (ids sort by request time). Other jobs'
   * parts are left to their own steps, which find their job replaced and discard them.
   */
  private void cleanUp(AccountExport job) {
    deleteAll(ExportArchive.workPrefix(job.uid(), job.id()));
    String mine = ExportArchive.archive(job.uid(), job.id());
    ports
        .storage()
        .list(settings.filesBucket(), ExportArchive.ownerPrefix(job.uid()), 1000)
        .stream()
        .filter(ref -> ExportArchive.isArchive(ref.name()) && ref.name().compareTo(mine) < 0)
        .forEach(ports.storage()::delete);
  }

  /** Everything a job wrote: its parts and its archive. */
  private void discard(String uid, String id) {
    deleteAll(ExportArchive.workPrefix(uid, id));
    ports.storage().delete(ref(ExportArchive.archive(uid, id)));
  }

  private void deleteAll(String prefix) {
    while (true) {
      List<ObjectRef> found = ports.storage().list(settings.filesBucket(), prefix, 500);
      if (found.isEmpty()) {
        return;
      }
      found.forEach(ports.storage()::delete);
    }
  }

  private ObjectRef ref(String name) {
    return new ObjectRef(settings.filesBucket(), name);
  }
}
