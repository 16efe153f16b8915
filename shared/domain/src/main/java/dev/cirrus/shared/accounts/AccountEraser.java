package dev.cirrus.shared.accounts;

import dev.cirrus.shared.accounts.AccountDeletion.Erased;
import dev.cirrus.shared.accounts.AccountDeletion.Phase;
import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.exports.AccountExports;
import dev.cirrus.shared.exports.ExportArchive;
import dev.cirrus.shared.files.FileRecord;
import dev.cirrus.shared.files.FileStore;
import dev.cirrus.shared.notifications.DeliveryLog;
import dev.cirrus.shared.notifications.NotificationStore;
import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.ObjectStorage;
import dev.cirrus.shared.uploads.Upload;
import dev.cirrus.shared.uploads.UploadStatus;
import dev.cirrus.shared.uploads.UploadStore;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserStore;
import dev.cirrus.shared.webhooks.WebhookDeliveries;
import dev.cirrus.shared.webhooks.WebhookEndpoint;
import dev.cirrus.shared.webhooks.WebhookEndpoints;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

/**
 * One step of an account deletion: one bounded page of the job's phase, then the job moves on
 * (compare-and-set, so of two steps at once one moves it and the other stops). Every delete is safe
 * to repeat, so a step that dies half-way is simply run again. The peer is Firebase's "Delete User
 * Data" extension, which deletes the paths it is configured with when the Auth user goes; this
 * deletes what Cirrus keeps of a user, bytes first, and the Auth user last.
 */
public final class AccountEraser {

  /** What it works with. */
  public record Ports(
      AccountDeletions deletions,
      AccountExports exports,
      WebhookEndpoints webhooks,
      WebhookDeliveries webhookDeliveries,
      UploadStore uploads,
      FileStore files,
      ObjectStorage storage,
      NotificationStore notifications,
      UserStore users,
      DeliveryLog deliveries,
      EventClaims claims,
      UserCache userCache,
      IdentityAdmin identity,
      Clock clock) {}

  /**
   * @param uploadsBucket where uploads' quarantined bytes are
   * @param filesBucket where files' originals and thumbnails are
   * @param pageSize how many of a kind one step deletes
   */
  public record Settings(String uploadsBucket, String filesBucket, int pageSize) {
    public static Settings defaults(String uploadsBucket, String filesBucket) {
      return new Settings(uploadsBucket, filesBucket, 200);
    }
  }

  private final Ports ports;
  private final Settings settings;

  public AccountEraser(Ports ports, Settings settings) {
    this.ports = ports;
    this.settings = settings;
  }

  /**
   * Runs the next step of the user's deletion.
   *
   * @return true if there is more to do and this step moved the job (the caller schedules the
   *     next); false when it is done, missing, or another step moved it meanwhile
   */
  public boolean step(String uid) {
    AccountDeletion job = ports.deletions().find(uid).orElse(null);
    if (job == null || job.isDone()) {
      return false;
    }
    int page = settings.pageSize();
    Erased erased = Erased.NONE;
    Phase next = job.phase();
    switch (job.phase()) {
      case UPLOADS -> {
        List<Upload> uploads = ports.uploads().ofOwner(uid, page);
        for (Upload upload : uploads) {
          if (!upload.status().isFinal()) {
            // Ends it first, so processing that picks it up afterwards discards its bytes.
            ports.uploads().abort(upload.id(), UploadStatus.ABORTED, ports.clock().instant());
            ports.storage().cancelResumableUpload(upload.session());
          }
          ports.storage().delete(upload.object());
          ports.uploads().erase(upload.id());
        }
        erased = new Erased(uploads.size(), 0, 0, 0, 0, 0);
        next = uploads.size() < page ? Phase.FILES : Phase.UPLOADS;
      }
      case FILES -> {
        List<FileRecord> files = ports.files().ofOwner(uid, page);
        for (FileRecord file : files) {
          file.objects(settings.filesBucket()).forEach(ports.storage()::delete);
          ports.files().erase(file.id());
        }
        erased = new Erased(0, files.size(), 0, 0, 0, 0);
        next = files.size() < page ? Phase.EXPORTS : Phase.FILES;
      }
      case EXPORTS -> {
        // No export starts once the deletion has (AccountExports.start), so this is the last.
        ports.exports().remove(uid);
        next = Phase.WEBHOOKS;
      }
      case WEBHOOKS -> {
        // An endpoint goes after its deliveries, so a step cut short finds it again.
        List<WebhookEndpoint> endpoints = ports.webhooks().ownedBy(uid, page);
        for (WebhookEndpoint endpoint : endpoints) {
          while (ports.webhookDeliveries().deleteOf(endpoint.id(), page) > 0) {
            // the next batch
          }
          ports.webhooks().delete(endpoint.id());
        }
        next = endpoints.size() < page ? Phase.OBJECTS : Phase.WEBHOOKS;
      }
      case OBJECTS -> {
        // What no document names any more: bytes of a crashed processing or delete.
        List<ObjectRef> left =
            ports.storage().list(settings.uploadsBucket(), Upload.ownerPrefix(uid), page);
        for (String prefix : List.of(FileRecord.ownerPrefix(uid), ExportArchive.ownerPrefix(uid))) {
          if (left.size() < page) {
            left =
                concat(
                    left, ports.storage().list(settings.filesBucket(), prefix, page - left.size()));
          }
        }
        left.forEach(ports.storage()::delete);
        erased = new Erased(0, 0, left.size(), 0, 0, 0);
        next = left.size() < page ? Phase.NOTIFICATIONS : Phase.OBJECTS;
      }
      case NOTIFICATIONS -> {
        int n = ports.notifications().deleteSome(uid, page);
        erased = new Erased(0, 0, 0, n, 0, 0);
        next = n < page ? Phase.DEVICES : Phase.NOTIFICATIONS;
      }
      case DEVICES -> {
        int n = ports.users().deleteDevices(uid, page);
        erased = new Erased(0, 0, 0, 0, n, 0);
        next = n < page ? Phase.DELIVERIES : Phase.DEVICES;
      }
      case DELIVERIES -> {
        // Push records, and the processing records that name the user's upload objects.
        int pushes = ports.deliveries().forget(uid, page);
        int events =
            ports.claims().forget(settings.uploadsBucket() + "/" + Upload.ownerPrefix(uid), page);
        erased = new Erased(0, 0, 0, 0, 0, pushes + events);
        next = pushes < page && events < page ? Phase.PROFILE : Phase.DELIVERIES;
      }
      case PROFILE -> {
        // Something written since its phase ran (a notification, a late file) sends it round.
        next = ports.deletions().deleteProfileIfEmpty(uid) ? Phase.IDENTITY : Phase.UPLOADS;
        ports.userCache().evict(uid);
      }
      case IDENTITY -> {
        ports.identity().delete(uid);
        next = Phase.DONE;
      }
      case DONE -> {
        return false;
      }
    }
    return ports
        .deletions()
        .advance(job, job.after(next, erased, ports.clock().instant()))
        .filter(moved -> !moved.isDone())
        .isPresent();
  }

  private static List<ObjectRef> concat(List<ObjectRef> a, List<ObjectRef> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
