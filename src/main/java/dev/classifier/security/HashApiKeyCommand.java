package dev.classifier.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The {@code hash-api-key} command: makes the key file line for a new API key. Without a key it
 * generates one (256 random bits, base64url) and prints it once, on a {@code #} line, so {@code ...
 * hash-api-key alice | grep -v '^#' >> api-keys} appends only the line; the key itself is stored
 * nowhere.
 */
public final class HashApiKeyCommand {

  static final String USAGE =
      """
      usage: hash-api-key <key-id> [<key>]
             key-id: 1-64 of A-Z a-z 0-9 . _ - (it names the caller in logs and metrics)
             key:    the key to hash; without it a random 256-bit key is generated and printed""";

  private final PrintStream out;
  private final PrintStream err;
  private final SecureRandom random;

  public HashApiKeyCommand(PrintStream out, PrintStream err) {
    this(out, err, new SecureRandom());
  }

  HashApiKeyCommand(PrintStream out, PrintStream err, SecureRandom random) {
    this.out = out;
    this.err = err;
    this.random = random;
  }

  /**
   * @param args the arguments after {@code hash-api-key}
   * @return the process exit code: 0, or 2 for bad arguments
   */
  public int run(String... args) {
    if (args.length < 1 || args.length > 2 || !ApiKeyFile.ID.matcher(args[0]).matches()) {
      err.println(USAGE);
      return 2;
    }
    String key;
    if (args.length == 2) {
      key = args[1];
      if (key.isBlank() || key.length() > 4096 || !key.matches("[A-Za-z0-9._~+/-]+=*")) {
        err.println("the key must be a bearer token (RFC 6750 b64token), at most 4096 characters");
        return 2;
      }
    } else {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      out.println("# key for " + args[0] + " (give it to the caller; it is not stored): " + key);
    }
    out.println(args[0] + ":" + KeyHash.of(key).hex());
    return 0;
  }
}
