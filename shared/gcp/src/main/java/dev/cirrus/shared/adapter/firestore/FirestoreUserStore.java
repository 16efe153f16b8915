package dev.cirrus.shared.adapter.firestore;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.users.Device;
import dev.cirrus.shared.users.DevicePlatform;
import dev.cirrus.shared.users.DeviceRegistration;
import dev.cirrus.shared.users.Quota;
import dev.cirrus.shared.users.Recipient;
import dev.cirrus.shared.users.Settings;
import dev.cirrus.shared.users.UserRecord;
import dev.cirrus.shared.users.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/** {@link UserStore} on Firestore: {@code users/{uid}} and {@code users/{uid}/devices/{id}}. */
public final class FirestoreUserStore implements UserStore {
  private static final String PUSH_TARGETS = "pushTargets";
  private static final String DEVICE_ID = "id";

  private final Supplier<Firestore> firestore;

  /**
   * A user's device changes write the user's document too ({@code pushTargets}); serialising one
   * user's concurrent changes in this instance spares their transactions the lock contention that
   * otherwise times out in the emulator. Other instances still meet at Firestore's locks.
   */
  private final OwnerLocks perUser = new OwnerLocks();

  /** Takes a supplier so the client is created on first use, not when the function loads. */
  public FirestoreUserStore(Supplier<Firestore> firestore) {
    this.firestore = firestore;
  }

  @Override
  public UserRecord findOrCreate(UserRecord fresh) {
    DocumentReference ref = users().document(fresh.uid());
    DocumentSnapshot snapshot = FirestoreFutures.await(ref.get());
    if (snapshot.exists()) {
      return toUser(snapshot);
    }
    try {
      // create() fails if a concurrent first call won the race; then read what it wrote.
      FirestoreFutures.await(ref.create(toDocument(fresh)));
      return fresh;
    } catch (AlreadyExistsException e) {
      return toUser(FirestoreFutures.await(ref.get()));
    }
  }

  @Override
  public Optional<UserRecord> find(String uid) {
    DocumentSnapshot snapshot = FirestoreFutures.await(users().document(uid).get());
    return snapshot.exists() ? Optional.of(toUser(snapshot)) : Optional.empty();
  }

  @Override
  public UserRecord saveSettings(String uid, Settings settings) {
    DocumentReference ref = users().document(uid);
    // Read in the transaction so that what the cache is written through with is the document as
    // this write leaves it, quota included.
    return FirestoreFutures.transact(
        firestore.get(),
        ref,
        (tx, doc) -> {
          if (!doc.exists()) {
            throw new NotFound("user not found");
          }
          tx.update(
              ref,
              "settings",
              Map.of("mutedTypes", settings.mutedTypes()),
              "updatedAt",
              Timestamp.now());
          UserRecord before = toUser(doc);
          return new UserRecord(uid, before.email(), settings, before.quota(), before.createdAt());
        });
  }

  @Override
  public DeviceRegistration registerDevice(String uid, Device device, int maxDevices) {
    Lock lock = perUser.of(uid);
    lock.lock();
    try {
      return registerDeviceLocked(uid, device, maxDevices);
    } finally {
      lock.unlock();
    }
  }

  private DeviceRegistration registerDeviceLocked(String uid, Device device, int maxDevices) {
    CollectionReference devices = deviceCollection(uid);
    DocumentReference ref = devices.document(device.id());
    DocumentReference userRef = users().document(uid);
    return FirestoreFutures.await(
        firestore
            .get()
            .runTransaction(
                tx -> {
                  DocumentSnapshot existing = tx.get(ref).get();
                  boolean userExists = tx.get(userRef).get().exists();
                  if (existing.exists()) {
                    Device known = toDevice(existing);
                    tx.update(
                        ref,
                        "platform",
                        device.platform().wireName(),
                        "lastSeenAt",
                        timestamp(device.lastSeenAt()));
                    Device refreshed =
                        new Device(
                            known.id(),
                            known.token(),
                            device.platform(),
                            known.createdAt(),
                            device.lastSeenAt());
                    if (userExists) {
                      tx.update(userRef, pushTarget(refreshed.id()), toPushTarget(refreshed));
                    }
                    return new DeviceRegistration(refreshed, false, List.of());
                  }
                  List<QueryDocumentSnapshot> oldestFirst =
                      tx.get(devices.orderBy("createdAt", Query.Direction.ASCENDING))
                          .get()
                          .getDocuments();
                  List<String> evicted = new ArrayList<>();
                  for (int i = 0; i <= oldestFirst.size() - maxDevices; i++) {
                    tx.delete(oldestFirst.get(i).getReference());
                    evicted.add(oldestFirst.get(i).getId());
                    if (userExists) {
                      tx.update(
                          userRef, pushTarget(oldestFirst.get(i).getId()), FieldValue.delete());
                    }
                  }
                  tx.create(ref, toDocument(device));
                  if (userExists) {
                    tx.update(userRef, pushTarget(device.id()), toPushTarget(device));
                  }
                  return new DeviceRegistration(device, true, evicted);
                }));
  }

