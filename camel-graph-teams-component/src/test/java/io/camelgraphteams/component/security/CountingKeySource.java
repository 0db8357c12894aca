package io.camelgraphteams.component.security;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/** Counts key look-ups: Nimbus looks a key up once per signature verification, so this counts verifications. */
final class CountingKeySource implements JWKSource<SecurityContext> {

    private final JWKSource<SecurityContext> delegate;
    private final AtomicInteger lookups = new AtomicInteger();

    CountingKeySource(JWKSource<SecurityContext> delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        lookups.incrementAndGet();
        return delegate.get(selector, context);
    }

    int lookups() {
        return lookups.get();
    }
}
