package dev.cirrus.shared.exports;

import dev.cirrus.shared.files.FileRecord;
import java.util.Locale;

/**
 * Where an export's objects live in the files bucket, and what its entries are called. Everything
 * of a user's exports is under {@code exports/{uid}/}, which an account deletion empties; a job's
 * parts are under {@code exports/{uid}/{id}/}, deleted once the archive is assembled.
 */
public final class ExportArchive {
  public static final String CONTENT_TYPE = "application/x-tar";

  /** The folder an archive extracts into. */
  static final String ROOT = "cirrus-export/";

  static final String DATA_ENTRY = ROOT + "data.json";

  private ExportArchive() {}

  /** All of one user's export objects. */
  public static String ownerPrefix(String uid) {
    return "exports/" + uid + "/";
  }

  /** One job's parts. */
  static String workPrefix(String uid, String id) {
    return ownerPrefix(uid) + id + "/";
  }

  static String part(String uid, String id, int n) {
    return workPrefix(uid, id) + String.format(Locale.ROOT, "part-%05d", n);
  }

  static String dataHeader(String uid, String id) {
    return workPrefix(uid, id) + "data-0-header";
  }

  static String data(String uid, String id) {
    return workPrefix(uid, id) + "data-1.json";
  }

  static String dataTrailer(String uid, String id) {
    return workPrefix(uid, id) + "data-2-trailer";
  }

  static String assembled(String uid, String id, int n) {
    return workPrefix(uid, id) + String.format(Locale.ROOT, "assembled-%03d", n);
  }

  /** The finished archive: beside the parts' folder, so deleting the parts spares it. */
  static String archive(String uid, String id) {
    return ownerPrefix(uid) + "cirrus-export-" + id + ".tar";
  }

  static boolean isArchive(String name) {
    return name.contains("/cirrus-export-") && name.endsWith(".tar");
  }

  /**
   * A file's original in the archive: {@code cirrus-export/files/{id}/{name}}, the name made safe
   * for any unpacker (ASCII letters, digits, {@code . _ -}; no leading dot) and short enough for
   * ustar. {@code data.json} keeps the real name.
   */
  static String entryOf(FileRecord file) {
    String folder = ROOT + "files/" + file.id() + "/";
    StringBuilder safe = new StringBuilder();
    for (char c : file.filename().toCharArray()) {
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      safe.append(plain ? c : '_');
    }
    while (safe.length() > 0 && safe.charAt(0) == '.') {
      safe.setCharAt(0, '_');
    }
    if (safe.length() == 0) {
      safe.append("original");
    }
    int room = Tar.MAX_NAME - folder.length();
    String name = safe.length() > room ? safe.substring(safe.length() - room) : safe.toString();
    return folder + name;
  }
}
