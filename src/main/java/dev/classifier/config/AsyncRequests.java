package dev.classifier.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC's timeout for requests answered asynchronously: past the request timeout and the
 * running grace, which already bound every wait, so it only ever fires on a bug.
 */
@Configuration(proxyBeanMethods = false)
class AsyncRequests implements WebMvcConfigurer {

  /** Beyond the deadline and grace, so the scheduler's own answer always comes first. */
  static final long MARGIN_MILLIS = 5_000;

  private final long timeoutMillis;

  AsyncRequests(ClassifierProperties properties) {
    this.timeoutMillis =
        properties.batching().requestTimeout().toMillis()
            + properties.batching().runningGrace().toMillis()
            + MARGIN_MILLIS;
  }

  @Override
  public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
    configurer.setDefaultTimeout(timeoutMillis);
  }
}
