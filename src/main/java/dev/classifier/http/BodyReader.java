package dev.classifier.http;

import dev.classifier.image.MemoryBudget;
import dev.classifier.image.MemoryBudgetExceededException;
import dev.classifier.inference.Hop;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one request's body as it arrives, on whatever container thread has data for it (Servlet
 * non-blocking I/O): an upload into a {@link BodyBuffer}, then dispatches to Spring MVC; any other
 * body is thrown away before MVC answers. Refuses an upload that is too large, over the memory
 * budget, or too slow, and keeps reading away what a refused client still sends (up to {@link
 * UploadLimits#DISCARD_LIMIT}) so it can read the refusal. All state changes under this object's
 * lock: the container and the rate watchdog both call in.
 */
final class BodyReader implements ReadListener {

  private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

  private enum Mode {
    /** Collecting an upload body. */
    COLLECT,
    /** Throwing away a body nobody reads, then handing the request to MVC. */
    DISCARD_THEN_DISPATCH,
    /** The upload was refused (already answered): throwing away the rest, then closing. */
    DISCARD_THEN_CLOSE,
    /** Finished: dispatched, answered or failed. */
    DONE
  }

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final AsyncContext async;
  private final UploadLimits limits;
  private final HttpDoors doors;
  private final long start = System.nanoTime();
  private final byte[] scratch = new byte[8192];
  private ServletInputStream in;
  private Mode mode;
  private BodyBuffer body;
  private long discarded;
  private ScheduledFuture<?> rateCheck;
  private boolean invited;

  BodyReader(
      HttpServletRequest request,
      HttpServletResponse response,
      AsyncContext async,
      UploadLimits limits,
      HttpDoors doors,
      boolean upload) {
    this.request = request;
    this.response = response;
    this.async = async;
    this.limits = limits;
    this.doors = doors;
    this.mode = upload ? Mode.COLLECT : Mode.DISCARD_THEN_DISPATCH;
  }

  synchronized void begin(MemoryBudget budget, ScheduledExecutorService watchdog)
      throws IOException {
    if (mode == Mode.COLLECT) {
      long declared = request.getContentLengthLong();
      if (declared > limits.maxUpload()) {
        refuse(Rejection.PAYLOAD_TOO_LARGE, tooLarge(), null);
      } else {
        try {
          body = BodyBuffer.open(budget, declared, limits.maxUpload());
        } catch (MemoryBudgetExceededException e) {
          refuse(Rejection.OVERLOADED, e.getMessage(), Duration.ofSeconds(1));
        }
      }
    }
    if (mode == Mode.DONE) {
      return;
    }
    rateCheck =
        watchdog.scheduleAtFixedRate(
            this::checkRate,
            UploadLimits.RATE_GRACE.toNanos(),
            TimeUnit.SECONDS.toNanos(1),
            TimeUnit.NANOSECONDS);
    if (mode == Mode.COLLECT) {
      ClientConnection.of(request).bodyStarting();
    }
    ExpectContinue.invite(request);
    invited = true;
    in = request.getInputStream();
    in.setReadListener(this);
  }

  @Override
  public synchronized void onDataAvailable() throws IOException {
    while (mode != Mode.DONE && in.isReady()) {
      int n;
      if (mode == Mode.COLLECT) {
        n = collect();
      } else {
        n = in.read(scratch);
        if (n > 0) {
          discarded += n;
          if (discarded > UploadLimits.DISCARD_LIMIT) {
            close();
          }
        }
      }
      if (n < 0) {
        return; // onAllDataRead follows
      }
    }
    checkRate();
  }

  private int collect() throws IOException {
    try {
      int n = body.fill(in);
      if (n == BodyBuffer.OVER_LIMIT) {
        refuse(Rejection.PAYLOAD_TOO_LARGE, tooLarge(), null);
        return 0;
      }
      return n;
    } catch (MemoryBudgetExceededException e) {
      refuse(Rejection.OVERLOADED, e.getMessage(), Duration.ofSeconds(1));
      return 0;
    }
  }

  @Override
  public synchronized void onAllDataRead() {
    switch (mode) {
      case COLLECT -> {
        Hop.mark("body-complete");
        mode = Mode.DONE;
        stopWatching();
        ClientConnection connection = ClientConnection.of(request);
        Upload upload = body.toUpload(request.getContentType(), connection);
        body = null;
        connection.bodyEnded(upload.bytes(), upload.length());
        upload.attachTo(request);
        RequestOutcome outcome = RequestOutcome.of(request);
        if (outcome != null) {
          outcome.atEnd(upload::release);
        } else {
          upload.release();
        }
        async.dispatch();
      }
      case DISCARD_THEN_DISPATCH -> {
        mode = Mode.DONE;
        stopWatching();
        async.dispatch();
      }
      case DISCARD_THEN_CLOSE -> close();
      case DONE -> {}
    }
  }

  /** The client went away mid-body (or the connection broke): nobody is left to answer. */
  @Override
  public synchronized void onError(Throwable failure) {
    if (mode == Mode.DONE) {
      return;
    }
    log.debug("body read failed after {} bytes: {}", received(), failure.toString());
    RequestOutcome outcome = RequestOutcome.of(request);
    if (outcome != null) {
      outcome.problem(Rejection.CLIENT_CLOSED_REQUEST.slug());
    }
    response.setStatus(Rejection.CLIENT_CLOSED_REQUEST.status());
    close();
  }

  /** Answers now, then reads away what the client is still sending. */
  private void refuse(Rejection type, String detail, Duration retryAfter) {
    releaseBody();
    try {
      doors.writeRefusal(request, response, new Refusal(type, detail, retryAfter));
    } catch (IOException e) {
      close();
      return;
    }
    // A client waiting to be asked for its body is not asked. A slow one is cut.
    boolean waiting = !invited && request.getHeader("Expect") != null;
    if (waiting || type == Rejection.UPLOAD_TOO_SLOW) {
      close();
    } else {
      mode = Mode.DISCARD_THEN_CLOSE;
    }
  }

  private synchronized void checkRate() {
    if (mode == Mode.DONE) {
      return;
    }
    String tooSlow = limits.tooSlow(received(), System.nanoTime() - start);
    if (tooSlow == null) {
      return;
    }
    if (mode == Mode.DISCARD_THEN_CLOSE) {
      close();
    } else {
      refuse(Rejection.UPLOAD_TOO_SLOW, tooSlow, null);
    }
  }

  private long received() {
    return (body != null ? body.length() : 0) + discarded;
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  private void stopWatching() {
    if (rateCheck != null) {
      rateCheck.cancel(false);
    }
  }

  private void close() {
    if (mode == Mode.DONE) {
      return;
    }
    mode = Mode.DONE;
    stopWatching();
    releaseBody();
    async.complete();
  }

  private String tooLarge() {
    return "the upload is larger than the limit of " + limits.maxUpload() + " bytes";
  }

  /** The body did not arrive within the upload timeout. */
  synchronized void timedOut() {
    if (mode == Mode.COLLECT || mode == Mode.DISCARD_THEN_DISPATCH) {
      refuse(
          Rejection.UPLOAD_TOO_SLOW,
          "the body did not arrive within "
              + limits.timeout().toSeconds()
              + " s (classifier.upload.timeout)",
          null);
    }
    close();
  }

  /** The container gave up on the exchange (the connection broke): drop what is held. */
  synchronized void abandoned() {
    if (mode != Mode.DONE) {
      mode = Mode.DONE;
      stopWatching();
      releaseBody();
    }
  }
}
