package dev.classifier.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Spring Security's view of a caller the {@link Authenticator} identified: with the {@link #CALL}
 * authority when it may call the API, without it when a JWT lacks the required scope (so the answer
 * is 403, not 401).
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

  static final String CALL = "classifier:call";

  private final CallerIdentity caller;

  CallerAuthentication(CallerIdentity caller, boolean mayCall) {
    super(mayCall ? List.of(new SimpleGrantedAuthority(CALL)) : List.of());
    this.caller = caller;
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public CallerIdentity getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.logName();
  }
}
