package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.accounts.AccountDeletions;
import dev.cirrus.shared.accounts.AccountDeletionsContract;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.UserStore;

class InMemoryAccountDeletionsTest extends AccountDeletionsContract {
  private final InMemoryUploadStore uploads = new InMemoryUploadStore();
  private final InMemoryUserStore users = new InMemoryUserStore();
  private final InMemoryNotificationStore notifications = new InMemoryNotificationStore();
  private final InMemoryAccountDeletions deletions =
      new InMemoryAccountDeletions(uploads, notifications, users);

  @Override
  protected AccountDeletions deletions() {
    return deletions;
  }

  @Override
  protected UploadStore uploads() {
    return uploads;
  }

  @Override
  protected UserStore users() {
    return users;
  }

  @Override
  protected NotificationStore notifications() {
    return notifications;
  }
}
