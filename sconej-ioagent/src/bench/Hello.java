/** The hello-world application whose start-up the benchmark measures. */
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
