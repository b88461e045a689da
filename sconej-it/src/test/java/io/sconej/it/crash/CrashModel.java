package io.sconej.it.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replays a child's logged operations from the state at the start of a round and decides whether
 * the state found after the crash is allowed.
 *
 * <p>Per file (the guarantee of the issue): its content (or absence) must equal its state after
 * some op {@code j >= a}, where {@code a} is the last op acknowledged for that file ({@code ACK
 * <seq> <file>}) or for everything ({@code ACK <seq> *}); so never older than its last
 * acknowledged sync. Whole volume (documented by {@code Volume}: a commit makes all pending
 * changes durable at once): all files together must equal the state after one single op {@code
 * j} at or after the last acknowledgement of any kind.
 */
final class CrashModel {
  private final TreeMap<String, byte[]> start;
  private final List<String[]> ops = new ArrayList<>(); // index i = op i+1; fields after "OP"
  private final Map<Long, Integer> indexOfSeq = new HashMap<>();
  private final Map<String, Integer> ackedIndex = new HashMap<>();
  private int ackedAll;
  private int ackedAny;
  private long lastSeq = -1;
  private int acks;

  CrashModel(TreeMap<String, byte[]> start) {
    this.start = start;
  }

  /** Feeds one complete line of the child's stdout. */
  void accept(String line) {
    String[] f = line.split(" ");
    if (f[0].equals("OP")) {
      long seq = Long.parseLong(f[1]);
      ops.add(Arrays.copyOfRange(f, 1, f.length));
      indexOfSeq.put(seq, ops.size());
      lastSeq = seq;
    } else if (f[0].equals("ACK")) {
      acks++;
      long seq = Long.parseLong(f[1]);
      // a sync before the round's first op acknowledges the start state (index 0)
      Integer known = indexOfSeq.get(seq);
      if (known == null && !ops.isEmpty() && seq >= Long.parseLong(ops.get(0)[0])) {
        throw new IllegalStateException("acknowledgement of an op never logged: " + line);
      }
      int idx = known == null ? 0 : known;
      ackedAny = Math.max(ackedAny, idx);
      if (f[2].equals("*")) {
        ackedAll = Math.max(ackedAll, idx);
      } else {
        ackedIndex.merge(f[2], idx, Math::max);
      }
    }
  }

  int opCount() {
    return ops.size();
  }

  int ackCount() {
    return acks;
  }

  long lastSeq() {
    return lastSeq;
  }

  /** Problems of the found state, empty if it is allowed. */
  List<String> check(TreeMap<String, byte[]> actual) {
    List<String> problems = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(actual.keySet());
    TreeMap<String, byte[]> state = new TreeMap<>(start);
    paths.addAll(state.keySet());
    for (String[] op : ops) {
      apply(state, op);
      paths.addAll(state.keySet());
    }
    Map<String, List<byte[]>> candidates = new HashMap<>();
    state = new TreeMap<>(start);
    boolean cutFound = false;
    for (int j = 0; j <= ops.size(); j++) {
      if (j > 0) {
        apply(state, ops.get(j - 1));
      }
      for (String p : paths) {
        if (j >= Math.max(ackedAll, ackedIndex.getOrDefault(p, 0))) {
          candidates.computeIfAbsent(p, k -> new ArrayList<>()).add(state.get(p));
        }
      }
      if (j >= ackedAny && !cutFound && sameState(state, actual)) {
        cutFound = true;
      }
    }
    for (String p : paths) {
      byte[] found = actual.get(p);
      boolean ok = candidates.getOrDefault(p, List.of()).stream()
          .anyMatch(c -> Arrays.equals(c, found));
      if (!ok) {
        problems.add(p + ": " + describe(found) + " is older than its last acknowledged sync"
            + " or was never written (acked op index "
            + Math.max(ackedAll, ackedIndex.getOrDefault(p, 0)) + " of " + ops.size()
            + "; found = state after op index " + indexOf(p, found) + ")");
      }
    }
    if (!problems.isEmpty() && sameState(start, actual)) {
      problems.add("the whole volume is back at the state of the round's start (" + ops.size()
          + " ops logged, last acknowledgement at op index " + ackedAny + ")");
    }
    if (problems.isEmpty() && !cutFound) {
      problems.add("files are each allowed but together match no single state after op index "
          + ackedAny + " (commits are documented as atomic)");
    }
    return problems;
  }

  /** The op indexes after which p had the found content (-1: none), and the ops touching p. */
  private String indexOf(String p, byte[] found) {
    List<Integer> at = new ArrayList<>();
    List<String> touching = new ArrayList<>();
    TreeMap<String, byte[]> state = new TreeMap<>(start);
    for (int j = 0; j <= ops.size(); j++) {
      if (j > 0) {
        apply(state, ops.get(j - 1));
        if (String.join(" ", ops.get(j - 1)).contains(p)) {
          touching.add(j + ":" + String.join(" ", ops.get(j - 1)));
        }
      }
      if (Arrays.equals(state.get(p), found)) {
        at.add(j);
      }
    }
    return at + ", ops on it " + touching.subList(Math.max(0, touching.size() - 6),
        touching.size());
  }

  private static String describe(byte[] b) {
    return b == null ? "absent" : b.length + " bytes";
  }

  private static boolean sameState(Map<String, byte[]> a, Map<String, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  static void apply(Map<String, byte[]> state, String[] op) {
    long seq = Long.parseLong(op[0]);
    String p = op[2];
    switch (op[1]) {
      case "WRITE" -> {
        long off = Long.parseLong(op[3]);
        int len = Integer.parseInt(op[4]);
        byte[] old = state.getOrDefault(p, new byte[0]);
        byte[] b = Arrays.copyOf(old, (int) Math.max(old.length, off + len));
        System.arraycopy(CrashContent.bytes(seq, off, len), 0, b, (int) off, len);
        state.put(p, b);
      }
      case "TRUNC" -> state.put(p, Arrays.copyOf(state.get(p), Integer.parseInt(op[3])));
      case "CREATE" -> state.put(p, new byte[0]);
      case "RENAME" -> state.put(op[3], state.remove(p));
      case "DELETE" -> state.remove(p);
      default -> throw new IllegalArgumentException("unknown op " + op[1]);
    }
  }
}
