package io.sconej.it.run;

import java.nio.file.Path;
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
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * A small application on Apache Lucene's public API with Lucene's default directory: {@code
 * FSDirectory.open}, which on a 64-bit JVM is {@code MMapDirectory} (index files read through
 * {@code FileChannel.map(READ_ONLY, offset, size, arena)} with Lucene's own arena). Run under
 * {@code sconej run} by {@link LuceneMmapUnderSconejTest}.
 *
 * <p>Args: {@code index|search <indexDir> <marker>}; prints the directory class, {@code hits N}
 * and {@code first <body>}.
 */
public final class LuceneMmapApp {
  static final int DOCS = 900; // below 1000: Lucene counts total hits exactly

  private LuceneMmapApp() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    String marker = args[2];
    try (Directory d = FSDirectory.open(dir)) {
      System.out.println("directory " + d.getClass().getSimpleName());
      if (args[0].equals("index")) {
        try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
          for (int i = 0; i < DOCS; i++) {
            Document doc = new Document();
            doc.add(new StringField("id", "doc-" + i, Field.Store.YES));
            doc.add(new TextField("body", marker + " document number " + i, Field.Store.YES));
            w.addDocument(doc);
          }
          w.commit();
        }
      }
      try (DirectoryReader r = DirectoryReader.open(d)) {
        IndexSearcher s = new IndexSearcher(r);
        TopDocs top = s.search(new TermQuery(new Term("body", marker)), 5);
        System.out.println("hits " + top.totalHits.value());
        TopDocs one = s.search(new TermQuery(new Term("id", "doc-7")), 1);
        System.out.println("first " + s.storedFields().document(one.scoreDocs[0].doc).get("body"));
      }
    }
  }
}
