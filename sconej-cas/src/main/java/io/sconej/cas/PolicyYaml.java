package io.sconej.cas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Strict access to a YAML document as composed nodes (never constructed into objects), so every
 * refusal can name the field path and the line: {@code policy line 7: field
 * 'services[0].volumes[1].kind': expected one of encrypted, authenticated}.
 *
 * <p>Safe loading: SnakeYAML Engine's composer only (no tags are constructed), at most 256 Ki code
 * points, nesting at most {@value #MAX_DEPTH} deep (checked on the event stream first, since the
 * composer recurses), no aliases of collections, no recursive keys; duplicate keys and unknown
 * fields are refused.
 */
final class PolicyYaml {
  /** Largest policy accepted, in code points. */
  static final int MAX_CODE_POINTS = 256 * 1024;

  /** Deepest nesting of lists and mappings accepted (a valid policy needs 5). */
  static final int MAX_DEPTH = 64;

  private PolicyYaml() {}

  /** A node and its field path. */
  record Field(String path, Node node) {
    int line() {
      return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    CasException error(String what) {
      return CasException.badRequest("policy line " + line() + ": field '" + path + "': " + what);
    }

    boolean isNull() {
      return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    /** The mapping's fields, refusing keys outside {@code allowed} and duplicates. */
    Map<String, Field> map(Set<String> allowed) {
      if (!(node instanceof MappingNode m)) {
        throw error("expected a mapping");
      }
      Map<String, Field> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        Field keyField = new Field(path, t.getKeyNode());
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          throw keyField.error("keys must be plain strings");
        }
        String name = k.getValue();
        String sub = path.isEmpty() ? name : path + "." + name;
        if (!allowed.contains(name)) {
          throw new Field(sub, t.getKeyNode())
              .error(
                  "unknown field (allowed: "
                      + String.join(", ", allowed.stream().sorted().toList())
                      + ")");
        }
        if (out.put(name, new Field(sub, t.getValueNode())) != null) {
          throw new Field(sub, t.getKeyNode()).error("given twice");
        }
      }
      return out;
    }

    List<Field> list() {
      if (!(node instanceof SequenceNode s)) {
        throw error("expected a list");
      }
      List<Field> out = new ArrayList<>();
      for (int i = 0; i < s.getValue().size(); i++) {
        out.add(new Field(path + "[" + i + "]", s.getValue().get(i)));
      }
      return out;
    }

    String string() {
      if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
        throw error("expected a string");
      }
      return s.getValue();
    }

    long integer(long min, long max) {
      if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) {
        throw error("expected an integer");
      }
      long v;
      try {
        v = Long.parseLong(s.getValue());
      } catch (NumberFormatException e) {
        throw error("expected a decimal integer");
      }
      if (v < min || v > max) {
        throw error("must be between " + min + " and " + max);
      }
      return v;
    }

    List<String> strings() {
      List<String> out = new ArrayList<>();
      for (Field f : list()) {
        out.add(f.string());
      }
      return out;
    }

    Map<String, String> stringMap() {
      if (!(node instanceof MappingNode m)) {
        throw error("expected a mapping of strings");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        String k = new Field(path, t.getKeyNode()).string();
        Field v = new Field(path + "." + k, t.getValueNode());
        if (out.put(k, v.string()) != null) {
          throw v.error("given twice");
        }
      }
      return out;
    }
  }

  /** Composes {@code text} into its root field; refuses empty and malformed documents. */
  static Field parse(String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setAllowDuplicateKeys(false)
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(0)
            .setCodePointLimit(MAX_CODE_POINTS)
            .setLabel("policy")
            .build();
    try {
      checkDepth(settings, text);
      Node root =
          new Compose(settings)
              .composeString(text)
              .orElseThrow(() -> CasException.badRequest("policy is empty"));
      return new Field("", root);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw CasException.badRequest("policy line " + line + ": malformed YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      String m = firstLine(e.getMessage());
      throw CasException.badRequest(
          m.contains("aliases")
              ? "policy: YAML aliases of lists and mappings are not accepted"
              : "malformed YAML: " + m);
    }
  }

  /**
   * Refuses nesting deeper than {@link #MAX_DEPTH} before the (recursive) composer sees the
   * document: the event parser keeps its own stack, so a document nested thousands deep costs a
   * linear scan here instead of a {@code StackOverflowError} there.
   */
  private static void checkDepth(LoadSettings settings, String text) {
    int depth = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      switch (e.getEventId()) {
        case MappingStart, SequenceStart -> {
          if (++depth > MAX_DEPTH) {
            int line = e.getStartMark().map(m -> m.getLine() + 1).orElse(0);
            throw CasException.badRequest(
                "policy line " + line + ": nested deeper than " + MAX_DEPTH + " levels");
          }
        }
        case MappingEnd, SequenceEnd -> depth--;
        default -> {}
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable document";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
