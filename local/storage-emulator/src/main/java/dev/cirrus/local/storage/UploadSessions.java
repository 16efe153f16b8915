package dev.cirrus.local.storage;

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

  /** Opens a session; returns its id. */
  public String open(Session session) {
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(id, session);
    return id;
  }

  public Optional<Session> get(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  /** Ends a session, finished or cancelled. */
  public void close(String id) {
    sessions.remove(id);
  }

  void clear() {
    sessions.clear();
  }
}
