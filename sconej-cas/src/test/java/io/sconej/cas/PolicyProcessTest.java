package io.sconej.cas;

import static io.sconej.cas.PolicyHostCallsTest.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sconej.cas.client.ProcessConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A service's {@code working_dir}, {@code locale} and {@code tmp_dir}: carried as given, each bad
 * value refused at upload naming its line and field, a temporary directory only inside an
 * encrypted volume.
 */
class PolicyProcessTest {
  private static final String VOLUMES = """
      volumes:
        - {name: data, path: /data, kind: encrypted}
        - {name: conf, path: /data/conf, kind: authenticated}
        - {name: logs, path: /logs, kind: authenticated}
      """;

  @Test
  void absentMeansEveryDefault() {
    assertEquals(ProcessConfig.DEFAULTS,
        PolicyParser.parse(policy("ethreads: 2")).services().get("app").process());
  }

  @Test
  void theSessionsValuesAreCarriedAsGiven() {
    ProcessConfig p = PolicyParser.parse(policy(VOLUMES
        + "working_dir: /data/work\nlocale: de-CH\ntmp_dir: /data/tmp")).services().get("app")
        .process();
    assertEquals(new ProcessConfig(Optional.of("/data/work"), Optional.of("de-CH"),
        Optional.of("/data/tmp")), p);
    assertEquals(Optional.of("/data"), PolicyParser.parse(policy(VOLUMES + "tmp_dir: /data"))
        .services().get("app").process().tmpDir());
    assertEquals(Optional.of("/srv/app"), PolicyParser.parse(policy("working_dir: /srv/app"))
        .services().get("app").process().workingDir());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "working_dir: data | 12 | working_dir': 'data' must be an absolute path",
      "working_dir: /data/../etc | 12 | must be normalised",
      "working_dir: /data/ | 12 | must not end with '/'",
      "locale: english please | 12 | locale': 'english please' not a well-formed language tag",
      "locale: en-US-u-nu-arab | 12 | extensions (-u-, -x-, ...) are not supported",
      "tmp_dir: /tmp | 12 | tmp_dir': '/tmp' is in no volume of this service",
      "tmp_dir: /datax/tmp | 12 | is in no volume of this service",
      "tmp_dir: /data/conf/tmp | 12 | is in volume 'conf', which is authenticated",
      "tmp_dir: /logs | 12 | is in volume 'logs', which is authenticated",
      "tmp_dir: /data/./tmp | 12 | must be normalised",
  })
  void badValuesAreRefusedNamingTheLineAndTheField(String field, int line, String why) {
    CasException e = assertThrows(CasException.class,
        () -> PolicyParser.parse(policy(VOLUMES + field)));
    assertEquals(400, e.status());
    String msg = e.getMessage();
    org.junit.jupiter.api.Assertions.assertTrue(
        msg.startsWith("policy line " + line + ": field 'services[0].") && msg.contains(why),
        msg);
  }
}
