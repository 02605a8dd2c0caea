package dev.classifier.http;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/**
 * Tells a {@link BodyReader} when the container times the upload out or drops its connection, and
 * ends the exchange then.
 */
record UploadTimeouts(BodyReader reader) implements AsyncListener {

  @Override
  public void onTimeout(AsyncEvent event) {
    reader.timedOut();
  }

  /**
   * Ends the exchange here, after the reader has answered 499: a listener that completes keeps
   * Tomcat from running its error page over it, which would log and count a client that left as a
   * 500.
   */
  @Override
  public void onError(AsyncEvent event) {
    reader.abandoned();
    event.getAsyncContext().complete();
  }

  @Override
  public void onComplete(AsyncEvent event) {}

  /** The dispatched request starts a cycle of its own; the reader is done by then. */
  @Override
  public void onStartAsync(AsyncEvent event) {}
}
