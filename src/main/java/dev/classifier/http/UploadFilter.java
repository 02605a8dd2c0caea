package dev.classifier.http;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.image.MemoryBudget;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body without holding a thread, so slow clients cost a socket and their bytes,
 * never a request thread: uploads are collected (within the memory budget) and handed to Spring MVC
 * as an {@link Upload}; any other body is thrown away before MVC answers, so Tomcat never swallows
 * it with blocking reads. See {@link BodyReader}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class UploadFilter extends OncePerRequestFilter {

  private final UploadLimits limits;
  private final MemoryBudget budget;
  private final HttpDoors doors;
  private final ScheduledExecutorService watchdog;

  UploadFilter(ClassifierProperties properties, MemoryBudget budget, HttpDoors doors) {
    this.limits =
        new UploadLimits(
            properties.maxUploadSize().toBytes(),
            properties.upload().minRate().toBytes(),
            properties.upload().timeout());
    this.budget = budget;
    this.doors = doors;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "upload-watchdog");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Uploads always come here, even empty ones; other requests only when they carry a body. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    boolean hasBody =
        request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    return !hasBody && !doors.isUpload(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException {
    AsyncContext async = request.startAsync(request, response);
    async.setTimeout(limits.timeout().toMillis());
    BodyReader reader =
        new BodyReader(request, response, async, limits, doors, doors.isUpload(request));
    async.addListener(new UploadTimeouts(reader));
    reader.begin(budget, watchdog);
  }

  @Override
  public void destroy() {
    watchdog.shutdownNow();
  }
}
