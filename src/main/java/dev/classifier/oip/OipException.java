package dev.classifier.oip;

/**
 * A V2 request the service refuses, with a message safe to show the client (it names the limit or
 * the field, never internals). The only exception the V2 codecs throw on any input.
 */
public class OipException extends RuntimeException {

  private final OipStatus status;

  public OipException(OipStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public OipStatus status() {
    return status;
  }

  public static OipException invalid(String message) {
    return new OipException(OipStatus.INVALID, message);
  }

  public static OipException tooLarge(String message) {
    return new OipException(OipStatus.TOO_LARGE, message);
  }
}
