package dev.classifier.security;

import dev.classifier.http.HttpDoors;
import dev.classifier.http.Refusal;
import dev.classifier.http.Rejection;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Who may call the HTTP doors. One Spring Security chain covers every path: with {@code
 * classifier.security.enabled} the API doors ({@code /v1/**}, {@code /v2/**}) and any path not
 * listed as open need a caller with the {@link CallerAuthentication#CALL} authority; open are the
 * try-it page and its assets, the OpenAPI document and Swagger UI, the V2 health endpoints and the
 * actuator endpoints (which live on the management port, closed by the NetworkPolicy). Quotas apply
 * whether or not authentication is on. The chain is ordered before the upload reader ({@code
 * spring.security.filter.order} in application.yml), so a refusal costs no body.
 *
 * <p>A new HTTP door under {@code /v1} or {@code /v2} is covered without a change here. The gRPC
 * door intercepts its service with {@link GrpcAuthentication}, the same rules read from metadata.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  static boolean isApiPath(String path) {
    boolean v1 = path.equals("/v1") || path.startsWith("/v1/");
    boolean v2 = path.equals("/v2") || path.startsWith("/v2/");
    boolean v2Health = path.equals("/v2/health") || path.startsWith("/v2/health/");
    return v1 || (v2 && !v2Health);
  }

  /**
   * Spring Security's firewall, with path parameters allowed ({@code /v1/classify;x=1}): the
   * security matchers strip them as Spring MVC does, and the rules deny by default, so a parameter
   * cannot open a path. What the firewall still refuses (paths that are not normalized, such as
   * {@code //v1} or {@code /a/../v1}) is answered as a 400 problem like every other refusal.
   */
  @Bean
  WebSecurityCustomizer firewall(HttpDoors doors) {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowSemicolon(true);
    // Every method reaches Spring MVC, which answers one a path does not take with 405 and the
    // path's own Allow (TRACE included, never echoed): the firewall would call it malformed.
    firewall.setUnsafeAllowAnyHttpMethod(true);
    return web ->
        web.httpFirewall(firewall)
            .requestRejectedHandler(
                (request, response, e) ->
                    doors.writeRefusal(
                        request,
                        response,
                        new Refusal(
                            Rejection.MALFORMED_REQUEST,
                            "the request path is not normalized",
                            null)));
  }

  @Bean
  InternalCaller internalCaller(SecurityProperties properties) {
    return new InternalCaller(properties.enabled());
  }

  @Bean
  Quotas quotas(SecurityProperties properties) {
    return new Quotas(properties.quotas());
  }

  @Bean
  Authenticator authenticator(
      SecurityProperties properties,
      MeterRegistry registry,
      InternalCaller internal,
      ApiKeyReloader reloader) {
    SecurityProperties.Jwt jwt = properties.jwt();
    return new Authenticator(
        reloader.keys(),
        jwt.enabled() ? new JwtVerifier(jwt) : null,
        internal,
        jwt.maxTokenLength());
  }

  @Bean
  GrpcAuthentication grpcAuthentication(
      SecurityProperties properties,
      Authenticator authenticator,
      Quotas quotas,
      MeterRegistry registry) {
    return new GrpcAuthentication(
        properties.enabled(), authenticator, quotas, new CallerRequests(registry));
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http,
      SecurityProperties properties,
      Authenticator authenticator,
      Quotas quotas,
      HttpDoors doors,
      MeterRegistry registry)
      throws Exception {
    RefusalWriter refusals = new RefusalWriter(doors, registry, authenticator.requiredScope());
    // A stateless API authenticated per request by header: no session, no cookie, so no CSRF to
    // defend against; the page sets its own headers (PageSecurityHeaders).
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(cache -> cache.disable())
        .headers(headers -> headers.disable())
        .formLogin(form -> form.disable())
        .httpBasic(basic -> basic.disable())
        .logout(logout -> logout.disable())
        .addFilterAfter(new QuotaFilter(quotas, refusals), AuthorizationFilter.class);
    if (!properties.enabled()) {
      return http.authorizeHttpRequests(rules -> rules.anyRequest().permitAll()).build();
    }
    return http.addFilterBefore(
            new CredentialsFilter(authenticator, refusals, EndpointRequest.toAnyEndpoint()),
            AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            rules ->
                rules
                    .requestMatchers(
                        "/",
                        "/index.html",
                        "/assets/**",
                        "/favicon.ico",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/v3/api-docs.yaml",
                        "/swagger-ui.html",
                        "/swagger-ui/**",
                        "/v2/health",
                        "/v2/health/**",
                        "/error")
                    .permitAll()
                    .requestMatchers(EndpointRequest.toAnyEndpoint())
                    .permitAll()
                    .anyRequest()
                    .hasAuthority(CallerAuthentication.CALL))
        .exceptionHandling(
            errors ->
                errors
                    .authenticationEntryPoint(
                        (request, response, e) ->
                            refusals.refuse(
                                request,
                                response,
                                new Verdict.Refused(
                                    Verdict.Refusal.MISSING, "credentials are required")))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            refusals.refuse(
                                request, response, refusals.insufficientScope(request))))
        .build();
  }

  @Bean(destroyMethod = "close")
  ApiKeyReloader apiKeyReloader(
      SecurityProperties properties, MeterRegistry registry, Quotas quotas) {
    SecurityProperties.ApiKeys settings = properties.apiKeys();
    if (settings.file() == null) {
      return new ApiKeyReloader(quotas);
    }
    ApiKeys keys =
        new ApiKeys(
            settings.file(), settings.maxFileSize().toBytes(), settings.maxKeys(), registry);
    return new ApiKeyReloader(keys, quotas, settings.reloadInterval().toMillis());
  }
}
