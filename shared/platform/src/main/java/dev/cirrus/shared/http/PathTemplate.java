package dev.cirrus.shared.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route path such as {@code /v1/uploads/{id}:complete}. A variable matches one non-empty segment
 * without {@code /} or {@code :}, so custom methods after a colon stay distinct routes.
 */
public final class PathTemplate {
  private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)}");

  private final String template;
  private final Pattern pattern;
  private final List<String> names;

  private PathTemplate(String template, Pattern pattern, List<String> names) {
    this.template = template;
    this.pattern = pattern;
    this.names = names;
  }

  public static PathTemplate of(String template) {
    if (template == null || !template.startsWith("/")) {
      throw new IllegalArgumentException("a path template starts with '/': " + template);
    }
    Matcher m = VARIABLE.matcher(template);
    StringBuilder regex = new StringBuilder("^");
    List<String> names = new ArrayList<>();
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      regex.append("([^/:]+)");
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append("$");
    return new PathTemplate(template, Pattern.compile(regex.toString()), List.copyOf(names));
  }

  /** The variables of a matching path, in template order; empty when the path does not match. */
  public Optional<Map<String, String>> match(String path) {
    Matcher m = pattern.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      values.put(names.get(i), m.group(i + 1));
    }
    return Optional.of(values);
  }

  @Override
  public String toString() {
    return template;
  }
}