  @Override
  public List<String> holdersOf(String deviceId) {
    // A collection-group query on the device's id field (infra/firestore.tf indexes it at that
    // scope); the owner is the parent of the devices collection.
    List<String> holders = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        FirestoreFutures.await(
                firestore
                    .get()
                    .collectionGroup(FirestoreCollections.DEVICES)
                    .whereEqualTo(DEVICE_ID, deviceId)
                    .select(DEVICE_ID)
                    .get())
            .getDocuments()) {
      holders.add(doc.getReference().getParent().getParent().getId());
    }
    return holders;
  }

  @Override
  public void removeDevice(String uid, String deviceId) {
    Lock lock = perUser.of(uid);
    lock.lock();
    try {
      removeDeviceLocked(uid, deviceId);
    } finally {
      lock.unlock();
    }
  }

  private void removeDeviceLocked(String uid, String deviceId) {
    DocumentReference userRef = users().document(uid);
    FirestoreFutures.transact(
        firestore.get(),
        userRef,
        (tx, user) -> {
          tx.delete(deviceCollection(uid).document(deviceId));
          if (user.exists()) {
            tx.update(userRef, pushTarget(deviceId), FieldValue.delete());
          }
          return null;
        });
  }

  @Override
  public int deleteDevices(String uid, int limit) {
    List<QueryDocumentSnapshot> page =
        FirestoreFutures.await(deviceCollection(uid).limit(limit).get()).getDocuments();
    DocumentReference userRef = users().document(uid);
    FirestoreFutures.transact(
        firestore.get(),
        userRef,
        (tx, user) -> {
          page.forEach(doc -> tx.delete(doc.getReference()));
          if (user.exists() && user.contains(PUSH_TARGETS)) {
            // Whatever the page held, the account pushes to no device any more.
            tx.update(userRef, PUSH_TARGETS, FieldValue.delete());
          }
          return null;
        });
    return page.size();
  }

  @Override
  public Map<String, Recipient> recipients(List<String> uids) {
    Map<String, Recipient> found = new HashMap<>();
    if (uids.isEmpty()) {
      return found;
    }
    DocumentReference[] refs =
        uids.stream().map(users()::document).toArray(DocumentReference[]::new);
    for (DocumentSnapshot doc : FirestoreFutures.await(firestore.get().getAll(refs))) {
      if (doc.exists()) {
        UserRecord user = toUser(doc);
        found.put(doc.getId(), new Recipient(doc.getId(), user.settings(), pushTargets(doc)));
      }
    }
    return found;
  }

  @Override
  public Map<String, Quota> quotas(String startAt, int limit) {
    Map<String, Quota> quotas = new LinkedHashMap<>();
    Query ordered = users().orderBy(FieldPath.documentId());
    // An empty start is the first id: a document path cannot be empty.
    Query page = startAt.isEmpty() ? ordered : ordered.startAt(startAt);
    for (QueryDocumentSnapshot doc :
        FirestoreFutures.await(page.limit(limit).select("quota").get()).getDocuments()) {
      quotas.put(doc.getId(), toUser(doc).quota());
    }
    return quotas;
  }

  @Override
  public Optional<Quota> quota(String uid) {
    DocumentSnapshot doc = FirestoreFutures.await(users().document(uid).get());
    return doc.exists() ? Optional.of(toUser(doc).quota()) : Optional.empty();
  }

  @Override
  public boolean correctQuota(String uid, Quota seen, long usedBytes, long fileCount) {
    DocumentReference ref = users().document(uid);
    return FirestoreFutures.transact(
        firestore.get(),
        ref,
        (tx, doc) -> {
          if (!doc.exists() || !toUser(doc).quota().equals(seen)) {
            return false;
          }
          tx.update(ref, "quota.usedBytes", usedBytes, "quota.fileCount", fileCount);
          return true;
        });
  }

  /**
   * The user's devices are copied into their document ({@code pushTargets.{id}}), in the same
   * transaction as every change to {@code devices/}, so notifying 500 users is one read of 500
   * documents instead of 500 queries.
   */
  private static FieldPath pushTarget(String deviceId) {
    return FieldPath.of(PUSH_TARGETS, deviceId);
  }

  private static Map<String, Object> toPushTarget(Device device) {
    Map<String, Object> target = new HashMap<>();
    target.put("token", device.token());
    target.put("platform", device.platform().wireName());
    target.put("createdAt", timestamp(device.createdAt()));
    return target;
  }

  @SuppressWarnings("unchecked")
  private static List<Device> pushTargets(DocumentSnapshot user) {
    Object raw = user.get(FieldPath.of(PUSH_TARGETS));
    List<Device> devices = new ArrayList<>();
    if (raw instanceof Map<?, ?> targets) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) targets).entrySet()) {
        if (e.getValue() instanceof Map<?, ?> t && t.get("token") instanceof String token) {
          Instant created =
              t.get("createdAt") instanceof Timestamp ts ? instant(ts) : Instant.EPOCH;
          devices.add(
              new Device(
                  e.getKey(),
                  token,
                  DevicePlatform.parse((String) t.get("platform")),
                  created,
                  created));
        }
      }
    }
    devices.sort(Comparator.comparing(Device::createdAt).thenComparing(Device::id));
    return devices;
  }

  @Override
  public List<Device> devices(String uid) {
    List<Device> result = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        FirestoreFutures.await(
                deviceCollection(uid).orderBy("createdAt", Query.Direction.ASCENDING).get())
            .getDocuments()) {
      result.add(toDevice(doc));
    }
    return result;
  }

  private CollectionReference users() {
    return firestore.get().collection(FirestoreCollections.USERS);
  }

  private CollectionReference deviceCollection(String uid) {
    return users().document(uid).collection(FirestoreCollections.DEVICES);
  }

  static Map<String, Object> toDocument(UserRecord user) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("email", user.email().orElse(null));
    doc.put("settings", Map.of("mutedTypes", user.settings().mutedTypes()));
    Quota q = user.quota();
    doc.put(
        "quota",
        Map.of(
            "usedBytes", q.usedBytes(),
            "fileCount", q.fileCount(),
            "limitBytes", q.limitBytes()));
    doc.put("createdAt", timestamp(user.createdAt()));
    doc.put("updatedAt", timestamp(user.createdAt()));
    return doc;
  }

  @SuppressWarnings("unchecked")
  static UserRecord toUser(DocumentSnapshot doc) {
    Map<String, Object> settings = (Map<String, Object>) doc.get("settings");
    Map<String, Object> quota = (Map<String, Object>) doc.get("quota");
    List<String> muted =
        settings == null
            ? List.of()
            : (List<String>) settings.getOrDefault("mutedTypes", List.of());
    return new UserRecord(
        doc.getId(),
        Optional.ofNullable(doc.getString("email")),
        new Settings(muted),
        new Quota(
            number(quota, "usedBytes"), number(quota, "fileCount"), number(quota, "limitBytes")),
        instant(doc.getTimestamp("createdAt")));
  }

  private static Map<String, Object> toDocument(Device device) {
    Map<String, Object> doc = new HashMap<>();
    doc.put(DEVICE_ID, device.id());
    doc.put("token", device.token());
    doc.put("platform", device.platform().wireName());
    doc.put("createdAt", timestamp(device.createdAt()));
    doc.put("lastSeenAt", timestamp(device.lastSeenAt()));
    return doc;
  }

  private static Device toDevice(DocumentSnapshot doc) {
    return new Device(
        doc.getId(),
        doc.getString("token"),
        DevicePlatform.parse(doc.getString("platform")),
        instant(doc.getTimestamp("createdAt")),
        instant(doc.getTimestamp("lastSeenAt")));
  }

  static long number(Map<String, Object> map, String key) {
    Object value = map == null ? null : map.get(key);
    return value instanceof Number n ? n.longValue() : 0L;
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }

  static Instant instant(Timestamp timestamp) {
    return timestamp == null
        ? Instant.EPOCH
        : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
