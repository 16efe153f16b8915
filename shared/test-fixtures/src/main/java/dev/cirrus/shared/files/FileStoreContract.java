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
}
