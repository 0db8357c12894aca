package io.camelgraphteams.component.security;

import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import io.camelgraphteams.component.support.Digests;
import io.camelgraphteams.component.support.LoggedValue;

/**
 * Picks the RS256 verification key a validation token names: by {@code kid} (Nimbus' own matching) or, when the header
 * carries only {@code x5t} (older Azure AD tokens do), by the SHA-1 certificate thumbprint of the key.
 */
final class SigningKeySelector extends JWSVerificationKeySelector<SecurityContext> {

    SigningKeySelector(JWKSource<SecurityContext> keys) {
        super(JWSAlgorithm.RS256, keys);
    }

    @Override
    protected JWKMatcher createJWKMatcher(JWSHeader header) {
        JWKMatcher byHeader = super.createJWKMatcher(header);
        Base64URL x5t = sha1Thumbprint(header);
        if (byHeader == null || header.getKeyID() != null || x5t == null) {
            return byHeader;
        }
        return new Sha1ThumbprintMatcher(byHeader, x5t);
    }

    @SuppressWarnings("deprecation") // x5t (SHA-1) is deprecated in JOSE, yet it is what Azure AD puts in its headers and keys
    static Base64URL sha1Thumbprint(JWSHeader header) {
        return header.getX509CertThumbprint();
    }

    /**
     * Nimbus' JWKMatcher knows {@code x5t#S256} but not the SHA-1 {@code x5t}: this one adds it on top of the header's matcher.
     */
    static final class Sha1ThumbprintMatcher extends JWKMatcher {

        private final JWKMatcher byHeader;
        private final Base64URL x5t;

        @SuppressWarnings("deprecation") // every public JWKMatcher constructor is deprecated; the super state is unused, matches() decides
        Sha1ThumbprintMatcher(JWKMatcher byHeader, Base64URL x5t) {
            super(null, null, null, null, null, false, false, false, false, false, false, 0, 0, null, null, null, false);
            this.byHeader = byHeader;
            this.x5t = x5t;
        }

        @Override
        public boolean matches(JWK key) {
            return byHeader.matches(key) && x5t.equals(sha1Thumbprint(key));
        }

        @SuppressWarnings("deprecation") // see sha1Thumbprint(JWSHeader)
        private static Base64URL sha1Thumbprint(JWK key) {
            if (key.getX509CertThumbprint() != null) {
                return key.getX509CertThumbprint();
            }
            List<Base64> chain = key.getX509CertChain();
            if (chain == null || chain.isEmpty()) {
                return null;
            }
            // x5t is defined as the SHA-1 digest of the DER certificate, which x5c[0] is
            return Base64URL.encode(Digests.sha1(chain.get(0).decode()));
        }

        @Override
        public String toString() {
            return "x5t=" + x5t + ", " + byHeader;
        }
    }

    static String describe(JWSHeader header) {
        Base64URL x5t = sha1Thumbprint(header);
        if (header.getKeyID() != null) {
            return "kid '" + LoggedValue.of(header.getKeyID()) + "'";
        }
        return x5t != null ? "x5t '" + LoggedValue.of(x5t.toString()) + "'" : "no kid or x5t";
    }
}
