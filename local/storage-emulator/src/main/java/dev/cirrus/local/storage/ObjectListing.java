package dev.cirrus.local.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * A page of a bucket's objects as {@code objects.list} answers: the objects, and with a delimiter
 * the prefixes that stand for the objects under them; the next page starts at the first name left.
 */
public record ObjectListing(List<ObjectMeta> items, List<String> prefixes, String nextPageToken) {

  /** The page of {@code all} (one bucket's live objects by name) that the parameters select. */
  static ObjectListing page(
      NavigableMap<String, ObjectMeta> all,
      String prefix,
      String delimiter,
      String pageToken,
      int maxResults) {
    String start = pageToken == null ? (prefix == null ? "" : prefix) : pageToken;
    List<ObjectMeta> items = new ArrayList<>();
    TreeSet<String> prefixes = new TreeSet<>();
    String next = null;
    for (Map.Entry<String, ObjectMeta> e : all.tailMap(start, true).entrySet()) {
      String key = e.getKey();
      if (prefix != null && !key.startsWith(prefix)) {
        break;
      }
      if (items.size() + prefixes.size() >= maxResults) {
        next = key;
        break;
      }
      String rest = prefix == null ? key : key.substring(prefix.length());
      int cut = delimiter == null || delimiter.isEmpty() ? -1 : rest.indexOf(delimiter);
      if (cut >= 0) {
        prefixes.add((prefix == null ? "" : prefix) + rest.substring(0, cut + delimiter.length()));
      } else {
        items.add(e.getValue());
      }
    }
    return new ObjectListing(items, List.copyOf(prefixes), next);
  }
}
