package dev.classifier.security;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The two parsers that read untrusted text: the key file (from a Secret an operator edits) and the
 * credential headers (from anyone). The invariant: any input gives keys or {@code
 * InvalidKeyFileException}, and any header pair gives a verdict; never another exception. Plain
 * test runs replay the seeds in {@code src/test/resources/dev/classifier/security/
 * CredentialsFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see docs/fuzzing.md).
 */
class CredentialsFuzzTest {

  private static final ApiKeys NO_KEYS =
      new ApiKeys(java.nio.file.Path.of("/nonexistent"), 1024, 10, new SimpleMeterRegistry());
  private static final Authenticator AUTHENTICATOR =
      new Authenticator(NO_KEYS, null, new InternalCaller(true), 8192);

  @FuzzTest(maxDuration = "30s")
  void keyFile(byte[] content) {
    try {
      Map<KeyHash, String> keys = ApiKeyFile.parse(content, 100);
      if (keys.size() > 100) {
        throw new IllegalStateException("more keys than the limit: " + keys.size());
      }
      for (String id : keys.values()) {
        if (!ApiKeyFile.ID.matcher(id).matches()) {
          throw new IllegalStateException("an id outside the allowed set: " + id);
        }
      }
    } catch (ApiKeyFile.InvalidKeyFileException expected) {
      // a refusal is a correct answer
    }
  }

  @FuzzTest(maxDuration = "30s")
  void credentialHeaders(FuzzedDataProvider data) {
    String authorization = data.consumeBoolean() ? data.consumeString(10_000) : null;
    String apiKey = data.consumeBoolean() ? data.consumeRemainingAsString() : null;
    Verdict verdict = AUTHENTICATOR.authenticate(authorization, apiKey);
    if (verdict instanceof Verdict.Allowed allowed) {
      throw new IllegalStateException("no key is in force, yet allowed " + allowed.caller());
    }
    String detail = ((Verdict.Refused) verdict).detail();
    if ((authorization != null && authorization.length() > 20 && detail.contains(authorization))
        || detail.getBytes(StandardCharsets.UTF_8).length > 200) {
      throw new IllegalStateException("the refusal echoes the credential: " + detail);
    }
  }
}
