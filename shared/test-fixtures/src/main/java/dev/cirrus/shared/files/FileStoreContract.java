package dev.cirrus.shared.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PreconditionFailed;
import dev.cirrus.shared.files.FileStore.FilePage;
import dev.cirrus.shared.testing.TestFiles;
import dev.cirrus.shared.users.Quota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link FileStore} adapter must have; one subclass per adapter. */
public abstract class FileStoreContract {
  protected final Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
  protected final String owner = "owner-" + UUID.randomUUID();

  protected abstract FileStore store();

  /** Stores {@code file} as a promotion would, its owner's quota being {@code quota}. */
  protected abstract void seed(FileRecord file, Quota quota);

  /** The owner's quota as the store keeps it. */
  protected abstract Quota quota(String ownerUid);

  protected FileRecord file(String owner, Instant createdAt, long size) {
    return TestFiles.ready(owner, createdAt, size);
  }

  @Test
  void aSeededFileIsFoundAndAMissingOneIsNot() {
    FileRecord file = file(owner, t0, 10);
    seed(file, new Quota(10, 1, 1000));
    assertThat(store().find(file.id())).contains(file);
    assertThat(store().find("nope-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void listingIsNewestFirstInPagesOfTheOwnersFilesInTheAskedStatuses() {
    List<FileRecord> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      FileRecord f = file(owner, t0.plusSeconds(i), 1);
      seed(f, new Quota(5, 5, 1000));
      mine.add(f);
    }
    seed(file("someone-else-" + UUID.randomUUID(), t0.plusSeconds(9), 1), Quota.empty(1000));
    store().delete(mine.get(4).id(), t0.plusSeconds(20));

    FilePage first = store().list(owner, Set.of(FileStatus.READY), 2, Optional.empty());
    FilePage second = store().list(owner, Set.of(FileStatus.READY), 2, first.next());

    assertThat(first.files())
        .extracting(FileRecord::id)
        .containsExactly(mine.get(3).id(), mine.get(2).id());
    assertThat(second.files())
        .extracting(FileRecord::id)
        .containsExactly(mine.get(1).id(), mine.get(0).id());
    assertThat(second.next()).as("the last page says so").isEmpty();
    assertThat(store().list(owner, Set.of(FileStatus.DELETED), 10, Optional.empty()).files())
        .extracting(FileRecord::id)
        .containsExactly(mine.get(4).id());
  }

  @Test
  void anEditRenamesRetagsAndMovesTheVersionOn() {
    FileRecord file = file(owner, t0, 10);
    seed(file, new Quota(10, 1, 1000));
    FileRecord edited =
        store()
            .update(
                file.id(),
                Optional.of(1L),
                Optional.of("new.txt"),
                Optional.of(List.of("a")),
                t0.plusSeconds(1));
    assertThat(edited.filename()).isEqualTo("new.txt");
    assertThat(edited.tags()).containsExactly("a");
    assertThat(edited.version()).isEqualTo(2);
    assertThat(store().find(file.id())).contains(edited);
    FileRecord retagged =
        store()
            .update(
                file.id(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(List.of()),
                t0.plusSeconds(2));
    assertThat(retagged.filename()).isEqualTo("new.txt");
    assertThat(retagged.version()).isEqualTo(3);
  }

  @Test
  void anEditAgainstAStaleVersionIsRefusedAndChangesNothing() {
    FileRecord file = file(owner, t0, 10);
    seed(file, new Quota(10, 1, 1000));
    store().update(file.id(), Optional.empty(), Optional.of("b.txt"), Optional.empty(), t0);
    assertThatThrownBy(
            () ->
                store()
                    .update(file.id(), Optional.of(1L), Optional.of("c.txt"), Optional.empty(), t0))
        .isInstanceOf(PreconditionFailed.class);
    assertThat(store().find(file.id()).orElseThrow().filename()).isEqualTo("b.txt");
  }

  @Test
  void deletingReleasesTheQuotaOnceAndLeavesATombstoneNoEditReaches() {
    FileRecord file = file(owner, t0, 40);
    seed(file, new Quota(100, 3, 1000));
    assertThat(store().delete(file.id(), t0.plusSeconds(1))).contains(file);
    assertThat(store().delete(file.id(), t0.plusSeconds(2))).isEmpty();
    assertThat(quota(owner)).isEqualTo(new Quota(60, 2, 1000));
    assertThat(store().find(file.id()).orElseThrow().isDeleted()).isTrue();
    assertThatThrownBy(
            () ->
                store().update(file.id(), Optional.empty(), Optional.of("x"), Optional.empty(), t0))
        .isInstanceOf(NotFound.class);
    assertThat(store().delete("nope-" + UUID.randomUUID(), t0)).isEmpty();
  }

  @Test
  void usageSumsTheOwnersReadyFilesOnly() {
    FileRecord a = file(owner, t0, 100);
    FileRecord b = file(owner, t0.plusSeconds(1), 20);
    FileRecord gone = file(owner, t0.plusSeconds(2), 5);
    seed(a, new Quota(125, 3, 1000));
    seed(b, new Quota(125, 3, 1000));
    seed(gone, new Quota(125, 3, 1000));
    seed(file("someone-else-" + UUID.randomUUID(), t0, 7), Quota.empty(1000));
    store().delete(gone.id(), t0.plusSeconds(5));

    assertThat(store().usage(owner)).isEqualTo(new FileStore.Usage(120, 2));
    assertThat(store().usage("nobody-" + UUID.randomUUID())).isEqualTo(new FileStore.Usage(0, 0));
  }

  @Test
  void tombstonesPastTheirRetentionAreListedOldestFirstAndPurgedOnce() {
    // Long before anything the other tests write, so the emulator's other tombstones sort after.
    Instant past = Instant.parse("1990-01-01T00:00:00Z");
    FileRecord old = file(owner, past, 10);
    FileRecord older = file(owner, past, 20);
    FileRecord fresh = file(owner, past, 30);
    FileRecord kept = file(owner, past, 40);
    for (FileRecord f : List.of(old, older, fresh, kept)) {
      seed(f, new Quota(100, 4, 1000));
    }
    store().delete(older.id(), past.plusSeconds(1));
    store().delete(old.id(), past.plusSeconds(2));
    store().delete(fresh.id(), past.plusSeconds(100));

    List<FileRecord> due =
        store().tombstones(past.plusSeconds(50), 100).stream()
            .filter(f -> f.ownerUid().equals(owner))
            .toList();

    assertThat(due).extracting(FileRecord::id).containsExactly(older.id(), old.id());
    assertThat(due).allMatch(FileRecord::isDeleted);
    assertThat(store().purge(due.get(0))).isTrue();
    assertThat(store().purge(due.get(0))).as("a second purge finds nothing").isFalse();
    assertThat(store().find(older.id())).isEmpty();
    assertThat(store().find(old.id())).as("one at a time").isPresent();
  }

  @Test
  void purgeRemovesNothingButTheTombstoneItWasGiven() {
    FileRecord kept = file(owner, t0, 40);
    seed(kept, new Quota(40, 1, 1000));
    assertThat(store().purge(kept.deleted(t0.plusSeconds(1))))
        .as("a file that is not deleted stays")
        .isFalse();
    assertThat(store().find(kept.id())).contains(kept);
    assertThat(store().purge(file(owner, t0, 1).deleted(t0))).as("a missing one").isFalse();
  }

  @Test
  void anOwnersFilesTombstonesTooArePagedAndErased() {
    FileRecord ready = file(owner, t0, 10);
    FileRecord deleted = file(owner, t0, 20);
    FileRecord someoneElses = file("other-" + UUID.randomUUID(), t0, 5);
    seed(ready, new Quota(30, 2, 1000));
    seed(deleted, new Quota(30, 2, 1000));
    seed(someoneElses, new Quota(5, 1, 1000));
    store().delete(deleted.id(), t0.plusSeconds(1));

    assertThat(store().ofOwner(owner, 10))
        .extracting(FileRecord::id)
        .containsExactlyInAnyOrder(ready.id(), deleted.id());
    assertThat(store().ofOwner(owner, 1)).hasSize(1);
    store().erase(ready.id());
    store().erase(deleted.id());
    store().erase(deleted.id());
    assertThat(store().ofOwner(owner, 10)).isEmpty();
    assertThat(store().find(someoneElses.id())).contains(someoneElses);
  }
}
