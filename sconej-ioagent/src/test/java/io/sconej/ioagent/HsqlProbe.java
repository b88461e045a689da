package io.sconej.ioagent;

import io.sconej.ioagent.boot.IoBridge;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Runs HSQLDB (unmodified, file mode) in a child JVM with the agent and {@link XorRouter}
 * installed. Args: write|read, database directory (shielded), store, refused prefix.
 */
public final class HsqlProbe {
  static final int ROWS = 500;

  private HsqlProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    IoBridge.install(new XorRouter(args[1], Path.of(args[2]), args[3]));
    String url = "jdbc:hsqldb:file:" + args[1] + "/db/test;shutdown=true";
    try (Connection c = DriverManager.getConnection(url, "SA", "");
        Statement s = c.createStatement()) {
      if (mode.equals("write")) {
        s.execute("CREATE MEMORY TABLE notes (id INT PRIMARY KEY, body VARCHAR(100))");
        s.execute("CREATE CACHED TABLE blobs (id INT PRIMARY KEY, body VARCHAR(200))");
        for (int i = 0; i < ROWS; i++) {
          s.execute("INSERT INTO notes VALUES (" + i + ", 'secret-note-" + i + "')");
          s.execute("INSERT INTO blobs VALUES (" + i + ", 'secret-blob-" + i + "')");
        }
        s.execute("CHECKPOINT");
        for (int i = ROWS; i < ROWS + 10; i++) {
          s.execute("INSERT INTO blobs VALUES (" + i + ", 'secret-blob-" + i + "')");
        }
      } else {
        try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM notes")) {
          IoProbe.check(r.next() && r.getInt(1) == ROWS, "notes count");
        }
        try (ResultSet r = s.executeQuery("SELECT COUNT(*), MAX(body) FROM blobs")) {
          IoProbe.check(r.next() && r.getInt(1) == ROWS + 10, "blobs count");
        }
        try (ResultSet r = s.executeQuery("SELECT body FROM blobs WHERE id = 505")) {
          IoProbe.check(r.next() && r.getString(1).equals("secret-blob-505"), "blob row");
        }
      }
    }
    System.out.println("HSQL " + mode + " OK");
  }
}
