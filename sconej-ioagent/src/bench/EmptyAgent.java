import java.lang.instrument.Instrumentation;

/** An agent that does nothing: measures what {@code -javaagent} itself costs at start-up. */
public class EmptyAgent {
  public static void premain(String args, Instrumentation inst) {}
}
