package dev.cirrus.local.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resumable upload sessions in progress: what each will become and the blob its bytes go to. They
 * belong to the store, as in the service, where a session outlives any one request.
 */
public final class UploadSessions {
  /** A resumable upload in progress. */
  public record Session(
      String bucket,
      String name,
      ObjectFields fields,
      Preconditions conditions,
      OptionalLong declaredLength,
      String blobId) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /**
   * Sessions that made an object, with the object as made: the service answers a later status query
   * or a repeated final request with it, so a client that lost the final response learns its upload
   * succeeded. The newest {@value #FINISHED_KEPT} are kept.
   */
  private final Map<String, ObjectMeta> finished =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectMeta> eldest) {
          return size() > FINISHED_KEPT;
        }
      };

  static final int FINISHED_KEPT = 10_000;

  /** Opens a session; returns its id. */
  public String open(Session session) {
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(id, session);
    return id;
  }

  public Optional<Session> get(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  /** Ends a cancelled session. */
  public void close(String id) {
    sessions.remove(id);
  }

  /** Ends a session that made {@code object}. */
  public void finish(String id, ObjectMeta object) {
    synchronized (finished) {
      finished.put(id, object);
    }
    sessions.remove(id);
  }

  /** The object a finished session made, if it is one. */
  public Optional<ObjectMeta> finished(String id) {
    synchronized (finished) {
      return Optional.ofNullable(finished.get(id));
    }
  }

  void clear() {
    sessions.clear();
    synchronized (finished) {
      finished.clear();
    }
  }
}
