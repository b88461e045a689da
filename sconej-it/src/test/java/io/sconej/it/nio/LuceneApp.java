package io.sconej.it.nio;

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
import org.apache.lucene.store.NIOFSDirectory;

/**
 * A small application using Apache Lucene's public API, unmodified library, run in a child JVM by
 * {@link LuceneDefaultProviderTest}. Choosing {@link NIOFSDirectory} (instead of {@code
 * FSDirectory.open}, which picks memory mapping) is this application's own configuration.
 *
 * <p>Args: {@code index|search <indexDir> <marker>}; prints {@code hits N} and {@code first
 * <body>}.
 */
public final class LuceneApp {
  static final int DOCS = 300;

  private LuceneApp() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    String marker = args[2];
    try (Directory d = new NIOFSDirectory(dir)) {
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
