package io.sconej.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A plain JDBC workload (no sconej code) for benchmarks: a write-heavy phase of single-row inserts,
 * each committed, then a read-heavy phase of primary-key lookups. Prints one line:
 * {@code writes/s=W reads/s=R work_ms=T}. Needs a JDBC driver (e.g. H2) on the class path.
 */
public final class SqlWorkload {
  private SqlWorkload() {}

  /** Arguments: JDBC URL, number of committed inserts, number of lookups. */
  public static void main(String[] args) throws SQLException {
    String url = args[0];
    int writes = Integer.parseInt(args[1]);
    int reads = Integer.parseInt(args[2]);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS kv");
        s.execute("CREATE TABLE kv(k INT PRIMARY KEY, v VARCHAR(200))");
      }
      c.setAutoCommit(false);
      long t0 = System.nanoTime();
      try (PreparedStatement p = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
        for (int i = 0; i < writes; i++) {
          p.setInt(1, i);
          p.setString(2, "value-" + i + "-".repeat(100));
          p.executeUpdate();
          c.commit();
        }
      }
      long t1 = System.nanoTime();
      long found = 0;
      try (PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
        for (int i = 0; i < reads; i++) {
          p.setInt(1, (int) ((i * 2654435761L) % writes));
          try (ResultSet r = p.executeQuery()) {
            found += r.next() ? 1 : 0;
          }
        }
      }
      long t2 = System.nanoTime();
      if (found != reads) {
        throw new IllegalStateException("lookups found " + found + " of " + reads);
      }
      System.out.printf("writes/s=%.0f reads/s=%.0f work_ms=%d%n", writes / ((t1 - t0) / 1e9),
          reads / ((t2 - t1) / 1e9), (t2 - t0) / 1_000_000);
    }
  }
}
