package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.exports.AccountExports;
import dev.cirrus.shared.exports.AccountExportsContract;

/** The contract, on the in-memory fake. */
class InMemoryAccountExportsTest extends AccountExportsContract {
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryAccountDeletions deletions =
      new InMemoryAccountDeletions(
          new InMemoryUploadStore(), new InMemoryNotificationStore(), users);
  private final InMemoryAccountExports exports = new InMemoryAccountExports(deletions);

  @Override
  protected AccountExports exports() {
    return exports;
  }

  @Override
  protected AccountDeletions deletions() {
    return deletions;
  }
}
