package io.sconej.ioagent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lexical normalisation that decides which region a name falls into. */
class PathNamesTest {
  @Test
  void removesDotsDotDotsAndRepeatedSeparators() {
    assertEquals("/a/b", PathNames.normalize("/a/b"));
    assertEquals("/a/b", PathNames.normalize("/a/./b/"));
    assertEquals("/a/b", PathNames.normalize("//a//b"));
    assertEquals("/b", PathNames.normalize("/a/../b"));
    assertEquals("/shielded/x", PathNames.normalize("/plain/../shielded/x"));
    assertEquals("/", PathNames.normalize("/.."));
    assertEquals("/x", PathNames.normalize("/../../x"));
    assertEquals("/a/..b", PathNames.normalize("/a/..b"));
    assertEquals("/a/.b", PathNames.normalize("/a/.b"));
  }

  @Test
  void relativeNamesResolveAgainstUserDir() {
    String dir = System.getProperty("user.dir");
    assertEquals(PathNames.normalize(dir + "/x"), PathNames.absolute("x"));
    assertEquals(PathNames.normalize(dir), PathNames.absolute(""));
  }
}
