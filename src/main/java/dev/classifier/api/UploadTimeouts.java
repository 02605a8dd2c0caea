package dev.classifier.api;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** Tells a {@link BodyReader} when the container times the upload out or drops its connection. */
record UploadTimeouts(BodyReader reader) implements AsyncListener {

  @Override
  public void onTimeout(AsyncEvent event) {
    reader.timedOut();
  }

  @Override
  public void onError(AsyncEvent event) {
    reader.abandoned();
  }

  @Override
  public void onComplete(AsyncEvent event) {}

  /** The dispatched request starts a cycle of its own; the reader is done by then. */
  @Override
  public void onStartAsync(AsyncEvent event) {}
}
