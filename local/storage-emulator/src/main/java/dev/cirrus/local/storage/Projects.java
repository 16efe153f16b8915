package dev.cirrus.local.storage;

/** What the emulator knows of projects: only a stable number per project id. */
public final class Projects {
  private Projects() {}

  /**
   * A 12-digit project number derived from the id, stable across runs: the service names service
   * agents, ACL entities and bucket resources by number, and the emulator has no resource manager.
   */
  public static String number(String project) {
    long n =
        Math.floorMod((long) project.hashCode() * 2654435761L, 900_000_000_000L) + 100_000_000_000L;
    return Long.toString(n);
  }
}
