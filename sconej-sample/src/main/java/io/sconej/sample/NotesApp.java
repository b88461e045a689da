package io.sconej.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * An ordinary application that knows nothing of sconej: it appends a note to a file in its data
 * directory (its first argument), using a secret token from its environment, and prints all
 * notes so far. Run under {@code sconej run}, the directory is a shielded volume.
 */
public final class NotesApp {
  private NotesApp() {}

  /** Appends one note and prints the notes. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "notes");
    Files.createDirectories(dir);
    Path notes = dir.resolve("notes.txt");
    String token = System.getenv().getOrDefault("NOTES_TOKEN", "(none)");
    Files.writeString(notes, "note at " + Instant.now() + " signed with token " + token + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    List<String> all = Files.readAllLines(notes);
    System.out.println("NotesApp: " + all.size() + " note(s) in " + notes + ":");
    all.forEach(l -> System.out.println("  " + l));
  }
}
