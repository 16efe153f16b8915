package dev.cirrus.local.storage.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cirrus.local.storage.StorageError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code fields} parameter of Google's JSON APIs (partial responses): {@code
 * kind,items(name,size),owner/entity}, {@code *} for every field. A selection applies to each
 * element of an array it meets.
 */
final class FieldSelection {
  /** Field name to what is selected inside it; null means the whole field. */
  private final Map<String, FieldSelection> fields;

  private FieldSelection(Map<String, FieldSelection> fields) {
    this.fields = fields;
  }

  /**
   * @throws StorageError 400 for a selection that does not parse
   */
  static FieldSelection parse(String text) {
    Parser parser = new Parser(text);
    FieldSelection selection = parser.list();
    if (parser.pos != text.length()) {
      throw parser.invalid();
    }
    return selection;
  }

  JsonNode apply(JsonNode node) {
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> out.add(apply(element)));
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, FieldSelection> e : fields.entrySet()) {
      if (e.getKey().equals("*")) {
        node.fields()
            .forEachRemaining(f -> out.set(f.getKey(), select(f.getValue(), e.getValue())));
      } else if (node.has(e.getKey())) {
        out.set(e.getKey(), select(node.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  private static JsonNode select(JsonNode value, FieldSelection inner) {
    return inner == null ? value : inner.apply(value);
  }

  /** Merges a second selection of one field: {@code a/b,a/c} selects both; whole wins. */
  private static FieldSelection merge(FieldSelection a, FieldSelection b) {
    if (a == null || b == null) {
      return null;
    }
    Map<String, FieldSelection> merged = new LinkedHashMap<>(a.fields);
    for (Map.Entry<String, FieldSelection> e : b.fields.entrySet()) {
      merged.put(
          e.getKey(),
          merged.containsKey(e.getKey())
              ? merge(merged.get(e.getKey()), e.getValue())
              : e.getValue());
    }
    return new FieldSelection(merged);
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    FieldSelection list() {
      Map<String, FieldSelection> fields = new LinkedHashMap<>();
      do {
        String name = name();
        FieldSelection inner = inner();
        fields.put(name, fields.containsKey(name) ? merge(fields.get(name), inner) : inner);
      } while (consume(','));
      return new FieldSelection(fields);
    }

    /** What follows a name: {@code /rest/of/path}, {@code (sub,list)}, or nothing (all of it). */
    private FieldSelection inner() {
      if (consume('/')) {
        Map<String, FieldSelection> one = new LinkedHashMap<>();
        String name = name();
        one.put(name, inner());
        return new FieldSelection(one);
      }
      if (consume('(')) {
        FieldSelection inner = list();
        expect(')');
        return inner;
      }
      return null;
    }

    private String name() {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '*' || c == '-' || c == '.')) {
          break;
        }
        pos++;
      }
      if (pos == start) {
        throw invalid();
      }
      return text.substring(start, pos).trim();
    }

    private boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private boolean consume(char c) {
      while (peek(' ')) {
        pos++;
      }
      if (peek(c)) {
        pos++;
        while (peek(' ')) {
          pos++;
        }
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!consume(c)) {
        throw invalid();
      }
    }

    StorageError invalid() {
      return StorageError.invalidParameter(
          "Invalid field selection " + text.substring(Math.min(pos, text.length())));
    }
  }
}
