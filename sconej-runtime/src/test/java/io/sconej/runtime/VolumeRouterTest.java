package io.sconej.runtime;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sconej.ioagent.boot.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeRouterTest {
  @Test
  void volumesWinThenTheDefaultRegionDecidesWithItsExemptions() {
    VolumeRouter refuse = new VolumeRouter(List.of("/data/"), true, List.of("/jdk", "/app/a.jar"));
    assertInstanceOf(Route.To.class, refuse.route("/data/x"));
    assertInstanceOf(Route.To.class, refuse.route("/data"));
    assertInstanceOf(Route.Host.class, refuse.route("/jdk/lib/modules"));
    assertInstanceOf(Route.Host.class, refuse.route("/app/a.jar"));
    assertInstanceOf(Route.Refuse.class, refuse.route("/app/a.jar.evil"));
    assertInstanceOf(Route.Refuse.class, refuse.route("/tmp/out"));
    assertInstanceOf(Route.Refuse.class, refuse.route("/database"));
    VolumeRouter open = new VolumeRouter(List.of("/data"));
    assertInstanceOf(Route.Host.class, open.route("/tmp/out"));
    assertInstanceOf(Route.To.class, open.route("/data/x"));
  }
}
