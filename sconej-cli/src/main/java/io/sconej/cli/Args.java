package io.sconej.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Minimal strict option parsing: positionals, {@code --name value} options and {@code --flag}
 * flags; unknown options, missing values and wrong positional counts are usage errors (exit 2).
 */
public final class Args {
  private final List<String> positionals = new ArrayList<>();
  private final Map<String, List<String>> options = new HashMap<>();
  private final Set<String> flagsSeen = new java.util.HashSet<>();

  private Args() {}

  /**
   * Parses {@code args}.
   *
   * @param valued option names (without dashes) that take a value
   * @param flags option names that take none
   */
  public static Args parse(String[] args, Set<String> valued, Set<String> flags)
      throws CliException {
    Args a = new Args();
    for (int i = 0; i < args.length; i++) {
      String s = args[i];
      if (s.startsWith("--")) {
        String name = s.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (valued.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw CliException.usage("option --" + name + " needs a value");
            }
            value = args[++i];
          }
          a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        } else if (flags.contains(name) && value == null) {
          a.flagsSeen.add(name);
        } else {
          throw CliException.usage("unknown option --" + name);
        }
      } else {
        a.positionals.add(s);
      }
    }
    return a;
  }

  /** The positionals; exactly between min and max of them or a usage error. */
  public List<String> positionals(int min, int max, String usage) throws CliException {
    if (positionals.size() < min || positionals.size() > max) {
      throw CliException.usage("usage: " + usage);
    }
    return positionals;
  }

  /** The single value of an option, if given (given twice is a usage error). */
  public Optional<String> option(String name) throws CliException {
    List<String> v = options.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v.size() > 1) {
      throw CliException.usage("option --" + name + " given more than once");
    }
    return Optional.of(v.get(0));
  }

  /** All values of a repeatable option. */
  public List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  /** A required option's value. */
  public String required(String name) throws CliException {
    return option(name).orElseThrow(() -> CliException.usage("option --" + name + " is required"));
  }

  /** Whether a flag was given. */
  public boolean flag(String name) {
    return flagsSeen.contains(name);
  }
}
