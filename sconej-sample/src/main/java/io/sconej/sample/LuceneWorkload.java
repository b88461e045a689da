package io.sconej.sample;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A plain Apache Lucene workload (no sconej code) for benchmarks, on Lucene's default directory
 * ({@code FSDirectory.open}: memory-mapped on 64-bit JVMs). A write-heavy phase indexes documents
 * of random words and commits every 1,000 of them; a read-heavy phase opens the index and runs
 * term queries, reading stored fields of each top hit. Prints one line: {@code writes/s=W
 * reads/s=R work_ms=T} (documents indexed per second, queries per second), timed after start-up.
 */
public final class LuceneWorkload {
  private static final int WORDS = 5000;
  private static final int COMMIT_EVERY = 1000;

  private LuceneWorkload() {}

  /** Arguments: index directory, number of documents, number of queries. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int docs = Integer.parseInt(args[1]);
    int queries = Integer.parseInt(args[2]);
    SplittableRandom r = new SplittableRandom(42);
    try (Directory d = FSDirectory.open(dir)) {
      long t0 = System.nanoTime();
      IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
      try (IndexWriter w = new IndexWriter(d, cfg)) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < docs; i++) {
          body.setLength(0);
          for (int k = 0; k < 60; k++) {
            body.append('w').append(r.nextInt(WORDS)).append(' ');
          }
          Document doc = new Document();
          doc.add(new StringField("id", "doc-" + i, Field.Store.YES));
          doc.add(new TextField("body", body.toString(), Field.Store.YES));
          w.addDocument(doc);
          if ((i + 1) % COMMIT_EVERY == 0) {
            w.commit();
          }
        }
        w.commit();
      }
      long t1 = System.nanoTime();
      long hits = 0;
      try (DirectoryReader reader = DirectoryReader.open(d)) {
        IndexSearcher s = new IndexSearcher(reader);
        for (int i = 0; i < queries; i++) {
          var top = s.search(new TermQuery(new Term("body", "w" + r.nextInt(WORDS))), 10);
          if (top.scoreDocs.length > 0) {
            hits += s.storedFields().document(top.scoreDocs[0].doc).get("id").isEmpty() ? 0 : 1;
          }
        }
      }
      long t2 = System.nanoTime();
      if (hits < queries / 2) {
        throw new IllegalStateException("only " + hits + " of " + queries + " queries found hits");
      }
      System.out.printf("writes/s=%.0f reads/s=%.0f work_ms=%d%n", docs / ((t1 - t0) / 1e9),
          queries / ((t2 - t1) / 1e9), (t2 - t0) / 1_000_000);
    }
  }
}
